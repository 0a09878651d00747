#!/bin/sh
# Inside the kernel of make deb's package, booted with its own modules: the
# sysfs selftest, a file and a network throttling case, and ratectl end to
# end with the packaged ratectl, each leaving its KTAP in /tmp/job/NAME.tap.
# Usage: guest.sh REPO BINDIR RATECTL
set -u
repo=$1 bin=$2 ratectl=$3
tests=$bin/ratewin
status=0

echo "# $(uname -r), booted from the package"
export RATEWIN_FIGURES=/tmp/job/figures.txt
RATEWIN_KEY_TRACER=required "$tests/sysfs_test" | tee /tmp/job/sysfs.tap
mkdir -p /tmp/disk && mount /dev/vda /tmp/disk
RATEWIN_SCRATCH=/tmp/disk/enforce "$tests/enforce_test.py" members |
	tee /tmp/job/enforce.tap
"$repo/tests/ratectl/e2e_test.sh" "$ratectl" "$tests" | tee /tmp/job/ratectl.tap
grep -q '^not ok\|^Bail out' /tmp/job/*.tap && status=1
exit $status
