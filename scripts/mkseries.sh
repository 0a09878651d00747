#!/bin/sh
# Generate the patch series from its single source of truth.
#
#   kernel/             the files the series adds, at their place in the Linux tree
#   series/NNNN.msg     patch NNNN's commit message (subject, blank line, body)
#   series/NNNN.files   the files of kernel/ that patch NNNN adds, one a line
#   series/NNNN.diff    its edits to upstream files (optional, patch -p1)
#
# Usage: mkseries.sh PRISTINE_TREE OUTDIR
# Writes OUTDIR/NNNN-subject.patch (git format-patch) and OUTDIR/series (quilt).
# Author and dates are fixed so that the output depends on the sources only.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
pristine=$1
mkdir -p "$2"
out=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_AUTHOR_NAME="ratewin developers" GIT_AUTHOR_EMAIL="dev@ratewin.example.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2026-11-24T00:00:00+0000" GIT_COMMITTER_DATE="2026-11-24T00:00:00+0000"
git_w() { git -C "$work" -c core.autocrlf=false -c commit.gpgsign=false "$@"; }

# The base commit holds just the upstream files that the edits touch.
git_w init -q
for diff in "$top"/series/*.diff; do
	sed -n 's#^+++ b/##p' "$diff"
done | sort -u | while read -r path; do
	mkdir -p "$work/$(dirname "$path")"
	cp "$pristine/$path" "$work/$path"
done
git_w add -A
git_w commit -q --allow-empty -m base

for msg in "$top"/series/[0-9][0-9][0-9][0-9].msg; do
	n=${msg%.msg}
	while read -r path; do
		mkdir -p "$work/$(dirname "$path")"
		cp "$top/kernel/$path" "$work/$path"
	done < "$n.files"
	if [ -f "$n.diff" ]; then
		patch -s -d "$work" -p1 --no-backup-if-mismatch < "$n.diff"
	fi
	git_w add -A
	git_w commit -q -F "$msg"
done

rm -rf "$out"
mkdir -p "$out"
git_w format-patch -q --zero-commit --no-signature -o "$out" HEAD~"$(ls "$top"/series/*.msg | wc -l)"
(cd "$out" && ls -- *.patch) > "$out/series"
