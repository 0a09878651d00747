#!/bin/sh
# make bench, inside the booted benchmark kernel: see guest.py.
exec python3 "$(dirname "$0")/guest.py" "$@"
