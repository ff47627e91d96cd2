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
