#!/bin/sh
# Escape attempts, in the booted patched kernel: an unprivileged process
# in class 3 tries every way out of it. Each attempt must fail; the ways
# ratewin does not cover are reported as skips, with what was measured,
# and are documented in Documentation/admin-guide/ratewin.rst. kselftest
# style: one function per case returning 0 (pass), 1 (fail) or 4 (skip).
# Usage: escape_test.sh [TEST...]    (default: all)
HERE=$(cd "$(dirname "$0")" && pwd)
SCRATCH=/tmp/escape

note() { echo "# $*"; }

# Run shell code as nobody, as a member of class 3 (joining needs no
# privilege); exit 90 means it could not even join.
as_member() {
	$NOBODY sh -c "echo 3 > /proc/self/ratewin_class || exit 90; $1"
	status=$?
	[ $status = 0 ] || note "exit $status"
	return $status
}

. "$HERE/../lib/ratewin.sh"

cleanup() {
	ratewin_defaults
	rm -rf $SCRATCH
	mkdir -p $SCRATCH
	chmod 1777 $SCRATCH
}

# Writing another class, or 0, to its own file.
test_write_other_class() {
	as_member '
		echo 4 > /proc/self/ratewin_class 2>/dev/null && exit 1
		echo 0 > /proc/self/ratewin_class 2>/dev/null && exit 2
		[ "$(cat /proc/self/ratewin_class)" = 3 ] || exit 3'
}

# Its parent's file: the parent is a member too, and nobody cannot move it.
test_write_parent_class() {
	as_member 'sh -c "echo 0 > /proc/$$/ratewin_class" 2>/dev/null && exit 1
		[ "$(cat /proc/self/ratewin_class)" = 3 ]'
}

test_fork_inherits() {
	as_member '[ "$(sh -c "cat /proc/self/ratewin_class")" = 3 ]'
}

test_threads_inherit() {
	as_member 'python3 -c "
import threading
seen = []
t = threading.Thread(target=lambda: seen.append(open(\"/proc/thread-self/ratewin_class\").read().strip()))
t.start()
t.join()
assert seen == [\"3\"], seen
"'
}

# glibc's posix_spawn() is clone(CLONE_VM | CLONE_VFORK).
test_vfork_inherits() {
	as_member 'python3 -c "
import os
r, w = os.pipe()
pid = os.posix_spawn(\"/bin/cat\", [\"cat\", \"/proc/self/ratewin_class\"], os.environ,
                     file_actions=[(os.POSIX_SPAWN_DUP2, w, 1)])
os.waitpid(pid, 0)
os.close(w)
got = os.read(r, 16).strip()
assert got == b\"3\", got
"'
}

# A setuid-root program runs as root but stays in its caller's class.
test_setuid_exec_keeps_class() {
	cp /bin/cat $SCRATCH/cat-suid && chmod 4755 $SCRATCH/cat-suid || return 1
	as_member "
		out=\$($SCRATCH/cat-suid /proc/self/ratewin_class /proc/self/status)
		echo \"\$out\" | head -n 1 | grep -qx 3 || exit 1
		echo \"\$out\" | grep -q '^Uid:.*[[:space:]]0[[:space:]]' || exit 4"
	status=$?
	[ $status = 4 ] && note "the setuid bit did not take effect here"
	return $status
}

# Root of a new user namespace has CAP_SYS_RESOURCE only inside it.
test_user_namespace_cannot_leave() {
	as_member '
		unshare -U -r sh -c "echo 0 > /proc/self/ratewin_class" 2>/dev/null && exit 1
		unshare -U -r sh -c "echo 5 > /proc/self/ratewin_class" 2>/dev/null && exit 2
		[ "$(unshare -U -r cat /proc/self/ratewin_class)" = 3 ]'
}

# What a member writes through a fio ENGINE under a 1 MB/s limit, in B/s
# over 3 s after a 1-s ramp, 16 KiB at a time, four in flight (those in
# flight as the ramp ends count in full: 2 %).
fio_member_rate() {	# ENGINE
	echo 1000000 > $RW/class3/file_rate
	echo always > $RW/class3/mode
	rate=$(as_member "fio --name=gap --filename=$SCRATCH/f --size=16M --bs=16k --rw=write \
		--ioengine=$1 --iodepth=4 --time_based --ramp_time=1 --runtime=3 \
		--clocksource=clock_gettime --output-format=json 2>/dev/null" |
		python3 -c "import json, sys; print(json.load(sys.stdin)['jobs'][0]['write']['bw_bytes'])")
	echo "${rate:-0}"
}

# io_uring and Linux AIO do not pass through read(2) and write(2): a
# member still gets its limit, within 10 %.
engine_held() {	# ENGINE
	rate=$(fio_member_rate "$1")
	note "$1 write by a member of a class held to 1000000 B/s: $rate B/s"
	[ "$rate" -ge 900000 ] && [ "$rate" -le 1100000 ]
}

test_io_uring_held() {
	engine_held io_uring
}

test_aio_held() {
	engine_held libaio
}

test_ptrace_gap() {
	note "a member that can ptrace an unconstrained process can make it do I/O;"
	note "classes hold processes, not users (admin guide: Joining a class)"
	return 4
}

ALL="write_other_class write_parent_class fork_inherits threads_inherit vfork_inherits
	setuid_exec_keeps_class user_namespace_cannot_leave io_uring_held aio_held ptrace_gap"
. "$HERE/../lib/ksft.sh"
ksft_run escape_ ${*:-$ALL}
