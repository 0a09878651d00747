#!/bin/sh
# The least a kernel of the series must do (tests/check-series.sh): boot to
# this shell, and show what of ratewin it has.
echo "smoke: $(uname -r) booted"
for f in /sys/kernel/ratewin /proc/self/ratewin_class; do
	if [ -e "$f" ]; then echo "smoke: $f present"; else echo "smoke: $f absent"; fi
done
