#!/bin/sh
# regen.sh: regenerate every golden vector in tests/data/ from the reference
# libraries (pandas, torch) or the faithful ports in the gen_*.py scripts.
# Needs Debian's python3 with python3-pandas, python3-numpy, python3-torch.
set -e
here=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-/usr/bin/python3}
for g in "$here"/gen_*.py; do
	echo "regen: $(basename "$g")"
	(cd "$here/../.." && "$PY" "$g")
done
