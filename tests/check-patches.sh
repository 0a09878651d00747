#!/bin/sh
# patches/ must be exactly what scripts/mkseries.sh makes of kernel/ and
# series/, and must apply with git am to the pristine files it touches.
# Blob ids and hunk line numbers are left out of the comparison: they follow
# the 6.12 point release that Debian ships, not our sources.
# Usage: check-patches.sh PRISTINE PATCHDIR
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pristine=$1
patches=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

normalise() {
	sed -e '/^index [0-9a-f]*\.\.[0-9a-f]*/d' -e 's/^@@ -[0-9,]* +[0-9,]* @@/@@/' "$1"
}

"$top/scripts/mkseries.sh" "$pristine" "$work/fresh"
status=0
cmp -s "$work/fresh/series" "$patches/series" || {
	echo "check-patches: patches/series differs from the generated one" >&2
	diff -u "$patches/series" "$work/fresh/series" >&2 || true
	status=1
}
for patch in $(cat "$work/fresh/series"); do
	if [ ! -f "$patches/$patch" ]; then
		continue
	fi
	normalise "$work/fresh/$patch" > "$work/a"
	normalise "$patches/$patch" > "$work/b"
	if ! cmp -s "$work/a" "$work/b"; then
		echo "check-patches: $patch is stale; run 'make patches'" >&2
		diff -u "$work/b" "$work/a" | head -40 >&2 || true
		status=1
	fi
done
[ $status = 0 ] || exit 1

# git am onto the pristine versions of the upstream files the series edits
mkdir "$work/am"
git -C "$work/am" init -q
for path in $(sed -n 's#^+++ b/##p' $(sed "s#^#$patches/#" "$patches/series") | sort -u); do
	if [ -f "$pristine/$path" ]; then
		mkdir -p "$work/am/$(dirname "$path")"
		cp "$pristine/$path" "$work/am/$path"
	fi
done
git -C "$work/am" add -A
git -C "$work/am" -c user.name=check -c user.email=check@invalid commit -q -m base
git -C "$work/am" -c user.name=check -c user.email=check@invalid \
	am -q $(sed "s#^#$patches/#" "$patches/series")
echo "check-patches: patches/ matches its sources and applies with git am"
