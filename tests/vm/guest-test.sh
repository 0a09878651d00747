#!/bin/sh
# Inside the booted patched kernel: run each of the kernel's ratewin
# selftests, installed in BINDIR, and ratectl's end-to-end test, leaving
# each one's KTAP in /tmp/job/NAME.tap for the host to count.
# Usage: guest-test.sh REPO BINDIR
set -u
repo=$1 bin=$2
tests=$bin/ratewin
status=0

export RATEWIN_FIGURES=/tmp/job/figures.txt
# The file cases run on the virtio disk, a fresh ext4.
mkdir -p /tmp/disk && mount /dev/vda /tmp/disk
export RATEWIN_SCRATCH=/tmp/disk/enforce

RATEWIN_KEY_TRACER=required "$tests/sysfs_test" | tee /tmp/job/sysfs.tap
"$tests/throttle_test.sh" | tee /tmp/job/throttle.tap
"$tests/enforce_test.py" | tee /tmp/job/enforce.tap
"$repo/tests/ratectl/e2e_test.sh" "$bin/ratectl" "$tests" | tee /tmp/job/ratectl.tap
"$tests/escape_test.sh" | tee /tmp/job/escape.tap
grep -q '^not ok\|^Bail out' /tmp/job/*.tap && status=1
exit $status
