#!/bin/sh
# Inside the kernel of make deb's package, booted with its own modules: the
# sysfs test, a file and a network throttling case, and ratectl end to end
# with the packaged ratectl, each leaving its TAP in /tmp/job/NAME.tap.
# Usage: guest.sh REPO BINDIR RATECTL
set -u
repo=$1 bin=$2 ratectl=$3
status=0

echo "# $(uname -r), booted from the package"
RATEWIN_KEY_TRACER=required \
	"$bin/sysfs_test" "$bin/sysfs-kernel-ratewin" |
	tee /tmp/job/sysfs.tap
mkdir -p /tmp/disk && mount /dev/vda /tmp/disk
RATEWIN_BIN=$bin python3 "$repo/tests/vm/enforce_test.py" /tmp/disk/enforce members |
	tee /tmp/job/enforce.tap
"$repo/tests/ratectl/e2e_test.sh" "$ratectl" | tee /tmp/job/ratectl.tap
grep -q '^not ok\|^Bail out' /tmp/job/*.tap && status=1
exit $status
