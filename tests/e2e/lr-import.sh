# lr-import end-to-end tests, and the real foreign logs of tests/data/foreign
# (see SOURCES.md there) through ema-smooth, lr-suggest and lr-plot.

I=$D/import
F=$D/foreign
RUN=$I/mlruns/1/ed05f9cd599442fe9a0c9222184710b8

# within VALUE FILE COLUMN: VALUE is a number between a tenth of the
# smallest and the largest number of COLUMN in the CSV FILE (lr-suggest's
# default, minimum, suggests a tenth of an lr of the curve).
cat > within.sh <<'EOF'
awk -F, -v v="$1" -v col="$3" '
NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
$c != "" && $c + 0 == $c { if (lo == "" || $c < lo) lo = $c + 0
	if (hi == "" || $c > hi) hi = $c + 0 }
END { lo /= 10
	ok = v ~ /^[0-9.e+-]+$/ && v + 0 >= lo && v + 0 <= hi
	if (!ok) print "suggestion " v " not within " lo ".." hi
	exit !ok }' "$2"
EOF

# --- the interface --------------------------------------------------------

tok 'help' 'lr-import --help | head -1 | grep -q "^usage: lr-import "'
tok 'help lists --merge' 'lr-import --help | grep -q -- "--merge COL"'
t 'version' 0 'lr-import --version' <<'EOF'
lr-import (lrkit) 0.1.0
EOF
t 'unknown option' 2 'lr-import --bogus 2> err; s=$?; cat err; exit $s' <<'EOF'
lr-import: --bogus: unknown option
Try 'lr-import --help' for more information.
EOF
t 'an option without its value' 2 'lr-import -f 2> err; s=$?; cat err; exit $s' <<'EOF'
lr-import: -f: needs a value
Try 'lr-import --help' for more information.
EOF
t 'a value for a flag' 2 'lr-import --wide=1 2> err; s=$?; cat err; exit $s' <<'EOF'
lr-import: --wide=1: takes no value
Try 'lr-import --help' for more information.
EOF
t 'bad -f' 2 'lr-import -f xml' \
'lr-import: -f: "xml": must be csv, hf, jsonl, mlflow or tfevents
Try '"'lr-import --help'"' for more information.' </dev/null
t 'bad --rename' 2 'lr-import --rename a' \
'lr-import: --rename: "a": give old=new
Try '"'lr-import --help'"' for more information.' </dev/null
t 'bad --rename, empty new' 2 'lr-import --rename a=' \
'lr-import: --rename: "a=": give old=new
Try '"'lr-import --help'"' for more information.' </dev/null
t 'bad --select' 2 'lr-import --select a,,b' \
'lr-import: --select: "a,,b": give column names separated by commas
Try '"'lr-import --help'"' for more information.' </dev/null
# Control bytes in a bad argument come back as \xNN.
t 'escape bytes in -f' 2 'lr-import -f "$(printf "\033[2J")"' \
'lr-import: -f: "\x1b[2J": must be csv, hf, jsonl, mlflow or tfevents
Try '"'lr-import --help'"' for more information.' </dev/null
t 'escape bytes in --rename' 2 'lr-import --rename "$(printf "\033]0;x\007")"' \
'lr-import: --rename: "\x1b]0;x\x07": give old=new
Try '"'lr-import --help'"' for more information.' </dev/null
t 'escape bytes in --select' 2 'lr-import --select "$(printf "a,,\033[2J")"' \
'lr-import: --select: "a,,\x1b[2J": give column names separated by commas
Try '"'lr-import --help'"' for more information.' </dev/null
t 'empty --merge' 2 'lr-import --merge ""' \
'lr-import: --merge: the column name is empty
Try '"'lr-import --help'"' for more information.' </dev/null
t 'empty --ffill' 2 'lr-import --ffill ""' \
'lr-import: --ffill: the column name is empty
Try '"'lr-import --help'"' for more information.' </dev/null
t 'empty --split-restarts' 2 'lr-import --split-restarts ""' \
'lr-import: --split-restarts: the column name is empty
Try '"'lr-import --help'"' for more information.' </dev/null
t 'bad -d' 2 'lr-import -d ::' \
'lr-import: -d: "::": give one character, tab or blanks
Try '"'lr-import --help'"' for more information.' </dev/null
t '--mlflow without files' 2 'lr-import --mlflow' \
'lr-import: --mlflow: name the metric files or run folders
Try '"'lr-import --help'"' for more information.' </dev/null
t '--mlflow with -f hf' 2 'lr-import --mlflow -f hf x' \
'lr-import: --mlflow goes with -f mlflow only
Try '"'lr-import --help'"' for more information.' </dev/null
t '--eval with -f jsonl' 2 'lr-import --eval -f jsonl x' \
'lr-import: --eval goes with -f hf only
Try '"'lr-import --help'"' for more information.' </dev/null
t '--wide with -f csv' 2 'lr-import --wide -f csv x' \
'lr-import: --wide goes with -f tfevents only
Try '"'lr-import --help'"' for more information.' </dev/null
cp "$F/keras-csvlogger-digit-cnn.csv" digit.csv
t '--eval on a CSV file' 2 'lr-import --eval digit.csv' \
'lr-import: --eval: digit.csv is csv, not a trainer_state.json
Try '"'lr-import --help'"' for more information.' </dev/null
t '--wide on a CSV file' 2 'lr-import --wide digit.csv' \
'lr-import: --wide: digit.csv is csv, not a TensorBoard event file
Try '"'lr-import --help'"' for more information.' </dev/null
t '-H on an event file' 2 "lr-import -H $I/tf1.tfevents" \
"lr-import: -d and -H: $I/tf1.tfevents is tfevents, not CSV
Try 'lr-import --help' for more information." </dev/null
t 'missing file' 1 'lr-import nonexistent.json' \
'lr-import: nonexistent.json: No such file or directory' </dev/null
mkdir -p folder
t 'a folder without --mlflow' 1 'lr-import folder' \
'lr-import: folder: is a folder (--mlflow reads MLflow run folders)' </dev/null
# Several files: one that is a folder or does not open is reported, the
# others are read, and the status is 1 (the loop every tool shares).
printf 'lr,loss\n1,2\n' > one.csv
t 'a folder and a missing file among several' 1 \
    'lr-import folder nonexistent.csv one.csv' \
'lr-import: folder: is a folder (--mlflow reads MLflow run folders)
lr-import: nonexistent.csv: No such file or directory' <<'EOF'
lr,loss
1,2
EOF
t 'write error' 1 "lr-import $I/tf2.tfevents > /dev/full" \
'lr-import: write error: No space left on device' </dev/null
t 'closed pipe' 0 "lr-import $F/hf-trainer_state-tinyllama-sft.json | head -1" <<'EOF'
step,epoch,loss,learning_rate,grad_norm,mean_token_accuracy,num_tokens
EOF
t 'empty input' 0 'printf "" | lr-import' </dev/null

# --- Hugging Face trainer_state.json -----------------------------------------

tnum 'hf tinyllama' "lr-import $F/hf-trainer_state-tinyllama-sft.json" \
    "$I/hf-tinyllama.csv"
tnum 'hf tinyllama --eval' "lr-import --eval $F/hf-trainer_state-tinyllama-sft.json" \
    "$I/hf-tinyllama-eval.csv"
tnum 'hf whisper (no summary row)' "lr-import $F/hf-trainer_state-whisper-ja.json" \
    "$I/hf-whisper.csv"
tnum 'hf whisper --eval' "lr-import --eval $F/hf-trainer_state-whisper-ja.json" \
    "$I/hf-whisper-eval.csv"
tnum 'hf from a pipe' "cat $F/hf-trainer_state-whisper-ja.json | lr-import" \
    "$I/hf-whisper.csv"
tnum 'hf forced' "lr-import -f hf < $F/hf-trainer_state-whisper-ja.json" \
    "$I/hf-whisper.csv"
t 'hf --select --rename' 0 "lr-import --rename learning_rate=lr --select step,lr,loss $F/hf-trainer_state-whisper-ja.json | sed -n '1,3p;\$p'" <<'EOF'
step,lr,loss
25,4.6000000000000004e-07,0.3048
50,9.600000000000001e-07,0.2896
5000,8.88888888888889e-09,0.0002
EOF

# Python's json writes NaN and Infinity, which JSON has not: read them.
printf '{\n "log_history": [\n  {"step": 1, "loss": NaN, "learning_rate": 1e-3},\n  {"step": 2, "loss": -Infinity, "learning_rate": 2e-3, "grad_norm": Infinity},\n  {"step": 3, "loss": 1.5, "learning_rate": null}\n ]\n}\n' > nan.json
t 'hf NaN and Infinity' 0 'lr-import nan.json' <<'EOF'
step,loss,learning_rate,grad_norm
1,nan,0.001,
2,-inf,0.002,inf
3,1.5,,
EOF

head -c 3000 "$F/hf-trainer_state-whisper-ja.json" > truncated.json
t 'hf truncated' 1 'lr-import truncated.json' \
"lr-import: truncated.json:150: invalid JSON at column 10: premature end of input near '\"lea'"
printf '{"log_history": {"a": 1}}\n' > notarray.json
t 'hf log_history an object' 1 'lr-import -f hf notarray.json' \
'lr-import: notarray.json:1: "log_history" is an object, expected an array'
printf '{\n  "log_history": 3\n}\n' > notarray2.json
t 'hf log_history a number' 1 'lr-import notarray2.json' \
'lr-import: notarray2.json:2: "log_history" is a number, expected an array'
printf '{"best": 1}\n' > nohistory.json
t 'hf no log_history' 1 'lr-import -f hf nohistory.json' \
'lr-import: nohistory.json: no "log_history": not a Hugging Face trainer_state.json'
printf '[1, 2]\n' > array.json
t 'hf not an object' 1 'lr-import -f hf array.json' \
'lr-import: array.json: the document is an array, not a trainer_state.json object'
printf '{\n "log_history": [\n  {"step": 1, "loss": 2.5},\n  {"step": 2,\n   "loss": "high"}\n ]\n}\n' > badvalue.json
t 'hf a string loss' 1 'lr-import badvalue.json' \
'lr-import: badvalue.json:4: log_history[1]: "loss" is a string, expected a number'
# A fixed column whose every value is a string is an error too, not a
# column left out.
printf '{\n "log_history": [\n  {"step": 1,\n   "loss": "2.5"}\n ]\n}\n' > allstring.json
t 'hf a string loss in every entry' 1 'lr-import allstring.json' \
'lr-import: allstring.json:3: log_history[0]: "loss" is a string, expected a number'
printf '{"log_history": [{"step": 1, "loss": 2, "learning_rate": "1e-3"}]}\n' > strlr.json
t 'hf a string learning_rate' 1 'lr-import strlr.json' \
'lr-import: strlr.json:1: log_history[0]: "learning_rate" is a string, expected a number'
printf '{\n "log_history": [\n  {"step": 1, "loss": 2.5},\n  [3]\n ]\n}\n' > badentry.json
t 'hf an entry not an object' 1 'lr-import badentry.json' \
'lr-import: badentry.json:4: log_history[1] is an array, expected an object'
printf '{"log_history": [{"step": 1, "eval_loss": 2.5}]}\n' > evalonly.json
t 'hf no training entries' 1 'lr-import evalonly.json' \
'lr-import: evalonly.json: log_history has no training entries (with "loss")'
t 'hf no eval entries' 1 "lr-import --eval nan.json" \
'lr-import: nan.json: log_history has no evaluation entries (with "eval_*" keys)'
printf '{"log_history": [{"step": 1, "loss": 2.5}],}\n' > trailing.json
t 'hf invalid JSON' 1 'lr-import -f hf trailing.json' \
"lr-import: trailing.json:1: invalid JSON at column 44: string or '}' expected near '}'"
t 'hf partial output never' 1 'lr-import nan.json badvalue.json > out; s=$?; wc -l < out; exit $s' \
'lr-import: badvalue.json:4: log_history[1]: "loss" is a string, expected a number' <<'EOF'
4
EOF

# --- JSON Lines ------------------------------------------------------------

tnum 'jsonl' "lr-import $I/history.jsonl" "$I/history.csv"
tnum 'jsonl from a pipe' "cat $I/history.jsonl | lr-import -f jsonl" \
    "$I/history.csv"
t 'jsonl select and rename' 0 "lr-import -f jsonl --rename train/lr=lr --rename train/loss=loss --select _step,lr,loss $I/history.jsonl" <<'EOF'
_step,lr,loss
0,1e-07,2.302585092994046
1,1.2045035402587824e-07,2.29
2,1.4508287784959398e-07,2.27
3,,
4,1.7475284000076837e-07,nan
5,2.104904144512021e-07,
6,2.5353644939701166e-07,2.2
EOF
printf '{"a": NaN, "b": 1}\n{"a": NaN, "b": 2,,}\n' > bad.jsonl
t 'jsonl invalid line (column after NaN)' 1 'lr-import bad.jsonl' \
"lr-import: bad.jsonl:2: invalid JSON at column 19: string or '}' expected near ','"
printf '{"a": 1}\n[1, 2]\n' > array.jsonl
t 'jsonl not an object' 1 'lr-import -f jsonl array.jsonl' \
'lr-import: array.jsonl:2: an array, expected a JSON object on every line'
printf '{"a": 1}\n{"a": 2}\n{"a": "x"}\n' > string.jsonl
t 'jsonl a string value' 1 'lr-import string.jsonl' \
'lr-import: string.jsonl:3: "a" is a string, expected a number'
t 'jsonl a boolean, from a pipe' 1 'printf "{\"a\": true}\n{\"a\": 1}\n" | lr-import' \
'lr-import: stdin:1: "a" is a boolean, expected a number'
printf '{"name": "x"}\n' > nonumber.jsonl
t 'jsonl no numbers' 1 'lr-import nonumber.jsonl' \
'lr-import: nonumber.jsonl: no numeric values in any object'
printf '{"a": 1}\n{"a": 2\n' > cut.jsonl
t 'jsonl truncated' 1 'lr-import cut.jsonl' \
"lr-import: cut.jsonl:2: invalid JSON at column 7: '}' expected near end of file"

# --- MLflow -------------------------------------------------------------------

t 'mlflow one metric' 0 "lr-import $RUN/metrics/loss" <<'EOF'
step,timestamp,loss
0,1628697792090,332.6841735839844
1,1628697795789,297.6000061035156
2,1628697799319,270.32366943359375
3,1628697803121,248.3108367919922
4,1628697806972,239.03318786621094
5,1628697810423,238.0267791748047
6,1628697813877,235.6751708984375
7,1628697817574,235.4126739501953
8,1628697823629,235.13304138183594
9,1628697827236,234.7978057861328
EOF
t 'mlflow the real file, detected' 0 "lr-import $F/mlflow-metric-loss-swahili-stt.txt | sed -n '1p;\$p'" <<'EOF'
step,timestamp,mlflow-metric-loss-swahili-stt.txt
9,1628697827236,234.7978057861328
EOF
mkdir -p mlruns/0/run1
cp -R "$RUN/metrics" mlruns/0/run1/
t 'mlflow run folder' 0 'lr-import --mlflow mlruns/0/run1' < "$I/mlflow-joined.csv" <<'EOF'
step,timestamp,loss,train/lr
0,1628697792090,332.6841735839844,0.001
1,1628697795789,297.6000061035156,
2,1628697799319,270.32366943359375,0.0005
3,1628697803121,248.3108367919922,
4,1628697806972,239.03318786621094,0.00025
5,1628697810423,238.0267791748047,
6,1628697813877,235.6751708984375,0.000125
7,1628697817574,235.4126739501953,
8,1628697823629,235.13304138183594,6.25e-05
9,1628697827236,234.7978057861328,
10,1628697832236,,1e-05
EOF
tnum 'mlflow metrics folder' "lr-import --mlflow $RUN/metrics" "$I/mlflow-joined.csv"
tnum 'mlflow files' "lr-import --mlflow $RUN/metrics/loss $RUN/metrics/train/lr | sed 's|^step,timestamp,loss,lr\$|step,timestamp,loss,train/lr|'" \
    "$I/mlflow-joined.csv"
printf '1 2 3 4\n' > four.txt
t 'mlflow four fields' 1 'lr-import -f mlflow four.txt' \
'lr-import: four.txt:1: expected "timestamp value step", found 4 fields'
t 'mlflow bad value' 1 'printf "1 2 0\n1 x 1\n" | lr-import -f mlflow' \
'lr-import: stdin:2: value "x" is not a number'
t 'mlflow bad timestamp' 1 'printf "1.5 2 3\n" | lr-import -f mlflow' \
'lr-import: stdin:1: timestamp "1.5" is not a whole number'
t 'mlflow bad step' 1 'printf "1 2 3.5\n" | lr-import -f mlflow' \
'lr-import: stdin:1: step "3.5" is not a whole number'
t 'mlflow before 1.0: no step' 0 'printf "10 2\n11 nan\n" | lr-import -f mlflow' <<'EOF'
step,timestamp,value
0,10,2
0,11,nan
EOF
mkdir -p back/metrics
printf '1 1.0 0\n2 2.0 5\n3 3.0 2\n' > back/metrics/a
printf '1 1.0 0\n' > back/metrics/b
t 'mlflow join needs step order' 1 'lr-import --mlflow back' \
'lr-import: back/metrics/a:3: step 2 comes after step 5; joining metrics on step needs every file in step order (import this metric alone)'
t 'mlflow one file may go back' 0 'lr-import back/metrics/a' <<'EOF'
step,timestamp,a
0,1,1.0
5,2,2.0
2,3,3.0
EOF
mkdir -p emptyrun
t 'mlflow empty folder' 1 'lr-import --mlflow emptyrun' \
'lr-import: emptyrun: no metric files in this folder'

# --- TensorBoard event files --------------------------------------------------

tnum 'tfevents TF1 simple_value' "lr-import $I/tf1.tfevents" "$I/tf1-long.csv"
tnum 'tfevents TF1 --wide' "lr-import --wide $I/tf1.tfevents" "$I/tf1-wide.csv"
tnum 'tfevents TF2 tensors' "lr-import $I/tf2.tfevents" "$I/tf2-long.csv"
tnum 'tfevents TF2 --wide' "lr-import --wide $I/tf2.tfevents" "$I/tf2-wide.csv"
tnum 'tfevents from a pipe' "cat $I/tf2.tfevents | lr-import -f tfevents" \
    "$I/tf2-long.csv"
while IFS='|' read -r name what; do
	t "tfevents $name" 1 "lr-import $I/$name.tfevents" \
	    "lr-import: $I/$name.tfevents: $what" </dev/null
done < "$I/tf-errors.txt"
t 'tfevents corrupt: nothing written' 1 "lr-import $I/tf-data-crc.tfevents > out; s=\$?; wc -c < out; exit \$s" \
    "lr-import: $I/tf-data-crc.tfevents: $(sed -n 's/^tf-data-crc|//p' "$I/tf-errors.txt")" <<'EOF'
0
EOF
head -c 5 "$I/tf1.tfevents" > short.tfevents
t 'tfevents cut in the header' 1 'lr-import -f tfevents short.tfevents' \
'lr-import: short.tfevents: offset 0: truncated record (5 of its 12 header bytes)'

# A length of 1 GiB with a matching length checksum, then 7 bytes: the
# record is truncated, and it is found so without reserving the gigabyte
# (the buffer grows with the data read).  The address space limit shows
# it; ASan and valgrind need far more address space than that, so the
# limit is left out under them.
printf '\000\000\000\100\000\000\000\000\313\141\314\122\010\001\020\002abc' > huge.tfevents
limit='ulimit -v 300000;'
[ "${SAN:-}" = 1 ] || [ "${VALGRIND:-}" = 1 ] && limit=
t 'tfevents: a bogus 1 GiB length' 1 "$limit lr-import -f tfevents huge.tfevents" \
'lr-import: huge.tfevents: offset 0: truncated record (19 of 1073741840 bytes)'
t 'tfevents: a bogus 1 GiB length on a pipe' 1 "$limit cat huge.tfevents | lr-import -f tfevents" \
'lr-import: stdin: offset 0: truncated record (19 of 1073741840 bytes)'

# --- CSV and the dense stage ---------------------------------------------------

t 'lightning --merge step' 0 "lr-import --merge step $F/lightning-metrics-erav1-session13-v4.csv | cmp - $I/lightning-v4-merged.csv" </dev/null
t 'pl-wrapper --merge step (steps go back)' 0 "lr-import --merge step $F/lightning-metrics-pl-wrapper.csv | cmp - $I/pl-wrapper-merged.csv" </dev/null
t 'lightning --ffill' 0 "lr-import --ffill lr-Adam --select step,lr-Adam,train_loss $F/lightning-metrics-erav1-session13-v1-nan.csv | cmp - $I/lightning-v1-ffill.csv" </dev/null
t 'keras --split-restarts' 0 "lr-import --split-restarts epoch $F/keras-csvlogger-catclassifier-appended.log | cmp - $I/keras-split.csv" </dev/null
t 'tensorboard csv --split-restarts --merge' 0 "lr-import --split-restarts Step --merge Step --select run,Step,Value $F/tensorboard-export-attention-ocr.csv | cmp - $I/tensorboard-split.csv" </dev/null
t 'keras CR CR LF' 0 "lr-import --select epoch,learning_rate,loss digit.csv | sed -n '1,2p;\$p'" <<'EOF'
epoch,learning_rate,loss
0,0.0010000000474974513,0.3654542565345764
29,0.0002500000118743628,0.015355654992163181
EOF
t 'merge and ffill' 0 'printf "k,a,b\n1,x,\n2,,\n1,,y\n3,z,\n2,,w\n" | lr-import --merge k --ffill a' <<'EOF'
k,a,b
1,x,y
2,x,w
3,z,
EOF
t 'ffill restarts with each run' 0 'printf "e,v\n0,1\n1,\n0,\n1,2\n" | lr-import --split-restarts e --ffill v' <<'EOF'
e,v,run
0,1,1
1,1,1
0,,2
1,2,2
EOF
# lr-import(1): a new run "whenever the value of column is smaller than
# the one before": a value repeated (an epoch logged twice) is the same run.
t 'split: only a smaller value starts a run, not an equal one' 0 'printf "e,v\n0,a\n1,b\n1,c\n0,d\n0,e\n" | lr-import --split-restarts e' <<'EOF'
e,v,run
0,a,1
1,b,1
1,c,1
0,d,2
0,e,2
EOF
t 'split: bad number' 1 'printf "e,v\n0,1\nx,2\n" | lr-import --split-restarts e' \
'lr-import: stdin:3: e: "x" is not a number' <<'EOF'
e,v,run
0,1,1
EOF
t 'no such column' 1 'lr-import --merge nope digit.csv' \
'lr-import: digit.csv: --merge: no column "nope"; the columns are: epoch, accuracy, learning_rate, loss, val_accuracy, val_loss'
t 'csv error names the line' 1 'printf "a,b\n1,2\n3\n" | lr-import -f csv' \
'lr-import: stdin:3: 1 cell where the header has 2' <<'EOF'
a,b
1,2
EOF
t 'files with other columns' 1 "lr-import $I/history.jsonl $I/tf2.tfevents > out; s=\$?; wc -l < out; exit \$s" \
"lr-import: $I/tf2.tfevents: its columns differ from the first input's" <<'EOF'
8
EOF
t 'two files, one header' 0 "lr-import $I/tf1.tfevents $I/tf1.tfevents | grep -c ^step," <<'EOF'
1
EOF
# CSV inputs of other dialects: one comma-separated, LF output.
t 'CSV files of other dialects: one dialect out' 0 'printf "lr,loss\n1,1\n" > i1.csv; printf "lr;loss\r\n2;2\r\n" > i2.csv; printf "lr\tloss\n3\t3\n" > i3.csv; lr-import i1.csv i2.csv i3.csv | od -An -c | tr -d " \n"; echo' <<'EOF'
lr,loss\n1,1\n2,2\n3,3\n
EOF

# --- the foreign logs through the other tools ----------------------------------

for f in "$F"/*.csv "$F"/*.log; do
	case $f in
	*lrfinder*) y='-y train_mse' ;;
	*) y= ;;
	esac
	tok "ema-smooth reads $(basename "$f")" \
	    "ema-smooth $y '$f' > smooth.csv && [ \$(wc -l < smooth.csv) = \$(grep -c '' '$f') ]"
done
t 'ema-smooth: Lightning train_loss' 0 "ema-smooth $F/lightning-metrics-erav1-session13-v4.csv | sed -n '1p;3p'" <<'EOF'
lr-Adam,step,train_loss,epoch,val_Class_Accuracy,val_No_Obj_Accuracy,val_Obj_Accuracy,test_Class_Accuracy,test_No_Obj_Accuracy,test_Obj_Accuracy,train_loss_smooth
,49,45.940452575683594,0,,,,,,,45.940452575683594
EOF
t 'ema-smooth: Lightning train_loss_step' 0 "ema-smooth $F/lightning-metrics-pl-wrapper.csv | head -1 | tr -d '\r' | sed 's/.*,//'" <<'EOF'
train_loss_step_smooth
EOF
t 'ema-smooth: TensorBoard Value' 0 "ema-smooth $F/tensorboard-export-attention-ocr.csv | head -2 | tr -d '\r'" <<'EOF'
Wall time,Step,Value,Value_smooth
1575618724.7046697,43,2.8416740894317627,2.8416740894317627
EOF
t 'ema-smooth: Keras loss, CR CR LF' 0 "ema-smooth digit.csv | head -2 | od -c | sed -n '\$!p' | tail -1 | grep -c '\\\\r  \\\\n'" <<'EOF'
1
EOF
t 'ema-smooth: Keras catclassifier appended runs' 0 "lr-import --split-restarts epoch $F/keras-csvlogger-catclassifier-appended.log | ema-smooth -g run | sed -n '3,4p' | cut -d, -f1,4,8,9" <<'EOF'
1,6.612099647521973,1,6.931980706224539
0,5.92240047454834,2,5.92240047454834
EOF

# lr-suggest and lr-plot on every log that has an lr and a loss (sparse
# logs merged first).
cp "$F/hf-trainer_state-tinyllama-sft.json" trainer_state.json
cp "$F/lightning-metrics-erav1-session13-v4.csv" metrics.csv
cp "$F/keras-csvlogger-catclassifier-appended.log" training.log
cp "$I/tf1.tfevents" events.out.tfevents.1700000000.host
cp "$I/history.jsonl" history.jsonl
lr-import trainer_state.json > hf.csv
tok 'lr-suggest: trainer_state.json' \
    'v=$(lr-import trainer_state.json | ema-smooth | lr-suggest) && sh within.sh "$v" hf.csv learning_rate'
lr-import --merge step metrics.csv > merged.csv
tok 'lr-suggest: Lightning, merged' \
    'v=$(lr-import --merge step metrics.csv | ema-smooth | lr-suggest) && sh within.sh "$v" merged.csv lr-Adam'
lr-import --merge step "$F/lightning-metrics-pl-wrapper.csv" > plw.csv
tok 'lr-suggest: Lightning, steps going back' \
    'v=$(ema-smooth plw.csv | lr-suggest) && sh within.sh "$v" plw.csv lr-SGD'
lr-import --merge step "$F/lightning-metrics-erav1-session13-v1-nan.csv" > nan.csv
tok 'lr-suggest: Lightning, diverged' \
    'v=$(ema-smooth nan.csv | lr-suggest) && sh within.sh "$v" nan.csv lr-Adam'
for f in keras-csvlogger-digit-cnn.csv:learning_rate \
    keras-csvlogger-brats2020-lr.log:lr \
    lrfinder-custom-pytorch-diabetes-sgd.csv:learning_rate; do
	col=${f#*:} f=${f%:*}
	y=
	case $f in lrfinder*) y='-y train_mse' ;; esac
	tok "lr-suggest: $f" \
	    "v=\$(ema-smooth $y $F/$f | lr-suggest) && sh within.sh \"\$v\" $F/$f $col"
done
lr-import --wide events.out.tfevents.1700000000.host > tf1.csv
tok 'lr-suggest: event file' \
    'v=$(lr-import --wide events.out.tfevents.1700000000.host | ema-smooth | lr-suggest) && sh within.sh "$v" tf1.csv learning_rate'
tok 'lr-suggest: Keras runs' \
    'lr-import --split-restarts epoch training.log | ema-smooth -g run > runs.csv && head -1 runs.csv | grep -q ",run,loss_smooth$"'
tok 'lr-plot: trainer_state.json' \
    'lr-import trainer_state.json | ema-smooth | lr-plot -o hf.svg && grep -q "<svg" hf.svg'
tok 'lr-plot: Lightning, merged' \
    'lr-import --merge step metrics.csv | ema-smooth | lr-plot -o run.svg && grep -q "<svg" run.svg'
tok 'lr-plot: Lightning, diverged' \
    'lr-import --merge step '"$F"'/lightning-metrics-erav1-session13-v1-nan.csv | ema-smooth | lr-plot -o nan.svg 2>/dev/null && grep -q "<svg" nan.svg'
tok 'lr-plot: event file, text' \
    'lr-import --wide events.out.tfevents.1700000000.host | lr-plot -T > tf.txt && [ -s tf.txt ]'
tok 'lr-plot: Keras' \
    'ema-smooth digit.csv | lr-plot -o keras.svg && grep -q "<svg" keras.svg'

# --- the manual's examples --------------------------------------------------------

t 'example: jsonl' 0 'lr-import --rename train/lr=lr --rename train/loss=loss --select _step,lr,loss history.jsonl | tail -1' <<'EOF'
6,2.5353644939701166e-07,2.2
EOF
t 'example: split restarts' 0 'lr-import --split-restarts epoch training.log | ema-smooth -g run | tail -1 | cut -d, -f1,8' <<'EOF'
47,2
EOF
t 'example: mlflow' 0 'lr-import --mlflow mlruns/0/run1 | head -2' <<'EOF'
step,timestamp,loss,train/lr
0,1628697792090,332.6841735839844,0.001
EOF
t 'example: wide' 0 'lr-import --wide events.out.tfevents.1700000000.host | head -2' <<'EOF'
step,wall_time,loss,learning_rate
0,1700000000.5,2.5,1.0000000116860974e-07
EOF

# What Python's json module reads is read: a byte order mark before the
# document (json.loads on bytes skips it), integers of any size (Python's
# int): where a used key holds one, its digits pass through as they are.
printf '\357\273\277{"log_history": [{"step": 1, "loss": 0.5, "learning_rate": 0.001}]}\n' > bom.json
printf '\357\273\277{"step": 1, "loss": 0.5}\n{"step": 2, "loss": 0.4}\n' > bom.jsonl
t 'trainer_state.json with a byte order mark' 0 'lr-import bom.json' <<'EOF2'
step,loss,learning_rate
1,0.5,0.001
EOF2
t 'JSON Lines with a byte order mark' 0 'lr-import bom.jsonl' <<'EOF2'
step,loss
1,0.5
2,0.4
EOF2
t 'JSON Lines with a byte order mark, on stdin' 0 'lr-import < bom.jsonl' <<'EOF2'
step,loss
1,0.5
2,0.4
EOF2
t 'a byte order mark does not move the column of an error' 1 \
    'printf "\357\273\277{\"step\": 1, \"loss\": tru}\n" | lr-import -f jsonl' \
    'lr-import: stdin:1: invalid JSON at column 23: invalid token near '"'tru'" <<'EOF2'
EOF2
printf '{"log_history": [{"step": 1, "loss": 0.5, "learning_rate": 0.001, "total_flos": 123456789012345678901234567890}], "total_flos": 98765432109876543210987654321}\n' > bigint.json
t 'trainer_state.json: an integer past 2^63 in a key not imported' 0 \
    'lr-import --select step,loss,learning_rate bigint.json' <<'EOF2'
step,loss,learning_rate
1,0.5,0.001
EOF2
t 'trainer_state.json: an integer past 2^63 passes through as its digits' 0 \
    'lr-import bigint.json' <<'EOF2'
step,loss,learning_rate,total_flos
1,0.5,0.001,123456789012345678901234567890
EOF2
printf '{"step": 9223372036854775807, "loss": 0.5, "id": -9223372036854775808}\n{"step": 9223372036854775808, "loss": 0.4, "id": -9223372036854775809}\n{"step": 3, "loss": 0.3, "id": 1234567890123456789012345678901234567890}\n' > bigint.jsonl
t 'JSON Lines: integers at and past the bounds of 64 bits' 0 'lr-import bigint.jsonl' <<'EOF2'
step,loss,id
9223372036854775807,0.5,-9223372036854775808
9223372036854775808,0.4,-9223372036854775809
3,0.3,1.2345678901234568e+39
EOF2
tok 'Python reads the inputs lr-import now reads' \
    'for f in bom.json bigint.json; do python3 -c "import json,sys; json.loads(open(sys.argv[1], \"rb\").read())" $f || exit 1; done;
     for f in bom.jsonl bigint.jsonl; do python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1], \"rb\")]" $f || exit 1; done'
