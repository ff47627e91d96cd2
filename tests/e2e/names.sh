# Names that hold anything: every code point (surrogates, noncharacters
# and the sequences past U+10FFFF included) and every byte, as group names
# and as a column name (tests/codepoints.pl).  What reaches a browser
# (lr-plot's SVG) must be well-formed XML that a renderer draws; what
# reaches a terminal (lr-plot -T, every message on stderr) must be valid
# UTF-8 without a control character but the line end.
perl "$top/tests/codepoints.pl" > all.csv
perl "$top/tests/codepoints.pl" 512 |
    awk 'NR == 1 || int((NR - 2) / 3) % 700 == 0' > sample.csv
export all_csv=all.csv

# clean FILE: FILE is valid UTF-8 and holds no C0 or C1 control character
# but the newline, and no DEL.
cat > bin/clean <<'EOF2'
#!/bin/sh
iconv -f UTF-8 -t UTF-8 "$1" > /dev/null || { echo "$1: not UTF-8"; exit 1; }
if LC_ALL=C grep -n "$(printf '[\001-\011\013-\037\177]')" "$1" > /dev/null ||
    LC_ALL=C grep -n "$(printf '\302[\200-\237]')" "$1" > /dev/null; then
	echo "$1: a control character"
	exit 1
fi
EOF2
chmod +x bin/clean

tok 'lr-plot: an SVG of every code point is well-formed XML' \
    'lr-plot -g run -y 3 -o all.svg all.csv && xmllint --noout all.svg'
tok 'lr-plot: --title of every code point of the first plane is well-formed XML' \
    'lr-plot --title "$(head -c 100000 all.csv | tail -c +9 | tr -d "\n\"")" -g run -y 3 -o title.svg sample.csv && xmllint --noout title.svg'
tok 'lr-plot: rsvg draws an SVG of names from every plane' \
    'lr-plot -g run -y 3 -o sample.svg sample.csv && rsvg-convert -o sample.png sample.svg && test -s sample.png'
tok 'lr-plot -T: the text plot of every code point is safe on a terminal' \
    'lr-plot -T --size 200x60 -g run -y 3 all.csv > plot.txt && clean plot.txt'
tok 'lr-plot -T -s all: the suggestion list is safe on a terminal' \
    'lr-plot -T -s all --size 200x400 -g run -y 3 sample.csv > plot.txt 2> err.txt; clean plot.txt && clean err.txt'
for tool in lr-suggest ema-smooth lr-plot; do
	tok "$tool: messages naming such groups and columns are safe on a terminal" \
	    "$tool -g run -y 3 -x 4 all.csv > /dev/null 2> err.txt; test -s err.txt && clean err.txt"
	tok "$tool: messages naming such a column are safe on a terminal" \
	    "$tool -y 'loss $(printf '\033')[31m' all.csv > /dev/null 2> err.txt; test -s err.txt && clean err.txt"
done
tok 'lr-suggest -m all: per-group warnings are safe on a terminal' \
    'lr-suggest -g run -y 3 -m all all.csv > /dev/null 2> err.txt; test -s err.txt && clean err.txt'
tok 'sweep-run: a parameter value of every byte is safe in messages' \
    'sweep-run -p "x=$(head -c 3000 all.csv | tail -c +9 | tr -d "\n,\"")" -s "range n=3" -- sh -c "exit 3" > /dev/null 2> err.txt; test -s err.txt && clean err.txt'
tok 'lr-suggest: the plain per-group answers are safe on a terminal' \
    'lr-suggest -g run -y 3 -x 2 -m minimum --skip-start 0 --skip-end 0 sample.csv > out.txt 2> /dev/null; test -s out.txt && clean out.txt'
