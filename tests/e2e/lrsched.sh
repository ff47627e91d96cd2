# lrsched end-to-end tests.

# Golden vectors from torch.optim.lr_scheduler and the ports in
# tests/golden/gen_sched.py, one per line of cases.txt: NAME|ARGUMENTS.
while IFS='|' read -r case_name case_args; do
	tnum "golden $case_name" "lrsched $case_args" "$D/sched/$case_name.csv"
done < "$D/sched/cases.txt"

# The shape of the output.
t 'header and rows' 0 'lrsched cyclic base=0.1 max=1 up=4 n=9' <<'EOF'
step,lr
0,0.1
1,0.325
2,0.55
3,0.775
4,1
5,0.775
6,0.55
7,0.325
8,0.1
EOF

t '--bare: one lr per line' 0 'lrsched --bare exp base=1 gamma=0.5 n=4' <<'EOF'
1
0.5
0.25
0.125
EOF

t '--bare -m' 0 'lrsched --bare -m cyclic base=0.1 max=1 up=2 n=3' <<'EOF'
0.1,0.9
0.55,0.8500000000000001
1,0.8
EOF

t 'options after the schedule' 0 'lrsched exp base=1 gamma=0.5 n=2 --bare' <<'EOF'
1
0.5
EOF

t 'torch names of the keys' 0 \
    'lrsched CosineAnnealingLR base_lr=1 T_max=2 eta_min=0.5 total_steps=3' <<'EOF'
step,lr
0,1
1,0.75
2,0.5
EOF

t 'shortest round trip' 0 'lrsched linear base=1 start-factor=0.1 T=3 n=2' <<'EOF'
step,lr
0,0.1
1,0.4
EOF

t 'worked example: the chained golden' 0 \
    'lrsched linear base=1 start-factor=0.1 T=3 n=3 then cosine base=1 T=5 n=7 | cut -d, -f2 | paste -s -d " " -' <<'EOF'
lr 0.1 0.4 0.7 1 0.9045084971874737 0.6545084971874737 0.3454915028125263 0.09549150281252632 0 0.09549150281252627
EOF

t 'range: the last lr is end' 0 \
    'lrsched range start=1e-7 end=10 n=100 | sed -n "2p;101p"' <<'EOF'
0,1e-07
99,10
EOF

t '--epochs without n=' 0 \
    'lrsched --epochs 2 --steps-per-epoch 2 exp base=1 gamma=0.5' <<'EOF'
step,lr
0,1
1,0.5
2,0.25
3,0.125
EOF

t '--epochs: the rest after a warm-up' 0 \
    'lrsched --bare --epochs 1 --steps-per-epoch 4 constant base=1 factor=0.5 T=1 n=1 then exp base=2 gamma=0.5' <<'EOF'
0.5
2
1
0.5
EOF

t 'a spec in one word, as sweep-run takes it' 0 \
    'lrsched --bare "exp base=1 gamma=0.5 n=2 then constant base=1 n=1"' <<'EOF'
1
0.5
0.3333333333333333
EOF

# The manual's examples.
t 'EXAMPLES: the fastai range test' 0 \
    'lrsched range start=1e-7 end=10 n=100 convention=fastai | tail -n 1' <<'EOF'
99,8.317637711026709
EOF

t 'EXAMPLES: the pytorch-lr-finder range test' 0 \
    'lrsched --bare range start=1e-7 end=10 n=100 | head -n 2' <<'EOF'
1e-07
1.2045035402587822e-07
EOF

t 'EXAMPLES: Lightning' 0 \
    'lrsched range start=1e-8 end=1 n=100 convention=lightning | sed -n 3p' <<'EOF'
1,1.4454397707459274e-08
EOF

t 'EXAMPLES: warm-up then cosine' 0 \
    'lrsched linear base=0.1 start-factor=0.01 T=500 n=500 then cosine base=0.1 T=9500 n=9500 | sed -n "2p;502p;10001p"' <<'EOF'
0,0.001
500,0.1
9999,2.733962412015967e-09
EOF

tnum 'EXAMPLES: fastai fit_one_cycle' \
    'lrsched -m --epochs 4 --steps-per-epoch 25 fastai-onecycle max=0.01' \
    "$D/sched/fastai-onecycle-epochs.csv"

tnum 'EXAMPLES: a 1cycle peaking at the suggested lr' \
    'cp "$D/sched/run.csv" . && export PATH="$PATH:$top/tools" && lrsched -m onecycle max=$(lr-suggest run.csv) n=1000' \
    "$D/sched/onecycle-suggested.csv"

# --help, --version.
tok '--help' 'lrsched --help | head -n 1 | grep -q "^usage: lrsched \[-m\]"'
tok '--help lists every policy' 'for p in range onecycle fastai-onecycle cyclic cosine cosine-restarts step multistep exp linear constant poly; do lrsched --help | grep -q "^  $p " || exit 1; done'
t '--version' 0 'lrsched --version' <<'EOF'
lrsched (lrkit) 0.1.0
EOF

# Usage errors: exit 2, the key named.
TRY="Try 'lrsched --help' for more information."
t 'no schedule' 2 'lrsched' "lrsched: no schedule given
$TRY" < /dev/null
t 'unknown option' 2 'lrsched -x range' "lrsched: -x: unknown option
$TRY" < /dev/null
t 'unknown long option' 2 'lrsched --speed 3 range' "lrsched: --speed: unknown option
$TRY" < /dev/null
t 'a value for a flag' 2 'lrsched --bare=1 range' "lrsched: --bare=1: takes no value
$TRY" < /dev/null
t 'option without its value' 2 'lrsched range start=1 end=2 n=3 --epochs' "lrsched: --epochs: needs a value
$TRY" < /dev/null
t 'unknown policy' 2 'lrsched sawtooth base=1 n=3' "lrsched: unknown policy \"sawtooth\"
$TRY" < /dev/null
t 'key before the policy' 2 'lrsched n=3 range' "lrsched: \"n=3\": a policy must come before its keys
$TRY" < /dev/null
t 'unknown key' 2 'lrsched cosine base=1 Tmax=10 n=5' "lrsched: cosine: unknown key \"Tmax\"
$TRY" < /dev/null
t 'missing required key' 2 'lrsched onecycle n=10' "lrsched: onecycle: missing max=
$TRY" < /dev/null
t 'missing n' 2 'lrsched exp base=1 gamma=0.9' "lrsched: exp: missing n= (or give epochs and steps per epoch)
$TRY" < /dev/null
t 'key given twice' 2 'lrsched exp base=1 gamma=0.9 n=3 n=4' "lrsched: exp: n: given twice
$TRY" < /dev/null
t 'empty value' 2 'lrsched exp base= gamma=0.9 n=3' "lrsched: exp: base: the value is empty
$TRY" < /dev/null
t 'not key=value' 2 'lrsched exp base=1 gamma=0.9 n=3 fast' "lrsched: exp: \"fast\": expected key=value
$TRY" < /dev/null
t 'then missing' 2 'lrsched exp base=1 gamma=0.9 n=3 cosine base=1 T=3 n=3' "lrsched: exp: \"cosine\": put \"then\" between two schedules
$TRY" < /dev/null
t 'then with nothing after it' 2 'lrsched exp base=1 gamma=0.9 n=3 then' "lrsched: \"then\" with no schedule after it
$TRY" < /dev/null
t 'then first' 2 'lrsched then exp base=1 gamma=0.9 n=3' "lrsched: \"then\" must come after a schedule
$TRY" < /dev/null
t 'then twice' 2 'lrsched exp base=1 gamma=0.9 n=3 then then exp base=1 gamma=0.9 n=3' "lrsched: \"then\" twice in a row
$TRY" < /dev/null
t 'range: n < 2' 2 'lrsched range start=1e-7 end=10 n=1' "lrsched: range: n: 1: must be at least 2
$TRY" < /dev/null
t 'range: n = 0' 2 'lrsched range start=1e-7 end=10 n=0' "lrsched: range: n: 0: must be a positive whole number
$TRY" < /dev/null
t 'range: start 0 with exp spacing' 2 'lrsched range start=0 end=10 n=5' "lrsched: range: start: must be greater than 0 with spacing=exp
$TRY" < /dev/null
t 'range: end 0 with exp spacing' 2 'lrsched range start=1 end=0 n=5' "lrsched: range: end: must be greater than 0 with spacing=exp
$TRY" < /dev/null
t 'range: start 0 is fine when linear' 0 'lrsched --bare range start=0 end=1 n=3 spacing=linear' <<'EOF'
0
0.5
1
EOF
t 'range: negative start' 2 'lrsched range start=-1 end=1 n=3 spacing=linear' "lrsched: range: start: -1: must be at least 0
$TRY" < /dev/null
t 'range: unknown convention' 2 'lrsched range start=1e-7 end=1 n=3 convention=keras' "lrsched: range: convention: \"keras\": must be one of: endpoint fastai lightning
$TRY" < /dev/null
t 'range: unknown spacing' 2 'lrsched range start=1e-7 end=1 n=3 spacing=log' "lrsched: range: spacing: \"log\": must be one of: exp linear
$TRY" < /dev/null
t 'not a number' 2 'lrsched exp base=abc gamma=0.9 n=3' "lrsched: exp: base: \"abc\" is not a number
$TRY" < /dev/null
t 'not finite' 2 'lrsched exp base=inf gamma=0.9 n=3' "lrsched: exp: base: \"inf\" is not a number
$TRY" < /dev/null
t 'n not whole' 2 'lrsched exp base=1 gamma=0.9 n=2.5' "lrsched: exp: n: \"2.5\" is not a whole number
$TRY" < /dev/null
t 'n = 1e3 is whole' 0 'lrsched --bare exp base=1 gamma=1 n=1e3 | wc -l | tr -d " "' <<'EOF'
1000
EOF
t 'gamma <= 0' 2 'lrsched exp base=1 gamma=0 n=3' "lrsched: exp: gamma: 0: must be greater than 0
$TRY" < /dev/null
t 'T0 not a positive integer' 2 'lrsched cosine-restarts base=1 T0=0 n=3' "lrsched: cosine-restarts: T0: 0: must be a positive whole number
$TRY" < /dev/null
t 'T0 fractional' 2 'lrsched cosine-restarts base=1 T0=2.5 n=3' "lrsched: cosine-restarts: T0: \"2.5\" is not a whole number
$TRY" < /dev/null
t 'Tmult not an integer' 2 'lrsched cosine-restarts base=1 T0=2 Tmult=1.5 n=3' "lrsched: cosine-restarts: Tmult: \"1.5\" is not a whole number
$TRY" < /dev/null
t 'Tmult 0' 2 'lrsched cosine-restarts base=1 T0=2 Tmult=0 n=3' "lrsched: cosine-restarts: Tmult: 0: must be a positive whole number
$TRY" < /dev/null
t 'cosine T = 0' 2 'lrsched cosine base=1 T=0 n=3' "lrsched: cosine: T: 0: must be a positive whole number
$TRY" < /dev/null
t 'cosine: negative min' 2 'lrsched cosine base=1 T=3 min=-0.1 n=3' "lrsched: cosine: min: -0.1: must be at least 0
$TRY" < /dev/null
t 'onecycle: pct > 1' 2 'lrsched onecycle max=1 n=10 pct=1.5' "lrsched: onecycle: pct: 1.5: must be between 0 and 1
$TRY" < /dev/null
t 'onecycle: empty warm-up' 2 'lrsched onecycle max=1 n=10 pct=0.1' "lrsched: onecycle: pct: pct*n is 1: the warm-up phase is empty
$TRY" < /dev/null
t 'onecycle: unknown anneal' 2 'lrsched onecycle max=1 n=10 anneal=exp' "lrsched: onecycle: anneal: \"exp\": must be one of: cos linear
$TRY" < /dev/null
t 'onecycle: three-phase not 0 or 1' 2 'lrsched onecycle max=1 n=10 three-phase=2' "lrsched: onecycle: three-phase: 2: must be 0 or 1
$TRY" < /dev/null
t 'onecycle: max 0' 2 'lrsched onecycle max=0 n=10' "lrsched: onecycle: max: 0: must be greater than 0
$TRY" < /dev/null
t 'cyclic: unknown mode' 2 'lrsched cyclic base=0.1 max=1 up=4 mode=sine n=10' "lrsched: cyclic: mode: \"sine\": must be one of: triangular triangular2 exp_range
$TRY" < /dev/null
t 'cyclic: missing up' 2 'lrsched cyclic base=0.1 max=1 n=10' "lrsched: cyclic: missing up=
$TRY" < /dev/null
t 'linear: start-factor 0' 2 'lrsched linear base=1 start-factor=0 n=3' "lrsched: linear: start-factor: 0: must be greater than 0 and at most 1
$TRY" < /dev/null
t 'constant: factor > 1' 2 'lrsched constant base=1 factor=2 n=3' "lrsched: constant: factor: 2: must be greater than 0 and at most 1
$TRY" < /dev/null
t 'multistep: bad milestones' 2 'lrsched multistep base=1 milestones=3,x n=5' "lrsched: multistep: milestones: \"3,x\" is not a list of numbers
$TRY" < /dev/null
t 'multistep: fractional milestone' 2 'lrsched multistep base=1 milestones=3,4.5 n=5' "lrsched: multistep: milestones: \"3,4.5\": steps must be whole numbers >= 0
$TRY" < /dev/null
t '-m without momentum' 2 'lrsched -m cosine base=1 T=3 n=3' "lrsched: -m: cosine has no momentum (onecycle, cyclic and fastai-onecycle have)
$TRY" < /dev/null
t '-m: a chain with a schedule without momentum' 2 'lrsched -m linear base=1 n=2 then onecycle max=1 n=10' "lrsched: -m: linear has no momentum (onecycle, cyclic and fastai-onecycle have)
$TRY" < /dev/null
t '--epochs alone' 2 'lrsched --epochs 3 onecycle max=1' "lrsched: --epochs and --steps-per-epoch go together
$TRY" < /dev/null
t '--epochs 0' 2 'lrsched --epochs 0 --steps-per-epoch 3 onecycle max=1' "lrsched: --epochs: 0: must be at least 1
$TRY" < /dev/null
t '--steps-per-epoch not a number' 2 'lrsched --epochs 2 --steps-per-epoch x onecycle max=1' "lrsched: --steps-per-epoch: \"x\" is not a whole number
$TRY" < /dev/null
t '--epochs with n= everywhere' 2 'lrsched --epochs 2 --steps-per-epoch 3 onecycle max=1 n=6' "lrsched: --epochs: every schedule has n= already
$TRY" < /dev/null
t '--epochs with two open schedules' 2 'lrsched --epochs 2 --steps-per-epoch 3 linear base=1 then exp base=1 gamma=0.5' "lrsched: --epochs: only one schedule may go without n=
$TRY" < /dev/null
t '--epochs: nothing left' 2 'lrsched --epochs 1 --steps-per-epoch 3 linear base=1 n=3 then exp base=1 gamma=0.5' "lrsched: --epochs: 3 steps in all leave 0 for exp after the other schedules' 3
$TRY" < /dev/null

# A bad word is quoted with its control bytes and its bytes that are not
# UTF-8 as \xNN, and cut after 64 bytes: an argument cannot drive the
# terminal the message goes to.
t 'an escape sequence in a policy' 2 "lrsched \"\$(printf '\\033[2Jrange')\" n=3" "lrsched: unknown policy \"\\x1b[2Jrange\"
$TRY" < /dev/null
t 'an escape sequence in a value' 2 "lrsched range start=1 end=\"\$(printf '1\\033]0;x\\007')\" n=3" "lrsched: range: end: \"1\\x1b]0;x\\x07\" is not a number
$TRY" < /dev/null
t 'a tab and a line feed in a word' 2 "lrsched cosine base=1 T=2 \"\$(printf 'a\\tb\\nc')\" n=3" "lrsched: cosine: \"a\\x09b\\x0ac\": expected key=value
$TRY" < /dev/null
t 'a byte that is not UTF-8 in a key, UTF-8 kept' 2 "lrsched range \"\$(printf 'st\\377\\303\\251art=1')\" end=10 n=3" "lrsched: range: unknown key \"st\\xfféart\"
$TRY" < /dev/null
t 'a long bad value is cut after 64 bytes' 2 "lrsched range start=1 end=10 n=\$(printf '%070dx' 1)" "lrsched: range: n: \"0000000000000000000000000000000000000000000000000000000000000000...\" is not a whole number
$TRY" < /dev/null
t 'an escape sequence in an option value' 2 "lrsched --epochs \"\$(printf '\\033[31m')\" --steps-per-epoch 2 exp base=1 gamma=1" "lrsched: --epochs: \"\\x1b[31m\" is not a whole number
$TRY" < /dev/null
t 'an escape sequence in an unknown option' 2 "lrsched \"\$(printf -- '--bo\\033gus=1')\" exp base=1 gamma=1 n=2" "lrsched: --bo\\x1bgus: unknown option
$TRY" < /dev/null

# Output errors.
t 'disk full' 1 'lrsched range start=1e-7 end=10 n=100000 > /dev/full' \
    'lrsched: write error: No space left on device'
t 'a closed pipe ends quietly' 0 \
    'lrsched range start=1e-7 end=10 n=10000000 | head -n 1' <<'EOF'
step,lr
EOF
# The manual: exit 0 "also when the reader of the output goes away early",
# not death by SIGPIPE (status 141 in the shell).
t 'a closed pipe: status 0' 0 \
    '{ lrsched range start=1e-7 end=10 n=10000000; echo "status $?" >&2; } 2>st | head -n 1; cat st' <<'EOF'
step,lr
status 0
EOF
