#!/bin/sh
# make demo, inside the booted patched kernel.
exec python3 "$(dirname "$0")/demo.py"
