#!/bin/sh
# The patch series in patches/ is ratewin's kernel source: there is no other
# copy. To change it, work on it as a git branch, the way kernel patches are
# made, and export the branch back:
#
#   series.sh checkout PRISTINE PATCHDIR WORK
#	WORK becomes a git repository of the whole pristine tree (commit
#	"base", tagged base) with the series applied on it by git am, one
#	commit a patch. Edit, commit, and fold fixes into the patch they
#	belong to (git commit --fixup, git rebase -i --autosquash base).
#   series.sh export WORK PATCHDIR
#	Writes base..HEAD of WORK to PATCHDIR as git format-patch files and
#	PATCHDIR/series (quilt's order), with the author and dates fixed so
#	that the files depend on the changes alone.
#   series.sh normalise PRISTINE PATCHDIR OUT
#	Applies PATCHDIR with git am to the pristine files it touches and
#	exports it to OUT: what export would have written (tests/check-patches.sh
#	compares the two).
set -eu

export GIT_AUTHOR_NAME="ratewin developers" GIT_AUTHOR_EMAIL="dev@ratewin.example.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
DATE="2026-11-24T00:00:00+0000"

# The upstream paths that PATCHDIR's patches touch and that exist in PRISTINE.
touched() {	# PRISTINE PATCHDIR
	(cd "$2" && sed -n 's#^+++ b/##p' $(cat series)) | sort -u | while read -r path; do
		[ ! -f "$1/$path" ] || echo "$path"
	done
}

# git am PATCHDIR's series onto the base commit of the repository WORK.
apply() {	# WORK PATCHDIR
	git -C "$1" -c commit.gpgsign=false am -q --keep-cr $(sed "s#^#$2/#" "$2/series")
}

export_series() {	# WORK PATCHDIR
	work=$1 out=$2
	count=$(git -C "$work" rev-list --count base..HEAD)
	# the same author and dates whoever committed, and when: each commit
	# again, with its tree and message, on the one before
	parent=$(git -C "$work" rev-parse base)
	for commit in $(git -C "$work" rev-list --reverse base..HEAD); do
		parent=$(git -C "$work" show -s --format=%B "$commit" |
			GIT_AUTHOR_DATE=$DATE GIT_COMMITTER_DATE=$DATE \
			git -C "$work" commit-tree "$commit^{tree}" -p "$parent")
	done
	git -C "$work" update-ref -m "series.sh export" HEAD "$parent"
	tmp=$(mktemp -d)
	git -C "$work" format-patch -q --zero-commit --no-signature -o "$tmp" -"$count" HEAD
	rm -f "$out"/*.patch "$out/series"
	mkdir -p "$out"
	mv "$tmp"/*.patch "$out/"
	rmdir "$tmp"
	(cd "$out" && ls -- *.patch) > "$out/series"
}

case ${1:-} in
checkout)
	pristine=$2 patches=$(cd "$3" && pwd) work=$4
	if [ -e "$work" ]; then
		echo "series: $work exists; export it (make series-export) or remove it first" >&2
		exit 1
	fi
	echo "series: copying $pristine into a git repository, $work"
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
	mv "$work.tmp" "$work"
	echo "series: $work has the series as commits on the tag base"
	;;
export)
	export_series "$2" "$3"
	echo "series: $(cat "$3/series" | wc -l) patches written to $3"
	;;
normalise)
	pristine=$2 patches=$(cd "$3" && pwd) out=$4
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	git -C "$work" init -q
	# .gitattributes too: it names the functions in hunk headers
	{ echo .gitattributes; touched "$pristine" "$patches"; } | while read -r path; do
		mkdir -p "$work/$(dirname "$path")"
		cp "$pristine/$path" "$work/$path"
	done
	git -C "$work" add -A
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
