#!/bin/bash
# What 'make install' puts on a machine, checked in a scratch DESTDIR: the
# binary, a man page that groff reads without a warning, bash completion
# that completes commands, classes and modes, and a systemd unit that
# systemd-analyze accepts. Plain TAP on stdout, ending "N passed, N failed".
# Usage: install_test.sh RATECTL_BUILD_DIR
set -u
BUILD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../../tools/ratectl
DEST=$(mktemp -d)
trap 'rm -rf "$DEST"' EXIT
. "$HERE/../lib/tap.sh"

make -s -C "$SRC" O="$BUILD" DESTDIR="$DEST" install > "$DEST.log" 2>&1
result $? "make install into a DESTDIR"
for f in usr/local/sbin/ratectl usr/local/share/man/man8/ratectl.8 \
	usr/local/share/bash-completion/completions/ratectl \
	etc/systemd/system/ratectl.service \
	usr/local/share/doc/ratectl/ratectl.conf.example; do
	[ -s "$DEST/$f" ]
	result $? "installs /$f"
done
[ -x "$DEST/usr/local/sbin/ratectl" ]
result $? "the installed ratectl is executable"

# groff -ww: every warning; -z: format, print nothing.
warnings=$(groff -ww -b -z -man -Tutf8 "$SRC/ratectl.8" 2>&1)
[ -z "$warnings" ]
result $? "groff -ww reads ratectl.8 without a warning${warnings:+: $warnings}"
for word in status watch set hysteresis window run move classof apply save \
	--sysfs-root --json --bytes --interval --count --file --net --mode \
	--high --low --events --time --min-sleep --max-sleep \
	KiB kB Mbit ns us ms RATECTL_SYSFS_ROOT 126 127 /etc/ratectl.conf; do
	grep -q -- "$(printf '%s' "$word" | sed 's/-/\\\\-/g')" "$SRC/ratectl.8"
	result $? "ratectl.8 documents $word"
done

# Completion, as bash would ask for it.
complete_words() {	# WORD... (the last is the one being completed)
	bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ratectl ratectl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' complete "$DEST/usr/local/share/bash-completion/completions/ratectl" "$@" |
		sort | tr '\n' ' '
}
fake=$(mktemp -d)
"$HERE/fake-sysfs.sh" "$fake/sys"
export RATECTL_SYSFS_ROOT=$fake/sys
[ "$(complete_words ratectl s)" = "save set status " ]
result $? "completes commands"
[ "$(complete_words ratectl set '')" = "1 2 3 4 5 6 7 8 " ]
result $? "completes the kernel's classes"
[ "$(complete_words ratectl set 1 --mode '')" = "always shared " ]
result $? "completes modes"
[ "$(complete_words ratectl hysteresis '')" = "file net " ]
result $? "completes kinds of I/O"
rm -rf "$fake"

unit=$DEST/etc/systemd/system/ratectl.service
grep -q '^ExecStart=/usr/local/sbin/ratectl apply /etc/ratectl.conf$' "$unit"
result $? "the unit applies /etc/ratectl.conf with the installed ratectl"
sed "s|/usr/local/sbin/ratectl|$DEST/usr/local/sbin/ratectl|" "$unit" > "$DEST/ratectl.service"
out=$(systemd-analyze verify --man=no "$DEST/ratectl.service" 2>&1)
[ -z "$out" ]
result $? "systemd-analyze verify accepts the unit${out:+: $out}"

tap_done
