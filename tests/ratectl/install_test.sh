#!/bin/bash
# What 'make install' puts on a machine, checked in a scratch DESTDIR: the
# binary, a man page that groff reads without a warning and that documents
# every command and option, bash completion that completes commands,
# classes, modes and columns, zsh completion that zsh loads, and a systemd
# unit that systemd-analyze accepts. Plain TAP on stdout, ending "N passed, N failed".
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
	usr/local/share/zsh/site-functions/_ratectl \
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
for word in status watch members ps set hysteresis window enable disable reset \
	run move classof apply save help self \
	--sysfs-root --proc-root --json --bytes --units --output --output-all \
	--noheadings --raw --pairs --interval --count --file --net --mode --class \
	--high --low --events --time --min-sleep --max-sleep \
	KiB kB Mbit ns us ms max infinity none unlimited USE% HELD \
	RATECTL_SYSFS_ROOT RATECTL_PROC_ROOT RATECTL_LOCK /run/ratectl.lock \
	125 126 127 /etc/ratectl.conf ExecReload runuser setpriv; do
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
export RATECTL_SYSFS_ROOT=$fake/sys PATH=$DEST/usr/local/sbin:$PATH
[ "$(complete_words ratectl s)" = "save set status " ]
result $? "completes commands"
[ "$(complete_words ratectl r)" = "reset run " ]
result $? "completes the new commands"
[ "$(complete_words ratectl members '')" = "1 2 3 4 5 6 7 8 " ]
result $? "completes members' classes"
[ "$(complete_words ratectl status -o CLASS,US)" = "CLASS,USE% " ]
result $? "completes -o's columns after a comma"
[ "$(complete_words ratectl watch --units '')" = "bits bytes iec si " ]
result $? "completes unit systems"
[ "$(complete_words ratectl run --file 1M --mo)" = "--mode " ]
result $? "completes run's one-off options"
[ "$(complete_words ratectl classof --j)" = "--json " ]
result $? "completes classof --json"
[ "$(complete_words ratectl help wat)" = "watch " ]
result $? "completes help's commands"
[ "$(complete_words ratectl set '')" = "1 2 3 4 5 6 7 8 " ]
result $? "completes the kernel's classes"
[ "$(complete_words ratectl set 1 --mode '')" = "always shared " ]
result $? "completes modes"
[ "$(complete_words ratectl hysteresis '')" = "file net " ]
result $? "completes kinds of I/O"

# What zsh's completion offers: its helpers and specifications, with the
# functions that take candidates replaced by ones that print them.
zsh_complete() {	# COMMAND...: run in zsh once _ratectl is loaded
	RATECTL_SYSFS_ROOT=$fake/sys zsh -f -c '
		_describe() { print -rl -- "${(@P)${@[-1]}}" }
		_alternative() { print -rl -- "$@" }
		_arguments() { print -rl -- "$@"; [[ $1 == -C ]] && state=argument; return 1 }
		source "$1" > /dev/null
		shift
		"$@"' zsh "$DEST/usr/local/share/zsh/site-functions/_ratectl" "$@"
}
[ "$(zsh_complete _ratectl_classes | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 " ]
result $? "zsh completes the kernel's classes"
[ "$(zsh_complete _ratectl_classes -X class -0 | tr '\n' ' ')" = "0 1 2 3 4 5 6 7 8 " ]
result $? "zsh completes class 0 too where a process may be put there"
zsh_complete eval 'words=(run ""); _ratectl' > "$DEST.specs"
grep -qx '1:class:_ratectl_classes -0' "$DEST.specs" &&
	grep -qx '(1)--file=\[file I/O limit\]:rate' "$DEST.specs" &&
	grep -qx '\*:::command:_normal' "$DEST.specs"
result $? "zsh completes run CLASS COMMAND, and run --file RATE COMMAND"
zsh_complete eval 'words=(classof ""); _ratectl' | grep -qx '\*:process:_ratectl_processes' &&
	[ "$(zsh_complete _ratectl_processes | tr '\n' ' ')" = "processes:process ID:_pids self:ratectl itself:(self) " ]
result $? "zsh completes process IDs and self for classof"
rm -rf "$fake"

# zsh finds the completion where make install put it and binds it.
zsh -f -c "fpath=($DEST/usr/local/share/zsh/site-functions \$fpath)
	autoload -Uz compinit && compinit -u -d $DEST/zcompdump
	[[ \$_comps[ratectl] == _ratectl ]]" 2> "$DEST.zsh"
result $? "zsh binds ratectl to _ratectl$(cat "$DEST.zsh")"

unit=$DEST/etc/systemd/system/ratectl.service
grep -q '^ExecStart=/usr/local/sbin/ratectl apply /etc/ratectl.conf$' "$unit"
result $? "the unit applies /etc/ratectl.conf with the installed ratectl"
grep -q '^ExecReload=/usr/local/sbin/ratectl apply /etc/ratectl.conf$' "$unit"
result $? "systemctl reload ratectl applies /etc/ratectl.conf again"
sed "s|/usr/local/sbin/ratectl|$DEST/usr/local/sbin/ratectl|" "$unit" > "$DEST/ratectl.service"
out=$(systemd-analyze verify --man=no "$DEST/ratectl.service" 2>&1)
[ -z "$out" ]
result $? "systemd-analyze verify accepts the unit${out:+: $out}"

tap_done
