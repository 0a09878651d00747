#!/bin/sh
# checkpatch.pl --strict on every patch of the series: no errors allowed.
# Warnings and checks are printed for review.
# Usage: checkpatch.sh PRISTINE PATCHDIR
set -eu
pristine=$1
patches=$(cd "$2" && pwd)
status=0
for patch in $(cat "$patches/series"); do
	out=$(cd "$pristine" && perl scripts/checkpatch.pl --strict --terse \
		--show-types "$patches/$patch" || true)
	printf '%s\n' "$out"
	total=$(printf '%s\n' "$out" | grep '^total:')
	errors=$(printf '%s\n' "$total" | sed -n 's/^total: \([0-9]*\) errors.*/\1/p')
	if [ "${errors:-1}" != 0 ]; then
		echo "checkpatch: $patch has errors" >&2
		status=1
	fi
done
exit $status
