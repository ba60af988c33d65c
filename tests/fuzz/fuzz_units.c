/* libFuzzer target: the units parser behind every distance flag and CSV
 * cell (lib/units.c), and the formatter that prints lengths back.
 *
 * Input: byte 0 picks the flags (bits 0-2), the bare unit (bits 3-4) and
 * the number of decimals (bits 5-7); the rest is the text. */
#include <config.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags;
	vpm_unit_t bare;
	int decimals;
	char *text, buf[128];
	double m, v;
	long n;
	vpm_units_system_t sys;

	if (size < 1)
		return 0;
	flags = data[0] & 7u;
	bare = (vpm_unit_t)(((unsigned)data[0] >> 3) % 3u);
	decimals = (int)((unsigned)data[0] >> 5) - 1; /* -1 … 6: clamped inside */
	text = fuzz_strdup(data + 1, size - 1);

	if (vpm_units_parse_length(text, bare, flags, &m) == VPM_OK) {
		FUZZ_ASSERT(!isnan(m));
		FUZZ_ASSERT(isfinite(m) ? fabs(m) <= VPM_UNITS_MAX_M
					: (flags & VPM_UNITS_ALLOW_INF) && m > 0);
		FUZZ_ASSERT(m >= 0.0 || (flags & VPM_UNITS_ALLOW_NEGATIVE));
		FUZZ_ASSERT(m != 0.0 || (flags & VPM_UNITS_ALLOW_ZERO));
		FUZZ_ASSERT(!(m == 0.0 && signbit(m)));
		vpm_units_format_length(m, VPM_UNITS_METRIC, decimals, buf, sizeof buf);
		FUZZ_ASSERT(strlen(buf) < sizeof buf && strstr(buf, "nan") == NULL);
		vpm_units_format_length(m, VPM_UNITS_IMPERIAL, decimals, buf, sizeof buf);
		FUZZ_ASSERT(strlen(buf) < sizeof buf && strstr(buf, "nan") == NULL);
		vpm_units_format_length(m, VPM_UNITS_IMPERIAL, decimals, buf, 5); /* cut short */
		FUZZ_ASSERT(strlen(buf) < 5);
	} else {
		FUZZ_ASSERT(vpm_error_message()[0] != '\0');
	}
	if (vpm_units_parse_number(text, &v) == VPM_OK)
		FUZZ_ASSERT(isfinite(v));
	if (vpm_units_parse_angle(text, &v) == VPM_OK)
		FUZZ_ASSERT(isfinite(v) && fabs(v) <= 360.0);
	if (vpm_units_parse_stop(text, &v) == VPM_OK)
		FUZZ_ASSERT(v >= 0.5 && v <= 128.0);
	if (vpm_units_parse_count(text, 1000000, &n) == VPM_OK)
		FUZZ_ASSERT(n >= 1 && n <= 1000000);
	if (vpm_units_parse_count(text, 9223372036854775807L, &n) == VPM_OK)
		FUZZ_ASSERT(n >= 1);
	(void)vpm_units_parse_system(text, &sys);
	/* every message fits its buffer and is one line */
	FUZZ_ASSERT(strchr(vpm_error_message(), '\n') == NULL);
	free(text);
	return 0;
}
