# Sourced by ratectl's host tests: the kernel's ABI document and the
# selftests' lib.sh that reads it, from the patched tree ($RATEWIN_TREE,
# else $RATEWIN_CACHE/linux, which make tree prepares).
tree=${RATEWIN_TREE:-${RATEWIN_CACHE:-/var/tmp/ratewin}/linux}
RATEWIN_DIR=$tree/tools/testing/selftests/ratewin
RATEWIN_ABI=$tree/Documentation/ABI/testing/sysfs-kernel-ratewin
if [ ! -r "$RATEWIN_ABI" ] || [ ! -r "$RATEWIN_DIR/lib.sh" ]; then
	echo "Bail out! $tree has no ratewin ABI document or selftests: make tree" >&2
	exit 1
fi
. "$RATEWIN_DIR/lib.sh"
