#!/bin/sh
# Fail if the guest kernel complained: warnings, bugs, lockdep reports,
# sleeping in atomic context, hung tasks, RCU stalls, KASAN, UBSAN and
# debug-objects reports.
# Usage: check-dmesg.sh DMESG
set -eu
if [ ! -s "$1" ]; then
	echo "check-dmesg: $1 is missing or empty" >&2
	exit 1
fi
pattern='WARNING:|BUG:|Oops|Call Trace:|UBSAN|KASAN|ODEBUG|list_add corruption|list_del corruption'
pattern="$pattern|possible circular locking|possible recursive locking|inconsistent lock state"
pattern="$pattern|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator"
pattern="$pattern|sleeping function called from invalid context|INFO: task .* blocked"
pattern="$pattern|self-detected stall|rcu: INFO|soft lockup|hard LOCKUP"
if grep -E "$pattern" "$1"; then
	echo "check-dmesg: the guest kernel reported the lines above" >&2
	exit 1
fi
