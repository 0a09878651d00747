#!/bin/bash
# What make deb made, as dpkg sees it: the kernel package carries a kernel
# built with CONFIG_RATEWIN=y and jump labels, its modules and its
# configuration; the ratectl package installs the tool, man page,
# completion, unit and example where Debian puts them, depends on the
# libraries it links, and its ratectl runs. Plain TAP on stdout.
# Usage: package_test.sh DEBDIR
set -u
debs=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/tap.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

image=$(ls -t "$debs"/linux-image-*-ratewin_*.deb 2>/dev/null | grep -v -- -dbg_ | head -n 1)
ratectl=$(ls -t "$debs"/ratectl_*.deb 2>/dev/null | head -n 1)
[ -n "$image" ]
result $? "make deb made a linux-image package${image:+: ${image##*/}}"
[ -n "$ratectl" ]
result $? "make deb made a ratectl package${ratectl:+: ${ratectl##*/}}"

dpkg-deb -c "$image" | awk '{ print $6 }' > "$scratch/image.list"
release=$(sed -n 's|^\./boot/vmlinuz-||p' "$scratch/image.list")
[ -n "$release" ] && [ "${release%-ratewin}" != "$release" ]
result $? "the kernel's release ends in -ratewin: $release"
for f in "boot/vmlinuz-$release" "boot/config-$release" "boot/System.map-$release" \
	"lib/modules/$release/kernel/fs/ext4/ext4.ko.xz"; do
	grep -qx "\./$f" "$scratch/image.list"
	result $? "the kernel package has /$f"
done
dpkg-deb --fsys-tarfile "$image" | tar -xO "./boot/config-$release" > "$scratch/config"
for opt in CONFIG_RATEWIN=y CONFIG_JUMP_LABEL=y CONFIG_PREEMPT_DYNAMIC=y \
	CONFIG_PROC_FS=y CONFIG_MODULES=y; do
	grep -qx "$opt" "$scratch/config"
	result $? "/boot/config-$release has $opt"
done

dpkg-deb -c "$ratectl" | awk '{ print $6 }' > "$scratch/ratectl.list"
for f in usr/sbin/ratectl usr/share/man/man8/ratectl.8.gz \
	usr/share/bash-completion/completions/ratectl usr/share/zsh/vendor-completions/_ratectl \
	lib/systemd/system/ratectl.service \
	usr/share/doc/ratectl/examples/ratectl.conf usr/share/doc/ratectl/copyright; do
	grep -qx "\./$f" "$scratch/ratectl.list"
	result $? "the ratectl package has /$f"
done
depends=$(dpkg-deb -f "$ratectl" Depends)
case $depends in *libsmartcols1*) true ;; *) false ;; esac
result $? "the ratectl package depends on libsmartcols1: $depends"
dpkg-deb -x "$ratectl" "$scratch/root"
"$scratch/root/usr/sbin/ratectl" --version | grep -q "^ratectl from ratewin $(dpkg-deb -f "$ratectl" Version)$"
result $? "the packaged ratectl runs and reports the package's version"
grep -qx 'ExecStart=/usr/sbin/ratectl apply /etc/ratectl.conf' \
	"$scratch/root/lib/systemd/system/ratectl.service"
result $? "the packaged unit runs the packaged ratectl"
zcat "$scratch/root/usr/share/man/man8/ratectl.8.gz" | groff -ww -b -z -man -Tutf8 2>&1 | grep -q .
[ $? != 0 ]
result $? "the packaged man page reads without a warning"

tap_done
