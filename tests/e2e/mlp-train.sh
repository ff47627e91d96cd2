# The bundled trainer's regression and convolutional modes (the tasks of
# bench/quality.sh); the protocol itself is tested through sweep-run.

M=$top/examples/mlp-train
X=$top/examples/data
PATH=$PATH:$top/tools
export M X PATH

# A 1cycle that learns: the held-out loss ends far below a model that
# knows nothing (the variance of the standardized target is 1; the
# cross-entropy of a uniform guess over 10 digits is ln 10 = 2.30), and
# below what the same nets reach with filters that never learn (0.30 and
# 0.74: the bounds catch a broken backward pass through the filters).
tok 'mse: one loss per schedule row, and the regression learns' '
	lrsched onecycle max=0.01 n=110 |
	    "$M" --loss mse --data "$X/diabetes.csv.gz" --batch-size 16 \
	    --seed 1 --val-out val > losses &&
	[ $(wc -l < losses) = 110 ] &&
	! grep -v -e "^[0-9][0-9.e+-]*\$" losses &&
	awk "{ exit !(\$1 > 0.3 && \$1 < 0.7) }" val'
tok 'conv: the conv net learns the digits' '
	lrsched onecycle max=0.05 n=220 |
	    "$M" --conv 8 --hidden 0 --batch-size 32 --seed 1 --val-out val \
	    > losses &&
	[ $(wc -l < losses) = 220 ] && awk "{ exit !(\$1 < 0.15) }" val'
tok 'conv with a hidden layer and Adam learns too' '
	lrsched onecycle max=0.01 n=110 |
	    "$M" --conv 4 --hidden 16 --optimizer adam --seed 2 --val-out val \
	    > /dev/null && awk "{ exit !(\$1 < 0.5) }" val'
tok 'the filters change the losses, the same seed gives the same ones' '
	lrsched range start=1e-3 end=1 n=30 > sched &&
	"$M" --conv 8 --seed 3 < sched > a && "$M" --conv 8 --seed 3 < sched > b &&
	"$M" --seed 3 < sched > c && cmp a b && ! cmp -s a c'
tok 'mse: the range test diverges at large lrs, as a range test should' '
	lrsched range start=1e-7 end=10 n=100 |
	    "$M" --loss mse --data "$X/diabetes.csv.gz" --batch-size 16 |
	    tail -n 1 | grep -q -e nan -e inf'

t '--loss: an unknown loss' 2 '"$M" --loss hinge' \
    'mlp-train: --loss: "hinge": must be ce or mse
usage: mlp-train [--bare] [--batch-size N] [--conv N] [--data FILE]
                 [--hidden N] [--loss ce|mse] [--momentum M]
                 [--optimizer sgd|adam] [--print-val] [--seed N]
                 [--val-frac F] [--val-out FILE] [--wd W]' <<'OUT'
OUT
t '--conv: features that are no square image' 1 \
    '"$M" --conv 2 --loss mse --data "$X/diabetes.csv.gz"' \
    "mlp-train: $X/diabetes.csv.gz: --conv: 10 features are not a square image of side 4 or more" <<'OUT'
OUT

# ---- the momentum column: each step's momentum (SGD's, Adam's beta1)

# bin/momentum-column K M1 M2 < step,lr: the same rows with a momentum
# column, M1 for the steps before K and M2 from step K on.
cat > bin/momentum-column <<'EOF'
#!/bin/sh
awk -F, -v k="$1" -v m1="$2" -v m2="$3" \
    'NR == 1 { print $0 ",momentum"; next } { print $0 "," ($1 < k ? m1 : m2) }'
EOF
chmod +x bin/momentum-column
lrsched onecycle max=0.05 n=60 > s.csv
momentum-column 30 0.9 0.5 < s.csv > switch.csv
momentum-column 0 0.9 0.9 < s.csv > m09.csv

# The loss of row k comes before the update of step k: a momentum that
# changes at step 30 leaves the losses of rows 0-30 (lines 1-31) as they
# were and changes the next one.
cat > bin/switch-test <<'EOF'
#!/bin/sh
# switch-test TRAINER ARGS...: run it on s.csv and switch.csv and compare.
"$@" < s.csv > plain && "$@" < switch.csv > switched || exit 1
head -n 31 plain > p31 && head -n 31 switched > s31 && cmp p31 s31 || exit 1
a=$(sed -n 32p plain) b=$(sed -n 32p switched)
echo "line 32: $a, then $b"
[ -n "$a" ] && [ "$a" != "$b" ]
EOF
chmod +x bin/switch-test
tok 'the momentum column is SGD'"'"'s momentum from its step on' \
    'switch-test "$M" --seed 1'
tok 'the momentum column is Adam'"'"'s beta1 from its step on' \
    'switch-test "$M" --seed 1 --optimizer adam'
tok 'the momentum column overrides --momentum' '
	"$M" --seed 2 --momentum 0.9 < s.csv > a &&
	"$M" --seed 2 --momentum 0.5 < m09.csv > b &&
	"$M" --seed 2 --momentum 0.5 < s.csv > c && cmp a b && ! cmp -s a c'
# sweep-run feeds the momentum 1cycle cycles, as lrsched -m prints it.
tok 'under sweep-run, 1cycle'"'"'s momentum cycles' '
	sweep-run -s "onecycle max=0.05 n=60" -- "$M" --seed 3 |
	    sed 1d | cut -d, -f4 > swept &&
	lrsched -m onecycle max=0.05 n=60 | "$M" --seed 3 > cycled &&
	lrsched onecycle max=0.05 n=60 | "$M" --seed 3 > constant &&
	[ $(wc -l < swept) = 60 ] && cmp swept cycled && ! cmp -s swept constant'
t 'the momentum column: 1 or more is an error' 1 \
    'printf "step,lr,momentum\n0,0.1,1\n1,0.1,0.9\n" | "$M"' \
    'mlp-train: stdin:2: 1: the momentum must be between 0 and 0.9999' <<'OUT'
OUT
t 'the momentum column: Adam'"'"'s beta1 of 0 is an error' 1 \
    'printf "step,lr,momentum\n0,0.1,0\n" | "$M" --optimizer adam' \
    'mlp-train: stdin:2: 0: Adam needs a beta1 above 0' <<'OUT'
OUT

# examples/torch_train.py, where a python3 has torch: the README's
# python3, else Debian's.
py=$(command -v python3)
"$py" -c 'import torch' 2> /dev/null || py=/usr/bin/python3
if ! "$py" -c 'import torch' 2> /dev/null; then
	echo "SKIP mlp-train: torch_train.py: no python3 with torch (apt-get install python3-torch)"
else
	export py
	tok 'torch_train.py: the momentum column is SGD'"'"'s momentum' \
	    'switch-test "$py" "$top/examples/torch_train.py" 1'
	tok 'torch_train.py --adam: the momentum column is Adam'"'"'s beta1' \
	    'switch-test "$py" "$top/examples/torch_train.py" 1 --adam'
fi

# The loop the README and lrkit(7) show is examples/torch_train.py's, line
# for line ("..." stands for the lines left out).
cat > bin/in-torch-train <<'EOF'
#!/bin/sh
# in-torch-train < LINES: every line, but "...", is one of torch_train.py.
n=0
while IFS= read -r line; do
	case $line in *"  ...  "*) continue ;; esac
	grep -qxF -e "$line" "$top/examples/torch_train.py" ||
	    { echo "not in torch_train.py: $line"; exit 1; }
	n=$((n + 1))
done
echo "$n lines"
[ $n -gt 5 ]
EOF
chmod +x bin/in-torch-train
tok 'the README'"'"'s PyTorch loop is torch_train.py'"'"'s' \
    'sh "$top/tests/readme-block.sh" "The bundled example and \`make demo\`" 2 | in-torch-train'
tok 'lrkit(7)'"'"'s PyTorch loop is torch_train.py'"'"'s' '
	sed -n "/^In PyTorch the whole protocol/,/^\\.Ed/p" "$top/man/lrkit.7" |
	    sed "1,3d; \$d" | in-torch-train'
