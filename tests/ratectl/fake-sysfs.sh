#!/bin/sh
# Make DIR a tree of plain files shaped like /sys/kernel/ratewin with the
# kernel's defaults (Documentation/ABI/testing/sysfs-kernel-ratewin), and
# DIR.proc a /proc holding ratewin_class for "self" and PID 4242.
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
for pid in self 4242; do
	mkdir -p "$root.proc/$pid"
	put ../"$(basename "$root").proc/$pid/ratewin_class" 0
done
