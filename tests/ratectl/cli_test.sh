#!/bin/sh
# ratectl's command line against a tree of plain files shaped like
# /sys/kernel/ratewin: exit statuses, error messages, all-or-nothing
# changes, save/apply round trips. Plain TAP on stdout, ending with
# "N passed, N failed".
# Usage: cli_test.sh RATECTL
set -u
RATECTL=$1
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAKE=$WORK/sys
export RATECTL_SYSFS_ROOT=$FAKE RATECTL_PROC_ROOT=$FAKE.proc
TAP_DETAILS="$WORK/err $WORK/out"
. "$HERE/../lib/tap.sh"

fresh() { "$HERE/fake-sysfs.sh" "$FAKE"; }

# run STATUS [PATTERN] -- ARGS...: ratectl ARGS exits STATUS and, when a
# pattern is given, its stderr has a line matching it.
run() {
	want=$1 pattern=
	shift
	[ "$1" = -- ] || { pattern=$1; shift; }
	shift
	"$RATECTL" "$@" > "$WORK/out" 2> "$WORK/err"
	got=$?
	ok=1
	if [ $got = "$want" ] && { [ -z "$pattern" ] || grep -q -- "$pattern" "$WORK/err"; }; then
		ok=0
	fi
	result $ok "ratectl $* exits $want${pattern:+ saying '$pattern'}"
}

# Snapshot of every attribute, to prove that a refused command wrote nothing.
snapshot() { (cd "$FAKE" && grep -r . . | sort) > "$WORK/$1"; }
unchanged() { snapshot after; cmp -s "$WORK/before" "$WORK/after"; result $? "$1"; }
attr_is() { [ "$(cat "$FAKE/$1")" = "$2" ]; result $? "$1 is $2"; }

fresh

# Help, version and usage errors: exit 2, one line naming the problem.
run 0 -- --help
run 0 -- --version
for cmd in status watch set hysteresis window run move classof apply save; do
	run 0 -- $cmd --help
done
run 2 "no command given" --
run 2 "unknown command 'stat'" -- stat
run 2 "unknown or ambiguous option '--frob'" -- status --frob
run 2 "option '--time' needs an argument" -- window --time
run 2 "unexpected argument 'extra'" -- status extra
run 2 "unknown or ambiguous option '--json=x'" -- status --json=x
run 2 "unknown or ambiguous option '--m'" -- window --m 1ms

# Bad values: named, explained, and nothing written.
snapshot before
run 2 "'9': unknown class (classes are 1 to 8)" -- set 9 --file 1M
run 2 "'class0': unknown class" -- set class0 --file 1M
run 2 "no class given" -- set
run 2 "nothing to change" -- set 1
run 2 "\-\-file: invalid rate '10Q': unknown unit" -- set 1 --file 10Q
run 2 "\-\-file: invalid rate '-1M': must not be negative" -- set 1 --file -1M
run 2 "\-\-net: invalid rate '99999999999999999999': too large" -- set 1 --net 99999999999999999999
run 2 "\-\-net: invalid rate '1bit': rounds down to zero" -- set 1 --net 1bit
run 2 "\-\-mode: invalid mode 'fast'" -- set 1 --file 1M --mode fast
run 2 "\-\-file is given twice" -- set 1 --file 1M --file 2M
run 2 "unknown kind of I/O" -- hysteresis disk --high 1M
run 2 "\-\-low 9M must be below file.high (now 8M)" -- hysteresis file --low 9M
run 2 "\-\-low 2M must be below \-\-high 1M" -- hysteresis net --high 1M --low 2M
run 2 "\-\-low 1M must be below \-\-high 1M" -- hysteresis net --high 1M --low 1M
run 2 "\-\-time: invalid duration '1500us': not a whole number of milliseconds" -- window --time 1500us
run 2 "\-\-time: invalid duration '5000': needs a unit" -- window --time 5000
run 2 "\-\-time: invalid duration '2m': unknown unit" -- window --time 2m
run 2 "\-\-min-sleep: invalid duration '1000.5ns': not a whole number of nanoseconds" -- window --min-sleep 1000.5ns
run 2 "\-\-events: invalid count '0': out of range (1 to 256)" -- window --events 0
run 2 "\-\-events: invalid count '1000': out of range" -- window --events 1000
run 2 "\-\-max-sleep: invalid duration '11s': out of range" -- window --max-sleep 11s
run 2 "\-\-min-sleep 200ms must be at most \-\-max-sleep 100ms" -- window --min-sleep 200ms --max-sleep 100ms
run 2 "\-\-min-sleep 200ms must be at most window.max-sleep (now 100ms)" -- window --min-sleep 200ms
run 2 "\-\-interval: invalid value '0s': must be above zero" -- watch --interval 0s
run 2 "\-\-count: invalid value '-1'" -- watch --count -1
run 2 "'abc': not a process ID" -- move 1 abc
run 2 "'0': not a process ID" -- classof 0
run 2 "no command given" -- run 1
run 2 "no file given" -- apply
unchanged "refused commands wrote nothing"

# Good values land in the kernel's units.
run 0 -- set 1 --file 2M --net 10Mbit --mode always
attr_is class1/file_rate 2097152
attr_is class1/net_rate 1250000
attr_is class1/mode always
run 0 -- set class2 --file 500kB
attr_is class2/file_rate 500000
run 0 -- set 1 --file unlimited
attr_is class1/file_rate 0
run 0 -- hysteresis file --high 2M --low 1M
attr_is file_thresh_high 2097152
attr_is file_thresh_low 1048576
run 0 -- window --events 50 --time 2s --min-sleep 500us --max-sleep 50ms
attr_is window_events 50
attr_is window_ms 2000
attr_is min_sleep_us 500
attr_is max_sleep_us 50000

# A write that fails half-way is undone: class1/net_rate cannot be
# written (a read-only sysctl stands in its place, which even root may
# not write), so file_rate, written first, is put back.
fresh
ln -sf /proc/sys/kernel/ngroups_max "$FAKE/class1/net_rate"
snapshot before
run 1 "cannot set class1.net.*permission denied" -- set 1 --file 3M --net 3M
unchanged "a failed write undoes the writes before it"
fresh

# Missing kernel support and --sysfs-root.
run 1 "ratewin is not available: this kernel has no $WORK/none" -- --sysfs-root "$WORK/none" status
RATECTL_SYSFS_ROOT=$WORK/none "$RATECTL" --sysfs-root "$FAKE" set 3 --file 1K 2> "$WORK/err"
result $? "--sysfs-root overrides RATECTL_SYSFS_ROOT"
attr_is class3/file_rate 1024

# Output that cannot be written is a failure.
"$RATECTL" status > /dev/full 2> "$WORK/err"
[ $? = 1 ] && grep -q "write error" "$WORK/err"
result $? "status > /dev/full exits 1 with a write error"

# status: tables, and JSON that parses with units in its keys.
fresh
run 0 -- set 4 --file 1M --mode always
echo 4242 > "$FAKE/class4/members"
run 0 -- status
grep -q '^ *4 *always *1 *1M' "$WORK/out"
result $? "status shows class 4's mode, member and limit"
run 0 -- status --json
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["classes"][3]
assert d["settings"][0]["window_time_ms"] == 5000 and d["settings"][0]["enabled"] is True
assert d["hysteresis"][0]["throttled"] is False
assert c["class"] == 4 and c["mode"] == "always" and c["members"] == 1
assert c["file_limit_bytes_per_sec"] == 1048576
' "$WORK/out"
result $? "status --json is one document with raw numbers and unit-suffixed keys"
run 0 -- status --bytes
grep -q '^ *4 *always *1 *1M *0 *0' "$WORK/out"
result $? "status --bytes prints raw byte counts"

# watch: one JSON object a line, rates over the interval.
( sleep 0.25; echo 1048576 > "$FAKE/class4/file_bytes" ) &
run 0 -- watch --interval 200ms --count 3 --json
wait
python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, lines
objs = [json.loads(l) for l in lines]
assert all("timestamp" in o and o["classes"][0]["class"] == 4 for o in objs)
assert any(o["classes"][0]["file_rate_bytes_per_sec"] > 0 for o in objs)
' "$WORK/out"
result $? "watch --json --count 3 prints 3 lines, one with class 4's rate"
run 0 -- watch --interval 10ms --count 2
[ "$(grep -c '^ *TIME' "$WORK/out")" = 2 ]
result $? "watch prints a table per interval"

# save and apply: a round trip, and a bad file changes nothing.
fresh
run 0 -- set 5 --file 3M --net 100Mbit --mode always
run 0 -- window --time 2500ms
run 0 -- save "$WORK/saved.conf"
grep -q '^class5.net = 12500kB$' "$WORK/saved.conf"
result $? "save writes class5.net in units apply reads"
chmod 600 "$WORK/saved.conf"
run 0 -- save "$WORK/saved.conf"
[ "$(stat -c %a "$WORK/saved.conf")" = 600 ] && [ -z "$(ls "$WORK" | grep 'saved.conf.')" ]
result $? "save keeps the file's mode and leaves no temporary file"
fresh
snapshot before
run 0 -- apply "$WORK/saved.conf"
attr_is class5/file_rate 3145728
attr_is class5/mode always
attr_is window_ms 2500
run 0 -- save "$WORK/again.conf"
cmp -s "$WORK/saved.conf" "$WORK/again.conf"
result $? "save after apply gives the same file"
fresh
snapshot before
printf 'class1.file = 1M\nclass2.file = 10Q\nbogus = 1\nclass3.mode = always\n' > "$WORK/bad.conf"
run 1 "bad.conf:2: class2.file: invalid rate '10Q'" -- apply "$WORK/bad.conf"
grep -q "bad.conf:3: unknown setting 'bogus'" "$WORK/err"
result $? "apply names every bad line"
unchanged "a bad file changes nothing"
printf 'file.low = 16M\n' > "$WORK/order.conf"
run 1 "file.low (16M) must be below file.high (now 8M)\|order.conf:1: file.low 16M must be below file.high (now 8M)" -- apply "$WORK/order.conf"
unchanged "apply refuses low at or above high"
printf 'file.high = 64M\nfile.low = 32M\nnet.low = 1K\nnet.high = 2K\n' > "$WORK/thresh.conf"
run 0 -- apply "$WORK/thresh.conf"
attr_is file_thresh_low 33554432
attr_is net_thresh_high 2048
run 1 "cannot open" -- apply "$WORK/missing.conf"
printf 'class1.file = 7M\n' | "$RATECTL" apply - 2> "$WORK/err"
result $? "apply - reads standard input"
attr_is class1/file_rate 7340032

# Membership through <proc>/PID/ratewin_class.
fresh
run 0 -- move 3 4242
attr_is ../sys.proc/4242/ratewin_class 3
run 0 -- classof 4242
[ "$(cat "$WORK/out")" = 3 ]
result $? "classof one PID prints its class"
run 1 "cannot move 4343: no such process" -- move 2 4242 4343
attr_is ../sys.proc/4242/ratewin_class 3
run 0 -- move class0 4242
attr_is ../sys.proc/4242/ratewin_class 0
run 2 "'9': unknown class (classes are 0 to 8)" -- move 9 4242
run 1 "4343: no such process" -- classof 4242 4343
grep -q '^4242: 0$' "$WORK/out"
result $? "classof several PIDs prints PID: CLASS"
run 0 -- run 2 -- true
attr_is ../sys.proc/self/ratewin_class 2
run 0 -- run 1 sh -c 'exit 0'
run 127 "cannot run /nonexistent" -- run 1 -- /nonexistent
run 126 "cannot run $FAKE/enabled" -- run 1 "$FAKE/enabled"
"$RATECTL" run 1 -- sh -c 'exit 7' 2> "$WORK/err"
[ $? = 7 ]
result $? "run exits with the command's status"

tap_done
