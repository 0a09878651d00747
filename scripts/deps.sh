#!/bin/sh
# Install the Debian packages that building and testing ratewin need, and
# any named on the command line, when any of them is missing. Needs root
# then; does nothing otherwise. With --check, only says which are missing
# and fails: only make test, demo, bench and deb install packages.
# QEMU comes from bookworm-backports: before 8.1, multi-threaded TCG can run
# a stale translation of code that another vCPU has just rewritten (fixed by
# QEMU commit deba78709ae8), so a guest kernel with jump labels dies on an
# int3 that is no longer in memory. Debian 12 has 7.2.
# Usage: deps.sh [--check] [PACKAGE...]
set -eu
check=
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi

packages="linux-source-6.12 gcc libc6-dev make patch time bc flex bison
	libelf-dev libssl-dev cpio kmod xz-utils perl python3 git ccache sparse
	busybox-static fio iperf3 iproute2 e2fsprogs strace rsync
	pkg-config libsmartcols-dev liburing-dev groff-base bash-completion zsh systemd $*"

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
qemu=$(dpkg-query -W -f='${Status} ${Version}' qemu-system-x86 2>/dev/null || true)
old_qemu=" qemu-system-x86 (8.1 or later)"
case $qemu in
"install ok installed "*) dpkg --compare-versions "${qemu##* }" ge 1:8.1 && old_qemu= ;;
esac
[ -z "$missing$old_qemu" ] && exit 0

if [ -n "$check" ]; then
	echo "deps: missing Debian packages:$missing$old_qemu; make test installs them" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: only root can install these Debian packages:$missing$old_qemu" >&2
	exit 1
fi
if [ -n "$old_qemu" ]; then
	. /etc/os-release
	if [ "${VERSION_CODENAME:-}" != bookworm ]; then
		echo "deps: QEMU 8.1 or later is needed, from bookworm-backports on Debian 12; this is ${PRETTY_NAME:-not Debian 12}: install it and run again" >&2
		exit 1
	fi
	grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d ||
		cat > /etc/apt/sources.list.d/ratewin-backports.sources <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi
echo "deps: installing$missing${old_qemu:+ qemu-system-x86 (bookworm-backports)}"
apt-get update -qq
export DEBIAN_FRONTEND=noninteractive
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing
# -t, not qemu-system-x86/bookworm-backports: that takes only the named
# package from backports, and its own dependencies (qemu-system-common,
# seabios...) must come from there too. In a command of its own, so that
# nothing else is taken from backports.
[ -z "$old_qemu" ] ||
	apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-x86
