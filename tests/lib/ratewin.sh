# Sourced by the guest's system tests: put /sys/kernel/ratewin back to its
# documented defaults, every class unlimited and shared.
RW=/sys/kernel/ratewin

# Runs a command as nobody. A variable, not a function: "$NOBODY cmd &"
# leaves the command's own PID in $!, where a function's would be a subshell.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
as_nobody() { $NOBODY "$@"; }

ratewin_defaults() {
	for c in 1 2 3 4 5 6 7 8; do
		echo 0 > $RW/class$c/file_rate
		echo 0 > $RW/class$c/net_rate
		echo shared > $RW/class$c/mode
	done
	echo 1 > $RW/enabled
	# the lower of each pair to 0 first, so that every write is accepted
	echo 0 > $RW/file_thresh_low
	echo 0 > $RW/net_thresh_low
	echo 0 > $RW/min_sleep_us
	echo 8388608 > $RW/file_thresh_high
	echo 4194304 > $RW/file_thresh_low
	echo 1048576 > $RW/net_thresh_high
	echo 524288 > $RW/net_thresh_low
	echo 100000 > $RW/max_sleep_us
	echo 1000 > $RW/min_sleep_us
	echo 100 > $RW/window_events
	echo 5000 > $RW/window_ms
}
