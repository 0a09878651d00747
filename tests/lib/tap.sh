# Sourced by the host's shell tests: one TAP line a check, and at the end
# the plan and the summary CI reads, "N passed, N failed".
tap_passed=0 tap_failed=0 tap_n=0

# result STATUS DESCRIPTION: STATUS 0 passes. A failure shows $TAP_DETAILS,
# files of diagnostics, when set.
result() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		tap_passed=$((tap_passed + 1))
		echo "ok $tap_n - $2"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $2"
		[ -n "${TAP_DETAILS:-}" ] && sed 's/^/# /' $TAP_DETAILS 2>/dev/null | head -n 10
	fi
	return 0
}

tap_done() {
	echo "1..$tap_n"
	echo "# $tap_passed passed, $tap_failed failed"
	[ $tap_failed = 0 ]
}
