#!/bin/sh
# Build Debian packages of the patched kernel (make bindeb-pkg) from Debian's
# own configuration for 6.12 (the linux-config-6.12 package) with
# CONFIG_RATEWIN=y and the release suffix -ratewin. The packages land in
# BUILD's parent directory.
#
# Debug information (and with it BTF) is off: with it a build on two cores
# takes hours and some 15 GB. DEB_DEBUG_INFO=1 keeps Debian's setting, and
# needs pahole (the dwarves package) for BTF.
#
# MODULES, if given, trims the modules to those a machine uses (make
# localmodconfig): a file of lsmod's output, or "local" for the modules
# loaded here. Built-in options stay as Debian has them. The packages of
# an earlier build in BUILD's parent are removed first.
# Usage: deb-kernel.sh TREE BUILD [MODULES]
set -eu
tree=$1 build=$2 modules=${3:-}
debian_config=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz
cfg=$build.config	# where the configuration is made, as in build-kernel.sh

mkdir -p "$build" "$cfg"
xzcat "$debian_config" > "$cfg/.config"
"$tree/scripts/config" --file "$cfg/.config" --enable RATEWIN --set-str LOCALVERSION -ratewin
if [ "${DEB_DEBUG_INFO:-0}" != 1 ]; then
	echo "deb-kernel: without debug information or BTF (DEB_DEBUG_INFO=1 keeps them)"
	"$tree/scripts/config" --file "$cfg/.config" --enable DEBUG_INFO_NONE \
		--disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT --disable DEBUG_INFO_BTF
fi
make -s -C "$tree" O="$cfg" ARCH=x86_64 olddefconfig
case $modules in
'') ;;
local) lsmod > "$cfg/lsmod" || {
	echo "deb-kernel: lsmod cannot list this machine's modules; give DEB_MODULES=FILE" >&2
	exit 1
} ;;
*) cp "$modules" "$cfg/lsmod" ;;
esac
# localmodconfig ends in an interactive oldconfig; nothing is new by now.
if [ -n "$modules" ]; then
	yes '' | make -s -C "$tree" O="$cfg" ARCH=x86_64 LSMOD="$cfg/lsmod" \
		localmodconfig > "$cfg/localmodconfig.log" 2>&1
	# A name Kconfig does not know (a typo, or a module from elsewhere).
	grep 'not found' "$cfg/localmodconfig.log" >&2 || true
	echo "deb-kernel: $(grep -c '=m$' "$cfg/.config") modules"
fi
for opt in CONFIG_RATEWIN=y CONFIG_JUMP_LABEL=y; do
	grep -qx "$opt" "$cfg/.config" ||
		{ echo "deb-kernel: $opt is not in $cfg/.config" >&2; exit 1; }
done
# Replaced only when it differs, so that an unchanged one rebuilds nothing.
cmp -s "$cfg/.config" "$build/.config" || cp "$cfg/.config" "$build/.config"

# One build's packages in the directory, so that a glob names one kernel.
rm -f "$build"/../linux-*.deb "$build"/../linux-upstream_*

# ccache through its compiler links, so that CC stays the compiler's name
# in every nested make of the packaging.
PATH=/usr/lib/ccache:$PATH make -s -C "$tree" O="$build" ARCH=x86_64 \
	-j"${JOBS:-$(nproc)}" bindeb-pkg
