#!/bin/sh
# tmux.sh: run a command on a terminal of a fixed size and read the screen
# as a person would see it (what is left after the carriage returns, the
# erased lines and the wrapping), through tmux and capture-pane.  For the
# end-to-end tests; each session has a tmux server of its own, so that
# nothing of the user's tmux is touched, and its files are in the current
# folder (NAME.status, NAME.socket: the server's socket path).
#
#   tmux.sh start NAME COLS ROWS 'COMMAND'
#	Start COMMAND (run by sh) on a detached terminal of COLS x ROWS.
#	When it ends, its exit status goes to NAME.status and the terminal
#	stays as it left it, for capture.
#   tmux.sh wait NAME 'PATTERN' [SECONDS]
#	Wait until a row of the screen matches the extended regular
#	expression PATTERN (10 s at most by default); on timeout print the
#	screen and exit 1.
#   tmux.sh wait-exit NAME [SECONDS]
#	Wait until COMMAND has ended and print its exit status; on timeout
#	print the screen and exit 1.
#   tmux.sh capture NAME
#	Print the screen: ROWS lines, trailing blanks dropped.
#   tmux.sh history NAME
#	Print the rows that have scrolled off the top, then the screen.
#   tmux.sh cursor NAME
#	Print the cursor's position on the screen, "COLUMN ROW" from 0 0.
#   tmux.sh keys NAME KEY...
#	Type the keys (tmux send-keys: C-c is Control-C).
#   tmux.sh resize NAME COLS ROWS
#	Give the terminal a new size, as a person dragging the window's
#	corner does: the command gets SIGWINCH.
#   tmux.sh stop NAME
#	End the session, its server and whatever still runs in it.
#
# tmux must be installed (Debian: tmux); "tmux.sh check" exits 1 when it
# is not.
unset TMUX TMUX_PANE
cmd=$1
[ $# -ge 1 ] && shift
name=$1

die() {
	echo "tmux.sh: $*" >&2
	exit 1
}

# tmux on the session's own server.
t() {
	[ -f "$name.socket" ] || die "$name: no such session (tmux.sh start)"
	tmux -S "$(cat "$name.socket")" "$@"
}

# seconds -> tenths, for the polling loops.
tenths() {
	awk -v s="${1:-10}" 'BEGIN { printf "%d\n", s * 10 }'
}

capture() {
	t capture-pane -p -t "$name"
}

case $cmd in
check)
	command -v tmux > /dev/null
	;;
start)
	[ $# = 4 ] || die "usage: tmux.sh start NAME COLS ROWS 'COMMAND'"
	cols=$2 rows=$3 command=$4
	# The server's socket in a short folder: a socket's path is limited
	# to about 100 bytes, and the test's folder may be deep.
	dir=$(mktemp -d "${TMPDIR:-/tmp}/lrkit-tmux.XXXXXX") || exit 1
	echo "$dir/socket" > "$name.socket"
	rm -f "$name.status"
	status=$PWD/$name.status
	# No status bar: every row is the command's, from the start; the
	# command line below is read by sh, whatever the user's shell.
	printf 'set -g status off\nset -g default-size %sx%s\n%s\n' \
	    "$cols" "$rows" 'set -g default-shell /bin/sh' > "$dir/tmux.conf"
	# After COMMAND, its status, then nothing: the screen stays as it
	# was (remain-on-exit would add a line of its own).  The shell
	# that waits outlives a Control-C (a trap, which COMMAND does not
	# inherit, unlike an ignored signal) to write the status.
	t -f "$dir/tmux.conf" new-session -d -s "$name" -x "$cols" \
	    -y "$rows" "trap : INT; sh -c '$(printf '%s' "$command" |
	    sed "s/'/'\\\\''/g")'; echo \$? > '$status.tmp' &&
	    mv '$status.tmp' '$status'; exec sleep 100000" ||
	    die "$name: tmux new-session failed"
	;;
wait)
	pattern=$2
	n=$(tenths "$3")
	i=0
	while [ $i -lt "$n" ]; do
		capture | grep -Eq -e "$pattern" && exit 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "tmux.sh: $name: no row matches \"$pattern\" after ${3:-10} s; the screen:"
	capture | sed 's/^/| /'
	exit 1
	;;
wait-exit)
	n=$(tenths "$2")
	i=0
	while [ $i -lt "$n" ]; do
		if [ -s "$name.status" ]; then
			cat "$name.status"
			exit 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "tmux.sh: $name: still running after ${2:-10} s; the screen:"
	capture | sed 's/^/| /'
	exit 1
	;;
capture)
	capture
	;;
history)
	t capture-pane -p -S - -t "$name"
	;;
cursor)
	t display-message -p -t "$name" '#{cursor_x} #{cursor_y}'
	;;
keys)
	shift
	t send-keys -t "$name" "$@"
	;;
resize)
	[ $# = 3 ] || die "usage: tmux.sh resize NAME COLS ROWS"
	t resize-window -t "$name" -x "$2" -y "$3"
	;;
stop)
	[ -f "$name.socket" ] || exit 0
	sock=$(cat "$name.socket")
	tmux -S "$sock" kill-server 2> /dev/null
	rm -rf "$(dirname "$sock")"
	rm -f "$name.socket"
	;;
*)
	die "usage: tmux.sh check|start|wait|wait-exit|capture|history|cursor|keys|resize|stop NAME ..."
	;;
esac
