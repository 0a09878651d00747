#!/bin/sh
# Inside the booted patched kernel: run each system test, leaving its TAP
# in /tmp/job/NAME.tap for the host to count.
# Usage: guest-test.sh REPO BINDIR
set -u
repo=$1 bin=$2
status=0

RATEWIN_KEY_TRACER=required \
	"$bin/sysfs_test" "$bin/sysfs-kernel-ratewin" |
	tee /tmp/job/sysfs.tap
"$repo/tests/vm/throttle_test.sh" | tee /tmp/job/throttle.tap
# The file cases run on the virtio disk, a fresh ext4.
mkdir -p /tmp/disk && mount /dev/vda /tmp/disk
RATEWIN_BIN=$bin python3 "$repo/tests/vm/enforce_test.py" /tmp/disk/enforce | tee /tmp/job/enforce.tap
"$repo/tests/ratectl/e2e_test.sh" "$bin/ratectl" | tee /tmp/job/ratectl.tap
"$repo/tests/vm/escape_test.sh" | tee /tmp/job/escape.tap
grep -q '^not ok\|^Bail out' /tmp/job/*.tap && status=1
exit $status
