# lr-plot end-to-end tests.
#
# Fixtures in tests/data/plot/: curve.csv (a range test of 100 steps from
# 1e-7 to 10, smoothed by ema-smooth), sweep.csv (three runs, smoothed per
# run), known.csv (lr = 10^(-5+k/5), loss_smooth = 1 + (k-20)^2/50,
# k = 0..29: numbers simple enough to check positions by hand, drawn as
# the smoothed loss they are named).

P=$D/plot
export LC_ALL=C

# Helpers the tests' shell commands call, as small scripts in ./bin (the
# commands run in a new sh, which does not see this script's functions).
mkdir -p bin
PATH=$PWD/bin:$PATH
export PATH
[ -x "$top/tools/ema-smooth" ] && ln -sf "$top/tools/ema-smooth" bin/ema-smooth

# el NAME: an XPath step for an SVG element whatever its namespace.
cat > bin/el <<'EOS'
#!/bin/sh
printf '//*[local-name()="%s"]' "$1"
EOS
# xp FILE XPATH: the string value of an XPath expression over FILE.
cat > bin/xp <<'EOS'
#!/bin/sh
xmllint --xpath "string($2)" "$1" 2>/dev/null
EOS
# frame FILE ATTRIBUTE: an attribute of the frame (the plot area).
cat > bin/frame <<'EOS'
#!/bin/sh
xp "$1" "$(el rect)[@class='frame']/@$2"
EOS
# near A B [TOL]: |A - B| <= TOL (default 0.011, the SVG's precision).
cat > bin/near <<'EOS'
#!/bin/sh
awk -v a="$1" -v b="$2" -v t="${3:-0.011}" \
    'BEGIN { d = a - b; if (d < 0) d = -d; if (d > t) { print a " is not " b; exit 1 } }'
EOS
# map_x FILE LR, map_y FILE LOSS: the documented mapping (lr-plot.1,
# plot_svg.c) from data to a position in the frame of FILE.
cat > bin/map_x <<'EOS'
#!/bin/sh
awk -v lr="$2" -v l="$(frame "$1" x)" -v w="$(frame "$1" width)" \
    -v a="$(frame "$1" data-lr-min)" -v b="$(frame "$1" data-lr-max)" \
    'BEGIN { printf "%.4f\n", l + (log(lr) - log(a)) / (log(b) - log(a)) * w }'
EOS
cat > bin/map_y <<'EOS'
#!/bin/sh
awk -v y="$2" -v t="$(frame "$1" y)" -v h="$(frame "$1" height)" \
    -v lo="$(frame "$1" data-loss-min)" -v hi="$(frame "$1" data-loss-max)" \
    'BEGIN { printf "%.4f\n", t + (hi - y) / (hi - lo) * h }'
EOS
# words: the text of the elements xmllint prints, one per line.
cat > bin/words <<'EOS'
#!/bin/sh
sed 's/<[^>]*>/\n/g' | sed '/^ *$/d'
EOS
# width: the widest line in characters (UTF-8 continuation bytes not counted).
cat > bin/width <<'EOS'
#!/bin/sh
LC_ALL=C sed "s/$(printf '[\200-\277]')//g" | awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }'
EOS
chmod +x bin/*

# The manual's EXAMPLES, on copies of the fixtures named as there.
cp "$P/curve.csv" run.csv
cp "$P/sweep.csv" sweep.csv
cut -d, -f1-3 run.csv > raw.csv

tok 'EXAMPLES: the picture of a run' \
    'lr-plot -o run.svg run.csv && xmllint --noout run.svg &&
     test "$(head -c 5 run.svg)" = "<?xml"'
t 'EXAMPLES: suggestions marked' 0 \
    'lr-plot -s valley,steep -o run.svg run.csv &&
     xmllint --xpath "$(el text)[@class=\"suggestion-label\"]" run.svg | words' <<'EOF'
valley 0.000248
steep 0.00278
EOF
t "-s default: lr-suggest's default, minimum on one run" 0 \
    'lr-plot -s default -o run.svg run.csv &&
     xmllint --xpath "$(el text)[@class=\"suggestion-label\"]" run.svg | words' <<EOF
minimum $(lr-suggest run.csv | awk '{ printf "%.3g", $1 }')
EOF
t "-s default over several runs: their pooled answer, once" 0 \
    'lr-plot -g run -s default -o sweep.svg sweep.csv &&
     xmllint --xpath "$(el text)[@class=\"suggestion-label\"]" sweep.svg | words' <<EOF
pooled $(lr-suggest -g run sweep.csv | awk '{ printf "%.3g", $1 }')
EOF
tok 'EXAMPLES: one curve per run with a legend' \
    "lr-plot -g run --title 'weight decay sweep' -o sweep.svg sweep.csv &&
     xmllint --noout sweep.svg"

# ---- The SVG: well-formed, self-contained, the expected elements.
lr-plot -s valley -o curve.svg "$P/curve.csv" 2>curve.err
tok 'EXAMPLES: straight from the pipeline' \
    'ema-smooth < raw.csv | lr-plot -s valley -o run.svg &&
     xmllint --noout run.svg && cmp run.svg curve.svg'
t 'EXAMPLES: straight from the raw losses, smoothed here' 0 \
    'lr-plot -s valley -o run.svg raw.csv && cmp run.svg curve.svg' \
    'lr-plot: raw.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' </dev/null
tok 'well-formed XML' 'xmllint --noout curve.svg'
tok 'no stderr on a good plot' 'test ! -s curve.err'
tok 'self-contained: no links, scripts, images, web fonts' \
    '! grep -Eiq "href|<script|<image|@font-face|@import|url\([^#]" curve.svg'
tok 'a generic font family' 'grep -q "font-family=\"[^\"]*sans-serif\"" curve.svg'
t 'size 640x480 by default' 0 \
    'xp curve.svg "/*/@width"; xp curve.svg "/*/@height"' <<'EOF'
640
480
EOF
t 'the decade tick labels, 10⁻⁷ to 10¹' 0 \
    'xmllint --xpath "$(el text)[@class=\"xtick\"]" curve.svg | words' <<'EOF'
10⁻⁷
10⁻⁶
10⁻⁵
10⁻⁴
10⁻³
10⁻²
10⁻¹
10⁰
10¹
EOF
# The window is 10^-7.24 .. 10^1.24: 9 decades, 2..9 times each of the 8
# whole decades, and 6..9e-8.
t 'ticks: 9 decades and 68 minor ones' 0 \
    'xmllint --xpath "count($(el g)[@class=\"xaxis\"]/*[local-name()=\"line\"])" curve.svg' <<'EOF'
77
EOF
t 'axis titles from the column names' 0 \
    'xp curve.svg "$(el text)[@class=\"xlabel\"]"; xp curve.svg "$(el text)[@class=\"ylabel\"]"' <<'EOF'
lr
loss
EOF
t 'raw loss light, smoothed loss strong, both in the legend' 0 \
    'xp curve.svg "$(el path)[@class=\"curve light\"]/@data-column"
     xp curve.svg "$(el path)[@class=\"curve\"]/@data-column"
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" curve.svg | words' <<'EOF'
loss
loss_smooth
loss
loss_smooth
EOF
t 'the smoothed loss is the one made from the loss, not label_smooth' 0 \
    'printf "lr,loss,loss_smooth,label_smooth\n0.1,3,3,9\n0.2,2,2,8\n0.3,1,1,7\n" | lr-plot -o ls.svg &&
     xp ls.svg "$(el path)[@class=\"curve light\"]/@data-column"
     xp ls.svg "$(el path)[@class=\"curve\"]/@data-column"' <<'EOF'
loss
loss_smooth
EOF
t 'the suggestion: a dot with its lr, a label with method and lr' 0 \
    'xp curve.svg "$(el circle)[@class=\"suggestion\"]/@data-lr"
     xp curve.svg "$(el text)[@class=\"suggestion-label\"]"' <<'EOF'
0.0002477076356
valley 0.000248
EOF
t '--title' 0 \
    'lr-plot --title "A & B <test>" "$D/plot/curve.csv" > t.svg && xmllint --noout t.svg &&
     xp t.svg "$(el text)[@class=\"title\"]"' <<'EOF'
A & B <test>
EOF
t '--size' 0 \
    'lr-plot --size 900x300 "$D/plot/curve.csv" > s.svg && xp s.svg "/*/@viewBox"' <<'EOF'
0 0 900 300
EOF

# ---- Positions computed from known data through the documented mapping.
lr-plot -s minimum --ylim 0:10 "$P/known.csv" > known.svg
t '--ylim sets the loss at the frame edges' 0 \
    'frame known.svg data-loss-min; frame known.svg data-loss-max' <<'EOF'
0
10
EOF
t 'y ticks 0 2 4 6 8 10 for 0:10' 0 \
    'xmllint --xpath "$(el text)[@class=\"ytick\"]" known.svg | words | tr "\n" " "; echo' <<'EOF'
0 2 4 6 8 10 
EOF
# The lr axis spans the data (1e-5 .. 10^0.8) widened by 3% of the span.
tok 'the lr window: 3% of 5.8 decades on each side' \
    'awk -v a="$(frame known.svg data-lr-min)" -v b="$(frame known.svg data-lr-max)" \
       "BEGIN { ea = log(a)/log(10); eb = log(b)/log(10);
         exit !(ea > -5.1740001 && ea < -5.1739999 && eb > 0.9739999 && eb < 0.9740001) }"'
# minimum: lr[argmin] / 10 = 0.1 / 10 = 0.01, a point of the curve
# (k = 15, loss 1.5): the dot sits there.
tok 'the minimum dot at (0.01, 1.5)' \
    'near "$(xp known.svg "$(el circle)/@cx")" "$(map_x known.svg 0.01)" &&
     near "$(xp known.svg "$(el circle)/@cy")" "$(map_y known.svg 1.5)"'
tok 'the curve starts at the first point (1e-5, 9)' \
    'd=$(xp known.svg "$(el path)[@class=\"curve\"]/@d")
     x=${d#M}; x=${x%% *}; y=${d#M* }; y=${y%%L*}
     near "$x" "$(map_x known.svg 1e-5)" && near "$y" "$(map_y known.svg 9)"'
tok 'the curve passes through (0.1, 1) at the bottom of the valley' \
    'x=$(map_x known.svg 0.1); y=$(map_y known.svg 1)
     xp known.svg "$(el path)[@class=\"curve\"]/@d" | tr "ML" "\n\n" |
     awk -v x="$x" -v y="$y" "NF == 2 && (\$1-x)^2 < 1e-4 && (\$2-y)^2 < 1e-4 { f = 1 } END { exit !f }"'
# Default y window: from the minimum (1) to the highest loss before it
# (9, the start), each widened by 5% of 8: 0.6 .. 9.4, whatever the tail.
cp "$P/known.csv" tail.csv
printf '20,1000\n50,100000\n' >> tail.csv
lr-plot tail.csv > tail.svg
tok 'clipped like fastai: the divergence tail does not stretch the axis' \
    'near "$(frame tail.svg data-loss-min)" 0.6 1e-9 &&
     near "$(frame tail.svg data-loss-max)" 9.4 1e-9'
tok 'the tail is cut at the frame (4 px margin under the clip path)' \
    'top=$(frame tail.svg y)
     xp tail.svg "$(el path)[@class=\"curve\"]/@d" | tr "ML" "\n\n" |
     awk -v top="$top" "NF == 2 && \$2 < top - 4.01 { bad = 1 } END { exit bad }"'
tok '--skip-end drops the last points of the curve' \
    'lr-plot --skip-end 2 --ylim 0:10 tail.csv > skip.svg &&
     lr-plot --ylim 0:10 "$D/plot/known.csv" > known0.svg &&
     test "$(xp skip.svg "$(el path)/@d")" = "$(xp known0.svg "$(el path)/@d")"'
tok '--skip-start moves the lr window (1e-4 .. 10^0.8)' \
    'lr-plot --skip-start 5 "$D/plot/known.csv" > ss.svg &&
     awk -v a="$(frame ss.svg data-lr-min)" \
       "BEGIN { e = log(a)/log(10); exit !(e > -4.14401 && e < -4.14399) }"'
t 'a curve with no descent is shown whole' 0 \
    'printf "lr,loss_smooth\n0.001,1\n0.01,2\n0.1,5\n" | lr-plot > up.svg && frame up.svg data-loss-max' <<'EOF'
5.2
EOF

# ---- Groups: one series per run, distinct colours, a legend.
lr-plot -g run -s valley sweep.csv > sweep2.svg
t 'legend: the runs, by the parameter between run and step, then the columns' 0 \
    'xmllint --xpath "$(el text)[@class=\"legend-entry\"]" sweep2.svg | words' <<'EOF'
wd=0
wd=0.0001
wd=0.01
loss
loss_smooth
EOF
t 'legend: --label run names the runs by their value' 0 \
    'lr-plot -g run --label run -s valley sweep.csv > byrun.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" byrun.svg | words' <<'EOF'
r1
r2
r3
loss
loss_smooth
EOF
t 'a group of bare numbers is named with its column' 0 \
    'lr-plot -g wd sweep.csv > wd.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" wd.svg | words' <<'EOF'
wd 0
wd 0.0001
wd 0.01
loss
loss_smooth
EOF
# The legend's order is one total order of the names, whatever order the
# rows come in: nan, inf, the empty name, numbers and words together.
printf '%s\n' word nan 10 '' inf NaN -inf 1.0 NA 1 > names.txt
cat > bin/names-table <<'EOT'
#!/bin/sh
# names-table: a three-point curve for each name of stdin, in that order.
awk 'BEGIN { print "g,lr,loss_smooth" }
    { for (i = 1; i <= 3; i++) printf "\"%s\",%g,%d\n", $0, 10 ^ (i - 4), 4 - i }'
EOT
chmod +x bin/names-table
t 'legend: numbers by value, then NaN names, then the others by bytes' 0 \
    'names-table < names.txt | lr-plot -g g > n1.svg &&
     grep -o "class=\"curve\" data-group=\"[^\"]*\"" n1.svg | cut -d\" -f4' <<'EOF'
g -inf
g 1
g 1.0
g 10
g inf
g NaN
g nan

NA
word
EOF
tok 'legend: the same picture whatever the order of the rows' \
    'names-table < names.txt | lr-plot -g g > n1.svg &&
     tac names.txt | names-table | lr-plot -g g > n2.svg && cmp n1.svg n2.svg &&
     sort names.txt | names-table | lr-plot -g g > n3.svg && cmp n1.svg n3.svg &&
     sort -r names.txt | names-table | lr-plot -g g > n4.svg && cmp n1.svg n4.svg'
t 'each run in its own Okabe-Ito colour' 0 \
    'for r in r1 r2 r3; do xp sweep2.svg "$(el path)[@class=\"curve\"][@data-group=\"$r\"]/@stroke"; done' <<'EOF'
#0072B2
#D55E00
#009E73
EOF
t 'a suggestion per run, in the colour of the run' 0 \
    'for i in 1 2 3; do xp sweep2.svg "($(el circle))[$i]/@fill"; done' <<'EOF'
#0072B2
#D55E00
#009E73
EOF
t 'several files: one curve per file' 0 \
    'cp "$D/plot/known.csv" a.csv && cp tail.csv b.csv && lr-plot a.csv b.csv > ab.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" ab.svg | words' <<'EOF'
a.csv
b.csv
EOF
# Each file is read in its own dialect: the same numbers semicolon- and
# CRLF-separated draw the same curve.
t 'several files of other dialects: the same curves' 0 \
    'cp "$D/plot/known.csv" m1.csv && cp tail.csv m2.csv && lr-plot m1.csv m2.csv > m12.svg &&
     tr , ";" < tail.csv | sed "s/\$/\r/" > m3.csv && cp m3.csv m2.csv && lr-plot m1.csv m2.csv > m13.svg &&
     cmp m12.svg m13.svg && xp m13.svg "count($(el path)[@class=\"curve\"])"' <<'EOF'
2
EOF
t '-y twice: two strong curves in two colours' 0 \
    'lr-plot -y loss -y loss_smooth "$D/plot/curve.csv" > yy.svg &&
     xp yy.svg "($(el path))[1]/@stroke"; xp yy.svg "($(el path))[2]/@stroke"' <<'EOF'
#0072B2
#D55E00
EOF

# ---- The suggestion is the one lr-suggest prints (the same lib code).
tok 'the valley dot is at the lr lr-suggest prints' \
    'near "$(lr-suggest -m valley "$D/plot/curve.csv")" \
       "$(xp curve.svg "$(el circle)/@data-lr")" 1e-12'

# ---- Rendering: rsvg-convert draws it; the PNG is not blank.
tok 'rsvg-convert renders the SVG to a 640x480 PNG' \
    'command -v rsvg-convert >/dev/null || { echo "rsvg-convert missing (librsvg2-bin)"; exit 1; }
     rsvg-convert -o curve.png curve.svg &&
     test "$(od -An -tx1 -j16 -N8 curve.png | tr -d " \n")" = 00000280000001e0'
tok 'the PNG is not trivial (tens of kB of drawing)' \
    'test "$(wc -c < curve.png)" -gt 15000'
tok 'rsvg-convert renders the sweep and the known plot' \
    'rsvg-convert -o sweep.png sweep2.svg && rsvg-convert -o known.png known.svg &&
     test "$(wc -c < sweep.png)" -gt 15000'

# ---- The terminal plot.
t 'golden terminal plot (braille)' 0 \
    'lr-plot -T --size 72x22 -s valley,steep "$D/plot/curve.csv"' < "$P/curve-T.txt"
t 'golden terminal plot (ASCII)' 0 \
    'lr-plot -T --ascii --size 72x20 -s valley --title "range test" "$D/plot/curve.csv"' \
    < "$P/curve-ascii.txt"
# One column is left free: a line that fills the terminal wraps on some.
t 'EXAMPLES: the terminal plot, as wide as $COLUMNS' 0 \
    'COLUMNS=100 lr-plot -T -s valley run.csv > term.txt &&
     width < term.txt && tail -1 term.txt' <<'EOF'
99
     ● valley 0.000248
EOF
t '-T without a terminal or $COLUMNS: 80 columns' 0 \
    'env -u COLUMNS lr-plot -T run.csv | width' <<'EOF'
79
EOF
# -o: a new file gets what the umask gives, a replaced one keeps its mode.
t '-o: the mode of a new and of a replaced file' 0 \
    '(umask 022; rm -f mode.svg; lr-plot -o mode.svg run.csv && stat -c %a mode.svg &&
      chmod 600 mode.svg && lr-plot -o mode.svg run.csv && stat -c %a mode.svg &&
      umask 077; rm mode.svg; lr-plot -o mode.svg run.csv && stat -c %a mode.svg)' <<'EOF'
644
600
600
EOF
tok '-T -o writes the text to a file' \
    'lr-plot -T --size 72x22 -s valley,steep -o term2.txt run.csv && cmp term2.txt "$D/plot/curve-T.txt"'
t 'headerless input: lr and loss are the last two columns' 0 \
    'printf "1e-4 2\n1e-3 1.5\n1e-2 1\n1e-1 3\n" | lr-plot -T --ascii --size 40x12 --ylim 0.5:3' <<'EOF'
loss
3 +                                 ./
  |                               ./
  |                             ./'
2 + '--\..                    .-'
  |       ''\-\..            /'
  |              ''\--...  ./
1 +                     ''''
  |
  +-+----------+----------+----------+-
  1e-4       1e-3       1e-2       1e-1
                    lr
EOF
t 'sparse rows (a Lightning log) are passed over quietly' 0 \
    'printf "step,lr-Adam,train_loss_step\n0,0.001,\n0,,2\n1,0.01,1\n2,0.1,3\n3,,\n" |
     lr-plot -y train_loss_step > sparse.svg && xp sparse.svg "$(el path)/@d" | tr -cd "ML\n"' <<'EOF'
ML
EOF

# ---- On a terminal (a pseudo-terminal from script(1), util-linux): the
# size comes from the terminal, colours from ANSI escapes unless NO_COLOR.
tok '-T on a terminal: its width less one, its height' \
    'command -v script > /dev/null || { echo "no script(1) (bsdutils)"; exit 77; }
     script -qec "stty cols 50 rows 20; lr-plot -T -s valley run.csv" /dev/null |
       tr -d "\r" > tty.txt &&
     test "$(sed "s/$(printf "\033")\[[0-9]*m//g" tty.txt | width)" = 49 &&
     test "$(wc -l < tty.txt)" = 15'
tok '-T on a terminal: coloured curve and mark' \
    'command -v script > /dev/null || { echo "no script(1) (bsdutils)"; exit 77; }
     grep -q "$(printf "\033")\[34m" tty.txt && grep -q "$(printf "\033")\[31m" tty.txt'
tok '-T on a terminal: NO_COLOR' \
    'command -v script > /dev/null || { echo "no script(1) (bsdutils)"; exit 77; }
     script -qec "stty cols 50 rows 20; NO_COLOR=1 lr-plot -T run.csv" /dev/null > tty2.txt &&
     ! grep -q "$(printf "\033")" tty2.txt'

# ---- Bad points: warnings with counts, errors when nothing is left.
t 'non-finite losses: left out, counted' 0 \
    'printf "lr,loss\n0.001,2\n0.01,nan\n0.1,inf\n1,1\n" | lr-plot > /dev/null' \
    'lr-plot: stdin: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: stdin: 2 points with a non-finite loss left out' < /dev/null
t 'lr <= 0: left out, counted' 0 \
    'printf "lr,loss\n0,2\n-1,2\n0.1,1\n1,2\n" | lr-plot > /dev/null' \
    'lr-plot: stdin: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: stdin: 2 points with lr <= 0 or not finite left out (the lr axis is logarithmic)' < /dev/null
t 'every lr <= 0: an error' 1 \
    'printf "lr,loss\n0,2\n-1,2\n" | lr-plot' \
    'lr-plot: stdin: 2 points with lr <= 0 or not finite left out (the lr axis is logarithmic)
lr-plot: no point to plot: every point has a non-finite loss or an lr <= 0' < /dev/null
t 'every loss non-finite: an error' 1 \
    'printf "lr,loss\n0.1,nan\n0.2,-inf\n" | lr-plot' \
    'lr-plot: stdin: 2 points with a non-finite loss left out
lr-plot: no point to plot: every point has a non-finite loss or an lr <= 0' < /dev/null
t 'no rows' 1 'printf "lr,loss\n" | lr-plot' \
    'lr-plot: no data to plot: the input has no rows' < /dev/null
t 'empty input' 1 'lr-plot < /dev/null' \
    'lr-plot: no data to plot: the input has no rows' < /dev/null
t 'no row with both an lr and a loss' 1 'printf "lr,loss\n,1\n0.2,\n" | lr-plot' \
    'lr-plot: no data to plot: no row has both an lr and a loss' < /dev/null
t 'skipped away' 1 'lr-plot --skip-start 20 --skip-end 10 "$D/plot/known.csv"' \
    'lr-plot: no point left to plot after --skip-start 20 and --skip-end 10' < /dev/null
t 'a loss that is not a number' 1 \
    'printf "lr,loss\n0.1,1\n0.2,abc\n" | lr-plot' \
    'lr-plot: stdin:3: loss: "abc" is not a number' < /dev/null
t 'an lr that is not a number' 1 \
    'printf "lr,loss\n0.1,1\nx,2\n" | lr-plot' \
    'lr-plot: stdin:3: lr: "x" is not a number' < /dev/null
t 'a missing column lists the header' 1 'lr-plot -y nope run.csv' \
    'lr-plot: run.csv: no loss column "nope"; the header is: step, lr, loss, loss_smooth' < /dev/null
t 'no lr column' 1 'printf "rate,loss\n0.1,1\n" | lr-plot' \
    'lr-plot: stdin: no lr column (looked for lr, learning_rate, learning-rate, lr-*); the header is: rate, loss' < /dev/null
t 'a missing file' 1 'lr-plot nosuch.csv' \
    'lr-plot: nosuch.csv: No such file or directory' < /dev/null
t 'a ragged row' 1 'printf "lr,loss\n0.1,1\n0.2\n" | lr-plot' \
    'lr-plot: stdin:3: 1 cell where the header has 2' < /dev/null
t 'too few points for a suggestion: warned, the plot still made' 1 \
    'printf "lr,loss\n0.1,1\n0.2,2\n" | lr-plot -s valley > few.svg; st=$?
     xmllint --noout few.svg && exit $st' \
    'lr-plot: stdin: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-plot: valley needs at least 1 point and has 0 (of 2, after skipping 0 at the start and 5 at the end)' < /dev/null
t 'a group whose rows have no loss: its suggestion has no points, said' 1 \
    'awk "BEGIN { print \"run,lr,loss_smooth\"; for (i = 0; i < 10; i++) print \"a,\" 10 ^ (i - 6) \",\" (i - 6) ^ 2
         print \"b,0.1,\" }" | lr-plot -s minimum > nl.svg' \
    'lr-plot: b: minimum needs at least 1 point and has 0 (of 0, after skipping 0 at the start and 5 at the end)' < /dev/null
t 'the plot too small for its labels' 1 \
    'lr-plot -T --size 24x8 -s all run.csv' \
    'lr-plot: 24x8 is too small for a plot and the 11 suggestions listed under it: it takes 19 rows' < /dev/null
t 'the plot too small for its tick labels' 1 \
    'lr-plot -T --size 24x8 --ylim 0.000001:0.000002 --title t run.csv' \
    'lr-plot: 24x8 is too small for a plot' < /dev/null
# Hundreds of decades: the ticks span the whole axis, not its first 160.
t '-T: 600 decades of lr, ticked across' 0 \
    'printf "lr,loss_smooth\n1e-300,1\n1e300,2\n" | lr-plot -T --size 60x10 | tail -3' <<'EOF'
    └┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬┬
  10⁻³⁰⁰   10⁻²⁰⁰   10⁻¹⁰⁰    10⁰     10¹⁰⁰    10²⁰⁰   10³⁰⁰
                               lr
EOF
# The default size makes room for the suggestions listed under the plot.
t '-T -g -s all at the default size: 8 plot rows at least' 0 \
    'COLUMNS=80 lr-plot -T -g run -s all "$D/plot/sweep.csv" > many.txt &&
     grep -c -e "│" -e "┤" many.txt' <<'EOF'
8
EOF
# Without colour, only the group's name tells whose suggestion a symbol is.
t '-T -g: each suggestion named after its group' 0 \
    'COLUMNS=80 lr-plot -T -g run -s valley,pooled "$D/plot/sweep.csv" | tail -4' <<'EOF'
      ● wd=0: valley 0.000382
      ◆ pooled 0.000542
      ▲ wd=0.0001: valley 0.000321
      ■ wd=0.01: valley 0.000226
EOF

# ---- Runs named by what varies: sweep-run's parameter columns (between
# run and step), or the columns --label lists.
for tool in sweep-run lrsched; do
	[ -x "$top/tools/$tool" ] && ln -sf "$top/tools/$tool" bin/$tool
done
lrsched range start=1e-4 end=1 n=40 > sched40.csv
sweep-run -S sched40.csv -p seed=1,2 -p wd=0,1e-4 -- "$top/tests/children/parabola.sh" '{seed}' '{wd}' 2>/dev/null |
    ema-smooth -g run > params.csv
t 'sweep-run output: the legend names each run by its parameters' 0 \
    'lr-plot -g run -s halfway params.csv > params.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" params.svg | words' <<'EOF'
seed=1, wd=0
seed=1, wd=1e-4
seed=2, wd=0
seed=2, wd=1e-4
loss
loss_smooth
EOF
t 'data-group keeps the run, for scripts and style sheets' 0 \
    'for i in 1 2 3 4; do xp params.svg "($(el path)[@class=\"curve\"])[$i]/@data-group"; done' <<'EOF'
run 0
run 1
run 2
run 3
EOF
t '-T: the suggestions named by the parameters too' 0 \
    'COLUMNS=80 lr-plot -T -g run -s valley params.csv | tail -4 | sed "s/ [0-9.e-]*\$//"' <<'EOF'
     ● seed=1, wd=0: valley
     ◆ seed=1, wd=1e-4: valley
     ▲ seed=2, wd=0: valley
     ■ seed=2, wd=1e-4: valley
EOF
cp params.csv grid.csv
t 'EXAMPLES: --label, the columns asked for, in that order' 0 \
    'lr-plot -g run --label wd,seed -o grid.svg grid.csv &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" grid.svg | words | head -2' <<'EOF'
wd=0, seed=1
wd=1e-4, seed=1
EOF
t '--label: runs that share a label are told apart by their run' 0 \
    'lr-plot -g run --label wd params.csv > wd2.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" wd2.svg | words | head -4' <<'EOF'
wd=0, run=0
wd=1e-4, run=1
wd=0, run=2
wd=1e-4, run=3
EOF
t 'a parameter that varies within a run is left out of its label' 0 \
    'printf "run,seed,wd,step,lr,loss_smooth\n0,1,0,0,0.001,2\n0,2,0,1,0.01,1\n1,1,1,0,0.001,2\n1,1,1,1,0.01,1\n" |
     lr-plot -g run > vary.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" vary.svg | words' <<'EOF'
wd=0
seed=1, wd=1
EOF
t 'no parameters (run,step,...): the runs by their value' 0 \
    'cut -d, -f1,4- params.csv | lr-plot -g run > noparams.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" noparams.svg | words | head -2' <<'EOF'
run 0
run 1
EOF
t '--label names a column that is not there' 1 \
    'lr-plot -g run --label seed,lr_max params.csv' \
    'lr-plot: params.csv: no label column "lr_max"; the header is: run, seed, wd, step, lr, loss, loss_smooth'
# ---- The loss column and the runs, as lr-suggest reads them: a raw loss
# is smoothed here as ema-smooth smooths it (with a note), a run column
# without -g is -g run, an explicit -g wins.
cut -d, -f1-5 sweep.csv > rawsweep.csv
t 'a raw loss: smoothed here, the picture of ema-smooth'"'"'s output' 0 \
    'lr-plot -s default raw.csv > r1.svg && ema-smooth raw.csv | lr-plot -s default > r2.svg &&
     cmp r1.svg r2.svg && xp r1.svg "$(el path)[@class=\"curve\"]/@data-column"' \
    'lr-plot: raw.csv: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does' <<'EOF'
loss_smooth
EOF
t 'raw runs without -g: smoothed per run, one curve per run' 0 \
    'lr-plot -s default rawsweep.csv 2>/dev/null > r1.svg &&
     ema-smooth -g run rawsweep.csv | lr-plot -g run -s default > r2.svg && cmp r1.svg r2.svg &&
     xmllint --xpath "$(el text)[@class=\"suggestion-label\"]" r1.svg | words' <<EOF
pooled $(lr-suggest rawsweep.csv 2>/dev/null | awk '{ printf "%.3g", $1 }')
EOF
t 'a run column without -g is -g run' 0 \
    'lr-plot -s valley sweep.csv > g1.svg && lr-plot -g run -s valley sweep.csv | cmp - g1.svg &&
     sed "1s/^run,/Run,/" sweep.csv | lr-plot -s valley | cmp - g1.svg'
t 'an explicit -g wins over the run column' 0 \
    'lr-plot -g wd sweep.csv > wd1.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" wd1.svg | words | head -3' <<'EOF'
wd 0
wd 0.0001
wd 0.01
EOF
t 'several files of one run each: a curve per file, named by the file' 0 \
    'awk -F, '"'"'NR == 1 || $1 == "r1"'"'"' sweep.csv > one1.csv &&
     awk -F, '"'"'NR == 1 || $1 == "r2"'"'"' sweep.csv > one2.csv &&
     lr-plot one2.csv one1.csv > f.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" f.svg | words' <<'EOF'
one2.csv
one1.csv
loss
loss_smooth
EOF
t 'several files of several runs: each file'"'"'s runs, files in order' 0 \
    'lr-plot sweep.csv one1.csv > f2.svg &&
     xmllint --xpath "$(el text)[@class=\"legend-entry\"]" f2.svg | words' <<'EOF'
sweep.csv: run r1
sweep.csv: run r2
sweep.csv: run r3
one1.csv
loss
loss_smooth
EOF
t '-y names the columns to draw: as they are, nothing said without -s' 0 \
    'lr-plot -y loss raw.csv > y1.svg && xp y1.svg "$(el text)[@class=\"ylabel\"]" &&
     xp y1.svg "count($(el path)[@class=\"curve\"])"' <<'EOF'
loss
1
EOF
t '-y with -s: the suggestions of a column read as it is, said' 0 \
    'lr-plot -y loss -s minimum raw.csv > y2.svg' \
    'lr-plot: raw.csv: loss: read as it is, not smoothed (its name does not end in _smooth)' <<'EOF'
EOF
t 'no header with -s: read as it is, said' 0 \
    'awk "BEGIN { for (i = 0; i < 10; i++) print 10 ^ (i - 8), (i - 6) ^ 2 }" | lr-plot -s minimum > nh.svg' \
    'lr-plot: stdin: no header: the last column is read as it is, not smoothed' <<'EOF'
EOF
t '--label without -g, on a run column' 0 \
    'lr-plot -g run --label seed params.csv > l1.svg && lr-plot --label seed params.csv | cmp - l1.svg'
t '--label without -g and without a run column' 1 'lr-plot --label seed run.csv' \
    'lr-plot: run.csv: --label: the table has no run column: give -g' < /dev/null


# ---- Output: whole or not at all.
tok '-o replaces the file only when complete' \
    'echo old > keep.svg; printf "lr,loss\n0.1,x\n" | lr-plot -o keep.svg 2>/dev/null
     test $? = 1 && test "$(cat keep.svg)" = old'
tok '-o leaves no temporary file behind' \
    'mkdir -p outdir && lr-plot -o outdir/p.svg run.csv &&
     test "$(ls -A outdir)" = p.svg && xmllint --noout outdir/p.svg'
t '-o writes nothing to standard output' 0 'lr-plot -o o.svg run.csv' < /dev/null
t '-o into a missing folder' 1 'lr-plot -o nodir/p.svg run.csv' \
    'lr-plot: nodir/p.svg: No such file or directory' < /dev/null
# Memory grows with the data, not with a slab per group: 200,000 runs of
# two rows each in 400 MB of address space (it took 940 MB).  Not under
# ASan or valgrind, whose own memory the limit would count.
awk 'BEGIN { print "run,lr,loss_smooth"; for (i = 0; i < 200000; i++)
    printf "%d,0.001,2\n%d,0.01,1\n", i, i }' > many-runs.csv
if [ -z "${SAN:-}" ] && [ "${VALGRIND:-}" != 1 ]; then
	t 'memory grows with the data: 200,000 two-row runs' 0 \
	    'ulimit -v 400000 && lr-plot -g run -o many.svg many-runs.csv &&
	     grep -c "class=\"curve\"" many.svg' <<'EOF'
200000
EOF
fi

t 'a full disk' 1 'lr-plot run.csv > /dev/full' \
    'lr-plot: write error: No space left on device' < /dev/null
t 'a reader that goes away' 0 'lr-plot run.csv | head -1' <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
EOF
t 'a terminal plot to a reader that goes away' 0 \
    'lr-plot -T --size 72x22 run.csv | head -1' <<'EOF'
loss
EOF
# A column name with markup; a title with a control byte and invalid UTF-8.
cat > hostile.csv <<'EOF'
lr,"l<o&s""s"
0.1,1
0.2,2
0.3,1.5
EOF
t 'hostile names stay well-formed XML' 0 \
    'lr-plot -y 2 --title "$(printf "a\001b\377c")" hostile.csv > h.svg &&
     xmllint --noout h.svg && xp h.svg "$(el text)[@class=\"ylabel\"]"' <<'EOF'
l<o&s"s
EOF

# ---- Usage errors.
t 'unknown option' 2 'lr-plot --bogus run.csv' \
    "lr-plot: --bogus: unknown option
Try 'lr-plot --help' for more information." < /dev/null
t 'unknown short option' 2 'lr-plot -Z run.csv' \
    "lr-plot: -Z: unknown option
Try 'lr-plot --help' for more information." < /dev/null
t 'a value for an option that takes none' 2 'lr-plot -T --ascii=1 run.csv' \
    "lr-plot: --ascii=1: takes no value
Try 'lr-plot --help' for more information." < /dev/null
t 'an option without its value' 2 'lr-plot run.csv -o' \
    "lr-plot: -o: needs a value
Try 'lr-plot --help' for more information." < /dev/null
t 'a long option without its value' 2 'lr-plot run.csv --ylim' \
    "lr-plot: --ylim: needs a value
Try 'lr-plot --help' for more information." < /dev/null
t '--size without x' 2 'lr-plot --size 640 run.csv' \
    "lr-plot: --size: \"640\": give WIDTHxHEIGHT
Try 'lr-plot --help' for more information." < /dev/null
t '--size too small for SVG' 2 'lr-plot --size 100x100 run.csv' \
    "lr-plot: --size: 100x100: an SVG plot takes 200x150 to 20000x20000 pixels
Try 'lr-plot --help' for more information." < /dev/null
t '--size too small for text' 2 'lr-plot -T --size 10x5 run.csv' \
    "lr-plot: --size: 10x5: a terminal plot takes 24x8 to 1000x500 characters
Try 'lr-plot --help' for more information." < /dev/null
t '--ylim not two numbers' 2 'lr-plot --ylim 1 run.csv' \
    "lr-plot: --ylim: \"1\": give LOW:HIGH, two numbers
Try 'lr-plot --help' for more information." < /dev/null
t '--ylim the wrong way round' 2 'lr-plot --ylim 2:1 run.csv' \
    "lr-plot: --ylim: 2:1: LOW must be less than HIGH
Try 'lr-plot --help' for more information." < /dev/null
t '-s an unknown method' 2 'lr-plot -s valley,best run.csv' \
    "lr-plot: -s: \"best\": no such method (valley, slide, minimum, steep, mingrad, lightning, range, halfway, plateau, pooled, default or all)
Try 'lr-plot --help' for more information." < /dev/null
# -s and lr-suggest -m read method names with one parser, from the
# library's table of methods: the same list, the same message.
t '-s lists the methods as lr-suggest -m does' 0 \
    'lr-plot -s bogus run.csv 2>&1 | sed -n "1s/^lr-plot: -s: //p" > p; lr-suggest -m bogus run.csv 2>&1 | sed -n "1s/^lr-suggest: -m: //p" > s; cmp p s && cat p' <<'EOF'
"bogus": no such method (valley, slide, minimum, steep, mingrad, lightning, range, halfway, plateau, pooled, default or all)
EOF
t '-s: an escape sequence in a method name' 2 'lr-plot -s "$(printf "\033[2J")" run.csv' \
    "lr-plot: -s: \"\\x1b[2J\": no such method (valley, slide, minimum, steep, mingrad, lightning, range, halfway, plateau, pooled, default or all)
Try 'lr-plot --help' for more information." < /dev/null
t '--ascii without -T' 2 'lr-plot --ascii run.csv' \
    "lr-plot: --ascii goes with -T
Try 'lr-plot --help' for more information." < /dev/null
t '--skip-end negative' 2 'lr-plot --skip-end -1 run.csv' \
    "lr-plot: --skip-end: -1: must be at least 0
Try 'lr-plot --help' for more information." < /dev/null
t '--skip-start not a number' 2 'lr-plot --skip-start x run.csv' \
    "lr-plot: --skip-start: \"x\" is not a whole number
Try 'lr-plot --help' for more information." < /dev/null
t '-o empty' 2 "lr-plot -o '' run.csv" \
    "lr-plot: -o: the file name is empty
Try 'lr-plot --help' for more information." < /dev/null
t '-d two characters' 2 'lr-plot -d ab run.csv' \
    "lr-plot: -d: \"ab\": give one character, tab or blanks
Try 'lr-plot --help' for more information." < /dev/null
tok '--help' 'lr-plot --help | head -1 | grep -q "^usage: lr-plot "'
t '--version' 0 "lr-plot --version | sed 's/[0-9][0-9.]*\$/V/'" <<'EOF'
lr-plot (lrkit) V
EOF

# -s pooled over groups: one mark, at lr-suggest's pooled answer.
tok 'pooled over groups: one mark, the same lr as lr-suggest' '
	v=$(lr-suggest -g run -m pooled --summary -f csv "$D/plot/sweep.csv" | awk -F, "NR == 2 { printf \"%.3g\", \$3 }") &&
	lr-plot -g run -s pooled "$D/plot/sweep.csv" > pooled.svg &&
	test "$(grep -c ">pooled $v<" pooled.svg)" = 1 &&
	test "$(grep -c ">pooled " pooled.svg)" = 1'

# Groups are drawn and listed by value (run 2 before run 10), whatever
# order their rows come in, so a sweep's colours do not change from run to
# run.
tok 'groups in numeric order, not first-seen' '
	awk "BEGIN { print \"run,lr,loss\"; for (i = 0; i < 20; i++) { print 10 \",\" 10^(i/4-6) \",\" 2-i/40; print 2 \",\" 10^(i/4-6) \",\" 2.1-i/40 } }" > order.csv &&
	lr-plot -g run order.csv > order.svg &&
	a=$(grep -n ">run 2<" order.svg | cut -d: -f1) && b=$(grep -n ">run 10<" order.svg | cut -d: -f1) &&
	test -n "$a" && test -n "$b" && test "$a" -lt "$b"'

# The manual's examples run ./mlp-train as written.
ln -sf "$top/examples/mlp-train" mlp-train

# lr-plot(1), EXAMPLES: the three seeds' curves, the pooled answer marked.
tok 'EXAMPLES: three seeds, their curves and the answer marked' '
	sweep-run -p seed=1,2,3 -- ./mlp-train --seed {seed} | ema-smooth -g run > range.csv &&
	lr-plot -o range.svg range.csv && xmllint --noout range.svg &&
	[ $(grep -c "<path" range.svg) -ge 3 ] && grep -q "seed=3" range.svg'
