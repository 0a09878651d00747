#!/bin/sh
# Build an x86_64 bzImage in BUILD from the source TREE: allnoconfig plus
# the FRAGMENTs, in order. .config is replaced only when the result
# differs, so that an unchanged configuration never triggers a rebuild;
# an option a fragment asks for but Kconfig dropped is an error.
# The caller exports CC (e.g. "ccache gcc") and JOBS.
# Usage: build-kernel.sh TREE BUILD FRAGMENT...
set -eu
tree=$1 build=$2
shift 2
mkdir -p "$build.config" "$build"
cat "$@" > "$build.config/fragment"
make -s -C "$tree" O="$build.config" ARCH=x86_64 allnoconfig \
	KCONFIG_ALLCONFIG="$build.config/fragment"
cmp -s "$build.config/.config" "$build/.config" ||
	cp "$build.config/.config" "$build/.config"
"$(dirname "$0")/config-check.sh" "$build.config/fragment" "$build/.config"
make -s -C "$tree" O="$build" ARCH=x86_64 CC="$CC" -j"$JOBS" bzImage
