#!/bin/sh
# Extract Debian's linux-source-6.12 into DIR, once per version of its tarball.
# Usage: pristine.sh DIR
set -eu

tarball=/usr/src/linux-source-6.12.tar.xz
dest=$1
stamp=$(stat -c '%s %Y' "$tarball")

if [ -f "$dest/.ratewin-stamp" ] && [ "$(cat "$dest/.ratewin-stamp")" = "$stamp" ]; then
	exit 0
fi
echo "pristine: extracting $tarball into $dest"
rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xJf "$tarball" -C "$dest.tmp" --strip-components=1
echo "$stamp" > "$dest.tmp/.ratewin-stamp"
mv "$dest.tmp" "$dest"
