#!/bin/sh
# Run each libFuzzer harness for a fixed time, seeded from the corpus in
# the repository; new inputs go to OUT/corpus-NAME, a crashing input to
# OUT/crash-NAME-*. Ends with "fuzz: N passed, N failed".
# Usage: run.sh BUILD_DIR OUT SECONDS
set -u
build=$1 out=$2 seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0

mkdir -p "$out"
for name in units config; do
	mkdir -p "$out/corpus-$name"
	# -close_fd_mask=2: the parsers' warnings about bad input are noise here
	"$build/fuzz_$name" -max_total_time="$seconds" -close_fd_mask=2 \
		-artifact_prefix="$out/crash-$name-" -print_final_stats=1 \
		"$out/corpus-$name" "$here/corpus/$name" > "$out/$name.log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
	if [ $status = 0 ]; then
		passed=$((passed + 1))
		echo "ok - fuzz_$name: ${runs:-?} inputs in $seconds s, no crash"
	else
		failed=$((failed + 1))
		echo "not ok - fuzz_$name: exit $status after ${runs:-?} inputs; see $out/$name.log"
		grep -m 5 'ERROR\|SUMMARY\|Test unit written' "$out/$name.log" | sed 's/^/# /'
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed = 0 ]
