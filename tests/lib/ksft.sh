# Sourced by the guest's system tests: run each test_NAME function after a
# cleanup, kselftest style, and print TAP. A function returns 0 to pass,
# 4 to skip, anything else to fail; the caller defines cleanup().
# Usage: ksft_run PREFIX NAME...
ksft_run() {
	prefix=$1
	shift
	echo "TAP version 13"
	echo "1..$#"
	n=0
	for t in "$@"; do
		n=$((n + 1))
		cleanup
		"test_$t"
		case $? in
		0) echo "ok $n $prefix$t" ;;
		4) echo "ok $n $prefix$t # SKIP" ;;
		*) echo "not ok $n $prefix$t" ;;
		esac
	done
	cleanup
}
