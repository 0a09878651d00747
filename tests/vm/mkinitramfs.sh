#!/bin/sh
# Build the test initramfs: a static busybox and tests/vm/init, nothing else.
# gen_init_cpio (built with the kernel) makes the device node without root.
# Usage: mkinitramfs.sh GEN_INIT_CPIO OUT
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$1" - <<LIST | gzip -9 > "$2.tmp"
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /bin 0755 0 0
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /mnt 0755 0 0
file /bin/busybox /bin/busybox 0755 0 0
file /init $here/init 0755 0 0
LIST
mv "$2.tmp" "$2"
