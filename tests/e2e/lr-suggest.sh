# lr-suggest end-to-end tests.

# ema-smooth for the pipelines below (lr-suggest itself comes first).
PATH=$PATH:$top/tools
export PATH
S=$D/suggest

# Golden vectors from the ports of fastai, pytorch-lr-finder and Lightning
# in tests/golden/gen_suggest.py, one case per line of cases:
#   ok CASE CURVE METHODS OPTIONS	the expected table
#   fail CASE CURVE METHOD HAS NEEDS OPTIONS	exit 1, and why
while read -r kind c curve m a b o; do
	case $kind in
	ok)
		opts=$(printf '%s' "$a" | tr : ' ')
		[ "$a" = - ] && opts=
		tnum "golden $c" "lr-suggest -f csv -m $m $opts $S/$curve.csv" \
		    "$S/$c.expected"
		;;
	fail)
		opts=$(printf '%s' "$o" | tr : ' ')
		[ "$o" = - ] && opts=
		if [ "$b" = -1 ]; then
			want="never falls in the window ($a points)"
		else
			want="needs at least $b point"
		fi
		tok "golden $c: $m has $a points" "
		    lr-suggest -m $m $opts $S/$curve.csv > out 2> err
		    [ \$? = 1 ] && [ ! -s out ] && grep -F '$want' err &&
		    { [ '$b' = -1 ] || grep -F 'has $a (of' err; }"
		;;
	esac
done < "$S/cases"

t 'sparse rows are left out; index counts every data row' 0 \
    "lr-suggest -m valley,steep,minimum -f csv -y train_loss_step $S/sparse.csv" \
    'lr-suggest: '"$S"'/sparse.csv: train_loss_step: read as it is, not smoothed (its name does not end in _smooth)' \
    < "$S/sparse.expected"

# The goldens hold the anchors' methods; halfway is checked below.
tnum 'groups, interleaved' "lr-suggest -g run -m valley,slide,minimum,steep,mingrad,lightning,range -f csv $S/sweep.csv" \
    "$S/sweep.expected"
tnum '--summary' "lr-suggest -g run -m valley,slide,minimum,steep,mingrad,lightning,range -f csv --summary $S/sweep.csv" \
    "$S/sweep-summary.expected"

# halfway has no anchor: an awk reading of its definition (man page) is
# the oracle, on every fixture curve and on each run of the sweep.
cat > bin/halfway-by-definition <<'EOT'
#!/bin/sh
# halfway-by-definition FILE: group,method,lr,loss,index per run (group
# "-" when there is no run column), from lr and the last *_smooth column
# (else loss), in fastai's window [n/10 : -5] cut at the first NaN.
awk -F, '
NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "run") g = i; if ($i == "lr")
	x = i; if ($i == "loss" && !y) y = i; if ($i ~ /_smooth$/) y = i }
	next }
{ k = g ? $g : "-"; if (!(k in n)) order[++ng] = k
  n[k]++; lr[k, n[k]] = $x; loss[k, n[k]] = $y + 0; text[k, n[k]] = $y
  nan[k, n[k]] = ($y ~ /nan/)
  row[k, n[k]] = NR - 2 }
END {
	print "group,method,lr,loss,index"
	for (j = 1; j <= ng; j++) {
		k = order[j]; lo = int(n[k] / 10) + 1; hi = n[k] - 5
		for (i = lo; i <= hi; i++) if (nan[k, i]) break
		hi = i - 1; b = lo; t = lo
		for (i = lo; i <= hi; i++) if (loss[k, i] < loss[k, b]) b = i
		for (i = lo; i < b; i++) if (loss[k, i] > loss[k, t]) t = i
		level = loss[k, b] / 2 + loss[k, t] / 2
		for (i = t + 1; loss[k, i] > level; i++) ;
		print k ",halfway," lr[k, i] "," text[k, i] "," row[k, i]
	}
}' "$1"
EOT
chmod +x bin/halfway-by-definition
for c in typical noisy plateau ties nantail nanmid walk200 walk500 walk1000; do
	halfway-by-definition "$S/$c.csv" | cut -d, -f2- > "halfway-$c.expected"
	tnum "halfway by its definition: $c" \
	    "lr-suggest -m halfway -f csv $S/$c.csv" "halfway-$c.expected"
done
halfway-by-definition "$S/sweep.csv" | sed 's/^group,/run,/' > halfway-sweep.expected
tnum 'halfway by its definition: each run of a sweep' \
    "lr-suggest -g run -m halfway -f csv $S/sweep.csv" halfway-sweep.expected

# pooled: halfway (by its definition above) on the step-by-step mean of
# the runs' smoothed losses over the steps they all have, every run's
# answer.  The oracle pools with awk; run s22 loses its last 10 rows, so
# the mean stops at its 90 steps.
grep -v '^s22,9[0-9],' "$S/sweep.csv" > sweep-short.csv
awk -F, 'NR == 1 { print "lr,loss_smooth"; next }
    { if (!($1 in seen)) { seen[$1] = 1; k++ }
      n[$1]++; lr[n[$1]] = $3; sum[n[$1]] += $5 }
    END { m = 1e9; for (r in n) if (n[r] < m) m = n[r]
      for (i = 1; i <= m; i++) printf "%s,%.17g\n", lr[i], sum[i] / k }' \
    sweep-short.csv > pooled-curve.csv
halfway-by-definition pooled-curve.csv | awk -F, 'NR > 1 {
    for (r = 21; r <= 23; r++) print "s" r ",pooled," $3 "," $4 }' \
    > pooled.expected
tnum 'pooled by its definition: the mean of the runs, cut to the shortest' \
    "lr-suggest -g run -m pooled -f csv sweep-short.csv | sed 1d | cut -d, -f1-4" \
    pooled.expected
# Its index is each run's own row at the step picked.
t 'pooled: each run'"'"'s row' 0 \
    'lr-suggest -g run -m pooled,halfway -f csv sweep-short.csv | cut -d, -f1,2,5' <<'EOF'
run,method,index
s21,pooled,168
s21,halfway,168
s22,pooled,169
s22,halfway,169
s23,pooled,170
s23,halfway,170
EOF
# Without groups it is halfway.
t 'pooled without -g is halfway' 0 \
    "lr-suggest -m pooled,halfway -f csv $S/typical.csv" <<'EOF'
method,lr,loss,index
pooled,0.0033516026509388475,1.7609313554802404,56
halfway,0.0033516026509388475,1.7609313554802404,56
EOF
# Runs of different sweeps are not pooled; the other methods still answer.
awk -F, -v OFS=, '$1 == "s23" && $2 == 7 { $3 = $3 * 1.01 } 1' "$S/sweep.csv" \
    > sweep-other.csv
t 'pooled: runs with different lrs' 1 \
    'lr-suggest -g run -m pooled,minimum -f csv sweep-other.csv' <<'EOF' \
    "lr-suggest: sweep-other.csv:25: run s23: lr: not the same as the first run's at step 7, so the runs are not one sweep to pool"
run,method,lr,loss,index
s21,minimum,0.0739072203352579,1.2654141946636517,255
s22,minimum,0.08902150854450393,1.267113201925815,259
s23,minimum,0.0739072203352579,1.2380400151941853,257
EOF

# The manual's EXAMPLES, verbatim.
cp "$S/typical.csv" run.csv
cp "$S/sweep.csv" sweep.csv
cut -d, -f1-3 "$S/typical.csv" > raw.csv

# The default: minimum on one run (the lr at the least loss, a tenth).
t 'EXAMPLES: one number' 0 'lr-suggest run.csv' <<'EOF'
0.08902150854450393
EOF

t 'EXAMPLES: in a variable' 0 'lr=$(lr-suggest run.csv) && echo "max_lr=$lr"' <<'EOF'
max_lr=0.08902150854450393
EOF

t "EXAMPLES: fastai's answer" 0 'lr-suggest -m valley run.csv' <<'EOF'
0.0009111627561154896
EOF

t 'EXAMPLES: every method' 0 'lr-suggest -m all -f csv run.csv' <<'EOF'
method,lr,loss,index
valley,0.0009111627561154896,1.94619429642176,49
slide,0.0013219411484660314,1.8927949434289335,51
minimum,0.08902150854450393,1.255072860176318,86
steep,0.0023101297000831626,1.814227008840156,54
mingrad,0.004037017258596558,1.7347775086950663,57
lightning,9.326033468832199e-07,2.3028493953912994,12
range_base,7.742636826811278e-07,2.307566426285412,11
range_max,0.8902150854450392,1.255072860176318,86
halfway,0.0033516026509388475,1.7609313554802404,56
plateau,0.0033516026509388475,1.7609313554802404,56
pooled,0.0033516026509388475,1.7609313554802404,56
EOF

t 'EXAMPLES: pooled over the seeds' 0 'lr-suggest -g run -m pooled sweep.csv' <<'EOF'
s21 0.0033516026509388475
s22 0.0033516026509388475
s23 0.0033516026509388475
EOF

t 'EXAMPLES: smoothing first' 0 'ema-smooth raw.csv | lr-suggest -m steep' <<'EOF'
0.0023101297000831626
EOF

t 'EXAMPLES: halfway' 0 'lr-suggest -m halfway run.csv' <<'EOF'
0.0033516026509388475
EOF

t 'EXAMPLES: range' 0 'lr-suggest -m range run.csv' <<'EOF'
7.742636826811278e-07 0.8902150854450392
EOF

t 'EXAMPLES: slide, fastai options' 0 \
    'lr-suggest -m slide --lr-diff 5 --thresh 0.01 run.csv' <<'EOF'
0.35111917342151344
EOF

t 'EXAMPLES: the anchor window of pytorch-lr-finder' 0 \
    'lr-suggest -m mingrad --skip-start 10 --skip-end 5 -y loss_smooth run.csv' <<'EOF'
0.004037017258596558
EOF

# The default over several runs: the pooled answer, once.
t 'EXAMPLES: one answer for the seeds' 0 'lr-suggest -g run sweep.csv' <<'EOF'
0.0033516026509388475
EOF

t 'the default over runs, as csv: the rows of -m pooled' 0 \
    'lr-suggest -g run -f csv sweep.csv | cut -d, -f1-3' <<'EOF'
run,method,lr
s21,pooled,0.0033516026509388475
s22,pooled,0.0033516026509388475
s23,pooled,0.0033516026509388475
EOF

t 'the default over runs, with --summary: minimum per run' 0 \
    'lr-suggest -g run --summary -f csv sweep.csv | cut -d, -f1,2' <<'EOF'
method,groups
minimum,3
EOF

t '-m default is the default, over runs and on one' 0 \
    'lr-suggest -g run -m default sweep.csv > a && lr-suggest -g run sweep.csv > b && cmp a b &&
     lr-suggest -m default run.csv > a && lr-suggest run.csv > b && cmp a b &&
     lr-suggest -m minimum run.csv > c && cmp a c && lr-suggest -g run -m pooled sweep.csv | cut -d" " -f2 | sort -u' <<'EOF'
0.0033516026509388475
EOF
t 'lr-plot -s default marks what lr-suggest answers' 0 \
    'lr-plot -s default -g run -o s.svg sweep.csv &&
     xmllint --xpath "//*[@class=\"suggestion-label\"]/text()" s.svg | grep -c pooled' <<'EOF'
1
EOF

t 'the default over one group: minimum, one number' 0 \
    'awk -F, '"'"'NR == 1 || $1 == "s21"'"'"' sweep.csv | lr-suggest -g run' <<'EOF'
0.0739072203352579
EOF

t 'EXAMPLES: per run' 0 'lr-suggest -g run -m minimum sweep.csv' <<'EOF'
s21 0.0739072203352579
s22 0.08902150854450393
s23 0.0739072203352579
EOF

t 'EXAMPLES: json' 0 'lr-suggest -g run -m valley,steep -f json sweep.csv' <<'EOF'
[
 {"run": "s21", "method": "valley", "lr": 0.0013219411484660314, "loss": 1.9036178447730965, "index": 153},
 {"run": "s21", "method": "steep", "lr": 0.0023101297000831626, "loss": 1.8265011644882476, "index": 162},
 {"run": "s22", "method": "valley", "lr": 0.0013219411484660314, "loss": 1.9274823913816617, "index": 154},
 {"run": "s22", "method": "steep", "lr": 0.0033516026509388475, "loss": 1.788974802989796, "index": 169},
 {"run": "s23", "method": "valley", "lr": 0.0009111627561154896, "loss": 1.9485057945199324, "index": 149},
 {"run": "s23", "method": "steep", "lr": 0.0013219411484660314, "loss": 1.8952577255833571, "index": 155}
]
EOF

t 'EXAMPLES: summary' 0 'lr-suggest -g run -m valley,steep --summary sweep.csv' <<'EOF'
method  groups  median    min        max       ratio
valley  3       0.001322  0.0009112  0.001322  1.451
steep   3       0.00231   0.001322   0.003352  2.535
EOF

# ---- Runs named by what varies: sweep-run's parameter columns (between
# run and step) name each run in the plain table; csv and json keep the
# run column as it is, for programs.
awk -F, -v OFS=, 'NR == 1 { $1 = "run,seed" } NR > 1 { $1 = $1 "," substr($1, 3) } 1' \
    "$S/sweep.csv" > grid.csv
t 'EXAMPLES: runs named by their parameters' 0 'lr-suggest -g run -m valley grid.csv' <<'EOF'
seed=1 0.0013219411484660314
seed=2 0.0013219411484660314
seed=3 0.0009111627561154896
EOF
t 'EXAMPLES: runs named by their run' 0 'lr-suggest -g run -m valley --label run grid.csv' <<'EOF'
s21 0.0013219411484660314
s22 0.0013219411484660314
s23 0.0009111627561154896
EOF
t 'csv keeps the run column, as without parameters' 0 \
    'lr-suggest -g run -m valley,range -f csv grid.csv > grid-csv.out &&
     lr-suggest -g run -m valley,range -f csv sweep.csv | cmp - grid-csv.out && head -2 grid-csv.out' <<'EOF'
run,method,lr,loss,index
s21,valley,0.0013219411484660314,1.9036178447730965,153
EOF
tok 'json keeps the run key' \
    'lr-suggest -g run -m valley -f json grid.csv | grep -q "^ {\"run\": \"s21\", \"method\": \"valley\""'
t 'range: both bounds after the label' 0 'lr-suggest -g run -m range grid.csv | head -1' <<'EOF'
seed=1 2.364489412645407e-06 0.7390722033525791
EOF
t '--summary is the same with labels' 0 \
    'lr-suggest -g run -m valley,steep --summary grid.csv' <<'EOF'
method  groups  median    min        max       ratio
valley  3       0.001322  0.0009112  0.001322  1.451
steep   3       0.00231   0.001322   0.003352  2.535
EOF
t '--label: columns in the order given' 0 \
    'lr-suggest -g run -m valley --label seed,step grid.csv' <<'EOF'
seed=1 0.0013219411484660314
seed=2 0.0013219411484660314
seed=3 0.0009111627561154896
EOF
t 'runs that share a label are told apart by their run' 0 \
    'sed "s/^\(s2[12]\),[12],/\1,1,/" grid.csv | lr-suggest -g run -m valley' <<'EOF'
seed=1, run=s21 0.0013219411484660314
seed=1, run=s22 0.0013219411484660314
seed=3 0.0009111627561154896
EOF
# The real thing: sweep-run's output, two parameters.
lrsched range start=1e-4 end=1 n=40 > sched40.csv
sweep-run -S sched40.csv -p seed=1,2 -p wd=0,1e-4 -- "$top/tests/children/parabola.sh" '{seed}' '{wd}' 2>/dev/null |
    ema-smooth -g run > params.csv
t 'sweep-run output: each run by its parameters, the lr unchanged' 0 \
    'lr-suggest -g run -m halfway params.csv > params.out &&
     test "$(awk "{ print \$NF }" params.out)" = "$(lr-suggest -g run -m halfway -f csv params.csv | cut -d, -f3 | sed 1d)" &&
     sed "s/ [^ ]*\$//" params.out' <<'EOF'
seed=1, wd=0
seed=1, wd=1e-4
seed=2, wd=0
seed=2, wd=1e-4
EOF
t '--label names a column that is not there' 1 \
    'lr-suggest -g run --label seed,lr_max params.csv' \
    'lr-suggest: params.csv: no label column "lr_max"; the header is: run, seed, wd, step, lr, loss, loss_smooth'
t '--label with an empty name' 1 'lr-suggest -g run --label seed, params.csv' \
    'lr-suggest: params.csv: label: an empty column name'
# ---- The loss column and the runs (lr-suggest(1)): one rule for every
# tool.  A raw loss is smoothed here as ema-smooth smooths it, with a
# note; a run column without -g is -g run; an explicit -g wins.
cut -d, -f1-4 "$S/sweep.csv" > raw3.csv
awk -F, 'NR == 1 || $1 == "s22"' raw3.csv > raw1.csv
t 'a raw loss is smoothed here, as ema-smooth smooths it, and said' 0 \
    'lr-suggest -m all -f csv raw.csv 2>/dev/null > a && ema-smooth raw.csv | lr-suggest -m all -f csv > b &&
     cmp a b && lr-suggest raw.csv' \
    'lr-suggest: raw.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
0.08902150854450393
EOF
t "one seed's raw rows: the smoothed curve's answer" 0 \
    'ema-smooth raw1.csv | lr-suggest -m minimum > a && lr-suggest -m minimum raw1.csv 2>/dev/null | cmp - a &&
     awk -F, '"'"'NR == 1 || $1 == "s22"'"'"' sweep.csv | lr-suggest' <<'EOF'
0.08902150854450393
EOF
t 'three seeds of raw rows: smoothed per run, one curve per run' 0 \
    'ema-smooth -g run raw3.csv | lr-suggest -g run > a && lr-suggest raw3.csv 2>/dev/null | cmp - a &&
     ema-smooth -g run raw3.csv | lr-suggest -g run -m all -f csv > a 2>/dev/null &&
     lr-suggest -m all -f csv raw3.csv 2>/dev/null | cmp - a && lr-suggest raw3.csv' \
    'lr-suggest: raw3.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
0.0033516026509388475
EOF
cp raw3.csv range.csv
t 'EXAMPLES: the raw range test of three seeds' 0 'lr-suggest range.csv' \
    'lr-suggest: range.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<EOF
$(ema-smooth -g run range.csv | lr-suggest -g run)
EOF
t 'a run column without -g: one curve per run, as -g run' 0 \
    'lr-suggest -g run -m minimum -f csv sweep.csv > a && lr-suggest -m minimum -f csv sweep.csv | cmp - a &&
     lr-suggest sweep.csv' <<'EOF'
0.0033516026509388475
EOF
t 'a run column of one run without -g: answered as one curve' 0 \
    'awk -F, '"'"'NR == 1 || $1 == "s22"'"'"' grid.csv > one.csv &&
     lr-suggest -m minimum one.csv && lr-suggest -m minimum,valley -f csv one.csv | cut -d, -f1,2 &&
     lr-suggest -g run -m minimum one.csv' <<'EOF'
0.08902150854450393
method,lr
minimum,0.08902150854450393
valley,0.0013219411484660314
seed=2 0.08902150854450393
EOF
t 'the run column is found whatever its case' 0 \
    'sed "1s/^run,/RUN,/" sweep.csv | lr-suggest -m minimum' <<'EOF'
s21 0.0739072203352579
s22 0.08902150854450393
s23 0.0739072203352579
EOF
t 'an explicit -g wins over the run column' 0 \
    'lr-suggest -g seed -m minimum grid.csv' <<'EOF'
1 0.0739072203352579
2 0.08902150854450393
3 0.0739072203352579
EOF
t 'two run columns: give -g' 1 \
    'sed "1s/^run,seed,/run,Run,/" grid.csv | lr-suggest' \
    'lr-suggest: stdin: run column "run" is ambiguous: columns 1 and 2 have that name; the header is: run, Run, step, lr, loss, loss_smooth' </dev/null
t '-y names a raw loss: read as it is, said' 0 \
    'sed 1s/loss/loss_smooth/ raw.csv | lr-suggest -m all -f csv > a &&
     lr-suggest -y loss -m all -f csv raw.csv | cmp - a' \
    'lr-suggest: raw.csv: loss: read as it is, not smoothed (its name does not end in _smooth)' </dev/null
t '-y names a smoothed column: as it is, nothing said' 0 \
    'lr-suggest -y LOSS_SMOOTH -m minimum run.csv' <<'EOF'
0.08902150854450393
EOF
t 'a column named _smooth is a smoothed loss' 0 \
    'printf "lr,loss,_smooth\n1,1,3\n2,2,2\n3,3,1\n" | lr-suggest -m minimum --skip-end 0' <<'EOF'
0.3
EOF
t '--label without -g, on a run column' 0 \
    'lr-suggest -g run -m halfway --label seed params.csv > a && lr-suggest -m halfway --label seed params.csv | cmp - a && head -1 a | cut -d" " -f1' <<'EOF'
seed=1,
EOF
t '--label without -g and without a run column' 1 'lr-suggest --label seed run.csv' \
    'lr-suggest: run.csv: --label: the table has no run column: give -g' </dev/null
t '--summary without -g and without a run column' 1 'lr-suggest --summary run.csv' \
    'lr-suggest: run.csv: --summary: the table has no run column: give -g' </dev/null
t '--summary on a run column' 0 'lr-suggest -m valley --summary sweep.csv | tail -1' <<'EOF'
valley  3       0.001322  0.0009112  0.001322  1.451
EOF


# Columns.
t 'the last *_smooth column by default' 0 \
    'printf "lr,a_smooth,loss,b_smooth\n1,3,1,9\n2,2,2,8\n3,1,3,7\n" | lr-suggest -m minimum --skip-end 0' <<'EOF'
0.3
EOF

# ema-smooth's column (<loss>_smooth) over another *_smooth, such as a
# label_smooth parameter after it.
t 'the smoothed loss ema-smooth appended over other *_smooth columns' 0 \
    'printf "lr,train_loss,train_loss_smooth,label_smooth\n1,3,3,7\n2,2,2,8\n3,1,1,9\n" | lr-suggest -m minimum --skip-end 0' <<'EOF'
0.3
EOF

t '-y and -x by name: a column not named smoothed is read as it is, said' 0 \
    'printf "x,l,loss_smooth\n1,3,1\n2,2,2\n3,1,3\n" | lr-suggest -m minimum --skip-end 0 -x x -y l' \
    'lr-suggest: stdin: l: read as it is, not smoothed (its name does not end in _smooth)' <<'EOF'
0.3
EOF

t '-y by number' 0 \
    'printf "lr,l,loss_smooth\n1,3,1\n2,2,2\n3,1,3\n" | lr-suggest -m minimum --skip-end 0 -y 2' \
    'lr-suggest: stdin: l: read as it is, not smoothed (its name does not end in _smooth)' <<'EOF'
0.3
EOF

t 'no header: lr then loss, read as it is' 0 \
    'printf "1 3\n2 2\n3 1\n" | lr-suggest -m minimum --skip-end 0' \
    'lr-suggest: stdin: no header: the last column is read as it is, not smoothed' <<'EOF'
0.3
EOF

t 'tab-separated, CRLF' 0 \
    'printf "lr\tloss_smooth\r\n1\t3\r\n2\t2\r\n3\t1\r\n" | lr-suggest -m minimum --skip-end 0 -f csv' <<'EOF'
method,lr,loss,index
minimum,0.3,1,2
EOF

t '-H: the first row is data' 0 \
    'printf "1,3\n2,2\n3,1\n" | lr-suggest -H -m minimum --skip-end 0 -f csv' \
    'lr-suggest: stdin: no header: the last column is read as it is, not smoothed' <<'EOF'
method,lr,loss,index
minimum,0.3,1,2
EOF

t 'a NaN loss ends the window' 0 \
    'printf "lr,loss_smooth\n1,3\n2,2\n3,nan\n4,1\n" | lr-suggest -m minimum --skip-end 0 -f csv' <<'EOF'
method,lr,loss,index
minimum,0.2,2,1
EOF

t 'lightning drops the non-finite losses' 0 \
    'printf "lr,loss_smooth\n1,3\n2,inf\n3,2\n4,nan\n5,2.5\n" | lr-suggest -m lightning --skip-start 0 --skip-end 0 -f csv' <<'EOF'
method,lr,loss,index
lightning,1,3,0
EOF

t 'slide --adjust' 0 \
    'lr-suggest -m slide --lr-diff 5 --thresh 0.01 --adjust 0.5 run.csv' <<'EOF'
0.17555958671075672
EOF

t 'json: the group name escaped, inf as null' 0 \
    'printf "run,lr,loss_smooth\n\"a\"\"b\",1,inf\n\"a\"\"b\",2,inf\n" | lr-suggest -g run -m valley --skip-end 0 -f json' <<'EOF'
[
 {"run": "a\"b", "method": "valley", "lr": 1, "loss": null, "index": 0}
]
EOF

t 'csv: a group name that needs quotes' 0 \
    'printf "run,lr,loss_smooth\n\"a,b\",1,2\n" | lr-suggest -g run -m valley --skip-end 0 -f csv' <<'EOF'
run,method,lr,loss,index
"a,b",valley,1,2,0
EOF

t '--summary: even count, median of the middle two; 8x is too much' 0 \
    'printf "g,lr,loss_smooth\na,1,1\nb,2,1\nc,4,1\nd,8,1\n" | lr-suggest -g g -m valley --skip-end 0 --summary -f csv' \
    'lr-suggest: stdin: valley moves 8x across the 4 groups of g (from 1 to 8): if they differ only in their seed, the curve is too noisy to trust (more steps, a bigger batch or more smoothing)' <<'EOF'
method,groups,median,min,max,ratio
valley,4,3,1,8,8
EOF

t 'a group column name with control bytes is escaped in messages' 0 \
    'printf "\033[2Jg,lr,loss_smooth\na,1,1\nb,4,1\n" | lr-suggest -g 1 -m valley --skip-end 0 -f csv | tail -n +2' \
    'lr-suggest: stdin: valley moves 4x across the 2 groups of \x1b[2Jg (from 1 to 4): if they differ only in their seed, the curve is too noisy to trust (more steps, a bigger batch or more smoothing)' <<'EOF'
a,valley,1,1,0
b,valley,4,1,1
EOF

# The spread warning: above 3x, per method, with or without --summary.
t 'a suggestion moving 3x is no warning' 0 \
    'printf "g,lr,loss_smooth\na,1,1\nb,3,1\n" | lr-suggest -g g -m valley --skip-end 0' <<'EOF'
a 1
b 3
EOF

t 'a suggestion moving more than 3x is a warning' 0 \
    'printf "g,lr,loss_smooth\na,1,1\nb,3.0000001,1\n" | lr-suggest -g g -m valley --skip-end 0' \
    'lr-suggest: stdin: valley moves 3x across the 2 groups of g (from 1 to 3.0000001): if they differ only in their seed, the curve is too noisy to trust (more steps, a bigger batch or more smoothing)' <<'EOF'
a 1
b 3.0000001
EOF

t 'the spread warning names each method that moves' 0 \
    'lr-suggest -g run -m slide,halfway,lightning -f csv --summary sweep.csv' \
    'lr-suggest: sweep.csv: slide moves 3.68x across the 3 groups of run (from 0.0015922827933410938 to 0.005857020818056674): if they differ only in their seed, the curve is too noisy to trust (more steps, a bigger batch or more smoothing)
lr-suggest: sweep.csv: lightning moves 3.05x across the 3 groups of run (from 6.428073117284319e-07 to 1.9630406500402726e-06): if they differ only in their seed, the curve is too noisy to trust (more steps, a bigger batch or more smoothing)' <<'EOF'
method,groups,median,min,max,ratio
slide,3,0.001917910261672489,0.0015922827933410938,0.005857020818056674,3.678379771828635
halfway,3,0.0033516026509388475,0.0033516026509388475,0.0033516026509388475,1
lightning,3,9.326033468832199e-07,6.428073117284319e-07,1.9630406500402726e-06,3.053855508833419
EOF

t 'no spread warning for a single group' 0 \
    'printf "g,lr,loss_smooth\na,1,1\n" | lr-suggest -g g -m valley --skip-end 0' <<'EOF'
a 1
EOF

t '--summary json' 0 \
    'printf "g,lr,loss_smooth\na,1,1\nb,2,1\n" | lr-suggest -g g -m valley --skip-end 0 --summary -f json' <<'EOF'
[
 {"method": "valley", "groups": 2, "median": 1.5, "min": 1, "max": 2, "ratio": 2}
]
EOF

# Errors in the data: exit 1, the file and line named.
t 'too few points' 1 'head -n 20 run.csv | lr-suggest -m slide' \
    'lr-suggest: stdin: slide needs at least 16 points (--lr-diff 15, plus one) and has 13 (of 19, after skipping 1 at the start and 5 at the end)' </dev/null

t 'too few points, cut at a NaN' 1 \
    'printf "lr,loss_smooth\n1,1\n2,nan\n3,1\n" | lr-suggest -m steep --skip-end 0' \
    'lr-suggest: stdin: steep needs at least 2 points and has 1 (of 3, after skipping 0 at the start and 0 at the end, and 2 from the first NaN loss on)' </dev/null

t 'lightning: too few finite points' 1 \
    'printf "lr,loss_smooth\n1,1\n2,inf\n3,nan\n" | lr-suggest -m lightning --skip-start 0 --skip-end 0' \
    'lr-suggest: stdin: lightning needs at least 2 points and has 1 (of 3, after skipping 0 at the start and 0 at the end, and 2 with a non-finite loss)' </dev/null

# A header alone is one error whatever the methods, groups or format,
# worded as lr-plot and sweep-run word it.
t 'no data rows' 1 'printf "lr,loss\n" | lr-suggest' \
    'lr-suggest: stdin: the input has no rows' </dev/null
t 'no data rows, every method' 1 'printf "lr,loss\n" | lr-suggest -m all -f csv' \
    'lr-suggest: stdin: the input has no rows' </dev/null
t 'no data rows, with groups' 1 'printf "lr,loss,run\n" | lr-suggest -g run -f json' \
    'lr-suggest: stdin: the input has no rows' </dev/null
t 'no data rows, --summary' 1 'printf "lr,loss,run\n" | lr-suggest -g run --summary' \
    'lr-suggest: stdin: the input has no rows' </dev/null
t 'rows, but none with both an lr and a loss' 1 \
    'printf "lr,loss\n,\nNA,1\n" | lr-suggest' \
    'lr-suggest: stdin: no row has both an lr (lr) and a loss (loss)' </dev/null

t 'empty input' 1 'lr-suggest < /dev/null' \
    'lr-suggest: stdin: the input is empty' </dev/null

# An lr that goes back: two tests in one log, or a cyclic schedule.
t 'an lr that goes back: warned, with its row' 0 \
    'printf "lr,loss_smooth\n1,3\n2,2\n3,1\n1,3\n2,2\n3,1\n" | lr-suggest -m minimum --skip-end 0' \
    'lr-suggest: stdin:5: the lr goes back, from 3 to 1: the suggestions are of a curve that folds back on itself (several runs? lr-import --split-restarts COLUMN numbers them, then give -g run)' <<'EOF'
0.3
EOF
t 'an lr that goes back within a group' 0 \
    'printf "run,lr,loss_smooth\na,1,3\nb,1,3\na,2,2\nb,2,2\na,1,1\n" | lr-suggest -g run -m minimum --skip-end 0' \
    'lr-suggest: stdin:6: run a: the lr goes back, from 2 to 1: the suggestions are of a curve that folds back on itself (several runs? give each its own value of run)' <<'EOF'
a 0.1
b 0.2
EOF
t 'split by lr-import --split-restarts: no warning' 0 \
    'printf "lr,loss_smooth\n1,3\n2,2\n3,1\n1,3\n2,2\n3,1\n" | lr-import --split-restarts lr | lr-suggest -g run -m minimum --skip-end 0' <<'EOF'
1 0.3
2 0.3
EOF

# pooled of one run is halfway, but its messages name the method asked for.
t 'pooled of one run: a flat loss, named pooled' 1 \
    'printf "lr,loss_smooth\n1,2\n2,2\n3,2\n" | lr-suggest -m halfway,pooled -f csv --skip-end 0' \
    'lr-suggest: stdin: halfway: the loss never falls in the window (3 points)
lr-suggest: stdin: pooled: the loss never falls in the window (3 points)' <<'EOF'
method,lr,loss,index
EOF

t 'steep: lr <= 0 names the row' 1 \
    'printf "lr,loss_smooth\n0,3\n1,2\n3,1\n" | lr-suggest -m steep --skip-end 0' \
    'lr-suggest: stdin:2: lr: 0: steep takes its log, so it must be positive' </dev/null

t 'steep: the same lr twice' 1 \
    'printf "lr,loss_smooth\n1,3\n2,2\n2,1\n" | lr-suggest -m steep --skip-end 0' \
    "lr-suggest: stdin:4: lr: the same as the point before, so steep's slope is undefined" </dev/null

t 'lightning: the same lr twice' 1 \
    'printf "lr,loss_smooth\n1,3\n1,2\n2,1\n" | lr-suggest -m lightning --skip-start 0 --skip-end 0' \
    "lr-suggest: stdin:3: lr: the same as the point before, so lightning's slope is undefined" </dev/null

t 'slide: an infinite loss' 1 \
    'printf "lr,loss_smooth\n1,3\n2,inf\n3,1\n" | lr-suggest -m slide --lr-diff 1 --skip-end 0' \
    'lr-suggest: stdin:3: loss: inf: slide needs finite losses (end the window before it with --skip-end)' </dev/null

t 'valley: an infinite loss is a loss like any other' 0 \
    'printf "lr,loss_smooth\n1,inf\n2,3\n3,1\n" | lr-suggest -m valley --skip-end 0' <<'EOF'
1
EOF

t 'a non-finite lr' 1 'printf "lr,loss\n1,3\nnan,2\n" | lr-suggest' \
    'lr-suggest: stdin:3: lr: nan is not a finite learning rate' </dev/null

t 'not a number' 1 'printf "lr,loss\n1,3\n2,abc\n" | lr-suggest' \
    'lr-suggest: stdin:3: loss: "abc" is not a number' </dev/null

t 'a group fails, the others are printed' 1 \
    'printf "g,lr,loss_smooth\na,1,3\na,2,2\nb,1,1\n" | lr-suggest -g g -m steep --skip-end 0' \
    'lr-suggest: stdin: g b: steep needs at least 2 points and has 1 (of 1, after skipping 0 at the start and 0 at the end)' <<'EOF'
a 1
EOF

t 'range: the loss never falls' 1 \
    'printf "lr,loss_smooth\n1,1\n2,2\n3,3\n" | lr-suggest -m range --skip-end 0' \
    'lr-suggest: stdin: range: the loss never falls in the window (3 points)' </dev/null

t 'no lr column' 1 'printf "a,loss\n1,2\n" | lr-suggest' \
    'lr-suggest: stdin: no lr column (looked for lr, learning_rate, learning-rate, lr-*); the header is: a, loss' </dev/null

# A column name in a message is shown as any echoed input is: its first
# 64 bytes, then "...", control bytes as \xNN (lrk_show; this was 40).
t 'a long column name in the header list' 1 \
    'printf "lr,%070d\033\n1,2\n" 0 | lr-suggest' \
    'lr-suggest: stdin: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: lr, 0000000000000000000000000000000000000000000000000000000000000000...' </dev/null
t 'a control byte in a column name' 1 \
    'printf "lr,a\033b\n1,2\n" | lr-suggest' \
    'lr-suggest: stdin: no loss column (looked for loss, train_loss, train_loss_step, value); the header is: lr, a\x1bb' </dev/null

t 'no such -g column' 1 'lr-suggest -g seed run.csv' \
    'lr-suggest: run.csv: no group column "seed"; the header is: step, lr, loss, loss_smooth' </dev/null

t 'a missing file' 1 'lr-suggest nosuch.csv' \
    'lr-suggest: nosuch.csv: No such file or directory' </dev/null

t 'a ragged row' 1 'printf "lr,loss\n1,2\n3\n" | lr-suggest' \
    'lr-suggest: stdin:3: 1 cell where the header has 2' </dev/null

# Output errors.
# Memory grows with the data, not with a slab per group: 200,000 runs of
# two rows each (6 MB), their raw loss smoothed, in 400 MB of address
# space (each run's curve took 8 KiB up front, 1.6 GB in all).  Not under ASan or valgrind, whose own
# memory the limit would count.
awk 'BEGIN { print "run,lr,loss"; for (i = 0; i < 200000; i++)
    printf "%d,0.001,2\n%d,0.01,1\n", i, i }' > many-runs.csv
if [ -z "${SAN:-}" ] && [ "${VALGRIND:-}" != 1 ]; then
	t 'memory grows with the data: 200,000 two-row runs' 0 \
	    'ulimit -v 400000 && lr-suggest -g run -m minimum --skip-end 0 -f csv many-runs.csv 2>/dev/null |
	     sed -n "1p;200001p" | cut -d, -f1-3,5' <<'EOF'
run,method,lr,index
199999,minimum,0.001,399999
EOF
fi

t 'disk full' 1 'lr-suggest run.csv > /dev/full' \
    'lr-suggest: write error: No space left on device' </dev/null
tok 'a closed pipe ends quietly' \
    'lr-suggest -g run -m valley,steep,halfway -f csv sweep.csv 2>err | head -n 1 >/dev/null && [ ! -s err ]'

# Usage errors: exit 2.
usage() {
	t "usage: $1" 2 "$1" "$2
Try 'lr-suggest --help' for more information." </dev/null
}
usage 'lr-suggest -m fast run.csv' \
    'lr-suggest: -m: "fast": no such method (valley, slide, minimum, steep, mingrad, lightning, range, halfway, plateau, pooled, default or all)'
usage 'lr-suggest -m valley, run.csv' \
    'lr-suggest: -m: "": no such method (valley, slide, minimum, steep, mingrad, lightning, range, halfway, plateau, pooled, default or all)'
usage 'lr-suggest -f xml run.csv' \
    'lr-suggest: -f: "xml": must be plain, csv or json'
usage 'lr-suggest --skip-start -1 run.csv' \
    'lr-suggest: --skip-start: -1: must be at least 0'
usage 'lr-suggest --skip-end x run.csv' \
    'lr-suggest: --skip-end: "x" is not a whole number'
usage 'lr-suggest --lr-diff 0 run.csv' \
    'lr-suggest: --lr-diff: 0: must be at least 1'
usage 'lr-suggest --thresh -0.1 run.csv' \
    'lr-suggest: --thresh: -0.1: must be at least 0'
usage 'lr-suggest --adjust 0 run.csv' \
    'lr-suggest: --adjust: 0: must be greater than 0'
usage 'lr-suggest --adjust inf run.csv' \
    'lr-suggest: --adjust: "inf" is not a number'
usage 'lr-suggest run.csv sweep.csv' \
    'lr-suggest: give at most one file'
usage 'lr-suggest -d ab run.csv' \
    'lr-suggest: -d: "ab": give one character, tab or blanks'
# Control bytes in a bad argument come back as \xNN.
usage 'lr-suggest -m "$(printf "valley,\033[2J")" run.csv' \
    'lr-suggest: -m: "\x1b[2J": no such method (valley, slide, minimum, steep, mingrad, lightning, range, halfway, plateau, pooled, default or all)'
usage 'lr-suggest -f "$(printf "\033]0;x\007")" run.csv' \
    'lr-suggest: -f: "\x1b]0;x\x07": must be plain, csv or json'
usage 'lr-suggest -d "$(printf "\033[")" run.csv' \
    'lr-suggest: -d: "\x1b[": give one character, tab or blanks'
usage 'lr-suggest --bogus run.csv' \
    'lr-suggest: --bogus: unknown option'
usage 'lr-suggest -z run.csv' \
    'lr-suggest: -z: unknown option'
usage 'lr-suggest --summary=1 -g run sweep.csv' \
    'lr-suggest: --summary=1: takes no value'
usage 'lr-suggest run.csv -m' \
    'lr-suggest: -m: needs a value'
usage 'lr-suggest --method' \
    'lr-suggest: --method: needs a value'

tok '--help lists every method' \
    'lr-suggest --help | grep -q "^ *valley, slide, minimum, steep, mingrad, lightning,$" &&
     lr-suggest --help | grep -q "^ *range, halfway, plateau, pooled$" &&
     ! lr-suggest --help | grep -q ".\{81\}" &&
     lr-suggest --help | head -n 1 | grep -q "^usage: lr-suggest "'
t '--version' 0 'lr-suggest --version' <<'EOF'
lr-suggest (lrkit) 0.1.0
EOF

# A sparse log (Lightning): the lr and the loss on separate rows.
t 'sparse log: a hint to merge' 1 'printf "lr-Adam,step,train_loss\n0.1,1,\n,1,2.5\n0.2,2,\n,2,2.4\n" | lr-suggest' 'lr-suggest: stdin: no row has both an lr (lr-Adam) and a loss (train_loss): a sparse log? join its rows first: lr-import --merge step' <<'EOF2'
EOF2

# The manual's examples run ./mlp-train as written.
ln -sf "$top/examples/mlp-train" mlp-train

# lr-suggest(1), EXAMPLES: the range test over three seeds: one answer,
# the runs' pooled answer, the same as lr-suggest -g run -m pooled says.
tok 'EXAMPLES: three seeds, smoothed run by run, one answer' '
	lr=$(sweep-run -p seed=1,2,3 -- ./mlp-train --seed {seed} | ema-smooth -g run | lr-suggest) &&
	want=$(sweep-run -p seed=1,2,3 -- ./mlp-train --seed {seed} | ema-smooth -g run | lr-suggest -g run -m pooled -f csv | sed -n "2p" | cut -d, -f3) &&
	echo "$lr $want" && [ "$lr" = "$want" ]'
