#!/bin/sh
# make check: the series bisects. Each patch, applied in turn with those
# before it to a copy of the pristine tree, builds the test kernel's
# configuration and boots it under QEMU: the guest must reach its shell
# and say which of /sys/kernel/ratewin and /proc/self/ratewin_class it has.
# Each patch's kernel is built in a directory of its own, so that going
# from one to the next never leaves an object built from another's headers;
# ccache makes all but the first run quick.
# Usage: check-series.sh PRISTINE PATCHDIR CACHE INITRAMFS
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pristine=$1
patches=$(cd "$2" && pwd)
dir=$3/check
initramfs=$4
mkdir -p "$dir"

k=0
for patch in $(cat "$patches/series"); do
	k=$((k + 1))
	tree=$dir/tree
	echo "check-series: $k $patch"
	rm -rf "$tree"
	cp -al "$pristine" "$tree"
	head -n "$k" "$patches/series" | while read -r p; do
		patch -s -p1 -d "$tree" --no-backup-if-mismatch < "$patches/$p"
	done
	"$top/scripts/build-kernel.sh" "$tree" "$dir/build-$k" "$top/kernel/configs/test.config"
	"$top/tests/vm/boot.sh" "$dir/build-$k/arch/x86/boot/bzImage" "$initramfs" \
		"$dir/boot-$k" "$top/tests/vm/smoke.sh" > "$dir/boot-$k.log" 2>&1 || {
		echo "check-series: $patch: the kernel does not boot (see $dir/boot-$k)" >&2
		exit 1
	}
	grep '^smoke:' "$dir/boot-$k/console.log" | tr -d '\r'
done
echo "check-series: each of the $k patches builds and boots"
