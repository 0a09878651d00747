#!/bin/sh
# checkpatch.pl --strict on every patch of the series: no errors allowed.
# Warnings and checks are printed for review.
# Usage: checkpatch.sh PRISTINE PATCHDIR
set -eu
pristine=$1
patches=$(cd "$2" && pwd)
status=0
for patch in $(cat "$patches/series"); do
	reports=$(cd "$pristine" && perl scripts/checkpatch.pl --strict --terse \
		--show-types "$patches/$patch" | grep ': [A-Z]*:[A-Z_]*:' || true)
	echo "checkpatch: $patch: $(printf '%s' "$reports" | grep -c . || true) reports"
	[ -z "$reports" ] || printf '%s\n' "$reports"
	if printf '%s\n' "$reports" | grep -q ': ERROR:'; then
		echo "checkpatch: $patch has errors" >&2
		status=1
	fi
done
exit $status
