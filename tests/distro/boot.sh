#!/bin/sh
# make test-distro: unpack the newest packages of make deb, build an
# initramfs that loads the kernel package's own modules (tests/distro/lsmod,
# the drivers a QEMU guest needs), and run tests/distro/guest.sh in that
# kernel with DISK, a fresh ext4 image, as its virtio disk.
# Usage: boot.sh DEBDIR VMDIR DISK JOBDIR
set -eu
PATH=$PATH:/usr/sbin:/sbin	# depmod
debs=$1 vm=$2 disk=$3 job=$4
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$debs/unpacked
image=$(ls -t "$debs"/linux-image-*-ratewin_*.deb | grep -v -- -dbg_ | head -n 1)
ratectl=$(ls -t "$debs"/ratectl_*.deb | head -n 1)

rm -rf "$work"
mkdir -p "$work/root" "$work/initramfs/etc"
dpkg-deb -x "$image" "$work/root"
dpkg-deb -x "$ratectl" "$work/root"
release=$(ls "$work/root/lib/modules")
echo "test-distro: $(basename "$image"), $(basename "$ratectl"), kernel $release"
grep -qx CONFIG_RATEWIN=y "$work/root/boot/config-$release"

# busybox's modprobe reads plain modules and kmod's modules.dep.
mkdir -p "$work/initramfs/lib/modules"
cp -a "$work/root/lib/modules/$release" "$work/initramfs/lib/modules/"
find "$work/initramfs/lib/modules" -name '*.ko.xz' -exec xz -d {} +
depmod -b "$work/initramfs" "$release"
# All of them at boot: after switch_root the root is the host's, which has
# no /lib/modules for this kernel, so nothing can be loaded on demand and
# lsmod must list every module a test in guest.sh needs.
sed 1d "$repo/tests/distro/lsmod" | cut -d' ' -f1 > "$work/initramfs/etc/ratewin-modules"
"$repo/tests/vm/mkinitramfs.sh" "$debs/build-kernel/usr/gen_init_cpio" \
	"$work/initramfs.cpio.gz" "$work/initramfs"

"$repo/tests/vm/boot.sh" --share "$repo" --share "$vm/bin" --share "$work/root" \
	--disk "$disk" "$work/root/boot/vmlinuz-$release" \
	"$work/initramfs.cpio.gz" "$job" "$repo/tests/distro/guest.sh" \
	"$repo" "$vm/bin" "$work/root/usr/sbin/ratectl"
