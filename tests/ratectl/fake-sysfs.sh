#!/bin/sh
# Make DIR a tree of plain files shaped like /sys/kernel/ratewin with the
# kernel's defaults, as its ABI document gives them (abi.sh), and DIR.proc
# a /proc holding "self" and PID 4242 (a sleep of root's): each with
# ratewin_class, comm and status, and its thread's task/PID/ratewin_class a
# link to the process's, as a move writes both.
# Usage: fake-sysfs.sh DIR
set -eu
root=$1
. "$(dirname "$0")/abi.sh"
rm -rf "$root" "$root.proc"
mkdir -p "$root"
put() { printf '%s\n' "$2" > "$root/$1"; }

for c in 1 2 3 4 5 6 7 8; do
	mkdir "$root/class$c"
done
# lib.sh writes the defaults where $RW says, into each class directory there
RW=$root
ratewin_documented_defaults | ratewin_write_defaults
for io in file net; do
	put throttled_$io 0
	put unconstrained_${io}_rate 0
done
for c in 1 2 3 4 5 6 7 8; do
	: > "$root/class$c/members"
	for io in file net; do
		for attr in window_rate bytes events sleeps sleep_ns; do
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
