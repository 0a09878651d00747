#!/bin/sh
# Fail when the configuration lost an option the fragment asks for
# (Kconfig drops options whose dependencies are not met, silently).
# Usage: config-check.sh FRAGMENT CONFIG
set -eu
status=0
for opt in $(grep -E '^CONFIG_[A-Z0-9_]+=' "$1"); do
	if ! grep -qx "$opt" "$2"; then
		echo "config-check: $opt from $1 is not in $2" >&2
		status=1
	fi
done
exit $status
