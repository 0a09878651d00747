#!/bin/sh
# Fail when the configuration lost an option the fragment asks for
# (Kconfig drops options whose dependencies are not met, silently). Only
# each option's last word counts: a later "# CONFIG_X is not set" takes
# back an earlier CONFIG_X=y.
# Usage: config-check.sh FRAGMENT CONFIG
set -eu
status=0
wanted=$(sed -n -e 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1=n/p' \
	-e '/^CONFIG_[A-Z0-9_]*=/p' "$1" |
	awk -F= '{ last[$1] = $0 } END { for (k in last) print last[k] }')
for opt in $wanted; do
	case $opt in *=n) continue ;; esac
	if ! grep -qx "$opt" "$2"; then
		echo "config-check: $opt from $1 is not in $2" >&2
		status=1
	fi
done
exit $status
