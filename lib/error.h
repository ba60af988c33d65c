/* Private: the single path every library error goes through. */
#ifndef VPM_PRIVATE_ERROR_H
#define VPM_PRIVATE_ERROR_H

#include "vpmoire/status.h"

/* Record a formatted message for this thread and return `status`, so that
 * call sites read `return vpm_error(VPM_EINVAL, "focal length %g mm", f);`.
 * Set a breakpoint here to catch every error as it is raised. */
vpm_status_t vpm_error(vpm_status_t status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the current message with "prefix: " (used to add file:line:col
 * context to a message raised deeper down).  Returns `status`. */
vpm_status_t vpm_error_prefix(vpm_status_t status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The error of an input file that could not be opened, `err` being the
 * errno of the failed fopen(): "path: reason", VPM_ENOTFOUND when the file
 * does not exist (bad input: the program exits 2), VPM_EIO otherwise. */
vpm_status_t vpm_error_open(const char *path, int err);

/* Every public function that returns a vpm_status_t is defined through
 * VPM_STATUS_FN, the single place where status.h's rule is kept: when the
 * outermost library call of a thread returns VPM_OK, the thread's message is
 * cleared (so an error raised and recovered inside the call, or left by an
 * earlier failing call, is never read as this call's).  Calls nested inside
 * the library leave the message alone, so an error raised by the outer call
 * is not wiped by a helper it calls afterwards.  Write
 *
 *	VPM_STATUS_FN(vpm_csv_open, (const char *path, unsigned flags, vpm_csv_t **out),
 *		      (path, flags, out))
 *	{
 *		... the body, as any function's ...
 *	}
 *
 * The parameters come twice: as declared, then their names in order. */
#define VPM_STATUS_FN(name, params, args)               \
	static vpm_status_t name##_body params;         \
	vpm_status_t name params                        \
	{                                               \
		vpm_api_enter();                        \
		return vpm_api_leave(name##_body args); \
	}                                               \
	static vpm_status_t name##_body params

/* The two halves of VPM_STATUS_FN: count the nesting depth of library calls
 * in this thread; vpm_api_leave clears the message when the outermost call
 * succeeds, and returns `status`. */
void vpm_api_enter(void);
vpm_status_t vpm_api_leave(vpm_status_t status);

#endif
