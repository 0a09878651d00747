#!/bin/sh
# The patch series in patches/ is ratewin's kernel source: there is no other
# copy. To change it, work on it as a git branch, the way kernel patches are
# made, and export the branch back (kernel/README.md says how):
#
#   series.sh checkout PRISTINE PATCHDIR WORK
#	WORK becomes a git repository of the whole pristine tree (commit
#	"base", tagged base) with the series applied on it by git am, one
#	commit a patch. It remembers which patches/ it was made from.
#   series.sh export WORK PATCHDIR
#	Writes base..HEAD of WORK to PATCHDIR as git format-patch files and
#	PATCHDIR/series (quilt's order), with the author and dates fixed so
#	that the files depend on the changes alone. Refuses while WORK has
#	uncommitted changes or a rebase under way, and when PATCHDIR is no
#	longer what WORK was made from (a pull since, or an edit by hand).
#   series.sh normalise PRISTINE PATCHDIR OUT
#	Applies PATCHDIR with git am to the pristine files it touches and
#	exports it to OUT: what export would have written (tests/check-patches.sh
#	compares the two).
set -eu

export GIT_AUTHOR_NAME="ratewin developers" GIT_AUTHOR_EMAIL="dev@ratewin.example.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
# No one's own git configuration may change what is written.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
DATE="2026-11-24T00:00:00+0000"
# temporary directories, removed on the way out however it goes
scratch=
trap 'rm -rf $scratch' EXIT

die() {
	echo "series: $*" >&2
	exit 1
}

# The upstream paths that PATCHDIR's patches touch and that exist in PRISTINE.
touched() {	# PRISTINE PATCHDIR
	(cd "$2" && sed -n 's#^+++ b/##p' $(cat series)) | sort -u | while read -r path; do
		[ ! -f "$1/$path" ] || echo "$path"
	done
}

# What PATCHDIR holds: the export refuses to overwrite anything else.
fingerprint() {	# PATCHDIR
	[ -f "$1/series" ] || die "$1 has no series file"
	(cd "$1" && cat series $(cat series)) | sha256sum
}

# git am PATCHDIR's series onto the base commit of the repository WORK.
apply() {	# WORK PATCHDIR
	(cd "$2" && sed "s#^#$2/#" series) | while read -r patch; do
		git -C "$1" -c commit.gpgsign=false am -q --keep-cr "$patch"
	done
}

export_series() {	# WORK PATCHDIR
	work=$1 out=$2
	[ -z "$(git -C "$work" status --porcelain --untracked-files=no)" ] ||
		die "$work has uncommitted changes: commit them to the patch they belong to"
	[ ! -d "$work/.git/rebase-merge" ] && [ ! -d "$work/.git/rebase-apply" ] ||
		die "$work is in the middle of a rebase or git am"
	count=$(git -C "$work" rev-list --count base..HEAD)
	[ "$count" -gt 0 ] || die "$work has no commits on base"
	[ -z "$(git -C "$work" rev-list --merges base..HEAD)" ] ||
		die "$work has merges on base: a series is a line of commits"
	# the same author and dates whoever committed, and when: each commit
	# again, with its tree and message, on the one before
	parent=$(git -C "$work" rev-parse base)
	for commit in $(git -C "$work" rev-list --reverse base..HEAD); do
		parent=$(git -C "$work" cat-file commit "$commit" | sed '1,/^$/d' |
			GIT_AUTHOR_DATE=$DATE GIT_COMMITTER_DATE=$DATE \
			git -C "$work" commit-tree "$commit^{tree}" -p "$parent")
	done
	git -C "$work" update-ref -m "series.sh export" HEAD "$parent"
	tmp=$(mktemp -d)
	scratch="$scratch $tmp"
	git -C "$work" format-patch -q --zero-commit --no-signature --full-index \
		--numbered --no-cover-letter --suffix=.patch -o "$tmp/new" -"$count" HEAD
	(cd "$tmp/new" && ls -- *.patch) > "$tmp/new/series"
	[ "$(wc -l < "$tmp/new/series")" = "$count" ] || die "format-patch wrote no series"
	# swap in whole: an interrupted export leaves the old series
	mkdir -p "$out"
	rm -rf "$out.old"
	mv "$out" "$out.old"
	mv "$tmp/new" "$out"
	rm -rf "$out.old"
}

case ${1:-} in
checkout)
	pristine=$2 patches=$(cd "$3" && pwd) work=$4
	[ ! -e "$work" ] ||
		die "$work exists: export it (make series-export), or remove it to start again"
	echo "series: copying $pristine into a git repository, $work"
	rm -rf "$work.tmp"
	mkdir -p "$work.tmp"
	(cd "$pristine" && tar -cf - --exclude=.ratewin-stamp .) | tar -xf - -C "$work.tmp"
	git -C "$work.tmp" init -q
	git -C "$work.tmp" add -A -f
	GIT_AUTHOR_DATE=$DATE GIT_COMMITTER_DATE=$DATE \
		git -C "$work.tmp" -c commit.gpgsign=false commit -q -m base
	git -C "$work.tmp" tag base
	# Debian's tree ignores everything at its top level, its packaging's
	# habit: not in this working copy, where new files must show.
	sed -i '/^\/\*$/d; /^!\/debian\/$/d' "$work.tmp/.gitignore"
	git -C "$work.tmp" update-index --skip-worktree .gitignore
	apply "$work.tmp" "$patches"
	fingerprint "$patches" > "$work.tmp/.git/ratewin-patches"
	mv "$work.tmp" "$work"
	echo "series: $work has the series as commits on the tag base"
	;;
export)
	work=$2 out=$3
	[ -f "$work/.git/ratewin-patches" ] || die "$work was not made by series.sh checkout"
	[ "$(fingerprint "$out")" = "$(cat "$work/.git/ratewin-patches")" ] ||
		die "$out changed since $work was made from it: remove $work and check out again"
	export_series "$work" "$out"
	fingerprint "$out" > "$work/.git/ratewin-patches"
	echo "series: $(wc -l < "$out/series") patches written to $out"
	;;
normalise)
	pristine=$2 patches=$(cd "$3" && pwd) out=$4
	work=$(mktemp -d)
	scratch="$scratch $work"
	git -C "$work" init -q
	# .gitattributes too: it names the functions in hunk headers
	{ echo .gitattributes; touched "$pristine" "$patches"; } | while read -r path; do
		mkdir -p "$work/$(dirname "$path")"
		cp "$pristine/$path" "$work/$path"
	done
	git -C "$work" add -A -f
	git -C "$work" -c commit.gpgsign=false commit -q --allow-empty -m base
	git -C "$work" tag base
	apply "$work" "$patches"
	export_series "$work" "$out"
	;;
*)
	echo "usage: series.sh checkout PRISTINE PATCHDIR WORK | export WORK PATCHDIR | normalise PRISTINE PATCHDIR OUT" >&2
	exit 2
	;;
esac
