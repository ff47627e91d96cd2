# Hostile inputs for every tool: empty input, a header alone, binary
# garbage, a 5 MB field, 100 000 columns, an unterminated quote, ragged
# rows, lr <= 0, 1e400, NaN everywhere, duplicate and non-UTF-8 column
# names, a NUL or escape sequences in a cell, a full disk, a closed pipe,
# an unreadable file among several.  Each must end with status 0, 1 or 2
# and a precise message: never a crash, a hang or a wrong number.
#
# Every command runs under bin/to, which gives it 20 seconds (300 under
# valgrind) and says so on stderr when it hangs or dies of a signal other
# than SIGPIPE; that text then breaks the pinned stderr of the test.
C=$top/tests/children
S=$D/sweep/sched6.csv
export C S

cat > bin/to <<'EOF'
#!/bin/sh
# to CMD...: CMD with a time limit; a hang or a death by a signal other
# than SIGPIPE is reported on stderr.
limit=20
[ "${VALGRIND:-}" = 1 ] && limit=300
timeout -k 5 "$limit" "$@"
st=$?
if [ "$st" = 124 ] || [ "$st" = 137 ]; then
	echo "to: $1: still running after $limit s" >&2
elif [ "$st" -gt 128 ] && [ "$st" != 141 ]; then
	echo "to: $1: killed by signal $((st - 128))" >&2
fi
exit "$st"
EOF
# closed CMD...: CMD writing into a pipe closed after one byte (| head -c 1);
# exits 0 when CMD ended quietly (status 0 or SIGPIPE), else with its status.
cat > bin/closed <<'EOF'
#!/bin/sh
{ to "$@"; echo $? > closed.status; } | head -c 1 > /dev/null
st=$(cat closed.status)
[ "$st" = 141 ] && st=0
exit "$st"
EOF
# status CMD...: CMD with its standard output in ./o; prints the exit
# status and the size and checksum of the output (for the big ones).
cat > bin/status <<'EOF'
#!/bin/sh
to "$@" > o
st=$?
echo "exit $st"
cksum < o
EOF
chmod +x bin/to bin/closed bin/status

# ---- the inputs
: > empty.csv
printf 'lr,loss\n' > header.csv
printf "$(awk 'BEGIN { s = 1; for (i = 0; i < 4096; i++) {
	s = (s * 16807) % 2147483647; printf "\\%03o", s % 256 } }')" > garbage.bin
head -c 5000000 /dev/zero | tr '\0' x > 5mb
{ printf 'lr,loss,note\n0.001,2,'; cat 5mb; printf '\n0.01,1,y\n'; } > bigfield.csv
{ printf 'lr,loss\n0.001,'; cat 5mb; printf '\n'; } > bigloss.csv
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "c%d,", i; print "lr,loss";
	for (r = 0; r < 2; r++) { for (i = 1; i <= 100000; i++) printf "%d,", i
	print (r ? "0.01,1" : "0.001,2") } }' > wide.csv
printf 'lr,loss\n0.001,"2\n0.01,1\n' > unterm.csv
printf 'lr,loss\n0.001,2\n0.01\n0.1,1,3\n' > ragged.csv
awk 'BEGIN { print "lr,loss"; for (i = 0; i < 30; i++)
	printf "%s,%d\n", (i == 12 ? "-0.5" : i == 13 ? "0" : 10^(i/5-7)), 30 - i }' > lrneg.csv
printf 'lr,loss\n0.001,2\n0.01,1e400\n' > huge.csv
printf 'lr,loss\n1e400,2\n' > hugelr.csv
awk 'BEGIN { print "lr,loss"; for (i = 0; i < 30; i++) print "nan,nan" }' > nan.csv
awk 'BEGIN { print "lr,loss"; for (i = 0; i < 30; i++) print 10^(i/5-7) ",NaN" }' > nanloss.csv
printf 'lr,loss,loss\n0.001,2,5\n0.01,1,6\n' > dup.csv
printf 'lr,lr,loss\n0.001,5,2\n0.01,6,1\n' > duplr.csv
printf 'lr,l\377oss\376\n0.001,2\n0.01,1\n' > nonutf.csv
printf 'lr,loss\n0.001,2\0009\n' > nul.csv
printf 'lr,loss\n0.001,\033]0;owned\007\033[2J\n' > esc.csv
awk 'BEGIN { print "lr,loss"; for (i = 1; i <= 200000; i++)
	print 1e-7 * 1.0001^i "," 1 / i }' > long.csv
awk 'BEGIN { print "lr,loss"; for (i = 0; i < 30; i++)
	print 10^(i/5-7) "," (i - 15)^2 / 100 + 1 }' > good.csv
mkdir -p adir
export H=$PWD
# How the tools name the garbage's first line (its header) in a message:
# bytes that are not UTF-8 as \xNN, the one valid sequence (U+0588) kept.
gh=$(printf '%s\326\210%s' '\xa7\xf1\xd9*\x82\xc8\xd8\xfeCM\x98U\x8c\xe2\xb3G\x17\x11\x98T/\x11-\x05X\xf5k' '\x07\x99\x92H3bA\xf3')

# ---- ema-smooth
t 'ema-smooth: empty input' 0 'to ema-smooth empty.csv' <<'EOF'
EOF
t 'ema-smooth: header only' 0 'to ema-smooth header.csv' <<'EOF'
lr,loss,loss_smooth
EOF
t 'ema-smooth: binary garbage' 1 'to ema-smooth garbage.bin' \
    "ema-smooth: garbage.bin: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: $gh" <<'EOF'
EOF
t 'ema-smooth: a 5 MB field passes through' 0 \
    'status ema-smooth bigfield.csv; sed -n 3p o; sed -n 2p o | cut -d, -f 3 | tr -d "\n" | cmp - 5mb' <<'EOF'
exit 0
1615556989 5000063
0.01,1,y,1.494949494949495
EOF
t 'ema-smooth: a 5 MB loss cell is cut in the message' 1 'to ema-smooth bigloss.csv' \
    'ema-smooth: bigloss.csv:2: loss: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." is not a number' <<'EOF'
lr,loss,loss_smooth
EOF
t 'ema-smooth: 100 000 columns' 0 \
    'status ema-smooth wide.csv; cut -d, -f 100001- o' <<'EOF'
exit 0
1262557504 1866740
lr,loss,loss_smooth
0.001,2,2
0.01,1,1.494949494949495
EOF
t 'ema-smooth: unterminated quote' 1 'to ema-smooth unterm.csv' \
    'ema-smooth: unterm.csv:2: unterminated quoted field' <<'EOF'
lr,loss,loss_smooth
EOF
t 'ema-smooth: ragged rows' 1 'to ema-smooth ragged.csv' \
    'ema-smooth: ragged.csv:3: 1 cell where the header has 2' <<'EOF'
lr,loss,loss_smooth
0.001,2,2
EOF
t 'ema-smooth: lr <= 0 does not matter to it' 0 \
    'to ema-smooth lrneg.csv | cut -d, -f 3 > neg.out && sed "s/^[^,]*,/1,/" lrneg.csv | to ema-smooth | cut -d, -f 3 | cmp - neg.out && sed -n 14,15p lrneg.csv' <<'EOF'
-0.5,18
0,17
EOF
t 'ema-smooth: 1e400 is out of range' 1 'to ema-smooth huge.csv' \
    'ema-smooth: huge.csv:3: loss: "1e400" is not a number' <<'EOF'
lr,loss,loss_smooth
0.001,2,2
EOF
t 'ema-smooth: NaN everywhere' 0 'to ema-smooth nan.csv | uniq -c' <<'EOF'
      1 lr,loss,loss_smooth
     30 nan,nan,nan
EOF
t 'ema-smooth: NaN everywhere, propagate' 0 \
    'to ema-smooth --nan propagate nan.csv | sed -n 2p' <<'EOF'
nan,nan,nan
EOF
t 'ema-smooth: duplicate loss columns' 1 'to ema-smooth dup.csv' \
    'ema-smooth: dup.csv: loss column "loss" is ambiguous: columns 2 and 3 have that name; the header is: lr, loss, loss' <<'EOF'
EOF
t 'ema-smooth: a duplicate column named by number' 0 'to ema-smooth -y 3 dup.csv' <<'EOF'
lr,loss,loss,loss_smooth
0.001,2,5,5
0.01,1,6,5.505050505050505
EOF
t 'ema-smooth: non-UTF-8 names in the message' 1 'to ema-smooth nonutf.csv' \
    'ema-smooth: nonutf.csv: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: lr, l\xffoss\xfe' <<'EOF'
EOF
t 'ema-smooth: non-UTF-8 names pass through' 0 \
    'to ema-smooth -y 2 nonutf.csv | od -An -c | sed -n 1p' <<'EOF'
   l   r   ,   l 377   o   s   s 376   ,   l 377   o   s   s 376
EOF
t 'ema-smooth: a NUL in a number' 1 'to ema-smooth nul.csv' \
    'ema-smooth: nul.csv:2: loss: "2\x009" is not a number' <<'EOF'
lr,loss,loss_smooth
EOF
t 'ema-smooth: escape sequences in a cell stay out of the terminal' 1 \
    'to ema-smooth esc.csv' \
    'ema-smooth: esc.csv:2: loss: "\x1b]0;owned\x07\x1b[2J" is not a number' <<'EOF'
lr,loss,loss_smooth
EOF
t 'ema-smooth: a full disk' 1 'to ema-smooth good.csv > /dev/full' \
    'ema-smooth: write error: No space left on device' <<'EOF'
EOF
t 'ema-smooth --help: a full disk' 1 'to ema-smooth --help > /dev/full' \
    'ema-smooth: write error: No space left on device' <<'EOF'
EOF
t 'ema-smooth: a closed pipe' 0 'closed ema-smooth long.csv' <<'EOF'
EOF
t 'ema-smooth: a missing file among several' 0 \
    'status ema-smooth good.csv missing.csv good.csv; wc -l < o' \
    'ema-smooth: missing.csv: No such file or directory' <<'EOF'
exit 1
1689257151 2020
61
EOF
t 'ema-smooth: a folder among several' 0 \
    'status ema-smooth good.csv adir good.csv; wc -l < o' \
    'ema-smooth: adir: read error: Is a directory' <<'EOF'
exit 1
1689257151 2020
61
EOF

# ---- lr-suggest
t 'lr-suggest: empty input' 1 'to lr-suggest empty.csv' \
    'lr-suggest: empty.csv: the input is empty' <<'EOF'
EOF
t 'lr-suggest: header only' 1 'to lr-suggest header.csv' \
    'lr-suggest: header.csv: the input has no rows' <<'EOF'
EOF
t 'lr-suggest: binary garbage' 1 'to lr-suggest garbage.bin' \
    "lr-suggest: garbage.bin: no lr column (looked for lr, learning_rate, learning-rate, lr-*); the header is: $gh" <<'EOF'
EOF
t 'lr-suggest: a 5 MB field' 0 \
    'to lr-suggest -m minimum --skip-end 0 bigfield.csv' \
    'lr-suggest: bigfield.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
0.001
EOF
t 'lr-suggest: a 5 MB loss cell is cut in the message' 1 \
    'to lr-suggest bigloss.csv' \
    'lr-suggest: bigloss.csv:2: loss: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." is not a number' <<'EOF'
EOF
t 'lr-suggest: 100 000 columns' 0 \
    'to lr-suggest -m minimum --skip-end 0 wide.csv' \
    'lr-suggest: wide.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
0.001
EOF
t 'lr-suggest: unterminated quote' 1 'to lr-suggest unterm.csv' \
    'lr-suggest: unterm.csv:2: unterminated quoted field' <<'EOF'
EOF
t 'lr-suggest: ragged rows' 1 'to lr-suggest ragged.csv' \
    'lr-suggest: ragged.csv:3: 1 cell where the header has 2' <<'EOF'
EOF
t 'lr-suggest: 1e400 is out of range' 1 'to lr-suggest huge.csv' \
    'lr-suggest: huge.csv:3: loss: "1e400" is not a number' <<'EOF'
EOF
t 'lr-suggest: an lr of 1e400' 1 'to lr-suggest hugelr.csv' \
    'lr-suggest: hugelr.csv:2: lr: "1e400" is not a number' <<'EOF'
EOF
t 'lr-suggest: NaN everywhere' 1 'to lr-suggest nan.csv' \
    'lr-suggest: nan.csv:2: lr: nan is not a finite learning rate' <<'EOF'
EOF
t 'lr-suggest: every loss NaN' 1 'to lr-suggest -m valley,lightning -f csv nanloss.csv' \
    'lr-suggest: nanloss.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-suggest: nanloss.csv: valley needs at least 1 point and has 0 (of 30, after skipping 3 at the start and 5 at the end, and 22 from the first NaN loss on)
lr-suggest: nanloss.csv: lightning needs at least 2 points and has 0 (of 30, after skipping 10 at the start and 1 at the end, and 19 with a non-finite loss)' <<'EOF'
method,lr,loss,index
EOF
t 'lr-suggest: duplicate loss columns' 1 'to lr-suggest dup.csv' \
    'lr-suggest: dup.csv: loss column "loss" is ambiguous: columns 2 and 3 have that name; the header is: lr, loss, loss' <<'EOF'
EOF
t 'lr-suggest: duplicate lr columns' 1 'to lr-suggest duplr.csv' \
    'lr-suggest: duplr.csv: lr column "lr" is ambiguous: columns 1 and 2 have that name; the header is: lr, lr, loss' <<'EOF'
EOF
t 'lr-suggest: non-UTF-8 names' 1 'to lr-suggest nonutf.csv' \
    'lr-suggest: nonutf.csv: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: lr, l\xffoss\xfe' <<'EOF'
EOF
t 'lr-suggest: a NUL in a number' 1 'to lr-suggest nul.csv' \
    'lr-suggest: nul.csv:2: loss: "2\x009" is not a number' <<'EOF'
EOF
t 'lr-suggest: escape sequences in a cell' 1 'to lr-suggest esc.csv' \
    'lr-suggest: esc.csv:2: loss: "\x1b]0;owned\x07\x1b[2J" is not a number' <<'EOF'
EOF
t 'lr-suggest: lr < 0 is an error, not a suggestion' 1 'to lr-suggest -m valley lrneg.csv' \
    'lr-suggest: lrneg.csv:14: lr: -0.5: a learning rate cannot be negative' <<'EOF'
EOF
t 'lr-suggest: steep refuses lr = 0' 1 \
    'sed "14d; 1s/loss/loss_smooth/" lrneg.csv > lrzero.csv; to lr-suggest -m steep,valley -f csv lrzero.csv' \
    'lr-suggest: lrzero.csv:14: lr: 0: steep takes its log, so it must be positive' <<'EOF'
method,lr,loss,index
valley,1.58489e-05,19,11
EOF
t 'lr-suggest: a full disk' 1 'to lr-suggest good.csv > /dev/full' \
    'lr-suggest: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-suggest: write error: No space left on device' <<'EOF'
EOF
t 'lr-suggest --help: a full disk' 1 'to lr-suggest --help > /dev/full' \
    'lr-suggest: write error: No space left on device' <<'EOF'
EOF
awk 'BEGIN { print "run,lr,loss_smooth"; for (g = 0; g < 3000; g++)
	for (i = 0; i < 20; i++) print g "," 10^(i/5-7) "," (i - 9)^2 }' > groups.csv
t 'lr-suggest: a closed pipe' 0 'closed lr-suggest -g run -m valley,minimum,steep -f csv groups.csv' <<'EOF'
EOF
t 'lr-suggest: a missing file' 1 'to lr-suggest missing.csv' \
    'lr-suggest: missing.csv: No such file or directory' <<'EOF'
EOF
t 'lr-suggest: a folder' 1 'to lr-suggest adir' \
    'lr-suggest: adir: read error: Is a directory' <<'EOF'
EOF

# ---- lr-plot
t 'lr-plot: empty input' 1 'to lr-plot -T empty.csv' \
    'lr-plot: no data to plot: the input has no rows' <<'EOF'
EOF
t 'lr-plot: header only' 1 'to lr-plot -o p.svg header.csv' \
    'lr-plot: no data to plot: the input has no rows' <<'EOF'
EOF
t 'lr-plot: binary garbage' 1 'to lr-plot -T garbage.bin' \
    "lr-plot: garbage.bin: no lr column (looked for lr, learning_rate, learning-rate, lr-*); the header is: $gh" <<'EOF'
EOF
t 'lr-plot: a 5 MB field' 0 \
    'to lr-plot -o big.svg bigfield.csv && xmllint --noout big.svg && grep -c "<path class=\"curve\"" big.svg' \
    'lr-plot: bigfield.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
1
EOF
t 'lr-plot: a 5 MB loss cell is cut in the message' 1 \
    'to lr-plot -T bigloss.csv' \
    'lr-plot: bigloss.csv:2: loss: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." is not a number' <<'EOF'
EOF
t 'lr-plot: 100 000 columns' 0 \
    'to lr-plot -o wide.svg wide.csv && xmllint --noout wide.svg && grep -c "<path class=\"curve\"" wide.svg' \
    'lr-plot: wide.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
1
EOF
t 'lr-plot: unterminated quote' 1 'to lr-plot -T unterm.csv' \
    'lr-plot: unterm.csv:2: unterminated quoted field' <<'EOF'
EOF
t 'lr-plot: ragged rows' 1 'to lr-plot -T ragged.csv' \
    'lr-plot: ragged.csv:3: 1 cell where the header has 2' <<'EOF'
EOF
t 'lr-plot: lr <= 0 is left out with a warning' 0 \
    'to lr-plot -o neg.svg lrneg.csv 2>&1 && grep -o "data-lr-min=\"[^\"]*\"" neg.svg' <<'EOF'
lr-plot: lrneg.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: lrneg.csv: 2 points with lr <= 0 or not finite left out (the lr axis is logarithmic)
data-lr-min="6.698846203885217e-08"
EOF
t 'lr-plot: 1e400 is out of range' 1 'to lr-plot -T huge.csv' \
    'lr-plot: huge.csv:3: loss: "1e400" is not a number' <<'EOF'
EOF
t 'lr-plot: NaN everywhere' 1 'to lr-plot -T nan.csv' \
    'lr-plot: nan.csv: 30 points with lr <= 0 or not finite left out (the lr axis is logarithmic)
lr-plot: no point to plot: every point has a non-finite loss or an lr <= 0' <<'EOF'
EOF
t 'lr-plot: losses that overflow the axis' 2 \
    'printf "lr,loss_smooth\n1e-7,1.7e308\n1e-6,-1.7e308\n" | to lr-plot -o over.svg; ls over.svg' \
    'lr-plot: the losses from -1.7e+308 to 1.7e+308 are too far apart to draw (the span overflows a double); give --ylim
ls: cannot access '\''over.svg'\'': No such file or directory' <<'EOF'
EOF
t 'lr-plot: --ylim that overflows' 2 \
    'printf "lr,loss\n1e-7,1\n1e-6,2\n" | to lr-plot -T --ylim -1e308:1e308' \
    'lr-plot: --ylim: -1e308:1e308: HIGH - LOW overflows a double
Try '\''lr-plot --help'\'' for more information.' <<'EOF'
EOF
t 'lr-plot: duplicate loss columns' 1 'to lr-plot -T dup.csv' \
    'lr-plot: dup.csv: loss column "loss" is ambiguous: columns 2 and 3 have that name; the header is: lr, loss, loss' <<'EOF'
EOF
t 'lr-plot: non-UTF-8 names' 1 'to lr-plot -T nonutf.csv' \
    'lr-plot: nonutf.csv: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: lr, l\xffoss\xfe' <<'EOF'
EOF
t 'lr-plot: a non-UTF-8 name drawn in the SVG' 0 \
    'to lr-plot -y 2 -o nonutf.svg nonutf.csv && xmllint --noout nonutf.svg && grep -c "class=\"ylabel\"" nonutf.svg' <<'EOF'
1
EOF
t 'lr-plot: a NUL in a number' 1 'to lr-plot -T nul.csv' \
    'lr-plot: nul.csv:2: loss: "2\x009" is not a number' <<'EOF'
EOF
t 'lr-plot: escape sequences in a cell' 1 'to lr-plot -T esc.csv' \
    'lr-plot: esc.csv:2: loss: "\x1b]0;owned\x07\x1b[2J" is not a number' <<'EOF'
EOF
t 'lr-plot: a full disk' 1 'to lr-plot good.csv > /dev/full' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: write error: No space left on device' <<'EOF'
EOF
t 'lr-plot -o /dev/full: the device stays a device' 0 \
    'to lr-plot -o /dev/full good.csv; test -c /dev/full' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: /dev/full: No space left on device' <<'EOF'
EOF
t 'lr-plot -o /dev/null: the device stays a device' 0 \
    'to lr-plot -o /dev/null good.csv && test -c /dev/null' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
EOF
t 'lr-plot -o /dev/stdout into a pipe' 0 \
    'to lr-plot -o /dev/stdout good.csv | head -c 5; echo' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
<?xml
EOF
t 'lr-plot -o a link: the file it names is replaced' 0 \
    'echo old > real.svg && ln -sf real.svg link.svg && to lr-plot -o link.svg good.csv && test -L link.svg && head -c 5 real.svg; echo' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
<?xml
EOF
t 'lr-plot: a closed pipe' 0 'closed lr-plot long.csv' \
    'lr-plot: long.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
EOF
t 'lr-plot -T: a closed pipe' 0 'closed lr-plot -T --size 1000x500 long.csv' \
    'lr-plot: long.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
EOF
t 'lr-plot: a missing file among several' 2 \
    'to lr-plot -o m.svg good.csv missing.csv good.csv; ls m.svg' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: missing.csv: No such file or directory
lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
ls: cannot access '\''m.svg'\'': No such file or directory' <<'EOF'
EOF
t 'lr-plot: a folder among several' 1 'to lr-plot -T good.csv adir' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: adir: read error: Is a directory' <<'EOF'
EOF
t 'lr-plot -o a folder' 1 'to lr-plot -o adir good.csv' \
    'lr-plot: good.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: adir: Is a directory' <<'EOF'
EOF

# ---- lr-import
t 'lr-import: empty input' 0 'to lr-import empty.csv' <<'EOF'
EOF
t 'lr-import: header only' 0 'to lr-import header.csv' <<'EOF'
lr,loss
EOF
t 'lr-import: binary garbage, read as CSV' 0 'status lr-import garbage.bin' \
    'lr-import: garbage.bin:1: 2 cells where the header has 1' <<'EOF'
exit 1
4264609752 38
EOF
t 'lr-import: binary garbage as an event file' 1 \
    'to lr-import -f tfevents garbage.bin' \
    'lr-import: garbage.bin: offset 0: corrupt record: the length'\''s checksum does not match' <<'EOF'
EOF
t 'lr-import: binary garbage as trainer_state.json' 1 \
    'to lr-import -f hf garbage.bin' \
    'lr-import: garbage.bin:1: invalid JSON: unable to decode byte 0xa7' <<'EOF'
EOF
t 'lr-import: binary garbage as JSON Lines' 1 \
    'to lr-import -f jsonl garbage.bin' \
    'lr-import: garbage.bin:1: invalid JSON: unable to decode byte 0xa7' <<'EOF'
EOF
t 'lr-import: binary garbage as an MLflow file' 1 \
    'to lr-import -f mlflow garbage.bin' \
    'lr-import: garbage.bin:1: a NUL byte: not an MLflow metric file' <<'EOF'
EOF
t 'lr-import: a 5 MB field passes through' 0 \
    'status lr-import bigfield.csv' <<'EOF'
exit 0
2715925390 5000031
EOF
t 'lr-import: 100 000 columns' 0 \
    'status lr-import --select c100000,lr,loss wide.csv; cat o' <<'EOF'
exit 0
503013632 45
c100000,lr,loss
100000,0.001,2
100000,0.01,1
EOF
t 'lr-import: unterminated quote' 1 'to lr-import unterm.csv' \
    'lr-import: unterm.csv:2: unterminated quoted field' <<'EOF'
lr,loss
EOF
t 'lr-import: ragged rows' 1 'to lr-import ragged.csv' \
    'lr-import: ragged.csv:3: 1 cell where the header has 2' <<'EOF'
lr,loss
0.001,2
EOF
t 'lr-import: CSV cells pass through as they are' 0 \
    'to lr-import huge.csv' <<'EOF'
lr,loss
0.001,2
0.01,1e400
EOF
printf '{"log_history": [{"loss": 1e400, "step": 1}]}' > huge.json
t 'lr-import: 1e400 in JSON' 1 'to lr-import huge.json' \
    'lr-import: huge.json:1: invalid JSON at column 31: real number overflow near '\''1e400'\''' <<'EOF'
EOF
printf '1700000000000 1e400 3\n' > huge.mlflow
t 'lr-import: 1e400 in an MLflow file' 1 'to lr-import -f mlflow huge.mlflow' \
    'lr-import: huge.mlflow:1: value "1e400" is not a number' <<'EOF'
EOF
printf '{"log_history": [{"loss": NaN, "step": 1, "learning_rate": -1}, {"loss": Infinity, "step": 2, "learning_rate": 0}]}' > nan.json
t 'lr-import: NaN, Infinity and lr <= 0 in JSON' 0 'to lr-import nan.json' <<'EOF'
step,loss,learning_rate
1,nan,-1
2,inf,0
EOF
printf '{"a": 1, "a": 2}\n{"a": 3}\n' > dupkey.jsonl
t 'lr-import: a repeated JSON key keeps the last value, as Python' 0 \
    'to lr-import dupkey.jsonl' <<'EOF'
a
2
3
EOF
t 'lr-import: duplicate CSV columns' 0 'to lr-import dup.csv' <<'EOF'
lr,loss,loss
0.001,2,5
0.01,1,6
EOF
t 'lr-import --select: an ambiguous column' 1 'to lr-import --select loss dup.csv' \
    'lr-import: dup.csv: --select: ambiguous column "loss"; the columns are: lr, loss, loss' <<'EOF'
EOF
t 'lr-import: non-UTF-8 names pass through' 0 \
    'to lr-import nonutf.csv | od -An -c | sed -n 1p' <<'EOF'
   l   r   ,   l 377   o   s   s 376  \n   0   .   0   0   1   ,
EOF
printf '{"\377": 1}\n' > nonutf.jsonl
t 'lr-import: non-UTF-8 JSON' 1 'to lr-import nonutf.jsonl' \
    'lr-import: nonutf.jsonl:1: invalid JSON at column 2: unable to decode byte 0xff near '\''"'\''' <<'EOF'
EOF
t 'lr-import: a full disk' 1 'to lr-import good.csv > /dev/full' \
    'lr-import: write error: No space left on device' <<'EOF'
EOF
t 'lr-import --help: a full disk' 1 'to lr-import --help > /dev/full' \
    'lr-import: write error: No space left on device' <<'EOF'
EOF
t 'lr-import: a closed pipe' 0 'closed lr-import long.csv' <<'EOF'
EOF
t 'lr-import: a missing file among several' 0 \
    'status lr-import good.csv missing.csv good.csv; { cat good.csv; sed 1d good.csv; } | cmp - o; wc -l < o' \
    'lr-import: missing.csv: No such file or directory' <<'EOF'
exit 1
39260386 914
61
EOF
t 'lr-import: a folder among several' 0 \
    'status lr-import good.csv adir good.csv; wc -l < o' \
    'lr-import: adir: is a folder (--mlflow reads MLflow run folders)' <<'EOF'
exit 1
39260386 914
61
EOF

# ---- lrsched: its input is its arguments
t 'lrsched: an empty schedule' 2 "to lrsched ''" \
    'lrsched: unknown policy ""
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
tok 'lrsched: binary garbage' \
    'to lrsched "$(head -c 64 garbage.bin | tr -d "\0")" 2>err; [ $? = 2 ] && head -c 25 err | grep -q "^lrsched: unknown policy \"" && [ $(wc -l < err) = 2 ]'
tok 'lrsched: a 100 kB value gives a message of at most 512 bytes' \
    'to lrsched range start=1e-7 end=10 n="$(head -c 100000 5mb)" 2>err; [ $? = 2 ] && head -c 23 err | grep -q "^lrsched: range: n: \"xx" && [ $(wc -c < err) -lt 600 ]'
t 'lrsched: lr = 0' 2 'to lrsched range start=0 end=10 n=10' \
    'lrsched: range: start: must be greater than 0 with spacing=exp
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
t 'lrsched: lr < 0' 2 'to lrsched exp base=-1 gamma=0.5 n=3' \
    'lrsched: exp: base: -1: must be greater than 0
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
t 'lrsched: 1e400' 2 'to lrsched range start=1e-7 end=1e400 n=10' \
    'lrsched: range: end: "1e400" is not a number
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
t 'lrsched: NaN' 2 'to lrsched cosine base=nan T=10 n=10' \
    'lrsched: cosine: base: "nan" is not a number
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
t 'lrsched: n beyond a double' 2 'to lrsched range start=1e-7 end=10 n=99999999999999999999' \
    'lrsched: range: n: 99999999999999999999: must be at most 9007199254740992
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
t 'lrsched: an lr that overflows' 2 'to lrsched exp base=1e300 gamma=1e10 n=5' \
    'lrsched: step 1: the lr is inf: the schedule overflows a double' <<'EOF'
step,lr
0,1e+300
EOF
t 'lrsched: a range whose end/start overflows a double' 0 \
    'to lrsched --bare range start=1e-300 end=1e300 n=3' <<'EOF'
1e-300
1
1e+300
EOF
t 'lrsched: a range whose end/start underflows' 0 \
    'to lrsched --bare range start=1e300 end=1e-300 n=3' <<'EOF'
1e+300
1
1e-300
EOF
t 'lrsched: a momentum that overflows' 2 \
    'to lrsched -m cyclic base=0.1 max=1 up=2 base-mom=-1e308 max-mom=1e308 n=3' \
    'lrsched: step 0: the momentum is nan: the schedule overflows a double' <<'EOF'
step,lr,momentum
EOF
t 'lrsched: a key given twice' 2 'to lrsched range start=1 end=10 n=3 n=4' \
    'lrsched: range: n: given twice
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
t 'lrsched: non-UTF-8 key' 2 "to lrsched range \"\$(printf 'st\\377art=1')\" end=10 n=3" \
    'lrsched: range: unknown key "st\xffart"
Try '\''lrsched --help'\'' for more information.' <<'EOF'
EOF
t 'lrsched: a full disk' 1 'to lrsched range start=1e-7 end=10 n=100 > /dev/full' \
    'lrsched: write error: No space left on device' <<'EOF'
EOF
t 'lrsched --help: a full disk' 1 'to lrsched --help > /dev/full' \
    'lrsched: write error: No space left on device' <<'EOF'
EOF
t 'lrsched: a closed pipe' 0 'closed lrsched range start=1e-7 end=10 n=10000000' <<'EOF'
EOF

# ---- sweep-run: the schedule file, the parameter files, the child's output
t 'sweep-run -S: empty input' 1 'to sweep-run -S empty.csv -- "$C/const.sh"' \
    'sweep-run: empty.csv: the schedule is empty' <<'EOF'
EOF
t 'sweep-run -S: header only' 1 'to sweep-run -S header.csv -- "$C/const.sh"' \
    'sweep-run: header.csv: the schedule has no rows' <<'EOF'
EOF
t 'sweep-run -S: binary garbage' 1 'to sweep-run -S garbage.bin -- "$C/const.sh"' \
    "sweep-run: garbage.bin: no lr column (looked for lr, learning_rate, learning-rate, lr-*); the header is: $gh" <<'EOF'
EOF
t 'sweep-run -S: a 5 MB field' 0 'to sweep-run -S bigfield.csv -- "$C/const.sh"' <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,1
EOF
t 'sweep-run -S: a 5 MB lr cell' 1 \
    '{ echo lr; cat 5mb; } > biglr.csv; to sweep-run -S biglr.csv -- "$C/const.sh"' \
    'sweep-run: biglr.csv:2: lr: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." is not a finite lr' <<'EOF'
EOF
t 'sweep-run -S: 100 000 columns' 0 'to sweep-run -S wide.csv -- "$C/const.sh"' <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,1
EOF
t 'sweep-run -S: unterminated quote' 1 'to sweep-run -S unterm.csv -- "$C/const.sh"' \
    'sweep-run: unterm.csv:2: unterminated quoted field' <<'EOF'
EOF
t 'sweep-run -S: ragged rows' 1 'to sweep-run -S ragged.csv -- "$C/const.sh"' \
    'sweep-run: ragged.csv:3: 1 cell where the header has 2' <<'EOF'
EOF
t 'sweep-run -S: lr < 0' 1 'to sweep-run -S lrneg.csv -- "$C/const.sh"' \
    'sweep-run: lrneg.csv:14: lr: -0.5: a learning rate cannot be negative' <<'EOF'
EOF
t 'sweep-run -S: lr = 0 is a learning rate' 0 \
    'printf "lr\n0\n0.1\n" | to sweep-run -S - -- "$C/const.sh"' <<'EOF'
run,step,lr,loss
0,0,0,1
0,1,0.1,1
EOF
t 'sweep-run -S: 1e400' 1 'to sweep-run -S hugelr.csv -- "$C/const.sh"' \
    'sweep-run: hugelr.csv:2: lr: "1e400" is not a finite lr' <<'EOF'
EOF
t 'sweep-run -S: NaN everywhere' 1 'to sweep-run -S nan.csv -- "$C/const.sh"' \
    'sweep-run: nan.csv:2: lr: "nan" is not a finite lr' <<'EOF'
EOF
t 'sweep-run -S: a NaN momentum' 1 \
    'printf "lr,momentum\n0.1,nan\n" | to sweep-run -S - -- "$C/const.sh"' \
    'sweep-run: stdin:2: momentum: "nan" is not a finite number' <<'EOF'
EOF
t 'sweep-run -S: duplicate lr columns' 1 'to sweep-run -S duplr.csv -- "$C/const.sh"' \
    'sweep-run: duplr.csv: lr column "lr" is ambiguous: columns 1 and 2 have that name; the header is: lr, lr, loss' <<'EOF'
EOF
t 'sweep-run -S: escape sequences in the lr' 1 \
    'printf "lr\n\033[2J\n" | to sweep-run -S - -- "$C/const.sh"' \
    'sweep-run: stdin:2: lr: "\x1b[2J" is not a finite lr' <<'EOF'
EOF
t 'sweep-run -S: a missing file' 1 'to sweep-run -S missing.csv -- "$C/const.sh"' \
    'sweep-run: missing.csv: No such file or directory' <<'EOF'
EOF
t 'sweep-run -S: a folder' 1 'to sweep-run -S adir -- "$C/const.sh"' \
    'sweep-run: adir: read error: Is a directory' <<'EOF'
EOF
t 'sweep-run -p: values from a folder' 2 'to sweep-run -p x=@adir --list' \
    'sweep-run: -p: adir: read error: Is a directory
Try '\''sweep-run --help'\'' for more information.' <<'EOF'
EOF
t 'sweep-run -p: values from a missing file' 2 'to sweep-run -p x=@missing --list' \
    'sweep-run: -p: missing: No such file or directory
Try '\''sweep-run --help'\'' for more information.' <<'EOF'
EOF
t 'sweep-run -p: values from an empty file' 2 'to sweep-run -p x=@empty.csv --list' \
    'sweep-run: -p: empty.csv: no values in the file
Try '\''sweep-run --help'\'' for more information.' <<'EOF'
EOF
t 'sweep-run -p: values from binary garbage' 2 'to sweep-run -p x=@garbage.bin --list' \
    'sweep-run: -p: garbage.bin: a value holds a NUL byte
Try '\''sweep-run --help'\'' for more information.' <<'EOF'
EOF
t 'sweep-run -p: a non-UTF-8 name' 2 "to sweep-run -p \"\$(printf 'x\\377')=1\" --list" \
    'sweep-run: -p: "x\xff": a parameter name is letters, digits and _, not starting with a digit
Try '\''sweep-run --help'\'' for more information.' <<'EOF'
EOF
t 'sweep-run: a child that prints 1e400 (not a number: a log line)' 0 \
    'status sweep-run -S "$S" -- sh -c "read h; while read r; do echo 1e400; done" 2>err; tail -n 2 err' <<'EOF'
exit 1
2696025307 17
1e400
sweep-run: run 0: sh: ended after 0 of 6 steps (exit status 0)
EOF
t 'sweep-run: a child whose losses are NaN' 0 \
    'to sweep-run -S "$S" -- sh -c "read h; while read r; do echo nan; done"' <<'EOF'
run,step,lr,loss
0,0,0.001,nan
EOF
t 'sweep-run: a child that prints binary garbage' 0 \
    'status sweep-run -S "$S" -- sh -c "cat \"\$H/garbage.bin\"; cat > /dev/null" 2>err; tail -n 1 err' <<'EOF'
exit 1
2696025307 17
sweep-run: run 0: sh: ended after 0 of 6 steps (exit status 0)
EOF
t 'sweep-run: a child that prints a 5 MB line: a log line, in pieces of 1 MiB' 0 \
    'status sweep-run -S "$S" -- sh -c "cat \"\$H/5mb\"; cat > /dev/null" 2>err; awk "{ print length(\$0) }" err | uniq -c; tail -n 1 err' <<'EOF'
exit 1
2696025307 17
      4 1048576
      1 805696
      1 62
sweep-run: run 0: sh: ended after 0 of 6 steps (exit status 0)
EOF
head -c 1048576 5mb > 1mb
t 'sweep-run: a number at the end of an over-long line is no loss' 0 \
    'status sweep-run -S "$S" -- sh -c "read h; while read r; do cat \"\$H/1mb\"; echo 0.5; done" 2>err; tail -n 1 err' <<'EOF'
exit 1
2696025307 17
sweep-run: run 0: sh: ended after 0 of 6 steps (exit status 0)
EOF
t 'sweep-run: a child with two loss columns' 1 \
    'to sweep-run -S "$S" -- sh -c "echo loss,loss; while read r; do echo 1,2; done"' \
    'sweep-run: run 0: line 1 of its output: loss column "loss" is ambiguous: columns 1 and 2 have that name; the header is: loss, loss' <<'EOF'
run,step,lr,loss
EOF
t 'sweep-run: a full disk' 1 'to sweep-run -S "$S" -- "$C/const.sh" > /dev/full' \
    'sweep-run: write error: No space left on device' <<'EOF'
EOF
t 'sweep-run --list: a full disk' 1 'to sweep-run -p x=1,2 --list > /dev/full' \
    'sweep-run: write error: No space left on device' <<'EOF'
EOF
t 'sweep-run --help: a full disk' 1 'to sweep-run --help > /dev/full' \
    'sweep-run: write error: No space left on device' <<'EOF'
EOF
t 'sweep-run: a closed pipe' 0 \
    'closed sweep-run -j 4 -p x=1,2,3,4,5,6,7,8 -s "range start=1e-7 end=10 n=20000" -- "$C/const.sh"' <<'EOF'
EOF
t 'sweep-run --list: a closed pipe' 0 \
    'closed sweep-run -p x=@long.csv --list' <<'EOF'
EOF
t 'sweep-run -o: a file, not a folder' 1 'to sweep-run -o good.csv -- "$C/const.sh"' \
    'sweep-run: good.csv: not a folder' <<'EOF'
EOF
t 'sweep-run -o /dev/null' 0 'to sweep-run -o /dev/null -- "$C/const.sh"; test -c /dev/null' \
    'sweep-run: /dev/null: not a folder' <<'EOF'
EOF
