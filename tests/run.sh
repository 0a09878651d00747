#!/bin/sh
# Every ratewin test, in order, each stage's result counted; ends with the
# line CI reads: "ratewin: N passed, N failed".
# Usage: run.sh [debug | distro]    (debug: only the debug kernel's build and VM
# run; distro: only make test-distro's packages and VM run)
set -u
cd "$(dirname "$0")/.."
cache=${RATEWIN_CACHE:-/var/tmp/ratewin}
results=$cache/results
passed=0 failed=0 skipped=0
mkdir -p "$results"

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1"; }

# A stage passes when its command succeeds.
stage() {
	name=$1
	shift
	echo "=== $name"
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# Count a TAP file's results; a test the plan announced but that never
# reported is a failure, and so is a file skipped whole (plan 1..0): here
# every test has what it needs.
count_tap() {
	tap=$1 name=$2
	if [ ! -s "$tap" ]; then
		fail "$name: no TAP output"
		return
	fi
	if grep -q '^1\.\.0' "$tap"; then
		fail "$name: skipped whole: $(grep -m 1 '^1\.\.0' "$tap")"
		return
	fi
	grep '^not ok ' "$tap"
	ok=$(grep -c '^ok ' "$tap")
	skip=$(grep -c '^ok .*# SKIP' "$tap")
	bad=$(grep -c '^not ok ' "$tap")
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$tap" | head -n 1)
	ok=$((ok - skip))
	missing=$(( ${plan:-0} - ok - skip - bad ))
	[ $missing -gt 0 ] || missing=0
	passed=$((passed + ok)) skipped=$((skipped + skip))
	failed=$((failed + bad + missing))
	echo "$name: $ok passed, $bad failed, $skip skipped, $missing missing"
}

# Run a KUnit make target and count kunit.py's summary of its log: tests
# that crashed or erred fail, and so does a run that failed otherwise.
kunit_suite() {	# WHERE MAKE-TARGET LOG
	echo "=== KUnit on $1"
	rm -f "$results/$3"
	make -s "$2"
	status=$?
	summary=$(grep -o 'Ran [0-9]* tests: .*' "$results/$3" 2>/dev/null | tail -n 1)
	bad=$(( $(kunit_count failed) + $(kunit_count crashed) + $(kunit_count errors) ))
	if [ -z "$summary" ]; then
		fail "KUnit suite ratewin_core ran on $1"
	else
		passed=$((passed + $(kunit_count passed))) failed=$((failed + bad))
		skipped=$((skipped + $(kunit_count skipped)))
		echo "KUnit on $1: $summary"
		[ $status = 0 ] || [ $bad != 0 ] || fail "KUnit on $1: kunit.py succeeds"
	fi
}

kunit_count() {	# WHAT: its number in kunit.py's summary, 0 if absent
	n=$(printf '%s\n' "$summary" | sed -n "s/.*$1: \\([0-9]*\\).*/\\1/p")
	echo "${n:-0}"
}

# The series, ratectl on the host, KUnit, the test kernel and sparse.
checks_and_builds() {
	stage "the series applies with git am, in the form series-export writes" make -s check-patches
	stage "checkpatch --strict reports no errors" make -s checkpatch

	echo "=== ratectl on the host"
	rcbuild=$cache/ratectl
	stage "ratectl and its unit tests build" make -s ratectl-test
	"$rcbuild/units_test" > "$results/ratectl-units.tap" 2> "$results/ratectl-units.log"
	count_tap "$results/ratectl-units.tap" "ratectl unit tests"
	tests/ratectl/cli_test.sh "$rcbuild/ratectl" > "$results/ratectl-cli.tap"
	count_tap "$results/ratectl-cli.tap" "ratectl command line"
	tests/ratectl/install_test.sh "$rcbuild" > "$results/ratectl-install.tap"
	count_tap "$results/ratectl-install.tap" "ratectl install"
	stage "libFuzzer finds nothing in ratectl's parsers in ${FUZZ_SECONDS:-15} s each" \
		make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-15}"

	kunit_suite "UML" kunit kunit.log
	kunit_suite "32-bit x86 under QEMU" kunit-i386 kunit-i386.log

	stage "x86_64 kernel with CONFIG_RATEWIN=y builds" make -s kernel
	stage "sparse and W=1 report nothing in kernel/ratewin" make -s sparse
	stage "the benchmark's tools build with -Werror" make -s bench-bin
}

# Boot a kernel, run the guest tests, count their TAP, check its dmesg.
vm_suite() {	# WHAT MAKE-TARGET JOB-DIR RESULT-PREFIX [TESTS]
	what=$1 target=$2 job=$3 prefix=$4
	echo "=== $what under QEMU"
	stage "$what boots and runs the guest tests" make -s "$target"
	for test in ${5:-sysfs throttle enforce ratectl escape}; do
		count_tap "$job/$test.tap" "$what: $test"
	done
	for f in figures.txt ratectl-status.txt ratectl-watch.txt ratectl-watch.json; do
		[ -f "$job/$f" ] && cp "$job/$f" "$results/$prefix$f"
	done
	stage "$what: guest dmesg is free of warnings and reports" \
		tests/vm/check-dmesg.sh "$job/dmesg"
}

# "run.sh distro" (make test-distro): the Debian packages, the kernel's
# booted under QEMU.
if [ "${1:-}" = distro ]; then
	if make -s deb-distro; then
		pass "make deb builds the kernel (QEMU's modules) and ratectl packages"
		tests/distro/package_test.sh "$cache/deb-distro" > "$results/packages.tap"
		count_tap "$results/packages.tap" "the Debian packages"
		vm_suite "the packaged kernel" vm-test-distro "$cache/vm/test-distro" \
			distro- "sysfs enforce ratectl"
	else
		fail "make deb builds the kernel (QEMU's modules) and ratectl packages"
	fi
	echo "ratewin: $passed passed, $failed failed"
	[ $failed = 0 ]
	exit
fi

# "run.sh debug" (make test-debug): only the debug kernel and its VM run.
if [ "${1:-}" != debug ]; then
	checks_and_builds
	vm_suite "the patched kernel" vm-test "$cache/vm/test" ""
fi
stage "the debug kernel (KASAN, UBSAN, lockdep, debug objects) builds" make -s kernel-debug
vm_suite "the debug kernel" vm-test-debug "$cache/vm/test-debug" debug-

if [ $skipped -gt 0 ]; then
	echo "ratewin: $passed passed, $failed failed, $skipped skipped"
else
	echo "ratewin: $passed passed, $failed failed"
fi
[ $failed = 0 ]
