#!/bin/sh
# run.sh: every benchmark (bench/bench-*.sh), each printing Markdown tables
# of whole-process figures (wall, user, peak RSS) and ratios against peers.
# Record the output in bench/RESULTS.md with the machine's description.
here=$(cd "$(dirname "$0")" && pwd)
echo "# lrkit benchmarks, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)$(grep -q '^flags.* hypervisor' /proc/cpuinfo && echo ', virtual machine'), Debian $(cat /etc/debian_version 2>/dev/null || echo '?')"
echo
echo "Peers (Debian packages): $(dpkg-query -W -f '${Package} ${Version}, ' \
    python3-torch python3-pandas python3-numpy python3-matplotlib miller \
    gawk parallel python3 2>/dev/null | sed 's/, $//')"
echo
echo "Load average at the start (1, 5, 15 min): $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo
status=0
for b in "$here"/bench-*.sh; do
	sh "$b" || status=1
done
echo "Load average at the end (1, 5, 15 min): $(cut -d ' ' -f 1-3 /proc/loadavg)"
exit $status
