#!/bin/sh
# Boot a kernel under QEMU (TCG) with the host's root filesystem shared
# read-only and JOBDIR shared read-write, run SCRIPT ARGS... inside it as
# root, and leave in JOBDIR what the guest wrote there, its console.log and
# its dmesg. Exits with the script's status (124 if the VM timed out).
# The guest has tmpfs on /tmp, /run and /root; each --share DIR is mounted
# read-only at its own path again, so that a clone under /tmp stays visible.
# Each --disk IMAGE becomes a virtio disk (vda, vdb, ...).
# $RATEWIN_VM_CMDLINE is added to the kernel's command line, and
# $RATEWIN_QEMU_OPTS to QEMU's.
# Usage: boot.sh [--share DIR | --disk IMAGE]... BZIMAGE INITRAMFS JOBDIR SCRIPT [ARGS...]
set -eu
shares= drives=
while :; do
	case $1 in
	--share) shares="$shares $(realpath "$2")" ;;
	--disk) drives="$drives -drive file=$(realpath "$2"),format=raw,if=virtio" ;;
	*) break ;;
	esac
	shift 2
done
kernel=$1 initramfs=$2 job=$3 script=$(realpath "$4")
shift 4

rm -rf "$job"
mkdir -p "$job"
virtfs=
n=0
for dir in $shares; do
	n=$((n + 1))
	echo "share$n $dir" >> "$job/shares"
	virtfs="$virtfs -virtfs local,path=$dir,mount_tag=share$n,security_model=none,readonly=on,multidevs=remap"
done
{
	printf 'exec /bin/sh %s' "$script"
	for arg in "$@"; do printf " '%s'" "$arg"; done
	printf '\n'
} > "$job/run"

# Words with '=' on the command line would become init's environment.
timeout "${RATEWIN_VM_TIMEOUT:-1800}" qemu-system-x86_64 -accel tcg -m 2048 -smp 2 ${RATEWIN_QEMU_OPTS:-} \
	-nographic -no-reboot -kernel "$kernel" -initrd "$initramfs" \
	-append "console=ttyS0 panic=-1 quiet ${RATEWIN_VM_CMDLINE:-}" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$job",mount_tag=job,security_model=none,multidevs=remap $virtfs $drives \
	< /dev/null 2>&1 | tee "$job/console.log" | sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g'
status=$(sed -n 's/^ratewin-vm: job exited with status \([0-9]*\).*/\1/p' "$job/console.log")
exit "${status:-124}"
