#!/bin/sh
# Lay the patch series onto a copy of the pristine tree: the tree we build
# and test is exactly what a user gets from patches/. The copy is made of
# hard links (patch(1) replaces the files it changes rather than writing
# through the links), so it takes seconds and untouched files keep their
# timestamps: incremental builds stay incremental. Redone only when the
# series or the pristine tree changes, and then files whose content is the
# same as before keep their timestamps too.
# Usage: tree.sh PRISTINE PATCHDIR TREE
set -eu

pristine=$1
patches=$2
tree=$3

stamp=$(cd "$patches" && cat "$pristine/.ratewin-stamp" series $(cat series) | sha256sum)
if [ -f "$tree/.ratewin-series" ] && [ "$(cat "$tree/.ratewin-series")" = "$stamp" ]; then
	exit 0
fi
echo "tree: applying $patches/series to a copy of $pristine"
rm -rf "$tree.tmp"
cp -al "$pristine" "$tree.tmp"
while read -r patch; do
	patch -s -p1 -d "$tree.tmp" --no-backup-if-mismatch < "$patches/$patch"
done < "$patches/series"
echo "$stamp" > "$tree.tmp/.ratewin-series"
# A file the series touches keeps its old timestamp if its content did not
# change, or every edit to the series would rebuild all that includes it.
if [ -d "$tree" ]; then
	for path in $(cd "$patches" && sed -n 's#^+++ b/##p' $(cat series) | sort -u); do
		if cmp -s "$tree/$path" "$tree.tmp/$path"; then
			touch -r "$tree/$path" "$tree.tmp/$path"
		fi
	done
fi
rm -rf "$tree"
mv "$tree.tmp" "$tree"
