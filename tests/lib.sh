#!/bin/sh
# lib.sh SCRIPT: the helpers end-to-end test scripts use, then SCRIPT.
# Run in a scratch folder; $D is tests/data, $top the source tree.
#
#   t NAME STATUS 'COMMAND' ['STDERR'] <<EOF
#   expected standard output
#   EOF
#	Runs COMMAND with sh; the exit status must be STATUS and the output
#	exactly the here-document.  Standard error must be STDERR when it is
#	given, and empty when it is not and STATUS is 0.
#   tnum NAME 'COMMAND' GOLDEN
#	COMMAND must exit 0 and print the table GOLDEN, numbers compared with
#	a relative tolerance of 1e-12 (tests/numcmp.awk).
#   tok NAME 'SHELL TEST'
#	The shell test must succeed.  When it exits 77 the test is skipped,
#	and the last line it printed says why (`echo "no torch"; exit 77`).
#   skip NAME 'REASON'
#	The test NAME is not run here, for REASON: counted and printed as a
#	skip, neither a pass nor a failure.
# Commands run in a new sh: variables they use must be exported, and helper
# functions must be scripts (put them in ./bin, which is on PATH).
D=$top/tests/data
export D
mkdir -p bin
PATH=$PWD/bin:$PATH
export PATH
ntests=0
nfailed=0
nskipped=0

report() {
	ntests=$((ntests + 1))
	if [ "$1" = ok ]; then
		return
	fi
	nfailed=$((nfailed + 1))
	echo "FAIL $TOOL: $2"
	[ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /' | head -n 40
	# LRKIT_FAIL_FAST=1 (tests/mutate.sh): the first failure ends the suite.
	if [ "${LRKIT_FAIL_FAST:-}" = 1 ]; then
		echo "RESULT $ntests $nfailed $nskipped"
		exit 1
	fi
}

skip() {
	ntests=$((ntests + 1))
	nskipped=$((nskipped + 1))
	echo "SKIP $TOOL: $1: $2"
}

t() {
	name=$1 want=$2 cmd=$3
	cat > expected
	sh -c "$cmd" > got 2> goterr < /dev/null
	st=$?
	msg=
	[ "$st" = "$want" ] || msg="exit status $st, expected $want
$(head -c 2000 goterr)"
	if ! cmp -s expected got; then
		msg="$msg
$(diff -u expected got | head -n 40)"
	fi
	if [ $# -ge 4 ]; then
		printf '%s\n' "$4" > experr
		cmp -s experr goterr || msg="$msg
stderr:
$(diff -u experr goterr | head -n 20)"
	elif [ "$want" = 0 ] && [ -s goterr ]; then
		msg="$msg
unexpected stderr: $(head -c 1000 goterr)"
	fi
	if [ -n "$msg" ]; then
		report fail "$name: $cmd" "$msg"
	else
		report ok
	fi
}

tnum() {
	name=$1 cmd=$2 golden=$3
	sh -c "$cmd" > got 2> goterr < /dev/null
	st=$?
	if [ "$st" != 0 ]; then
		report fail "$name: $cmd" "exit status $st: $(head -c 1000 goterr)"
	elif ! res=$(awk -f "$top/tests/numcmp.awk" "$golden" got 2>&1); then
		report fail "$name: $cmd" "$res"
	else
		report ok
	fi
}

tok() {
	sh -c "$2" > tokout 2>&1 < /dev/null
	case $? in
	0)	report ok ;;
	77)	skip "$1" "$(sed '/^[[:space:]]*$/d' tokout | tail -n 1)" ;;
	*)	report fail "$1: $2" "$(head -c 2000 tokout)" ;;
	esac
}

. "$1"
echo "RESULT $ntests $nfailed $nskipped"
