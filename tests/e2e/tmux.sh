# tests/tmux.sh, the helper that runs a tool on a terminal under tmux and
# reads the screen as a person sees it, tested on printf and sh alone.
# Skipped, saying so, where tmux is not installed.
if ! sh "$top/tests/tmux.sh" check; then
	echo "SKIP tmux: tmux is not installed (apt-get install tmux)"
	return 0
fi
printf '#!/bin/sh\nexec sh "$top/tests/tmux.sh" "$@"\n' > bin/tmux.sh
chmod +x bin/tmux.sh

# What a carriage return and an erase to the end of the line leave: the
# screen, not the bytes.
t 'a carriage return and an erase, as the screen shows them' 0 '
	tmux.sh start a 40 5 "printf \"hello\\rHE\\033[K\\nworld\\n\""
	st=$(tmux.sh wait-exit a) && tmux.sh capture a && tmux.sh cursor a
	tmux.sh stop a; echo "status $st"' <<'EOF'
HE
world



0 2
status 0
EOF

t 'the terminal has the size asked for' 0 '
	tmux.sh start b 33 4 "stty size; tput cols"
	tmux.sh wait-exit b > /dev/null && tmux.sh capture b; tmux.sh stop b' <<'EOF'
4 33
33


EOF

t 'wait: a row that comes later; stop ends the command' 0 '
	tmux.sh start c 40 3 "sleep 0.5; echo ready; sleep 600"
	tmux.sh wait c "^ready\$" 20 && echo found
	sock=$(cat c.socket); tmux.sh stop c
	tmux -S "$sock" has-session 2> /dev/null || echo "no server"
	[ -e c.socket ] || echo "no socket file"
	[ -e c.status ] || echo "no status: it was stopped"' <<'EOF'
found
no server
no socket file
no status: it was stopped
EOF

t 'wait: a row that never comes, after the time given' 1 '
	tmux.sh start d 40 3 "echo nothing here; sleep 600"
	tmux.sh wait d "^nothing" 20 > /dev/null &&
	    tmux.sh wait d "never" 0.5; st=$?; tmux.sh stop d; exit $st' <<'EOF'
tmux.sh: d: no row matches "never" after 0.5 s; the screen:
| nothing here
| 
| 
EOF

t 'wait-exit: the exit status; history: the rows scrolled off' 0 '
	tmux.sh start e 20 2 "seq 5; exit 3"
	tmux.sh wait-exit e; tmux.sh history e; tmux.sh stop e' <<'EOF'
3
1
2
3
4
5

EOF

t 'wait-exit: still running after the time given' 1 '
	tmux.sh start f 20 2 "echo busy; sleep 600"
	tmux.sh wait f busy 20 && tmux.sh wait-exit f 0.3; st=$?
	tmux.sh stop f; exit $st' <<'EOF'
tmux.sh: f: still running after 0.3 s; the screen:
| busy
| 
EOF

# The terminal echoes the Control-C as ^C, as a person sees it.
t 'keys: Control-C reaches the command' 0 '
	tmux.sh start g 40 3 "trap \"echo caught; exit 5\" INT; echo armed; while :; do sleep 0.1; done"
	tmux.sh wait g armed 20 && tmux.sh keys g C-c && tmux.sh wait-exit g 20
	tmux.sh capture g; tmux.sh stop g' <<'EOF'
5
armed
^Ccaught

EOF

# A window made smaller: the command is told (SIGWINCH) and reads the
# new size.
t 'resize: the terminal takes the new size, the command gets SIGWINCH' 0 '
	tmux.sh start r 40 6 "trap \"stty size; exit 0\" WINCH; echo armed; while :; do sleep 0.1; done"
	tmux.sh wait r armed 20 && tmux.sh resize r 30 5 && tmux.sh wait-exit r 20
	tmux.sh capture r; tmux.sh stop r' <<'EOF'
0
armed
5 30



EOF

# The tests' tools are found as in any test: the command has this
# folder and this environment.
t 'the command runs here, with this environment' 0 '
	LRKIT_TMUX_TEST=seen tmux.sh start h 60 3 "[ \"\$(pwd)\" = \"$PWD\" ] && echo \$LRKIT_TMUX_TEST; command -v tmux.sh"
	tmux.sh wait-exit h > /dev/null && tmux.sh capture h | sed "s|$PWD/||"; tmux.sh stop h' <<'EOF'
seen
bin/tmux.sh

EOF
