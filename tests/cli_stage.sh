#!/bin/sh
# vpmoire stage as a user runs it (issue 17), in TAP: help, the stage sheet
# in each format (checked by its text and page count), usage errors.
srcdir=${VPM_TEST_SRCDIR:-.}
builddir=${VPM_TEST_BUILDDIR:-.}
vpm=$builddir/apps/vpmoire
stage=$srcdir/datasets/stage-micro.stage
tmp=$builddir/tests/tmp/cli_stage.$$
mkdir -p "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

echo "1..11"
"$vpm" stage --help >"$tmp/help" 2>&1
check "--help exits 0 and names --json, --shotlist, --bits, --fps" \
	'grep -q -- "--json" "$tmp/help" && grep -q -- "--shotlist" "$tmp/help" &&
	 grep -q -- "--bits" "$tmp/help" && grep -q -- "--fps" "$tmp/help"'
"$vpm" --help 2>&1 | grep -q "^ *stage " && ok "vpmoire --help lists stage" ||
	not_ok "vpmoire --help lists stage"

"$vpm" stage "$stage" -o "$tmp/sheet.pdf" >"$tmp/out" 2>"$tmp/err"
check "a PDF sheet is written" 'test $? -eq 0 -a -s "$tmp/sheet.pdf"'
if command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
	pdftotext "$tmp/sheet.pdf" "$tmp/sheet.txt"
	# the totals the hand calculation of tests/test_stagebom.c gives
	check "the sheet states 4 circuits at 120 V and 23884 BTU/h" \
		'grep -q "20 A circuits at 120 V" "$tmp/sheet.txt" && grep -q "23884" "$tmp/sheet.txt"'
	check "the sheet names its assumptions" \
		'grep -q "NEC 210.19" "$tmp/sheet.txt" && grep -q "3.412 BTU/h" "$tmp/sheet.txt"'
	check "the sheet is one page" \
		'pdfinfo "$tmp/sheet.pdf" | grep -q "^Pages: *1$"'
else
	for t in 1 2 3; do n=$((n + 1)); echo "ok $n # SKIP poppler-utils not installed"; done
fi
"$vpm" stage "$stage" -o "$tmp/sheet.png" >/dev/null 2>&1
check "a PNG sheet is a PNG" 'head -c 8 "$tmp/sheet.png" | od -c | grep -q "P   N   G"'

"$vpm" stage >"$tmp/out" 2>"$tmp/err"
check "no stage file: exit 2, one line" 'test $? -eq 2 -a "$(wc -l <"$tmp/err")" -eq 1'
"$vpm" stage "$stage" --bits 11 >"$tmp/out" 2>"$tmp/err"
check "--bits 11: exit 2 naming --bits, nothing on stdout" \
	'test $? -eq 2 && grep -q -- "--bits" "$tmp/err" && test ! -s "$tmp/out"'
"$vpm" stage "$stage" -o "$tmp/no/such/dir/sheet.pdf" >"$tmp/out" 2>"$tmp/err"
check "an unwritable sheet: a failure naming the file, nothing left behind" \
	'test $? -ne 0 && grep -q "sheet.pdf" "$tmp/err" && test ! -e "$tmp/no"'

# the inverse design on four shots of the example shotlist
grep -E '^(Shot|1A|1C|1D|3D),' "$srcdir/datasets/shotlist-example.csv" >"$tmp/shots.csv"
"$vpm" stage "$stage" --shotlist "$tmp/shots.csv" >"$tmp/out" 2>"$tmp/err"
check "--shotlist names a panel and the deciding shots" \
	'test $? -eq 0 && grep -q "^design: [a-z0-9.-]* (" "$tmp/out" &&
	 grep -q "^deciding shots (not SAFE on [a-z0-9.-]*): [0-9A-Z]" "$tmp/out"'
