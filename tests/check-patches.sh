#!/bin/sh
# patches/ is ratewin's kernel source, so it must be whole: every patch
# applies with git am to the pristine files it touches, the series file
# lists every patch, and each is in the form scripts/series.sh export
# writes it, so that applied and exported again it comes out the same (a
# hand edit that git am tolerates but that its commit would not hold shows
# here: the blob ids of the files a patch adds depend on their content
# alone, and so catch an edit to a new file). The blob ids of the upstream
# files a patch changes and hunk line numbers are left out of the
# comparison: they follow the 6.12 point release that Debian ships.
# Usage: check-patches.sh PRISTINE PATCHDIR
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pristine=$1
patches=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

normalise() {
	awk '/^diff --git /	{ new = 0 }
	     /^new file mode /	{ new = 1 }
	     /^index /		{ if (!new) next }
	     { sub(/^@@ -[0-9,]* \+[0-9,]* @@/, "@@"); print }' "$1"
}

status=0
listed=$(cat "$patches/series")
present=$(cd "$patches" && ls -- *.patch)
if [ "$listed" != "$present" ]; then
	echo "check-patches: patches/series does not list exactly the patches there" >&2
	status=1
fi
"$top/scripts/series.sh" normalise "$pristine" "$patches" "$work/again"
for patch in $(cat "$work/again/series"); do
	normalise "$work/again/$patch" > "$work/a"
	normalise "$patches/$patch" > "$work/b" 2>/dev/null || :
	if ! cmp -s "$work/a" "$work/b"; then
		echo "check-patches: $patch is not as scripts/series.sh export writes it" >&2
		diff -u "$work/b" "$work/a" | head -40 >&2 || true
		status=1
	fi
done
[ $status = 0 ] || exit 1
echo "check-patches: the series applies with git am, in the form series.sh exports"
