# Sourced by ratectl's host tests: the kernel's ABI document and the
# selftests' lib.sh that reads it, from the patched tree ($RATEWIN_TREE,
# else $RATEWIN_CACHE/linux, which make tree prepares).
tree=${RATEWIN_TREE:-${RATEWIN_CACHE:-/var/tmp/ratewin}/linux}
RATEWIN_DIR=$tree/tools/testing/selftests/ratewin
RATEWIN_ABI=$tree/Documentation/ABI/testing/sysfs-kernel-ratewin
. "$RATEWIN_DIR/lib.sh"
