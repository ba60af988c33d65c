/* vpmoire — status codes and error messages.
 *
 * Every fallible library call returns a vpm_status_t.  On failure it also
 * leaves a one-line, human-readable message that the caller can read with
 * vpm_error_message(); the message buffer is per thread, so parallel sweeps
 * do not trample each other.  The library never prints and never exits.
 *
 * The rule: every error return sets a message, and every library function
 * that returns a vpm_status_t and returns VPM_OK clears it.  So right after
 * any status-returning call, vpm_error_message() is "" if it succeeded and
 * that call's own message if it failed, never one left by an earlier call.
 * Functions that cannot fail (they return a number, a pointer or nothing)
 * leave the message as it was.
 */
#ifndef VPMOIRE_STATUS_H
#define VPMOIRE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	VPM_OK = 0,    /* success */
	VPM_EINVAL,    /* an argument is invalid (zero, negative, NaN, out of its domain) */
	VPM_ERANGE,    /* a value is outside physical or numerical limits */
	VPM_ENOMEM,    /* an allocation failed or would exceed a limit */
	VPM_EIO,       /* reading or writing a file failed */
	VPM_EPARSE,    /* malformed text: a number, a unit, a CSV row */
	VPM_ENOTFOUND, /* a catalog name or a file was not found */
	VPM_EGEOMETRY, /* a physically impossible set-up (focus closer than 4f, ...) */
	VPM_ELIMIT,    /* a resource estimate exceeds the configured limit */
	VPM_EINTERNAL  /* a bug: please report it */
} vpm_status_t;

/* A short constant description of a status code ("invalid argument", ...).
 * Never returns NULL. */
const char *vpm_strerror(vpm_status_t status);

/* The message left by the last failing call in this thread, or "" when the
 * last status-returning call succeeded or nothing failed yet.  The pointer
 * stays valid until the next library call in this thread. */
const char *vpm_error_message(void);

/* Forget the current thread's message. */
void vpm_error_clear(void);

/* Record a formatted one-line message for this thread and return `status`
 * unchanged, for code layered on the library (vpmoire's own page renderers,
 * a caller's callbacks) that reports its errors through the same
 * vpm_error_message(). */
vpm_status_t vpm_error_set(vpm_status_t status, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_STATUS_H */
