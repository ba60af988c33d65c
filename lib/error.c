/* One path for every error: a per-thread message buffer (libvips style). */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

#define VPM_ERROR_BUFSZ 1024

static _Thread_local char vpm_errbuf[VPM_ERROR_BUFSZ];
/* How many public status-returning calls this thread is inside (error.h). */
static _Thread_local unsigned vpm_api_depth;

void vpm_api_enter(void)
{
	vpm_api_depth++;
}

vpm_status_t vpm_api_leave(vpm_status_t status)
{
	if (vpm_api_depth > 0)
		vpm_api_depth--;
	if (vpm_api_depth == 0 && status == VPM_OK)
		vpm_errbuf[0] = '\0';
	return status;
}

const char *vpm_strerror(vpm_status_t status)
{
	switch (status) {
	case VPM_OK: return "success";
	case VPM_EINVAL: return "invalid argument";
	case VPM_ERANGE: return "value out of range";
	case VPM_ENOMEM: return "out of memory";
	case VPM_EIO: return "input/output error";
	case VPM_EPARSE: return "parse error";
	case VPM_ENOTFOUND: return "not found";
	case VPM_EGEOMETRY: return "impossible set-up";
	case VPM_ELIMIT: return "resource limit exceeded";
	case VPM_EINTERNAL: return "internal error";
	}
	return "unknown status";
}

const char *vpm_error_message(void)
{
	return vpm_errbuf;
}

void vpm_error_clear(void)
{
	vpm_errbuf[0] = '\0';
}

vpm_status_t vpm_error(vpm_status_t status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vpm_errbuf, sizeof vpm_errbuf, fmt, ap);
	va_end(ap);
	return status;
}

/* The public twin of vpm_error() for code outside the library (status.h). */
vpm_status_t vpm_error_set(vpm_status_t status, const char *fmt, ...)
{
	char msg[VPM_ERROR_BUFSZ];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return vpm_error(status, "%s", msg);
}

vpm_status_t vpm_error_open(const char *path, int err)
{
	return vpm_error(err == ENOENT ? VPM_ENOTFOUND : VPM_EIO, "%s: %s", path, strerror(err));
}

vpm_status_t vpm_error_prefix(vpm_status_t status, const char *fmt, ...)
{
	char prefix[VPM_ERROR_BUFSZ];
	char old[VPM_ERROR_BUFSZ];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, vpm_errbuf, sizeof old);
	{
		/* "prefix: old", cut to the buffer */
		size_t np = strlen(prefix), no = strlen(old), at = 0;
		if (np > sizeof vpm_errbuf - 1)
			np = sizeof vpm_errbuf - 1;
		memcpy(vpm_errbuf, prefix, np);
		at = np;
		if (at + 2 < sizeof vpm_errbuf) {
			memcpy(vpm_errbuf + at, ": ", 2);
			at += 2;
		}
		if (no > sizeof vpm_errbuf - 1 - at)
			no = sizeof vpm_errbuf - 1 - at;
		memcpy(vpm_errbuf + at, old, no);
		vpm_errbuf[at + no] = '\0';
	}
	return status;
}
