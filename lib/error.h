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

#endif
