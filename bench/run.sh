#!/bin/sh
# make bench: run the benchmark's parts in the patched benchmark kernel and
# the reference ones (overhead, scaling) in the vanilla 6.12 build of the
# same configuration, then turn the results into JSON and PNG files in
# CACHE/bench/results (bench/report.py). make bench-snapshot copies the
# tables and plots into bench/results/, which bench/README.md shows.
#
# Costs (overhead) are counted in a boot under QEMU's -icount shift=0,
# where a guest nanosecond is one guest instruction: deterministic, where
# real time under TCG on a shared machine drifts by more than the effects
# measured. Host protection runs in two boots of its own (bench/guest.py
# says why): files in real time on a disk QEMU holds to 192 MiB/s, the
# network counted. Everything else runs in real time.
#
# $BENCH_SECONDS (30) is each accuracy run's measured interval,
# $BENCH_ROUNDS (15) the overhead benchmark's rounds and $BENCH_WORKLOADS
# (all) the accuracy workloads to run, separated by commas.
# Usage: run.sh CACHE PRISTINE BENCH_BZIMAGE VANILLA_BZIMAGE [PART...]
set -eu
cd "$(dirname "$0")/.."
cache=$1 pristine=$2 patched=$3 vanilla=$4
shift 4
parts=${*:-overhead scaling accuracy reaction paper}
dir=$cache/bench
settings="${BENCH_SECONDS:-30} ${BENCH_ROUNDS:-15}"
disk_bps=$((192 << 20))	# the disk of the host-protection file rows

# A fresh ext4 disk each run, so that no run inherits another's layout. Its
# image is in RAM where 10 GiB are available (its 4, the guest's 2 and room
# to spare) and /dev/shm has 5 GiB free, so that the writeback of this
# machine's own disk does not add its noise to the times measured in the
# guest.
disk=$dir/disk.img
rm -f "$disk"
if [ -d /dev/shm ] &&
	[ "$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)" -ge 10 ] &&
	[ "$(df -Pk /dev/shm | awk 'NR == 2 { print int($4 / 1048576) }')" -ge 5 ]; then
	disk=$(mktemp -p /dev/shm ratewin-bench-disk.XXXXXX)
	trap 'rm -f "$disk"' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
fi
truncate -s 4G "$disk"
mkfs.ext4 -q -F "$disk"
echo "bench: the guest's disk image is $disk"
rm -rf "$dir/out"
mkdir -p "$dir/out/patched" "$dir/out/vanilla"

# Boots KIND's kernel and runs PARTs in it: in real time, counted (one
# instruction a nanosecond), counted with an idle vCPU's wait ending at its
# next timer (sleep=off; one instruction each 2 ns), or in real time on a
# disk of $disk_bps bytes a second, which the guest reads off its command
# line.
boot() {	# KIND BZIMAGE real|counted|counted-nosleep|slow-disk PART...
	kind=$1 kernel=$2 clock=$3
	shift 3
	[ $# -gt 0 ] || return 0
	qemu= cmdline= drive="--disk $disk"
	case $clock in
	counted) qemu="-icount shift=0" ;;
	counted-nosleep) qemu="-icount shift=1,sleep=off" ;;
	slow-disk)	# -drive's own options: a comma in a path is doubled
		qemu="-drive file=$(printf %s "$disk" | sed 's/,/,,/g'),format=raw,if=virtio"
		qemu="$qemu,throttling.bps-total=$disk_bps"
		cmdline="ratewin_bench_disk_bps=$disk_bps" drive= ;;
	esac
	RATEWIN_QEMU_OPTS=$qemu RATEWIN_VM_CMDLINE=$cmdline \
		RATEWIN_VM_TIMEOUT=${RATEWIN_VM_TIMEOUT:-10800} \
		tests/vm/boot.sh --share "$PWD" --share "$dir/bin" --share "$pristine" \
		$drive "$kernel" "$dir/initramfs.cpio.gz" \
		"$dir/$kind-$clock" bench/guest.sh "$PWD" "$dir/bin" "$pristine" \
		"$kind" $settings "${BENCH_WORKLOADS:-}" "$@"
	cp "$dir/$kind-$clock"/*.json "$dir/out/$kind/"
}

only() {	# PART... : those of $parts among them
	for p in $parts; do
		case " $* " in *" $p "*) printf '%s ' "$p" ;; esac
	done
}

# The commit the run measures: the checkout may move on while it runs.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit=$commit+changes
start=$(date +%s)
boot patched "$patched" counted $(only overhead)
boot patched "$patched" real $(only scaling accuracy paper)
[ -z "$(only reaction)" ] || {
	boot patched "$patched" slow-disk reaction_file
	boot patched "$patched" counted-nosleep reaction_net
}
boot vanilla "$vanilla" counted $(only overhead)
boot vanilla "$vanilla" real $(only scaling)
seconds=$(( $(date +%s) - start ))

command="make bench BENCH_SECONDS=${BENCH_SECONDS:-30} BENCH_ROUNDS=${BENCH_ROUNDS:-15}"
[ $# = 0 ] || command="$command BENCH_PARTS='$*'"
[ -z "${BENCH_WORKLOADS:-}" ] || command="$command BENCH_WORKLOADS='$BENCH_WORKLOADS'"
mkdir -p "$dir/results"
python3 bench/report.py --command "$command" --seconds "$seconds" --commit "$commit" \
	"$dir/out/patched" "$dir/out/vanilla" "$dir/results"
echo "bench: results in $dir/results; make bench-snapshot copies them to bench/results/"
