#!/bin/sh
# Make DIR a tree of plain files shaped like /sys/kernel/ratewin with the
# kernel's defaults (Documentation/ABI/testing/sysfs-kernel-ratewin), and
# DIR.proc a /proc holding "self" and PID 4242 (a sleep of root's): each
# with ratewin_class, comm and status, and its thread's
# task/PID/ratewin_class a link to the process's, as a move writes both.
# Usage: fake-sysfs.sh DIR
set -eu
root=$1
rm -rf "$root" "$root.proc"
mkdir -p "$root"
put() { printf '%s\n' "$2" > "$root/$1"; }

put enabled 1
put window_events 100
put window_ms 5000
put min_sleep_us 1000
put max_sleep_us 100000
put file_thresh_high 8388608
put file_thresh_low 4194304
put net_thresh_high 1048576
put net_thresh_low 524288
for io in file net; do
	put throttled_$io 0
	put unconstrained_${io}_rate 0
done
for c in 1 2 3 4 5 6 7 8; do
	mkdir "$root/class$c"
	put class$c/mode shared
	: > "$root/class$c/members"
	for io in file net; do
		for attr in rate window_rate bytes events sleeps sleep_ns; do
			put class$c/${io}_$attr 0
		done
	done
done
proc=$root.proc
for pid in self 4242; do
	mkdir -p "$proc/$pid/task/$pid"
	printf '0\n' > "$proc/$pid/ratewin_class"
	printf 'sleep\n' > "$proc/$pid/comm"
	printf 'Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\n' \
		> "$proc/$pid/status"
	ln -s ../../ratewin_class "$proc/$pid/task/$pid/ratewin_class"
done
