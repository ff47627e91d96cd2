#!/bin/sh
# run.sh: every benchmark (bench/bench-*.sh), each printing Markdown tables
# of whole-process figures (wall, user, peak RSS) and ratios against peers.
# Record the output in bench/RESULTS.md with the machine's description.
here=$(cd "$(dirname "$0")" && pwd)
echo "# lrkit benchmarks, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo
status=0
for b in "$here"/bench-*.sh; do
	sh "$b" || status=1
done
exit $status
