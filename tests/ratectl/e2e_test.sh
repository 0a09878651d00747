#!/bin/sh
# ratectl against the real /sys/kernel/ratewin, inside the booted patched
# kernel: every command, as the kernel's ratewin selftests are written (one
# function per case, a cleanup after each, KTAP on stdout), with their
# lib.sh. The output of 'ratectl status' and 'ratectl watch' from the run
# is kept in $OUT.
# Usage: e2e_test.sh RATECTL SELFTESTS [TEST...]
#   SELFTESTS: the installed tools/testing/selftests/ratewin
RATECTL=$1 RATEWIN_DIR=$2
shift 2
SCRATCH=/tmp/ratectl-e2e
OUT=${RATECTL_E2E_OUT:-/tmp/job}
PATH=$(dirname "$RATECTL"):$PATH
. "$RATEWIN_DIR/../kselftest/ktap_helpers.sh"
. "$RATEWIN_DIR/lib.sh"

fail() { note "$*"; return 1; }
attr() { cat "$RW/$1"; }

# Start a 30-s sleep as nobody, its PID in $pid. Until setpriv has
# exec'd sleep the process is not dumpable and its /proc files are root's,
# so wait for them to be nobody's.
nobody_sleeper() {
	$NOBODY sleep 30 &
	pid=$!
	for i in $(seq 100); do
		[ "$(stat -c %u /proc/$pid/ratewin_class)" = 65534 ] && return 0
		sleep 0.05
	done
	fail "$pid never became nobody's: $(ls -ln /proc/$pid/ratewin_class 2>&1) $(cat /proc/$pid/comm 2>&1)"
}
expect_attr() { [ "$(attr "$1")" = "$2" ] || fail "$1 is $(attr "$1"), not $2"; }

# ratectl ARGS must exit STATUS with stderr matching PATTERN.
expect() {	# STATUS PATTERN ARGS...
	want=$1 pattern=$2
	shift 2
	ratectl "$@" > $SCRATCH/out 2> $SCRATCH/err
	got=$?
	[ $got = "$want" ] || fail "ratectl $*: exit $got, not $want: $(cat $SCRATCH/err)" || return 1
	[ -z "$pattern" ] || grep -q -- "$pattern" $SCRATCH/err ||
		fail "ratectl $*: said '$(cat $SCRATCH/err)', not '$pattern'"
}

cleanup() {
	ratewin_defaults
	rm -rf $SCRATCH
	mkdir -p $SCRATCH
}

# status: every class, and JSON that parses.
test_status() {
	expect 0 "" status || return 1
	[ "$(grep -c '^ *[1-8] *shared' $SCRATCH/out)" = 8 ] ||
		fail "status does not list 8 shared classes" || return 1
	expect 0 "" status --json || return 1
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["classes"]) == 8
assert d["settings"]["window_events"] == 100
assert d["hysteresis"][1]["high_bytes_per_sec"] == 1048576
' $SCRATCH/out || fail "status --json is wrong"
}

# set: values land in the kernel's units; bad ones change nothing.
test_set() {
	expect 0 "" set 1 --file 1M --net 10Mbit --mode always || return 1
	expect_attr class1/file_rate 1048576 || return 1
	expect_attr class1/net_rate 1250000 || return 1
	expect_attr class1/mode always || return 1
	expect 2 "unknown class" set 9 --file 1M || return 1
	expect 2 "invalid rate '5Q'" set 1 --file 2M --net 5Q || return 1
	expect_attr class1/file_rate 1048576
}

# hysteresis: both thresholds may move past the current pair, because
# ratectl writes them in the order the kernel accepts.
test_hysteresis() {
	expect 0 "" hysteresis file --high 2M --low 1M || return 1
	expect_attr file_thresh_high 2097152 || return 1
	expect_attr file_thresh_low 1048576 || return 1
	expect 0 "" hysteresis file --high 64M --low 32M || return 1
	expect_attr file_thresh_high 67108864 || return 1
	expect_attr file_thresh_low 33554432 || return 1
	expect 2 "must be below" hysteresis net --low 1M || return 1
	expect_attr net_thresh_low 524288
}

test_window() {
	expect 0 "" window --events 50 --time 2s --min-sleep 500us --max-sleep 50ms || return 1
	expect_attr window_events 50 || return 1
	expect_attr window_ms 2000 || return 1
	expect_attr min_sleep_us 500 || return 1
	expect_attr max_sleep_us 50000 || return 1
	expect 0 "" window --max-sleep 100us --min-sleep 0s || return 1
	expect_attr max_sleep_us 100 || return 1
	expect 2 "must be at most" window --min-sleep 1ms || return 1
	expect 2 "out of range" window --events 257
}

# run: the command and its children are members; exec failures are 126/127.
test_run() {
	class=$(ratectl run 3 -- sh -c 'cat /proc/self/ratewin_class') || return 1
	[ "$class" = 3 ] || fail "run 3: the command is in class $class" || return 1
	as_nobody ratectl run 4 sh -c 'exit 0' || fail "nobody cannot run in a class" || return 1
	expect 127 "cannot run" run 1 -- /nonexistent || return 1
	expect 126 "cannot run" run 1 -- / || return 1
	ratectl run 2 -- sh -c 'exit 7'
	[ $? = 7 ] || fail "run does not pass the command's status on"
}

# move and classof, as root and as nobody.
test_move() {
	nobody_sleeper || return 1
	status=1
	while :; do
		expect 0 "" move 2 $pid || break
		[ "$(ratectl classof $pid)" = 2 ] || fail "classof says $(ratectl classof $pid)" || break
		grep -qx $pid $RW/class2/members || fail "$pid is not in class2/members" || break
		if as_nobody ratectl move 3 $pid 2> $SCRATCH/err; then
			fail "nobody moved a process out of class 2"
			break
		fi
		grep -q "CAP_SYS_RESOURCE" $SCRATCH/err || fail "no word of CAP_SYS_RESOURCE: $(cat $SCRATCH/err)" || break
		expect 1 "nothing was moved" move 4 $pid 999999 || break
		[ "$(ratectl classof $pid)" = 2 ] || fail "a failed move moved $pid" || break
		expect 0 "" move 0 $pid || break
		ratectl classof $pid 1 > $SCRATCH/out || break
		grep -qx "$pid: 0" $SCRATCH/out || fail "classof: $(cat $SCRATCH/out)" || break
		expect 1 "no such process" classof 999999 || break
		status=0
		break
	done
	kill $pid
	wait $pid 2>/dev/null
	return $status
}

# Settings are root's: as nobody, every change is refused and says why.
# An unprivileged move that must fail part-way moves nothing: nobody may
# put its free process A in class 1 but not take B out of class 2, and
# ratectl tries the move out of a class first.
test_move_all_or_nothing() {
	nobody_sleeper || return 1
	a=$pid
	nobody_sleeper || return 1
	b=$pid
	ratectl move 2 $b
	as_nobody ratectl move 1 $a $b 2> $SCRATCH/err
	status=$?
	classes="$(ratectl classof $a) $(ratectl classof $b)"
	kill $a $b
	wait $a $b 2>/dev/null
	[ $status = 1 ] || fail "the move exited $status" || return 1
	grep -q "cannot move $b" $SCRATCH/err || fail "said: $(cat $SCRATCH/err)" || return 1
	[ "$classes" = "0 2" ] || fail "classes are now $classes, not 0 2"
}

test_permission() {
	if as_nobody ratectl set 1 --file 1M 2> $SCRATCH/err; then
		fail "nobody changed a setting"
		return 1
	fi
	grep -q "needs root" $SCRATCH/err || fail "said: $(cat $SCRATCH/err)" || return 1
	expect_attr class1/file_rate 0 || return 1
	as_nobody ratectl status > /dev/null || fail "nobody cannot read the status"
}

# save, apply: a round trip, and a bad file changes nothing.
test_apply_save() {
	expect 0 "" save $SCRATCH/defaults.conf || return 1
	expect 0 "" set 6 --file 3M --mode always || return 1
	expect 0 "" hysteresis net --high 4M --low 2M || return 1
	expect 0 "" save $SCRATCH/saved.conf || return 1
	expect 0 "" apply $SCRATCH/defaults.conf || return 1
	expect_attr class6/file_rate 0 || return 1
	expect_attr net_thresh_high 1048576 || return 1
	printf 'class1.file = 1M\nclass2.mode = sometimes\n' > $SCRATCH/bad.conf
	expect 1 "bad.conf:2: class2.mode: invalid mode 'sometimes'" apply $SCRATCH/bad.conf || return 1
	expect_attr class1/file_rate 0 || return 1
	expect 0 "" apply $SCRATCH/saved.conf || return 1
	expect_attr class6/file_rate 3145728 || return 1
	expect_attr net_thresh_low 2097152 || return 1
	ratectl save > $SCRATCH/again.conf || return 1
	cmp -s $SCRATCH/saved.conf $SCRATCH/again.conf || fail "save after apply differs"
}

# watch reports the rate of a job that run put in a class.
test_watch() {
	expect 0 "" set 1 --file 1M --mode always || return 1
	ratectl run 1 -- dd if=/dev/zero of=$SCRATCH/big bs=64k count=100000 2>/dev/null &
	pid=$!
	sleep 1
	ratectl watch --json --count 3 > $SCRATCH/watch.json
	status=$?
	ratectl status > "$OUT/ratectl-status.txt"
	ratectl watch --count 2 > "$OUT/ratectl-watch.txt"
	cp $SCRATCH/watch.json "$OUT/ratectl-watch.json"
	kill $pid
	wait $pid 2>/dev/null
	[ $status = 0 ] || return 1
	python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, len(lines)
for l in lines:
    o = json.loads(l)
    c = [c for c in o["classes"] if c["class"] == 1][0]
    r = c["file_interval_bytes_per_sec"]
    print("# class 1 file rate %d B/s, sleeps %d" % (r, c["file_interval_sleeps"]))
    assert 0 < r < 1.5 * 1048576, r
    assert c["members"] == 1
' $SCRATCH/watch.json
}

# members: nobody's sleeper by PID, user and command; and a class of more
# processes than the kernel's one-page classN/members holds (it says EFBIG),
# every one of them listed and counted.
test_members() {
	nobody_sleeper || return 1
	a=$pid
	ratectl move 3 $a
	ratectl members --json 3 > $SCRATCH/out
	status=$?
	kill $a
	wait $a 2>/dev/null
	[ $status = 0 ] || fail "members exited $status" || return 1
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["members_complete"] is True, d
assert d["members"] == [{"pid": int(sys.argv[2]), "user": "nobody", "command": "sleep",
                         "class": 3}], d
' $SCRATCH/out $a || fail "members --json: $(cat $SCRATCH/out)" || return 1
	# Forks until the class's PIDs, a line each, are more than a page;
	# the children wait on a pipe for their parent to die. Their count goes
	# to ready.
	ratectl run 4 python3 -c '
import gc, os, sys
r, w = os.pipe()
gc.freeze()
size, n = len(f"{os.getpid()}\n"), 1
while size <= os.sysconf("SC_PAGE_SIZE"):
    pid = os.fork()
    if not pid:
        os.close(w)
        os.read(r, 1)
        os._exit(0)
    size, n = size + len(f"{pid}\n"), n + 1
with open(sys.argv[1] + ".new", "w") as f:
    f.write(f"{n}\n")
os.rename(sys.argv[1] + ".new", sys.argv[1])
os.read(r, 1)
' $SCRATCH/ready &
	pid=$!
	for i in $(seq 1200); do [ -e $SCRATCH/ready ] && break; sleep 0.1; done
	cat $RW/class4/members > /dev/null 2> $SCRATCH/err
	efbig=$?
	listed=$(ratectl members -n -o PID 4 | wc -l)
	counted=$(ratectl status -n -o MEMBERS 4 | tr -d ' ')
	kill -KILL $pid
	wait $pid 2>/dev/null
	[ -e $SCRATCH/ready ] || fail "the class's $listed processes were not all forked in 120 s" ||
		return 1
	forked=$(cat $SCRATCH/ready)
	note "$forked members: classN/members: $(cat $SCRATCH/err); members lists $listed, status counts $counted"
	[ $efbig != 0 ] && grep -q "File too large" $SCRATCH/err ||
		fail "class4/members did not fail with EFBIG" || return 1
	[ "$listed" = "$forked" ] && [ "$counted" = "$forked" ] || fail "not every member was listed"
}

# run with limits: a one-off class for one command, freed after it. The
# command records its class, the class's settings, how long 3 MiB of
# writes took (unheld, a few ms) and how often it slept.
test_run_limited() {
	ratectl run --file 1M -- sh -c "cat /proc/self/ratewin_class $RW/class8/file_rate \
			$RW/class8/mode > $SCRATCH/held
		start=\$(date +%s.%N)
		dd if=/dev/zero of=$SCRATCH/f bs=64k count=48 2>/dev/null
		echo \"\$(date +%s.%N) - \$start\" | bc > $SCRATCH/took
		cat $RW/class8/file_sleeps >> $SCRATCH/held
		exit 7"
	status=$?
	took=$(cat $SCRATCH/took)
	note "3 MiB of writes under run --file 1M: $took s, exit $status"
	[ $status = 7 ] || fail "run exited $status, not the command's 7" || return 1
	set -- $(cat $SCRATCH/held)
	[ "$1 $2 $3" = "8 1048576 always" ] && [ "$4" -gt 0 ] ||
		fail "the command ran as: $(cat $SCRATCH/held)" || return 1
	[ "$(echo "$took >= 2 && $took < 30" | bc)" = 1 ] || fail "not held to 1 MiB/s" || return 1
	expect_attr class8/file_rate 0 || return 1
	expect_attr class8/mode shared || return 1
	for c in 1 2 3 4 5 6 7 8; do ratectl set $c --net 1M || return 1; done
	expect 125 "no free class" run --file 1M -- true
}

# An attribute this kernel lacks (as an older kernel would): its cell is
# empty, one warning says which, and status still succeeds. The tree is
# the kernel's own, through links, with throttled_file left out.
test_missing_attribute() {
	mkdir -p $SCRATCH/old
	for f in $RW/*; do
		[ "${f##*/}" = throttled_file ] || ln -s $f $SCRATCH/old/
	done
	expect 0 "throttled_file: no such attribute" --sysfs-root $SCRATCH/old status --json ||
		return 1
	[ "$(grep -c throttled_file $SCRATCH/err)" = 1 ] || fail "warned: $(cat $SCRATCH/err)" ||
		return 1
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
io = {h["io"]: h for h in d["hysteresis"]}
assert io["file"]["throttled"] is None and io["net"]["throttled"] is False, io
' $SCRATCH/out || fail "status --json: $(cat $SCRATCH/out)"
}

test_no_kernel() {
	expect 1 "ratewin is not available: this kernel has no /nonexistent" \
		--sysfs-root /nonexistent status
}

ALL="status set hysteresis window run move move_all_or_nothing permission apply_save
	watch members run_limited missing_attribute no_kernel"
ratewin_run ratectl_ ${*:-$ALL}
