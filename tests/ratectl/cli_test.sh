#!/bin/sh
# ratectl's command line against a tree of plain files shaped like
# /sys/kernel/ratewin: exit statuses, error messages, all-or-nothing
# changes, save/apply round trips, tables that fit 80 columns and JSON
# parsed back. Plain TAP on stdout, ending with "N passed, N failed".
# Usage: cli_test.sh RATECTL
set -u
RATECTL=$1
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAKE=$WORK/sys
PROC=$FAKE.proc
export RATECTL_SYSFS_ROOT=$FAKE RATECTL_PROC_ROOT=$PROC RATECTL_LOCK=$WORK/lock
TAP_DETAILS="$WORK/err $WORK/out"
. "$HERE/../lib/tap.sh"
. "$HERE/abi.sh"

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
out_is() { [ "$(cat "$WORK/out")" = "$1" ]; result $? "$2"; }
# Attributes a line each: ratectl writes them without a newline.
attrs() { for a; do echo "$(cat "$FAKE/$a")"; done; }

# json_check DESCRIPTION PYTHON: the output parses as JSON, d, and the
# assertions in PYTHON hold.
json_check() {
	python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
$2" "$WORK/out" 2>> "$WORK/err"
	result $? "$1"
}

# busywait COMMAND...: until it succeeds, for 5 s at the most.
busywait() {
	tries=0
	until "$@"; do
		[ $tries -lt 100 ] || return 1
		tries=$((tries + 1))
		sleep 0.05
	done
}

# hold FILE [F_RDLCK|F_WRLCK]: the next open of FILE for writing (for
# anything with F_WRLCK) waits, from when $WORK/held appears, until
# $WORK/go does: a lease, fcntl(2).
hold() {
	rm -f "$WORK/leased" "$WORK/held" "$WORK/go"
	python3 -c '
import fcntl, os, signal, sys, time
path, work, lease = sys.argv[1:]
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGIO})
fd = os.open(path, os.O_RDONLY)
fcntl.fcntl(fd, fcntl.F_SETLEASE, getattr(fcntl, lease))
open(work + "/leased", "w").close()
if signal.sigtimedwait({signal.SIGIO}, 5):
    open(work + "/held", "w").close()
    for _ in range(500):
        if os.path.exists(work + "/go"):
            break
        time.sleep(0.01)
' "$1" "$WORK" "${2:-F_RDLCK}" &
	busywait test -e "$WORK/leased"
}

# No line of the output is wider than $1 columns.
fits() { [ "$(awk '{ if (length > n) n = length } END { print n + 0 }' "$WORK/out")" -le "$1" ]; }

fresh

# Help, version and usage errors: exit 2, one line naming the problem.
run 0 -- --help
run 0 -- --version
for cmd in status watch members ps set hysteresis window enable disable reset \
	run move classof apply save help; do
	run 0 -- $cmd --help
	run 0 -- help $cmd
done
run 0 -- help
grep -q "^ members \[CLASS\]" "$WORK/out"
result $? "help lists the commands"
run 0 -- status --help
grep -q "^ *USE%  " "$WORK/out"
result $? "status --help lists its columns"
run 0 -- run --help
grep -q "^ ratectl run \[--file RATE\] \[--net RATE\] " "$WORK/out"
result $? "run --help shows --file and --net as each optional"
run 0 -- set --help
! grep -q "1 to 8" "$WORK/out"
result $? "set --help does not count the kernel's classes for it"
run 2 "no command given" --
run 2 "unknown command 'stat'; did you mean 'status'?" -- stat
run 2 "unknown command 'mvoe'; did you mean 'move'?" -- mvoe
run 2 "unknown command 'frobnicate'$" -- frobnicate
run 2 "unknown command 'sett'; did you mean 'set'?" -- help sett
run 2 "unexpected argument 'save'" -- help set save
run 2 "unknown or ambiguous option '--frob'" -- status --frob
run 2 "option '--time' needs an argument" -- window --time
run 2 "unexpected argument 'extra'" -- status 1 extra
run 2 "unknown or ambiguous option '--json=x'" -- status --json=x
run 2 "unknown or ambiguous option '--m'" -- window --m 1ms

# Bad values: named, explained, and nothing written.
snapshot before
run 2 "'9': unknown class (classes are 1 to 8)" -- set 9 --file 1M
run 2 "'class0': unknown class" -- set class0 --file 1M
run 2 "no class given" -- set
run 2 "\-\-file: invalid rate '10Q': unknown unit (use K, M, G, T, P, E; kB, MB, GB, TB, PB, EB; or kbit, Mbit, Gbit, Tbit, Pbit, Ebit)$" -- set 1 --file 10Q
run 2 "\-\-net: invalid rate 'unlimted': not a number; no limit is 0, unlimited, max, infinity or none$" -- set 1 --net unlimted
run 2 "\-\-high: invalid rate 'max': not a number$" -- hysteresis file --high max
run 2 "\-\-file: invalid rate '-1M': must not be negative" -- set 1 --file -1M
run 2 "\-\-net: invalid rate '99999999999999999999': too large" -- set 1 --net 99999999999999999999
run 2 "\-\-net: invalid rate '1bit': rounds down to zero" -- set 1 --net 1bit
run 2 "\-\-file: invalid rate '295147905179352.825857E': too large" -- set 1 --file 295147905179352.825857E
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
run 2 "'self': not a process ID" -- move 1 self
run 2 "'0': not a process ID" -- classof 0
run 2 "no file given" -- apply
run 2 "'9': unknown class" -- reset 9
run 2 "unexpected argument '1'" -- enable 1
run 2 "unknown column 'BOGUS'" -- status -o CLASS,BOGUS
run 2 "no columns in ''" -- status -o ''
run 2 "\-\-raw and \-\-json are mutually exclusive" -- status -r -J
run 2 "\-\-units: unknown unit system 'metric'" -- status --units metric
run 2 "'0': unknown class (classes are 1 to 8)" -- status 0
run 2 "'9': unknown class" -- members 9
unchanged "refused commands wrote nothing"

# run's own failures exit 125, as nice's and timeout's do: never a status
# the command could have exited with.
run 125 "no command given" -- run 1
run 125 "no class given" -- run
run 125 "'9': unknown class" -- run 9 true
run 125 "unknown or ambiguous option '--bogus'" -- run --bogus 1 true
run 125 "\-\-file: invalid rate '1Q'" -- run --file 1Q -- true
run 125 "needs \-\-file or \-\-net above 0" -- run --file 0 --mode shared -- true
run 125 "ratewin is not available" -- --sysfs-root "$WORK/none" run 1 true
unchanged "refused runs wrote nothing"

# Good values land in the kernel's units; no option shows what is set.
run 0 -- set 1
out_is "$(printf 'class1.file = unlimited\nclass1.net = unlimited\nclass1.mode = shared')" \
	"set 1 shows class 1's settings"
run 0 -- set 1 --file 2M --net 10Mbit --mode always
attr_is class1/file_rate 2097152
attr_is class1/net_rate 1250000
attr_is class1/mode always
run 0 -- set class2 --file 500kB
attr_is class2/file_rate 500000
run 0 -- set 1
out_is "$(printf 'class1.file = 2M\nclass1.net = 10Mbit\nclass1.mode = always')" \
	"set 1 shows the limits in the units they were set in"
for word in unlimited max infinity none 0; do
	run 0 -- set 1 --file 1M
	run 0 -- set 1 --file $word
	attr_is class1/file_rate 0
done
run 0 -- hysteresis
out_is "$(printf 'file.high = 8M\nfile.low = 4M\nnet.high = 1M\nnet.low = 512K')" \
	"hysteresis shows both kinds' thresholds"
run 2 "no kind of I/O" -- hysteresis --high 1M
run 0 -- hysteresis file --high 2M --low 1M
attr_is file_thresh_high 2097152
attr_is file_thresh_low 1048576
run 0 -- hysteresis file
out_is "$(printf 'file.high = 2M\nfile.low = 1M')" "hysteresis file shows its thresholds"
run 0 -- window --events 50 --time 2s --min-sleep 500us --max-sleep 50ms
attr_is window_events 50
attr_is window_ms 2000
attr_is min_sleep_us 500
attr_is max_sleep_us 50000
run 0 -- window
out_is "$(printf 'window.events = 50\nwindow.time = 2s\nwindow.min-sleep = 500us\nwindow.max-sleep = 50ms')" \
	"window shows the window"

# enable, disable, reset: the settings they change, and no other.
run 0 -- disable
attr_is enabled 0
run 0 -- enable
attr_is enabled 1
run 0 -- set 3 --file 1M --net 2M --mode always
run 0 -- set 4 --file 1M
run 0 -- reset 3
attr_is class3/file_rate 0
attr_is class3/net_rate 0
attr_is class3/mode shared
attr_is class4/file_rate 1048576
run 0 -- disable
run 0 -- reset
fresh
snapshot before
"$HERE/fake-sysfs.sh" "$WORK/defaults"
(cd "$WORK/defaults" && grep -r . . | sort) > "$WORK/before"
RATECTL_SYSFS_ROOT=$WORK/defaults "$RATECTL" reset 2> "$WORK/err"
result $? "reset of a tree at its defaults succeeds"
(cd "$WORK/defaults" && grep -r . . | sort) > "$WORK/after"
cmp -s "$WORK/before" "$WORK/after"
result $? "reset writes the kernel's defaults, the fake tree's too"

# ratectl's bounds are the kernel's: each documented "MIN to MAX" is taken
# at both ends and refused one past either, the tree left as it was.
window_option() {	# ATTR: ratectl window's option for it and its unit
	case $1 in
	window_events) echo --events ;;
	window_ms) echo --time ms ;;
	min_sleep_us) echo --min-sleep us ;;
	max_sleep_us) echo --max-sleep us ;;
	esac
}
ratewin_documented_bounds > "$WORK/bounds"
[ "$(wc -l < "$WORK/bounds")" = 4 ]
result $? "the ABI document bounds the four settings of ratectl window"
widest_max_sleep=$(sed -n 's/^max_sleep_us [0-9]* //p' "$WORK/bounds")
while read -r attr min max; do
	fresh
	# no sleep bound by the other
	echo 0 > "$FAKE/min_sleep_us"
	echo "$widest_max_sleep" > "$FAKE/max_sleep_us"
	set -- $(window_option "$attr")
	[ $# -gt 0 ] || { result 1 "ratectl window has an option for $attr"; continue; }
	run 0 -- window "$1" "$min${2:-}"
	attr_is "$attr" "$min"
	run 0 -- window "$1" "$max${2:-}"
	attr_is "$attr" "$max"
	snapshot before
	run 2 "out of range" -- window "$1" "$((max + 1))${2:-}"
	[ "$min" = 0 ] || run 2 "out of range" -- window "$1" "$((min - 1))${2:-}"
	unchanged "window $1 out of its documented bounds writes nothing"
done < "$WORK/bounds"
fresh

# A write that fails half-way is undone: class1/net_rate cannot be
# written (a read-only sysctl stands in its place, which even root may
# not write), so file_rate, written first, is put back.
fresh
ln -sf /proc/sys/kernel/ngroups_max "$FAKE/class1/net_rate"
snapshot before
run 1 "cannot set class1.net.*permission denied" -- set 1 --file 3M --net 3M
unchanged "a failed write undoes the writes before it"
fresh

# Missing kernel support, --sysfs-root and --proc-root.
run 1 "ratewin is not available: this kernel has no $WORK/none" -- --sysfs-root "$WORK/none" status
run 1 "ratewin is not available: this kernel has no $WORK/none" -- -R "$WORK/none" status
RATECTL_SYSFS_ROOT=$WORK/none "$RATECTL" --sysfs-root "$FAKE" set 3 --file 1K 2> "$WORK/err"
result $? "--sysfs-root overrides RATECTL_SYSFS_ROOT"
attr_is class3/file_rate 1024
RATECTL_SYSFS_ROOT=$WORK/none "$RATECTL" -R "$FAKE" set 3 --file 2K 2> "$WORK/err"
result $? "-R is --sysfs-root"
attr_is class3/file_rate 2048
mkdir -p "$WORK/noratewin/self" "$WORK/noratewin/77"
run 1 "77: this kernel has no ratewin" -- --proc-root "$WORK/noratewin" classof 77
run 1 "999999: no such process" -- classof 999999
run 125 "cannot join class 1: this kernel has no ratewin" -- --proc-root "$WORK/noratewin" run 1 true

# Output that cannot be written is a failure; a closed standard output
# with nothing to write to it is none.
"$RATECTL" status > /dev/full 2> "$WORK/err"
[ $? = 1 ] && grep -q "write error" "$WORK/err"
result $? "status > /dev/full exits 1 with a write error"
"$RATECTL" status >&- 2> "$WORK/err"
[ $? = 1 ] && grep -q "write error" "$WORK/err"
result $? "status >&- exits 1 with a write error"
"$RATECTL" set 3 --file 1K >&- 2> "$WORK/err"
result $? "set >&- exits 0: nothing was to be written"
"$RATECTL" run --file 1M -- true >&- 2> "$WORK/err"
result $? "run --file >&- exits with the command's 0"
"$RATECTL" run --file 1M -- sh -c 'exit 3' >&- 2> "$WORK/err"
[ $? = 3 ]
result $? "run --file >&- exits with the command's 3"

# status: tables that fit 80 columns, units that follow the limits, and
# JSON that parses with units in its keys.
fresh
run 0 -- set 4 --file 1M --mode always
run 0 -- move 4 4242
run 0 -- status
grep -q '^ *4 *always *1 *1MiB/s *0B/s *unlimited *0B/s *0% *file$' "$WORK/out"
result $? "status shows class 4's mode, member, limit, use and what is held"
fits 80
result $? "status fits 80 columns"
run 0 -- set 1 --file 1MB --net 10Mbit
run 0 -- set 2 --file 18446744073709551615 --net 1.5M
echo 999000 > "$FAKE/class1/file_window_rate"
echo 1200000 > "$FAKE/class1/net_window_rate"
echo 18446744073709551615 > "$FAKE/class2/file_window_rate"
echo 1 > "$FAKE/throttled_net"
COLUMNS=80 "$RATECTL" status > "$WORK/out" 2> "$WORK/err"
result $? "COLUMNS=80 status exits 0"
fits 80
result $? "COLUMNS=80 status is never wider than 80, even at 2^64 - 1"
grep -q '^ *1 *shared *0 *1MB/s *999kB/s *10Mbit/s *9.6Mbit/s *100% *net$' "$WORK/out"
result $? "rates are in their limit's unit system, with /s"
grep -q '^ *2 *shared *0 *16EiB/s *16EiB/s *1.5MiB/s *0B/s *100% *net$' "$WORK/out"
result $? "1.5M comes back as 1.5MiB/s, 2^64 - 1 as 16EiB/s"
! grep -q '\.0[A-Za-z]' "$WORK/out"
result $? "no value ends in .0"
for cmd in "status -b" "watch -b 0.01 1" "status -b -o CLASS,FILE-RATE,FILE-BYTES,NET-LIMIT,USE%,FILE-SLEPT,NET-SLEPT,NET-RATE"; do
	COLUMNS=80 "$RATECTL" $cmd > "$WORK/out" 2> "$WORK/err" && fits 80
	result $? "COLUMNS=80 $cmd is never wider than 80, even at 2^64 - 1 in bytes"
done
COLUMNS=80 "$RATECTL" status -b > "$WORK/out"
[ "$(grep -A 1 '^ *2 *shared' "$WORK/out" | awk 'NR == 1 { printf "%s", $4 } NR == 2 { print $1 }')" = 18446744073709551615 ]
result $? "a number too wide for its column wraps onto the next line, whole"
COLUMNS=80 "$RATECTL" status --output-all > "$WORK/out"
grep -q '^ *2 *shared *0 *16EiB/s *16EiB/s *0B *0 *0ns *1.5MiB/s *0B/s *0B *0 *0ns *100% *net$' "$WORK/out"
result $? "--output-all may be wider than COLUMNS: its rows stay whole"
run 0 -- status --output-all
[ "$(grep '^CLASS' "$WORK/out" | wc -w)" = 15 ]
result $? "--output-all prints every column"
run 0 -- status --units si
grep -q '^ *2 *shared *0 *18.4EB/s *18.4EB/s *1.6MB/s ' "$WORK/out" && grep -q '^ *1 .* 1.3MB/s *1.2MB/s ' "$WORK/out"
result $? "--units si prints every rate in SI units"
run 0 -- status --units bits 1
grep -q '^ *1 *shared *0 *8Mbit/s *8Mbit/s *10Mbit/s *9.6Mbit/s ' "$WORK/out"
result $? "--units bits prints every rate in bits"
run 0 -- status --units iec 1
grep -q '^ *1 *shared *0 *976.6KiB/s *975.6KiB/s *1.2MiB/s *1.1MiB/s ' "$WORK/out"
result $? "--units iec prints every rate in IEC units"
for opt in --bytes "--units bytes"; do
	run 0 -- status $opt 1
	grep -q '^ *1 *shared *0 *1000000 *999000 *1250000 *1200000 *100% *net$' "$WORK/out" &&
		grep -q '^file *no *8388608 *4194304 *0$' "$WORK/out" &&
		grep -q '^yes *100 *5000000000 *1000000 *100000000$' "$WORK/out"
	result $? "status $opt prints limits, thresholds and rates in bytes, times in ns"
done
run 0 -- status 2
[ "$(grep -c '^ *[0-9] ' "$WORK/out")" = 1 ] && grep -q '^ *2 ' "$WORK/out"
result $? "status CLASS shows that class alone"
echo 1 > "$FAKE/class3/file_rate"
echo 18446744073709551615 > "$FAKE/class3/file_window_rate"
run 0 -- status -r -n -o USE% 3
out_is 18446744073709551615% "USE% past 2^64 - 1 stays there, and does not wrap around"
echo 0 > "$FAKE/class3/file_rate"
echo 0 > "$FAKE/class3/file_window_rate"
run 0 -- status -o CLASS,file-limit,USE%
sed -n '/^CLASS/,$p' "$WORK/out" | head -n 2 > "$WORK/cols"
[ "$(head -n 1 "$WORK/cols")" = "CLASS FILE-LIMIT USE%" ] && grep -q '^ *1 *1MB/s *100%$' "$WORK/cols"
result $? "-o chooses the class columns, names in any case"
run 0 -- status -o +FILE-BYTES 1
grep -q '^CLASS .* HELD *FILE-BYTES$' "$WORK/out"
result $? "-o +LIST adds to the default columns"
run 0 -- status -o +class,FILE-BYTES,file-bytes 1
grep -q '^CLASS MODE .* HELD *FILE-BYTES$' "$WORK/out"
result $? "-o prints a column named twice, or among the defaults, once"
run 0 -- status -J -o class,CLASS,mode 1
[ "$(grep -c '"class"' "$WORK/out")" = 1 ]
result $? "-J -o with a column named twice gives its key once"
run 0 -- status -n
[ "$(wc -l < "$WORK/out")" = 8 ] && ! grep -q CLASS "$WORK/out"
result $? "-n prints the class rows alone, without headings"
run 0 -- status -r -o CLASS,MODE,USE%
[ "$(head -n 2 "$WORK/out")" = "$(printf 'CLASS MODE USE%%\n1 shared 100%%')" ]
result $? "-r prints the class table unaligned"
run 0 -- status -P 1
( eval "$(cat "$WORK/out")" && [ "$CLASS" = 1 ] && [ "$FILE_LIMIT" = 1MB/s ] &&
	[ "$USE_PCT" = 100% ] && [ "$HELD" = net ] )
result $? "-P prints pairs a shell can eval"
run 0 -- status --json
json_check "status --json: every column, raw numbers, null for unlimited" '
s, h, c = d["settings"], d["hysteresis"], d["classes"]
assert s == {"enabled": True, "window_events": 100, "window_time_ms": 5000,
             "min_sleep_us": 1000, "max_sleep_us": 100000}, s
assert [x["io"] for x in h] == ["file", "net"]
assert h[1]["throttled"] is True and h[0]["high_bytes_per_sec"] == 8388608
assert len(c) == 8 and [x["class"] for x in c] == list(range(1, 9))
keys = {"class", "mode", "members", "use_percent", "held"}
for io in "file", "net":
    keys |= {io + k for k in ("_limit_bytes_per_sec", "_window_bytes_per_sec",
             "_total_bytes", "_total_sleeps", "_total_sleep_ns")}
for x in c:
    assert set(x) == keys, set(x) ^ keys
    for k, v in x.items():
        assert v is None or isinstance(v, str if k in ("mode", "held") else int), (k, v)
assert c[0]["file_limit_bytes_per_sec"] == 1000000 and c[0]["use_percent"] == 100
assert c[2]["file_limit_bytes_per_sec"] is None and c[2]["use_percent"] is None
assert c[3]["members"] == 1 and c[3]["mode"] == "always" and c[3]["held"] == "file"
assert c[1]["file_window_bytes_per_sec"] == 2**64 - 1 == c[1]["file_limit_bytes_per_sec"]
'
run 0 -- status --json -o class,held 4
json_check "status --json -o: the chosen class columns, of the class asked for" '
assert d["classes"] == [{"class": 4, "held": "file"}], d["classes"]
assert d["settings"]["enabled"] is True
'

# An attribute an older kernel lacks is an empty cell and one warning.
fresh
rm "$FAKE"/class*/net_sleep_ns "$FAKE/min_sleep_us"
run 0 -- status
[ "$(grep -c 'net_sleep_ns: no such attribute' "$WORK/err")" = 1 ] &&
	[ "$(grep -c 'min_sleep_us: no such attribute' "$WORK/err")" = 1 ] &&
	[ "$(wc -l < "$WORK/err")" = 2 ]
result $? "status warns once for each missing attribute"
grep -q '^yes *100 *5s *100ms$' "$WORK/out"
result $? "status leaves the missing cell empty"
run 0 -- status --json
json_check "status --json has null for a missing attribute" '
assert d["settings"]["min_sleep_us"] is None
assert all(c["net_total_sleep_ns"] is None and c["file_total_sleep_ns"] == 0
           for c in d["classes"])
'
run 0 -- watch -c 2 -i 10ms --json
[ "$(grep -c 'net_sleep_ns: no such attribute' "$WORK/err")" = 1 ]
result $? "watch warns once, not every interval"
# HELD of a shared class with a limit depends on throttled_file; of one
# in mode always, or without a limit of that kind, it does not.
fresh
rm "$FAKE/throttled_file"
run 0 -- set 1 --file 1M
run 0 -- set 2 --file 1M --mode always
run 0 -- set 3 --net 1M
run 0 -- status -r -o CLASS,HELD
[ "$(sed -n 2,4p "$WORK/out")" = "$(printf '1 \n2 file\n3 no')" ]
result $? "HELD is empty when an attribute it depends on is missing"
run 0 -- status --json 1
json_check "status --json: held is null when it cannot be told" '
assert d["classes"][0]["held"] is None, d["classes"]
'

# watch: bare seconds, INTERVAL COUNT, "no busy classes", one JSON object a line.
fresh
run 0 -- watch 0.01 2
[ "$(grep -c '^TIME' "$WORK/out")" = 2 ] && [ "$(grep -c '^no busy classes$' "$WORK/out")" = 2 ]
result $? "watch INTERVAL COUNT, idle: a header and 'no busy classes' each time"
run 0 -- watch -i 0.01 -c 1 -n
[ ! -s "$WORK/out" ]
result $? "watch -n prints no rows while no class is busy"
run 2 "interval: invalid value '0': must be above zero" -- watch 0
run 2 "interval: invalid value 'x'" -- watch x
run 2 "count: invalid value '0'" -- watch 1 0
run 2 "unexpected argument '3'" -- watch 1 2 3
run 2 "\-\-interval: invalid value '0s': must be above zero" -- watch --interval 0s
run 2 "\-\-count: invalid value '-1'" -- watch --count -1
run 0 -- set 4 --file 1M --mode always
run 0 -- move 4 4242
( sleep 0.25; echo 1048576 > "$FAKE/class4/file_bytes"; echo 3 > "$FAKE/class4/file_sleeps" ) &
run 0 -- watch -i 0.2 -c 3 --json
wait
python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, lines
objs = [json.loads(l) for l in lines]
keys = {"class", "mode", "members", "use_percent", "held", "timestamp_s"}
for io in "file", "net":
    keys |= {io + k for k in ("_limit_bytes_per_sec", "_interval_bytes_per_sec",
             "_window_bytes_per_sec", "_interval_bytes", "_interval_sleeps",
             "_interval_sleep_ns")}
for o in objs:
    assert isinstance(o["timestamp_s"], float) and o["timestamp_s"] > 1e9
    assert isinstance(o["throttled_file"], bool)
    assert isinstance(o["unconstrained_net_bytes_per_sec"], int)
    c = o["classes"]
    assert [x["class"] for x in c] == [4], c
    assert set(c[0]) == keys, set(c[0]) ^ keys
    assert c[0]["members"] == 1 and c[0]["net_limit_bytes_per_sec"] is None
assert sum(o["classes"][0]["file_interval_bytes"] for o in objs) == 1048576
assert sum(o["classes"][0]["file_interval_sleeps"] for o in objs) == 3
assert max(o["classes"][0]["file_interval_bytes_per_sec"] for o in objs) > 1048576
' "$WORK/out"
result $? "watch --json: a line an interval, per-interval keys apart from totals"
run 0 -- watch 0.01 2
[ "$(grep -c '^TIME' "$WORK/out")" = 2 ] && [ "$(grep -c '^CLASS' "$WORK/out")" = 2 ] &&
	grep -q '^ *4 *1 ' "$WORK/out" && fits 80
result $? "watch prints a table per interval, within 80 columns"
run 0 -- watch 0.01 1 -P -o TIME,CLASS,HELD
grep -q '^TIME="[0-9][0-9]:[0-9][0-9]:[0-9][0-9]" CLASS="4" HELD="file"$' "$WORK/out"
result $? "watch -P -o prints the chosen columns of the busy classes"

# Members are counted from /proc only when they are shown; watch learns
# which classes have any from the kernel's classN/members.
fresh
echo 4242 > "$FAKE/class5/members"
run 0 -- --proc-root "$WORK/none" status -o CLASS,MODE
[ ! -s "$WORK/err" ]
result $? "status without MEMBERS does not read /proc"
run 1 "cannot read $WORK/none" -- --proc-root "$WORK/none" status
run 0 -- --proc-root "$WORK/none" watch -n -o CLASS,FILE-RATE 0.01 1
[ ! -s "$WORK/err" ] && [ "$(awk '{ print $1 }' "$WORK/out")" = 5 ]
result $? "watch without MEMBERS does not read /proc, and shows a class with members"
run 0 -- --proc-root "$WORK/none" status --json -o class
json_check "status --json without members: members_complete is null" '
assert d["members_complete"] is None and d["classes"][0] == {"class": 1}, d
'

# members (ps): every process of a class, from every thread's class file.
fresh
run 0 -- members
[ ! -s "$WORK/out" ]
result $? "members prints nothing while no process is in a class"
for pid in 5000 5001 5002; do
	mkdir -p "$PROC/$pid/task/$pid" "$PROC/$pid/task/$((pid + 100))"
	printf '3\n' > "$PROC/$pid/task/$pid/ratewin_class"
	printf '3\n' > "$PROC/$pid/task/$((pid + 100))/ratewin_class"
	printf 'Name:\tworker\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n' \
		> "$PROC/$pid/status"
	printf 'worker\n' > "$PROC/$pid/comm"
done
printf '5\n' > "$PROC/5002/task/5102/ratewin_class"
printf 'we"ird\001\n' > "$PROC/5001/comm"
printf 'Name:\twe"ird\nUid:\t0\t4294967\t0\t0\n' > "$PROC/5001/status"
run 0 -- move 2 4242
run 0 -- members 2
out_is "$(printf ' PID USER COMMAND CLASS\n4242 root sleep       2')" \
	"members finds the user on the Uid: line, wherever it is in status"
run 0 -- members 3
[ "$(cat "$WORK/out")" = "$(printf ' PID USER    COMMAND    CLASS\n5000 root    worker         3\n5001 4294967 we"ird\\x01     3\n5002 root    worker         3')" ]
result $? "members 3 lists PID, USER, COMMAND and CLASS, sorted"
run 0 -- ps
[ "$(awk 'NR > 1 { print $1 ":" $NF }' "$WORK/out" | tr '\n' ' ')" = "4242:2 5000:3 5001:3 5002:3 5002:5 " ]
result $? "ps lists every class's members, a process under each class its threads are in"
strace -f -e trace=openat,open -o "$WORK/trace" "$RATECTL" ps > /dev/null 2>&1
[ "$(grep -c '/etc/passwd' "$WORK/trace")" -le 2 ]
result $? "members looks up each of its 2 users once, not each of its 5 rows"
printf 'b\303\251\377d\n' > "$PROC/5002/comm"
run 0 -- members --json 3
json_check "members --json: pid, user, command and class, escaped, UTF-8 kept valid" '
m = d["members"]
assert [x["pid"] for x in m] == [5000, 5001, 5002]
assert m[1] == {"pid": 5001, "user": "4294967", "command": "we\"ird\x01", "class": 3}, m[1]
assert m[2]["command"] == "b\u00e9\ufffdd", m[2]
'
run 0 -- members -r -n -o pid 3
out_is "$(printf '5000\n5001\n5002')" "members -r -n -o PID prints PIDs alone"
# What members says of a process it reads through the /proc directory it
# found it in: another that takes its PID meanwhile is not taken for it.
hold "$PROC/5000/task/5000/ratewin_class" F_WRLCK
"$RATECTL" members -r -n 3 > "$WORK/out" 2> "$WORK/err" &
pid=$!
busywait test -e "$WORK/held"
mv "$PROC/5000" "$PROC/5000.gone"
mkdir -p "$PROC/5000/task/5000"
printf '3\n' > "$PROC/5000/task/5000/ratewin_class"
printf 'impostor\n' > "$PROC/5000/comm"
printf 'Uid:\t1\t1\t1\t1\n' > "$PROC/5000/status"
touch "$WORK/go"
wait $pid
[ "$(head -n 1 "$WORK/out")" = "5000 root worker 3" ]
result $? "members reads a process's name and user from the process it found"
wait
rm -rf "$PROC/5000"
mv "$PROC/5000.gone" "$PROC/5000"
i=0
while [ $i -lt 600 ]; do
	mkdir -p "$PROC/$((6000 + i))/task/$((6000 + i))"
	printf '6\n' > "$PROC/$((6000 + i))/task/$((6000 + i))/ratewin_class"
	i=$((i + 1))
done
run 0 -- status -o CLASS,MEMBERS -r 6
[ "$(tail -n 1 "$WORK/out")" = "6 600" ]
result $? "status counts 600 members, more than classN/members holds"
run 0 -- members -n 6
[ "$(wc -l < "$WORK/out")" = 600 ]
result $? "members lists all 600"

# With /proc mounted hidepid=1, an unprivileged caller may not read the
# processes of other users: they are passed over with one warning, and
# members_complete is false. Directories that nobody may enter stand in
# for them.
fresh
for pid in 7000 7001 7002; do
	mkdir -p "$PROC/$pid/task/$pid"
	printf '4\n' > "$PROC/$pid/task/$pid/ratewin_class"
done
chmod 700 "$PROC/7001" "$PROC/7002"
chmod 755 "$WORK"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
if as_nobody "$RATECTL" --version > /dev/null 2>&1; then
	as_nobody "$RATECTL" status -r -o CLASS,MEMBERS 4 > "$WORK/out" 2> "$WORK/err"
	[ $? = 0 ] && [ "$(tail -n 1 "$WORK/out")" = "4 1" ] &&
		[ "$(wc -l < "$WORK/err")" = 1 ] &&
		grep -q "^ratectl: 2 processes in $PROC may not be read (mounted hidepid=?)" "$WORK/err"
	result $? "status counts the processes it may read, warns once and exits 0"
	as_nobody "$RATECTL" members --json 4 > "$WORK/out" 2> "$WORK/err"
	result $? "members exits 0 when processes may not be read"
	json_check "members --json: members_complete is false" '
assert d["members_complete"] is False and [m["pid"] for m in d["members"]] == [7000], d
'
	as_nobody "$RATECTL" watch --json -i 10ms -c 3 > "$WORK/out" 2> "$WORK/err"
	[ $? = 0 ] && [ "$(wc -l < "$WORK/err")" = 1 ] &&
		[ "$(grep -c '"members_complete":false' "$WORK/out")" = 3 ]
	result $? "watch warns once, not each interval, and exits 0"
else
	result 0 "processes hidden from the caller # SKIP nobody may not run $RATECTL"
fi
run 0 -- status --json 4
json_check "status --json: members_complete is true when every process was read" '
assert d["members_complete"] is True and d["classes"][0]["members"] == 3, d
'

# save and apply: a round trip, and a bad file changes nothing.
fresh
run 0 -- set 5 --file 3M --net 100Mbit --mode always
run 0 -- window --time 2500ms
run 0 -- save "$WORK/saved.conf"
grep -q '^class5.net = 100Mbit$' "$WORK/saved.conf"
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
run 0 -- classof 04242
out_is 3 "classof 04242 is classof 4242"
run 0 -- move 4 004242
attr_is ../sys.proc/4242/ratewin_class 4
run 0 -- move 3 4242
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
run 0 -- classof self
out_is 1 "classof self prints ratectl's own class"
run 0 -- classof --json 4242 self
json_check "classof --json: pid and class of each" '
p = d["processes"]
assert len(p) == 2 and p[0] == {"pid": 4242, "class": 0}, p
assert isinstance(p[1]["pid"], int) and p[1]["class"] == 1
'
run 1 "999999: no such process" -- classof --json 4242 999999
json_check "classof --json leaves out what it cannot read" '
assert d == {"processes": [{"pid": 4242, "class": 0}]}, d
'

# One-off limits: a free class, set for the command and freed after it.
fresh
run 0 -- run --file 1M --net 10Mbit -- sh -c "for f in $FAKE/class8/file_rate $FAKE/class8/net_rate $FAKE/class8/mode $PROC/self/ratewin_class; do echo \$(cat \$f); done"
out_is "$(printf '1048576\n1250000\nalways\n8')" \
	"run --file --net: the command runs in the highest free class, set, mode always"
attr_is class8/file_rate 0
attr_is class8/net_rate 0
attr_is class8/mode shared
run 0 -- run --net 1M --mode shared --class 3 -- sh -c "cat $FAKE/class3/mode $PROC/self/ratewin_class"
out_is "$(printf 'shared\n3')" "run --class N --mode shared takes class N"
attr_is class3/net_rate 0
run 0 -- set 8 --file 1K
run 0 -- move 7 4242
run 0 -- run --file 1M -- sh -c "cat $PROC/self/ratewin_class"
out_is 6 "a class with limits or members is not free"
run 125 "class 8 is in use" -- run --file 1M --class 8 -- true
run 125 "class 7 is in use" -- run --file 1M --class 7 -- true
for c in 1 2 3 4 5 6; do echo 100 > "$FAKE/class$c/net_rate"; done
snapshot before
run 125 "no free class" -- run --file 1M -- true
unchanged "no free class: nothing is changed"

# The class goes back as run found it, its mode too; one that was
# changed while the command ran is left as it was changed.
fresh
run 0 -- set 8 --mode always
run 0 -- run --file 1M --mode shared -- true
[ "$(attrs class8/file_rate class8/mode)" = "$(printf '0\nalways')" ]
result $? "run gives the class back in the mode it found it in"
run 0 -- run --file 1M -- "$RATECTL" save
grep -qx 'class8.file = 1M' "$WORK/out"
result $? "save during a one-off run writes its limits, as documented"
run 0 "class 8 was changed while the command ran; it is left as it is" -- \
	run --file 1M -- "$RATECTL" set 8 --file 2M
attr_is class8/file_rate 2097152
fresh
"$RATECTL" run --file 1M -- sh -c 'exit 7' 2> "$WORK/err"
[ $? = 7 ]
result $? "a run with limits exits with the command's status"
attr_is class8/file_rate 0
run 127 "cannot run /nonexistent" -- run --file 1M -- /nonexistent
attr_is class8/file_rate 0
run 126 "cannot run $FAKE/enabled" -- run --file 1M -- "$FAKE/enabled"
run 143 -- run --file 1M -- sh -c 'kill -TERM $$'
"$RATECTL" run --file 1M -- sleep 30 2> "$WORK/err" &
pid=$!
sleep 0.3
kill -TERM $pid
wait $pid
[ $? = 143 ] && [ "$(cat "$FAKE/class8/file_rate")" = 0 ]
result $? "SIGTERM to ratectl ends the command, and the class is freed"
# A signal that comes while run sets its class waits for the command: it
# is not lost, and does not leave the class set with no one in it. run
# is held between writing class8/file_rate and class8/mode.
fresh
hold "$FAKE/class8/mode"
"$RATECTL" run --file 1M -- sleep 30 2> "$WORK/err" &
pid=$!
busywait test -e "$WORK/held"
kill -TERM $pid
touch "$WORK/go"
wait $pid
[ $? = 143 ] && [ "$(attrs class8/file_rate class8/mode)" = "$(printf '0\nshared')" ]
result $? "SIGTERM while run sets its class ends the command, and the class is freed"
wait
"$RATECTL" run --file 1M -- sleep 0.6 2> "$WORK/err" &
a=$!
"$RATECTL" run --file 2M -- sleep 0.6 2> "$WORK/err2" &
b=$!
sleep 0.3
taken="$(attrs class7/file_rate class8/file_rate | sort | tr '\n' ' ')"
wait $a && wait $b
[ "$taken" = "1048576 2097152 " ] && [ "$(attrs class7/file_rate class8/file_rate)" = "$(printf '0\n0')" ]
result $? "two runs at once take two classes and free both"
for sig in INT:2 QUIT:3; do
	number=${sig#*:} sig=${sig%:*}
	python3 -c '
import signal, subprocess, sys
for s in signal.SIGINT, signal.SIGQUIT:
    signal.signal(s, signal.SIG_DFL)
print(subprocess.run(sys.argv[1:]).returncode)' \
		"$RATECTL" run --file 1M -- sh -c "kill -$sig \$\$" > "$WORK/out" 2> "$WORK/err"
	[ "$(cat "$WORK/out")" = "-$number" ] && [ "$(cat "$FAKE/class8/file_rate")" = 0 ]
	result $? "the command killed by SIG$sig: run frees the class and dies of SIG$sig too"
done
for sig in HUP INT; do
	sh -c "trap '' $sig; exec \"\$0\" run --file 1M -- sh -c 'kill -$sig \$\$; echo survived'" \
		"$RATECTL" > "$WORK/out" 2> "$WORK/err"
	[ $? = 0 ] && [ "$(cat "$WORK/out")" = survived ]
	result $? "SIG$sig ignored when run starts stays ignored for the command (nohup)"
done
RATECTL_LOCK=$WORK/none/lock "$RATECTL" run --file 1M -- true 2> "$WORK/err"
[ $? = 125 ] && grep -q "cannot open $WORK/none/lock" "$WORK/err"
result $? "a lock that cannot be taken is run's own failure, 125"

tap_done
