#!/bin/sh
# make check: the series bisects. Each patch, applied in turn with those
# before it to a copy of the pristine tree, builds the test kernel's
# configuration and boots it under QEMU with a clean dmesg; the kernel of
# the whole series has /sys/kernel/ratewin and /proc/<pid>/ratewin_class.
# Then the whole series builds with CONFIG_RATEWIN off.
# Each patch's kernel is built in a directory of its own, made afresh when
# the patches up to it change (a file back to its pristine content keeps
# its old time stamp, which make would not see); ccache makes that cheap.
# Usage: check-series.sh PRISTINE PATCHDIR CACHE INITRAMFS
# (CC and JOBS in the environment, as scripts/build-kernel.sh wants them)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pristine=$1
patches=$(cd "$2" && pwd)
dir=$3/check
initramfs=$4
config=$top/kernel/configs/test.config
mkdir -p "$dir"

# A copy of PRISTINE with the first N patches, in $dir/tree.
tree_of() {	# N
	rm -rf "$dir/tree"
	cp -al "$pristine" "$dir/tree"
	head -n "$1" "$patches/series" | while read -r p; do
		patch -s -p1 -d "$dir/tree" --no-backup-if-mismatch < "$patches/$p"
	done
}

# What the first N patches hold: a build made from others is made afresh.
stamp_of() {	# N
	head -n "$1" "$patches/series" | sed "s#^#$patches/#" | xargs cat | sha256sum
}

# Build $dir/tree into $dir/NAME with FRAGMENTs, afresh if STAMP changed.
build() {	# NAME STAMP FRAGMENT...
	name=$1 stamp=$2
	shift 2
	if [ "$(cat "$dir/$name.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "${dir:?}/$name" "$dir/$name.config"
	fi
	"$top/scripts/build-kernel.sh" "$dir/tree" "$dir/$name" "$@"
	echo "$stamp" > "$dir/$name.stamp"
}

n=$(wc -l < "$patches/series")
k=0
while [ $k -lt $n ]; do
	k=$((k + 1))
	patch=$(sed -n "${k}p" "$patches/series")
	echo "check-series: $k/$n $patch"
	tree_of $k
	build "build-$k" "$(stamp_of $k)" "$config"
	job=$dir/boot-$k
	if ! "$top/tests/vm/boot.sh" --share "$top" "$dir/build-$k/arch/x86/boot/bzImage" \
		"$initramfs" "$job" "$top/tests/vm/smoke.sh" > "$job.log" 2>&1; then
		echo "check-series: $patch: its kernel did not reach the shell ($job.log)" >&2
		exit 1
	fi
	"$top/tests/vm/check-dmesg.sh" "$job/dmesg" ||
		{ echo "check-series: $patch: its kernel's dmesg has reports" >&2; exit 1; }
	grep -ao 'smoke: .*' "$job/console.log" | tr -d '\r'
done
for f in /sys/kernel/ratewin /proc/self/ratewin_class; do
	grep -aq "smoke: $f present" "$dir/boot-$n/console.log" ||
		{ echo "check-series: the whole series' kernel has no $f" >&2; exit 1; }
done

echo "check-series: the whole series with CONFIG_RATEWIN off"
printf '# CONFIG_RATEWIN is not set\n' > "$dir/no-ratewin.config"
build build-off "$(stamp_of $n)" "$config" "$dir/no-ratewin.config"
echo "check-series: each of the $n patches builds and boots, and the series builds without ratewin"
