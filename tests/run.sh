#!/bin/sh
# run.sh SUITE...: the end-to-end tests of each tool (tests/e2e/TOOL.sh), run
# against the binaries built in tools/; a suite that is not a tool's name
# (tests/e2e/hostile.sh) tests several of them.  Every failure is counted and shown
# as a diff, every skip counted and shown with its reason; the exit status is
# 1 when any test failed.
#
# VALGRIND=1 runs every tool under valgrind (an error is a failure).
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/tests/out
# Each run has its own folder of tool links, so that runs of different
# tools at the same time do not disturb each other.
bin=$out/bin.$$
rm -rf "$bin"
mkdir -p "$bin"
trap 'rm -rf "$bin"' EXIT
for f in "$top"/tools/*; do
	case $f in *.[cho]) continue ;; esac
	[ -f "$f" ] && [ -x "$f" ] || continue
	tool=${f##*/}
	if [ "${VALGRIND:-}" = 1 ]; then
		cat > "$bin/$tool" <<EOT
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-fds=no "$top/tools/$tool" "\$@"
EOT
		chmod +x "$bin/$tool"
	else
		ln -s "$top/tools/$tool" "$bin/$tool"
	fi
done
PATH=$bin:$PATH
export PATH top out
total=0
failed=0
skipped=0
for tool in "$@"; do
	[ -f "$top/tests/e2e/$tool.sh" ] || {
		echo "run.sh: no tests for $tool (tests/e2e/$tool.sh)" >&2
		failed=$((failed + 1))
		continue
	}
	# A scratch folder of this run's own; the log is kept as TOOL.log.
	work=$out/$tool.$$
	rm -rf "$work"
	mkdir -p "$work"
	(cd "$work" && TOOL=$tool sh "$top/tests/lib.sh" \
	    "$top/tests/e2e/$tool.sh") > "$work.log" 2>&1
	r=$?
	mv -f "$work.log" "$out/$tool.log"
	rm -rf "$work"
	n=$(sed -n 's/^RESULT \([0-9]*\) \([0-9]*\) \([0-9]*\)$/\1 \2 \3/p' "$out/$tool.log")
	if [ -z "$n" ]; then
		echo "FAIL $tool: the test script stopped early (exit $r)"
		tail -n 20 "$out/$tool.log"
		failed=$((failed + 1))
		continue
	fi
	nt=${n%% *}
	nf=${n#* }
	nf=${nf% *}
	ns=${n##* }
	total=$((total + nt))
	failed=$((failed + nf))
	skipped=$((skipped + ns))
	grep -v '^RESULT ' "$out/$tool.log"
	echo "$tool: $nt tests, $nf failed, $ns skipped"
done
echo "end-to-end: $total tests, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
