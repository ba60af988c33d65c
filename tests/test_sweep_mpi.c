/* MPI sweeps (built with ./configure --with-mpi): `mpirun -np N vpmoire
 * sweep` must write the very bytes of the single-process run, whatever the
 * number of ranks, alone or on one shard of a study. */
#include <config.h>

#include <criterion/criterion.h>
#include <string.h>

#include "testutil.h"

#ifndef VPM_MPIRUN
#define VPM_MPIRUN "mpirun"
#endif

/* Every panel, the reference camera and lens, three stops, 81 walls; one
 * thread per rank so that two ranks fit two cores. */
#define STUDY                                                                           \
	"sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28 " \
	"--stop 2.8,4,5.6 --wall 2m:6m:0.05m -q -j 1"

TestSuite(sweep_mpi, .fini = tu_cleanup_tmpdir);

/* Run the program under mpirun (as root in CI, more ranks than cores). */
static int mpirun(int np, const char *args)
{
	char cmd[8192];
	int st;

	snprintf(cmd, sizeof cmd,
		 "cd '%s' && '%s' --allow-run-as-root --oversubscribe -np %d '%s/apps/vpmoire' %s "
		 ">mpi.out 2>mpi.err",
		 tu_tmpdir(), VPM_MPIRUN, np, tu_builddir(), args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void same_file(const char *a, const char *b)
{
	char *x = tu_slurp(tu_tmp(a)), *y = tu_slurp(tu_tmp(b));

	cr_assert_not_null(x, "%s missing", a);
	cr_assert_not_null(y, "%s missing", b);
	cr_assert_eq(strlen(x), strlen(y), "%s and %s differ in length", a, b);
	cr_assert(strcmp(x, y) == 0, "%s and %s differ", a, b);
	free(x);
	free(y);
}

Test(sweep_mpi, two_ranks_write_the_single_process_csv)
{
	tu_run_t r = tu_vpmoire(STUDY " -o single.csv");
	char *err;

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	cr_assert_eq(mpirun(2, STUDY " -o mpi.csv"), 0, "%s", tu_slurp(tu_tmp("mpi.err")));
	same_file("single.csv", "mpi.csv");
	/* one voice: only rank 0 reports */
	err = tu_slurp(tu_tmp("mpi.err"));
	cr_assert_str_eq(err, "");
	free(err);
	/* 15 x 3 x 81 = 3645 rows: more ranks than batches leave some idle */
	cr_assert_eq(mpirun(3, STUDY " -o mpi3.csv"), 0);
	same_file("single.csv", "mpi3.csv");
}

Test(sweep_mpi, ranks_split_a_shard_the_same_way)
{
	tu_run_t r = tu_vpmoire(STUDY " --shard 1/2 -o shard.csv");

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	cr_assert_eq(mpirun(2, STUDY " --shard 1/2 -o mpi-shard.csv"), 0);
	same_file("shard.csv", "mpi-shard.csv");
	/* bad input stops every rank with exit 2 */
	cr_assert_eq(mpirun(2, STUDY " --wall 1m:2m:0 -o bad.csv"), 2);
	cr_assert(!tu_exists(tu_tmp("bad.csv")));
}
