#!/bin/sh
# make demo, inside the booted patched kernel: the ratewin interface as an
# administrator meets it.
cd /sys/kernel/ratewin || exit 1

show() {
	for f in "$@"; do
		[ -f "$f" ] && printf '  %-26s %s\n' "$f" "$(cat "$f")"
	done
}

echo
echo "== $(uname -sr): /sys/kernel/ratewin"
show *
echo
echo "== class1 (of class1..class8)"
show class1/*
echo
echo "== limit class1 to 1 MiB/s of file I/O at all times"
echo "# echo 1048576 > class1/file_rate; echo always > class1/mode"
echo 1048576 > class1/file_rate
echo always > class1/mode
show class1/file_rate class1/mode
echo
echo "== bad writes are refused and change nothing"
for w in "file_thresh_low 99999999" "window_events 0" "class1/mode hard"; do
	set -- $w
	printf '# echo %s > %s: ' "$2" "$1"
	# coreutils' echo names the errno; dash's builtin says only "I/O error"
	/bin/echo "$2" 2>&1 > "$1" | sed 's/.*: //'
done
show file_thresh_low window_events class1/mode
echo
