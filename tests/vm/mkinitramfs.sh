#!/bin/sh
# Build the test initramfs: a static busybox and tests/vm/init, and what is
# in EXTRA (make test-distro's modules), nothing else. gen_init_cpio (built
# with the kernel) makes the device node without root.
# Usage: mkinitramfs.sh GEN_INIT_CPIO OUT [EXTRA]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
extra=${3:-}
{
cat <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /bin 0755 0 0
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /mnt 0755 0 0
file /bin/busybox /bin/busybox 0755 0 0
file /init $here/init 0755 0 0
LIST
[ -z "$extra" ] || (
	cd "$extra"
	find . -mindepth 1 -type d | sed 's|^\.\(.*\)|dir \1 0755 0 0|'
	find . -type f | sed "s|^\.\(.*\)|file \1 $PWD\1 0644 0 0|"
)
} > "$2.list"
"$1" "$2.list" > "$2.cpio"
gzip -9 < "$2.cpio" > "$2.tmp"
rm "$2.list" "$2.cpio"
mv "$2.tmp" "$2"
