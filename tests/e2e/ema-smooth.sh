# ema-smooth end-to-end tests.  The numeric goldens in tests/data/ema/ come
# from pandas and from ports of TensorBoard and fastai (tests/golden/gen_ema.py).

E=$D/ema
export E

# Conformance: every start, parameterisation and NaN rule.
tnum 'debias, beta .98 (default)' 'ema-smooth $E/curve.csv' $E/debias-b098.csv
tnum 'debias, beta .6' 'ema-smooth -b .6 $E/curve.csv' $E/debias-b06.csv
tnum 'first, alpha .4' 'ema-smooth -a .4 -m first $E/curve.csv' $E/first-a04.csv
tnum 'span 10' 'ema-smooth --span 10 $E/curve.csv' $E/span10.csv
tnum 'first, span 10' 'ema-smooth --span 10 -m first $E/curve.csv' $E/first-span10.csv
tnum 'com 3' 'ema-smooth --com 3 $E/curve.csv' $E/com3.csv
tnum 'halflife 5' 'ema-smooth --halflife 5 $E/curve.csv' $E/halflife5.csv
tnum 'zero start' 'ema-smooth -b .9 -m zero $E/curve.csv' $E/zero-b09.csv
tnum 'hold (pandas)' 'ema-smooth -a .1 --nan hold $E/gaps.csv' $E/hold-debias.csv
tnum 'hold, ignore_na' 'ema-smooth -a .1 --nan hold --ignore-na $E/gaps.csv' $E/hold-debias-ignore.csv
tnum 'hold, adjust=False' 'ema-smooth -a .1 -m first --nan hold $E/gaps.csv' $E/hold-first.csv
tnum 'hold, adjust=False, ignore_na' 'ema-smooth -a .1 -m first --nan hold --ignore-na $E/gaps.csv' $E/hold-first-ignore.csv
tnum 'skip (TensorBoard)' 'ema-smooth -b .9 $E/gaps.csv' $E/skip-b09.csv
tnum 'propagate (fastai)' 'ema-smooth --nan propagate $E/poison.csv' $E/propagate-b098.csv
tnum 'time-weighted halflife' 'ema-smooth -t step --halflife 40 $E/times.csv' $E/times-h40.csv
tnum 'interleaved groups' 'ema-smooth -a .05 -g run $E/groups.csv' $E/groups-a005.csv
tnum 'stop-div 4 (fastai)' 'ema-smooth --stop-div 4 $E/diverge.csv' $E/stopdiv4.csv

# The worked examples of tests/golden/README, exact text.
t 'debias golden' 0 'printf "x\n3\n1\n4\n1\n5\n9\n2\n6\n" | ema-smooth -b .6 -y x' <<'EOF2'
x,x_smooth
3,3
1,1.7499999999999998
4,2.8979591836734695
1,2.0257352941176467
5,3.3157529493407356
9,5.700725026852847
2,4.177802944507362
6,4.9191332694550916
EOF2
t 'TensorBoard NaN rule' 0 'printf "loss\n-inf\n1\nnan\ninf\n.5\n\n" | ema-smooth -b .6' <<'EOF2'
loss,loss_smooth
-inf,-inf
1,1
nan,nan
inf,inf
.5,0.6875
EOF2
t 'empty cells pass through' 0 'printf "a,loss,b\nx,,y\nx,2,y\nx,NA,y\n" | ema-smooth' <<'EOF2'
a,loss,b,loss_smooth
x,,y,
x,2,y,2
x,NA,y,NA
EOF2
t 'time halflife (worked example)' 0 'printf "t,x\n0,1\n1,2\n3,3\n4,4\n" | ema-smooth -t t --halflife 1 -y x' <<'EOF2'
t,x,x_smooth
0,1,1
1,2,1.6666666666666667
3,3,2.6363636363636362
4,4,3.4444444444444446
EOF2
t 'hold golden (worked example)' 0 'printf "x\n1\n2\n3\nnan\n5\n" | ema-smooth -a .5 --nan hold -y x' <<'EOF2'
x,x_smooth
1,1
2,1.6666666666666667
3,2.4285714285714284
nan,2.4285714285714284
5,4.217391304347826
EOF2

# The stream: delimiters, line ends, BOM, quoting, headers.
t 'CRLF, semicolons, BOM, quotes kept' 0 \
    'printf "\357\273\277lr;loss\r\n\"1;0\";3\r\n2;1" | ema-smooth -b .5 | tr "\r" R' <<'EOF2'
lr;loss;loss_smoothR
"1;0";3;3R
2;1;1.6666666666666667R
EOF2
t 'tabs' 0 'printf "lr\tloss\n1\t2\n" | ema-smooth' <<'EOF2'
lr	loss	loss_smooth
1	2	2
EOF2
t 'runs of blanks, no header' 0 'printf "  1   10  2\n2 20 4\n" | ema-smooth -b .5' <<'EOF2'
1 10 2 2
2 20 4 3.3333333333333335
EOF2
t 'headerless single column' 0 'printf "3\n1\n" | ema-smooth -b .6' <<'EOF2'
3,3
1,1.7499999999999998
EOF2
t '-H: the first line is data' 1 'printf "a\n1\n" | ema-smooth -H -y 1' 'ema-smooth: stdin:1: 1: "a" is not a number' <<'EOF2'
EOF2
# Smoothing a smoothed table again: two loss_smooth columns would make
# -y loss_smooth ambiguous downstream.
t 'the new column exists already' 1 'printf "lr,loss,Loss_Smooth\n1,2,2\n" | ema-smooth -b 0.5' \
    'ema-smooth: stdin: the input has a column "Loss_Smooth" already: name the new one with -o' <<'EOF2'
EOF2
t 'the -o column exists already' 1 'printf "lr,loss\n1,2\n" | ema-smooth -o lr' \
    'ema-smooth: stdin: the input has a column "lr" already: name the new one with -o' <<'EOF2'
EOF2
t 'smoothed again under another name' 0 'printf "lr,loss,loss_smooth\n1,2,2\n" | ema-smooth -b 0.5 -o s2' <<'EOF2'
lr,loss,loss_smooth,s2
1,2,2,2
EOF2
t 'column by number, -o name' 0 'printf "a,b\n1,2\n" | ema-smooth -y 1 -o s' <<'EOF2'
a,b,s
1,2,1
EOF2
t 'column names are case-insensitive; Value is a loss' 0 'printf "Wall time,Step,Value\n1,2,3\n" | ema-smooth' <<'EOF2'
Wall time,Step,Value,Value_smooth
1,2,3,3
EOF2
t 'trailing empty cells are not a ragged row' 0 'printf "loss\n1,,\n" | ema-smooth' <<'EOF2'
loss,loss_smooth
1,1
EOF2
t 'no final newline, long cell' 0 'printf "note,loss\n%s,2" $(head -c 100000 /dev/zero | tr "\0" x) | ema-smooth | wc -c' <<'EOF2'
100027
EOF2
t 'several files: one header' 0 'printf "loss\n1\n" > a.csv; printf "loss\n3\n" > b.csv; ema-smooth -b .5 a.csv b.csv' <<'EOF2'
loss,loss_smooth
1,1
3,3
EOF2
# One output stream, one dialect: the first file's delimiter and line end.
t 'several files of other dialects: rows in the first one'"'"'s' 0 'printf "lr,loss\n1,1\n" > d1.csv; printf "lr;loss\r\n2;3\r\n" > d2.csv; printf "lr\tloss\n3\t3\n" > d3.csv; ema-smooth -b .5 d1.csv d2.csv d3.csv; printf "lr;loss\r\n1;1\r\n" > d4.csv; ema-smooth -b .5 d4.csv d1.csv | od -An -c | tr -d " \n"; echo' <<'EOF2'
lr,loss,loss_smooth
1,1,1
2,3,3
3,3,3
lr;loss;loss_smooth\r\n1;1;1\r\n1;1;1\r\n
EOF2
# At a file boundary the average starts again; with -g a group's goes on.
t 'a file boundary: a new average, a group'"'"'s goes on under -g' 0 'printf "g,loss\n0,1\n0,2\n" > f1.csv; printf "g,loss\n0,3\n" > f2.csv; ema-smooth -b .5 f1.csv f2.csv; ema-smooth -g g -b .5 f1.csv f2.csv | tail -n 1' <<'EOF2'
g,loss,loss_smooth
0,1,1
0,2,1.6666666666666667
0,3,3
0,3,2.4285714285714284
EOF2
t 'empty input' 0 'ema-smooth < /dev/null' <<'EOF2'
EOF2
t 'header only' 0 'printf "loss\n" | ema-smooth' <<'EOF2'
loss,loss_smooth
EOF2
t 'LC_NUMERIC does not matter' 0 'printf "loss\n0.5\n1.5\n" | LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 ema-smooth -b 0.5' <<'EOF2'
loss,loss_smooth
0.5,0.5
1.5,1.1666666666666667
EOF2
t 'stop-div per group' 0 'printf "g,loss\na,1\nb,1\na,100\nb,1\na,1\nb,1\n" | ema-smooth -b .5 -g g --stop-div 4' <<'EOF2'
g,loss,loss_smooth
a,1,1
b,1,1
a,100,67
b,1,1
b,1,1
EOF2
t 'stop-div on a NaN loss' 0 'printf "loss\n1\nnan\n1\n" | ema-smooth --stop-div 4' <<'EOF2'
loss,loss_smooth
1,1
nan,nan
EOF2
# The ratio test applies while the best smoothed loss is positive: a loss
# that goes negative (a log-likelihood) is not stopped by it.
t 'stop-div on a loss that goes negative' 0 'printf "loss\n0.5\n-0.1\n-0.5\n-0.2\n3\n" | ema-smooth -b .5 --stop-div 4' <<'EOF2'
loss,loss_smooth
0.5,0.5
-0.1,0.09999999999999999
-0.5,-0.24285714285714285
-0.2,-0.22
3,1.441935483870968
EOF2
t 'stop-div on a negative loss still stops at inf' 0 'printf "loss\n-1\n-2\ninf\n-3\n" | ema-smooth -b .5 --stop-div 4' <<'EOF2'
loss,loss_smooth
-1,-1
-2,-1.6666666666666667
inf,inf
EOF2
t '-u flushes each row' 0 'printf "loss\n1\n2\n" | ema-smooth -u -b .5' <<'EOF2'
loss,loss_smooth
1,1
2,1.6666666666666667
EOF2

# Errors: data (1) and usage (2).
t 'not a number' 1 'printf "loss\n1\nabc\n" | ema-smooth' 'ema-smooth: stdin:3: loss: "abc" is not a number' <<'EOF2'
loss,loss_smooth
1,1
EOF2
t 'missing column lists the header' 1 'printf "a,b\n1,2\n" | ema-smooth' 'ema-smooth: stdin: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: a, b' <<'EOF2'
EOF2
t 'ambiguous column' 1 'printf "loss,LOSS\n1,2\n" | ema-smooth' 'ema-smooth: stdin: loss column "loss" is ambiguous: columns 1 and 2 have that name; the header is: loss, LOSS' <<'EOF2'
EOF2
t 'column number out of range' 1 'printf "a,b\n1,2\n" | ema-smooth -y 3' 'ema-smooth: stdin: loss column 3: there are only 2; the header is: a, b' <<'EOF2'
EOF2
t 'ragged row' 1 'printf "a,loss\n1,2\n1,2,3\n" | ema-smooth' 'ema-smooth: stdin:3: 3 cells where the header has 2' <<'EOF2'
a,loss,loss_smooth
1,2,2
EOF2
t 'short row' 1 'printf "a,loss\n1\n" | ema-smooth' 'ema-smooth: stdin:2: 1 cell where the header has 2' <<'EOF2'
a,loss,loss_smooth
EOF2
t 'unterminated quote' 1 'printf "loss\n\"1\n" | ema-smooth' 'ema-smooth: stdin:2: unterminated quoted field' <<'EOF2'
loss,loss_smooth
EOF2
t 'text after a closing quote' 1 'printf "loss\n\"1\"x\n" | ema-smooth' 'ema-smooth: stdin:2: malformed quoting (a quote inside an unquoted field, or text after a closing quote)' <<'EOF2'
loss,loss_smooth
EOF2
t '1e400 is not silently infinity' 1 'printf "loss\n1e400\n" | ema-smooth' 'ema-smooth: stdin:2: loss: "1e400" is not a number' <<'EOF2'
loss,loss_smooth
EOF2
t 'times must not go back' 1 'printf "t,loss\n2,1\n1,1\n" | ema-smooth -t t --halflife 1' 'ema-smooth: stdin:3: t: 1 comes before the previous row'"'"'s time' <<'EOF2'
t,loss,loss_smooth
2,1,1
EOF2
t 'unreadable file among several' 1 'printf "loss\n1\n" > ok.csv; ema-smooth nosuch.csv ok.csv' 'ema-smooth: nosuch.csv: No such file or directory' <<'EOF2'
loss,loss_smooth
1,1
EOF2
t 'different headers' 1 'printf "loss\n1\n" > a.csv; printf "loss,x\n1,2\n" > c.csv; ema-smooth a.csv c.csv' "ema-smooth: c.csv: the header differs from the first file's" <<'EOF2'
loss,loss_smooth
1,1
EOF2
t 'disk full' 1 'printf "loss\n1\n" | ema-smooth > /dev/full' 'ema-smooth: write error: No space left on device' <<'EOF2'
EOF2
t 'closed pipe is quiet' 0 'seq 1 200000 | ema-smooth | head -n 1' <<'EOF2'
1,1
EOF2
t 'beta out of range' 2 'ema-smooth -b 1' "ema-smooth: -b: 1: must be less than 1
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'alpha not a number' 2 'ema-smooth -a x' "ema-smooth: -a: \"x\" is not a number
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'alpha zero' 2 'ema-smooth -a 0' "ema-smooth: -a: 0: must be greater than 0
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'two weights' 2 'ema-smooth -a .1 --span 3' "ema-smooth: give only one of -a, -b, --com, --span, --halflife
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'span below 1' 2 'ema-smooth --span 0.5' "ema-smooth: --span: 0.5: must be at least 1
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'bad mode' 2 'ema-smooth -m fast' "ema-smooth: -m: \"fast\": must be debias, first or zero
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'bad nan rule' 2 'ema-smooth --nan drop' "ema-smooth: --nan: \"drop\": must be skip, hold or propagate
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
# Control bytes in a bad argument come back as \xNN.
t 'escape bytes in -m' 2 'ema-smooth -m "$(printf "\033[2J")"' "ema-smooth: -m: \"\\x1b[2J\": must be debias, first or zero
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'escape bytes in --nan' 2 'ema-smooth --nan "$(printf "\033]0;x\007")"' "ema-smooth: --nan: \"\\x1b]0;x\\x07\": must be skip, hold or propagate
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'escape bytes in -b' 2 'ema-smooth -b "$(printf "1\033[2J")"' "ema-smooth: -b: \"1\\x1b[2J\" is not a number
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t '-t without --halflife' 2 'ema-smooth -t step' "ema-smooth: -t needs --halflife
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t '--ignore-na without hold' 2 'ema-smooth --ignore-na' "ema-smooth: --ignore-na goes with --nan hold
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'stop-div at most 1' 2 'ema-smooth --stop-div 1' "ema-smooth: --stop-div: 1: must be greater than 1
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'bad delimiter' 2 'ema-smooth -d ab' "ema-smooth: -d: \"ab\": give one character, tab or blanks
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'unknown option' 2 'ema-smooth --frobnicate' "ema-smooth: --frobnicate: unknown option
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
t 'option without its value' 2 'ema-smooth -d' "ema-smooth: -d: needs a value
Try 'ema-smooth --help' for more information." <<'EOF2'
EOF2
tok '--version' 'ema-smooth --version | grep -q "^ema-smooth (lrkit) [0-9]"'
tok '--help' 'ema-smooth --help | grep -q "^usage: ema-smooth"'

# The manual's EXAMPLES.
tnum 'example: fastai default' 'cp $E/curve.csv run.csv && ema-smooth run.csv > smoothed.csv && cat smoothed.csv' $E/debias-b098.csv
tnum 'example: pandas span, adjust=False' 'cp $E/curve.csv run.csv && ema-smooth --span 10 -m first run.csv' $E/first-span10.csv
tnum 'example: per run' 'cp $E/sweep.csv . && ema-smooth -g run sweep.csv' $E/sweep-smoothed.csv
tnum 'example: TensorBoard export over Step' 'cp $E/run-tag-loss.csv . && ema-smooth -t Step --halflife 100 run-tag-loss.csv' $E/run-tag-loss-h100.csv
tok 'example: CRLF kept' 'cp $E/run-tag-loss.csv . && ema-smooth -t Step --halflife 100 run-tag-loss.csv | head -n 1 | od -c | grep -q "\\\\r  *\\\\n"'

# Hostile input.
t 'non-UTF-8 and control bytes in names are escaped' 1 'printf "\377\376loss,x\303\251,\001\n1,2,3\n" | ema-smooth' 'ema-smooth: stdin: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: \xff\xfeloss, xé, \x01' <<'EOF2'
EOF2
tok 'binary garbage: exit 1, no crash' 'head -c 100000 /dev/zero | tr "\0" "\377" > g.bin; ema-smooth g.bin > /dev/null 2> err; test $? = 1 && test -s err'
tok '100000 columns' 'awk "BEGIN{for(i=1;i<=100000;i++) printf \"c%d,\", i; print \"loss\"; for(i=1;i<=100000;i++) printf \"%d,\", i; print \"2\"}" | ema-smooth | tail -n 1 | grep -q ",2,2\$"'
tok 'a 5 MB field' '(printf "note,loss\n"; head -c 5000000 /dev/zero | tr "\0" a; printf ",1\n") | ema-smooth | tail -n 1 | wc -c | grep -qx 5000005'
t 'NaN everywhere' 0 'printf "loss\nnan\nNaN\n-nan\n" | ema-smooth' <<'EOF2'
loss,loss_smooth
nan,nan
NaN,NaN
-nan,-nan
EOF2
# A training loop that diverges past lr 0.1: the run stops at the row where
# the smoothed loss passes 4 x its best, so fewer than 100 rows come out.
cat > train <<'EOF2'
#!/bin/sh
awk -F, 'NR > 1 { l = $2 > 0.1 ? 2 + 1000 * $2 : 2 - 0.05 * log($2); print l; fflush() }'
EOF2
chmod +x train
tok 'example: live range test stops on divergence' 'out=$(lrsched range start=1e-7 end=10 n=100 | ./train | ema-smooth -u --stop-div 4) && n=$(printf "%s\n" "$out" | wc -l) && test $n -gt 50 && test $n -lt 100 && printf "%s\n" "$out" | tail -n 1 | awk -F, "{exit !(\$2 > 4 * 2)}"'

# The manual's examples run ./mlp-train as written.
ln -sf "$top/examples/mlp-train" mlp-train

# ema-smooth(1), EXAMPLES: three seeds, each run smoothed on its own: the
# first row of each run is its own raw loss (the debiased start).
tok 'EXAMPLES: three seeds, smoothed run by run' '
	sweep-run -p seed=1,2,3 -- ./mlp-train --seed {seed} | ema-smooth -g run > range.csv &&
	head -n 1 range.csv | grep -qx "run,seed,step,lr,loss,loss_smooth" &&
	awk -F, "NR > 1 && \$3 == 0 { n++; if (\$5 != \$6) exit 1 } END { exit n != 3 }" range.csv'
