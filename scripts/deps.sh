#!/bin/sh
# Install the Debian packages that building and testing ratewin need, and
# any named on the command line, when any of them is missing. Needs root
# then; does nothing otherwise.
# Usage: deps.sh [PACKAGE...]
set -eu

packages="linux-source-6.12 gcc libc6-dev make patch time bc flex bison
	libelf-dev libssl-dev cpio kmod xz-utils perl python3 git ccache sparse
	qemu-system-x86 busybox-static fio iperf3 iproute2 e2fsprogs strace
	pkg-config libsmartcols-dev liburing-dev groff-base bash-completion systemd $*"

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: these Debian packages are missing and only root can install them:$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
