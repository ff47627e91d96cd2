# The bash completion (completions/lrkit), driven the way bash drives it:
# COMP_WORDS (split at = as readline splits), COMP_CWORD, COMP_LINE and
# COMP_POINT set, the function called, COMPREPLY printed; in a
# non-interactive bash with bash-completion's helpers loaded, and once
# without them.  Then against the tools themselves: every option in each
# tool's --help is completed, an option that takes an argument is known to
# take one, the method and format names are the ones the tools accept, and
# lrsched's policies and keys are the ones lrsched knows.
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
export BASH_COMPLETION

# comp [-n] [-l] 'WORDS'...: for each argument (shell words, the last one
# the word being completed: '' for a new one), a line "WORDS: COMPLETIONS",
# sorted.  -n: without bash-completion's helpers.  -l: a line "WORDS:",
# then the completions as they are, in their order, each on a line of its
# own after a tab.
cat > bin/comp <<'EOF'
#!/bin/bash
export LC_ALL=C
if [[ $1 == -n ]]; then
	shift
else
	. "$BASH_COMPLETION" || exit 1
fi
lines=
if [[ $1 == -l ]]; then
	lines=1
	shift
fi
. "$top/completions/lrkit" || exit 1
comp()
{
	local line=$* w head brk
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	for w in "$@"; do
		while [[ $w == *[=:]* ]]; do
			head=${w%%[=:]*}
			[[ -n $head ]] && COMP_WORDS+=("$head")
			w=${w#"$head"}
			brk=${w%%[!=:]*}
			COMP_WORDS+=("$brk")
			w=${w#"$brk"}
		done
		[[ -n $w || ${#COMP_WORDS[@]} == 0 ]] && COMP_WORDS+=("$w")
	done
	[[ -z ${@: -1} ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_lrkit 2> /dev/null
}
for c in "$@"; do
	eval "set -- $c"
	comp "$@"
	if [[ $lines ]]; then
		printf '%s:\n' "$c"
		((${#COMPREPLY[@]})) && printf '\t%s\n' "${COMPREPLY[@]}"
		continue
	fi
	# Sorted, once each as bash shows them (in bash: a sort process per
	# line would cost more than the completion).
	sorted=()
	for w in "${COMPREPLY[@]}"; do
		for i in "${sorted[@]}"; do
			[[ $i == "$w" ]] && continue 2
		done
		i=${#sorted[@]}
		while ((i > 0)) && [[ ${sorted[i - 1]} > $w ]]; do
			sorted[i]=${sorted[i - 1]}
			((i--))
		done
		sorted[i]=$w
	done
	printf '%s: %s\n' "$c" "${sorted[*]}"
done
EOF
chmod +x bin/comp
printf 'step,lr,train_loss,run\n0,1e-7,2.3,0\n' > range.csv
printf 'Step\tlearning_rate\tloss\r\n0\t1e-7\t2.3\r\n' > tab.tsv
printf '\357\273\277"epoch";"lr";"val_loss"\n1;0.1;0.5\n' > semi.csv
printf '0 1e-7 2.3\n' > bare.txt
printf '<?xml version="1.0"?>\n' > old.svg
mkdir runs

# ---- options and their arguments

t 'options' 0 "comp 'lr-suggest --s' 'ema-smooth --h' 'lr-plot -' 'lrsched --e'" <<'EOF'
lr-suggest --s: --skip-end --skip-start --summary
ema-smooth --h: --halflife --help
lr-plot -: --ascii --delimiter --group --help --label --loss --lr --no-header --output --size --skip-end --skip-start --suggest --terminal --title --version --ylim -H -T -d -g -o -s -x -y
lrsched --e: --epochs
EOF

t 'methods and formats' 0 "comp 'lr-suggest -m \"\"' 'lr-suggest -m valley,h' 'lr-suggest --method=p' 'lr-plot -s sl' 'lr-suggest -f \"\"' 'lr-import --format j' 'ema-smooth -m \"\"' 'ema-smooth --nan h'" <<'EOF'
lr-suggest -m "": all default halfway lightning mingrad minimum plateau pooled range slide steep valley
lr-suggest -m valley,h: valley,halfway
lr-suggest --method=p: plateau pooled
lr-plot -s sl: slide
lr-suggest -f "": csv json plain
lr-import --format j: jsonl
ema-smooth -m "": debias first zero
ema-smooth --nan h: hold
EOF

# Column names from the first line of the files on the line: comma, tab
# (CRLF), semicolon with a BOM and quotes, -d, -H; none without a file.
t 'columns' 0 "comp 'lr-suggest range.csv -y \"\"' 'lr-plot -x l tab.tsv -x l' 'ema-smooth semi.csv -g \"\"' 'lr-plot --loss=t range.csv --loss=t' 'ema-smooth -d \" \" bare.txt -t \"\"' 'lr-suggest -H range.csv -x \"\"' 'lr-suggest -g \"\"' 'lr-import range.csv --select step,l' 'lr-import range.csv --rename tr' 'lr-import range.csv --merge s' 'lr-plot -o old.svg range.csv -g \"\"'" <<'EOF'
lr-suggest range.csv -y "": lr run step train_loss
lr-plot -x l tab.tsv -x l: learning_rate loss
ema-smooth semi.csv -g "": epoch lr val_loss
lr-plot --loss=t range.csv --loss=t: train_loss
ema-smooth -d " " bare.txt -t "": 0 1e-7 2.3
lr-suggest -H range.csv -x "": 1 2 3 4
lr-suggest -g "": 
lr-import range.csv --select step,l: step,lr
lr-import range.csv --rename tr: train_loss=
lr-import range.csv --merge s: step
lr-plot -o old.svg range.csv -g "": lr run step train_loss
EOF

t 'files and folders' 0 "comp 'lr-plot -o ra' 'sweep-run -o ru' 'sweep-run -S ra' 'ema-smooth ta' 'lr-suggest --skip-start \"\"' 'sweep-run -p \"\"'" <<'EOF'
lr-plot -o ra: range.csv
sweep-run -o ru: runs
sweep-run -S ra: range.csv
ema-smooth ta: tab.tsv
lr-suggest --skip-start "": 
sweep-run -p "": 
EOF

# ---- lrsched's words, sweep-run's schedule and command

t 'lrsched' 0 "comp 'lrsched cos' 'lrsched -m on' 'lrsched range s' 'lrsched range start=1e-7 \"\"' 'lrsched range spacing=l' 'lrsched cyclic mode=\"\"' 'lrsched cosine T' 'lrsched range n=5 then onecycle an' 'lrsched --epochs 4 \"\"'" <<'EOF'
lrsched cos: cosine cosine-restarts
lrsched -m on: onecycle
lrsched range s: spacing= start=
lrsched range start=1e-7 "": convention= end= n= spacing= then
lrsched range spacing=l: linear
lrsched cyclic mode="": exp_range triangular triangular2
lrsched cosine T: T=
lrsched range n=5 then onecycle an: anneal=
lrsched --epochs 4 "": constant cosine cosine-restarts cyclic exp fastai-onecycle linear multistep onecycle poly range step
EOF

t 'lr-confirm: its method, schedule and the command after --' 0 "comp 'lr-confirm -m pla' 'lr-confirm -s one' 'lr-confirm -s \"onecycle max={max} n=9\" range.csv -- lrsch'" <<'EOF'
lr-confirm -m pla: plateau
lr-confirm -s one: onecycle
lr-confirm -s "onecycle max={max} n=9" range.csv -- lrsch: lrsched
EOF
t 'sweep-run: the schedule and the command after --' 0 "comp 'sweep-run -s one' 'sweep-run -p seed=1,2 -- lrsch' 'sweep-run -- lr-suggest -m ste'" <<'EOF'
sweep-run -s one: onecycle
sweep-run -p seed=1,2 -- lrsch: lrsched
sweep-run -- lr-suggest -m ste: steep
EOF

t 'without bash-completion' 0 "comp -n 'lr-suggest --me' 'lr-plot range.csv -y t' 'lrsched ex' 'ema-smooth ra'" <<'EOF'
lr-suggest --me: --method
lr-plot range.csv -y t: train_loss
lrsched ex: exp
ema-smooth ra: range.csv
EOF

# ---- what a file holds is never run: hostile column names

# A header whose cells are shell syntax: command substitutions, globs
# (with files here they would match: a, x), a variable, CSV quotes, a
# space, a backslash, a quote, a tilde.  Each is completed as a shell
# word that reads back as the name itself, nothing is expanded or run
# (pwned would be created), and after a quote the user opened, the rest
# of the name is written for inside that quote.
printf '%s\n' 'step,$(touch pwned),`touch pwned`,*,?,[a],${x},"q,x","say ""hi""",a b,back\slash,it'"'"'s,~root,$HOME' 0,1,2,3,4,5,6,7,8,9,10,11,12 > hostile.csv
touch a x
x=expanded
export x
t 'hostile header: each name a shell word of its own' 0 "comp -l 'lr-suggest hostile.csv -y \"\"'" <<'EOF'
lr-suggest hostile.csv -y "":
	step
	\$\(touch\ pwned\)
	\`touch\ pwned\`
	\*
	\?
	\[a\]
	\$\{x\}
	q\,x
	say\ \"hi\"
	a\ b
	back\\slash
	it\'s
	\~root
	\$HOME
EOF
# readback: each completion as the shell reads it (it must be one word).
cat > bin/readback <<'EOF'
#!/bin/bash
while IFS= read -r line; do
	[[ $line == $'\t'* ]] || continue
	eval "set -- ${line#?}"
	[[ $# == 1 ]] || { echo "not one word: $line"; continue; }
	printf '%s\n' "$1"
done
EOF
chmod +x bin/readback
t 'hostile header: the shell reads each back as the name' 0 "comp -l 'lr-suggest hostile.csv -y \"\"' | readback" <<'EOF'
step
$(touch pwned)
`touch pwned`
*
?
[a]
${x}
q,x
say "hi"
a b
back\slash
it's
~root
$HOME
EOF
t 'hostile header: without bash-completion' 0 "comp -n -l 'lr-suggest hostile.csv -y \"\"' | readback | paste -sd ' ' -" <<'EOF'
step $(touch pwned) `touch pwned` * ? [a] ${x} q,x say "hi" a b back\slash it's ~root $HOME
EOF
# each COMMAND...: COMMAND with the lines of the standard input as its
# arguments.
printf '#!/bin/sh\nexec xargs -d "\\n" "$@"\n' > bin/each
chmod +x bin/each
# What is typed is read as the shell reads it (quotes and backslashes
# removed, nothing expanded), and only the names it begins are offered.
cat > cases <<'EOF'
lr-suggest hostile.csv -y '\$'
lr-suggest hostile.csv -y '\$\('
lr-suggest hostile.csv -y '\*'
lr-suggest hostile.csv -y '\['
lr-suggest hostile.csv -y '\`'
lr-suggest hostile.csv -y a
lr-suggest hostile.csv -y 'q\,'
lr-suggest hostile.csv -y back
lr-suggest hostile.csv -y '"$('
lr-suggest hostile.csv -y '"say'
lr-suggest hostile.csv -y '"back'
lr-suggest hostile.csv -y "'it"
lr-suggest hostile.csv -y "'\$"
lr-suggest hostile.csv -y '"a b'
lr-suggest hostile.csv -y 'a\ '
lr-suggest hostile.csv -y 'x'
lr-import hostile.csv --select 'step,\$'
lr-import hostile.csv --select '"step,a'
lr-import hostile.csv --rename '\$\('
EOF
t 'hostile header: what is typed, read as the shell reads it' 0 'each comp -l < cases' <<'EOF'
lr-suggest hostile.csv -y '\$':
	\$\(touch\ pwned\)
	\$\{x\}
	\$HOME
lr-suggest hostile.csv -y '\$\(':
	\$\(touch\ pwned\)
lr-suggest hostile.csv -y '\*':
	\*
lr-suggest hostile.csv -y '\[':
	\[a\]
lr-suggest hostile.csv -y '\`':
	\`touch\ pwned\`
lr-suggest hostile.csv -y a:
	a\ b
lr-suggest hostile.csv -y 'q\,':
	q\,x
lr-suggest hostile.csv -y back:
	back\\slash
lr-suggest hostile.csv -y '"$(':
	\$(touch pwned)
lr-suggest hostile.csv -y '"say':
	say \"hi\"
lr-suggest hostile.csv -y '"back':
	back\\slash
lr-suggest hostile.csv -y "'it":
	it'\''s
lr-suggest hostile.csv -y "'\$":
	$(touch pwned)
	${x}
	$HOME
lr-suggest hostile.csv -y '"a b':
	a b
lr-suggest hostile.csv -y 'a\ ':
	a\ b
lr-suggest hostile.csv -y 'x':
lr-import hostile.csv --select 'step,\$':
	step,\$\(touch\ pwned\)
	step,\$\{x\}
	step,\$HOME
lr-import hostile.csv --select '"step,a':
	step,a b
lr-import hostile.csv --rename '\$\(':
	\$\(touch\ pwned\)=
EOF

# A tool's --help is read the same way: a policy, key or value named like
# a command is offered as a word, not run (lrsched stands in here).
mkdir fake
cat > fake/lrsched <<'EOF'
#!/bin/sh
cat <<'EOT'
usage: lrsched [options] policy [key=value ...]

  -$(touch pwned), --*  never an option
  -n, --epochs N       a number

Policies and keys:
  p$(touch_pwned) k=$(touch_pwned)|*
  p*             a=1
EOT
EOF
chmod +x fake/lrsched
cat > cases <<'EOF'
fake/lrsched -
fake/lrsched ''
fake/lrsched 'p\*' ''
fake/lrsched 'p\$\(touch_pwned\)' k=
EOF
t 'a hostile --help: words, not commands' 0 'each comp -l < cases && PATH=$PWD/fake:$PATH comp -l "sweep-run -s \"\""' <<'EOF'
fake/lrsched -:
	--epochs
	-n
fake/lrsched '':
	p\$\(touch_pwned\)
	p\*
fake/lrsched 'p\*' '':
	then
	a=
fake/lrsched 'p\$\(touch_pwned\)' k=:
	\$\(touch_pwned\)
	\*
sweep-run -s "":
	p\$\(touch_pwned\)
	p\*
EOF

# A first line of 10 MB: only its start is read, the keystroke is quick,
# and the name the limit cuts is not offered.
{ printf 'step,lr,'; head -c 10000000 /dev/zero | tr '\0' x; printf ',loss\n0,1,2,3\n'; } > big1.csv
{ printf 'step,lr'; yes ,a | head -n 5000000 | tr -d '\n'; printf '\n'; } > big2.csv
t 'a 10 MB first line: its start' 0 "timeout 20 comp 'lr-suggest big1.csv -y \"\"' 'lr-suggest big2.csv -y \"\"'" <<'EOF'
lr-suggest big1.csv -y "": lr step
lr-suggest big2.csv -y "": a lr step
EOF

tok 'hostile header: nothing ran' '[ ! -e pwned ] && [ ! -e touch_pwned ]'

# ---- against the tools

# Every option a tool's --help lists (the option lines: what comes before
# the description) is offered for "TOOL -".
for tool in lrsched sweep-run ema-smooth lr-suggest lr-plot lr-import lr-confirm; do
	tok "$tool: every option in --help is completed" "
	    $tool --help | sed -n '/^Policies/q; /^ *-/{s/^ *//; s/  .*//; p;}' |
		grep -oE -- '--?[A-Za-z0-9][-A-Za-z0-9]*' | sort -u > want.$tool &&
	    [ \$(wc -l < want.$tool) -ge 5 ] &&
	    comp '$tool -' | sed 's/^[^:]*: //' | tr ' ' '\n' | sort -u > got.$tool &&
	    diff want.$tool got.$tool"
done

# An option whose --help line has a placeholder takes an argument: after
# it, what the tool completes there otherwise is not offered (range.csv
# tab.tsv t: the file tab.tsv; lrsched c: the policies), unless the option
# names a file.
for tool in lrsched sweep-run ema-smooth lr-suggest lr-plot lr-import lr-confirm; do
	if [ $tool = lrsched ]; then
		before= typed=c offered=cosine
	else
		before=range.csv typed=t offered=tab.tsv
	fi
	tok "$tool: the options that take an argument" "
	    comp '$tool $before $typed' | grep -Fw $offered &&
	    $tool --help | sed -n '/^Policies/q; /^ *-/{s/^ *//; s/  .*//; p;}' |
		grep -E -- '--?[A-Za-z0-9][-A-Za-z0-9]* [A-Z]' |
		grep -oE -- '--?[A-Za-z0-9][-A-Za-z0-9]*' |
		grep -vxE -- '-o|--output|-S|--schedule-file' > opts.$tool &&
	    [ -s opts.$tool ] &&
	    sed 's/^/$tool $before /; s/\$/ $typed/' opts.$tool |
		each comp > got.$tool &&
	    [ \$(wc -l < got.$tool) = \$(wc -l < opts.$tool) ] &&
	    ! grep -Fw $offered got.$tool"
done

# The methods and formats are those the tools accept: their error message
# for an unknown one lists them.
names() { sed 's/.*(\(.*\))$/\1/; s/.*must be //; s/,//g; s/ or / /' | tr ' ' '\n' | sort | paste -sd ' '; }
for c in 'lr-suggest -m' 'lr-plot -s' 'lr-suggest -f' 'lr-import -f' 'ema-smooth -m' 'ema-smooth --nan'; do
	want=$($c no-such < /dev/null 2>&1 | head -n 1 | names)
	tok "$c: the names the tool accepts" "echo 'the tool: $want'; comp \"$c ''\" > names.got &&
	    cat names.got && [ \"\$(sed 's/^[^:]*: //' names.got)\" = '$want' ]"

done

# lrsched: every policy offered is one lrsched knows, the keys offered
# for each are the ones its --help lists, and the values offered for a key
# are the ones lrsched accepts.
cat > bin/check-lrsched <<'EOF'
#!/bin/sh
fail=0
policies=$(comp "lrsched ''" | sed 's/^[^:]*: //')
[ "$(echo "$policies" | wc -w)" -ge 10 ] || { echo "policies: $policies"; fail=1; }
# "POLICY KEY KEY ..." as completed, and as --help lists them.
for p in $policies; do
	echo "lrsched $p ''"
done | tr '\n' '\0' | xargs -0 comp |
    sed 's/^lrsched \([^ ]*\) '"''"': /\1 /; s/ then\( \|$\)/\1/; s/=//g' > keys
lrsched --help | awk '
	/^  [a-z]/ { p = $1; keys[p] = "" }
	/^[^ ]/ { p = "" }
	p != "" {
		line = $0
		while (match(line, /[A-Za-z][-A-Za-z0-9]*=/)) {
			keys[p] = keys[p] " " substr(line, RSTART, RLENGTH - 1)
			line = substr(line, RSTART + RLENGTH)
		}
	}
	END { for (p in keys) print p keys[p] }' > helpkeys
norm() { awk '{ for (i = 2; i <= NF; i++) print $1, $i }' "$1" | sort; }
norm keys > keys.n
norm helpkeys > helpkeys.n
diff keys.n helpkeys.n || fail=1
while read -r p keys; do
	lrsched $p 2>&1 | grep -q 'unknown policy' && { echo "$p: not a policy"; fail=1; }
done < keys
# The keys with a choice of values (key=a|b in --help): completed with
# the values lrsched accepts.
lrsched --help | awk '
	/^  [a-z]/ { p = $1 }
	{
		line = $0
		while (match(line, /[A-Za-z][-A-Za-z0-9]*=[^] ]*\|/)) {
			k = substr(line, RSTART, RLENGTH)
			sub(/=.*/, "", k)
			print "lrsched " p " " k "='"''"'"
			line = substr(line, RSTART + RLENGTH)
		}
	}' | tr '\n' '\0' | xargs -0 comp > vals
n=0
while IFS=: read -r line vals; do
	set -- $line
	k=${3%%=*}
	want=$(lrsched $2 $k=zz 2>&1 | sed -n 's/.*must be one of: //p' |
	    tr ' ' '\n' | sort | paste -sd ' ')
	[ "$vals" = " $want" ] || { echo "$2 $k:$vals, lrsched: $want"; fail=1; }
	n=$((n + 1))
done < vals
[ "$n" -ge 4 ] || { echo "only $n keys with values"; fail=1; }
exit $fail
EOF
chmod +x bin/check-lrsched
tok 'lrsched: policies, keys and values as lrsched has them' 'check-lrsched'

# ---- make install: where bash-completion finds it

# (Each test prints make's output first: tok shows it when the test fails.)
make -s -C "$top" install DESTDIR="$PWD/dest" PREFIX=/usr/local SAN="$SAN" > install.out 2>&1
tok 'make install: the file and a link per tool' "cat install.out; [ $? = 0 ] &&
	cd dest/usr/local/share/bash-completion/completions &&
	cmp lrkit \"\$top/completions/lrkit\" &&
	for t in lrsched sweep-run ema-smooth lr-suggest lr-plot lr-import lr-confirm; do
		[ \"\$(readlink \$t)\" = lrkit ] || exit 1; done"
cat > bin/loaded <<'EOF2'
#!/bin/bash
# loaded TOOL: the completion bash-completion loads for TOOL on demand.
. "$BASH_COMPLETION" || exit 1
__load_completion "$1" && complete -p "$1"
EOF2
chmod +x bin/loaded
t 'bash-completion loads it from there' 0 'XDG_DATA_DIRS=$PWD/dest/usr/local/share loaded lr-plot' <<'EOF'
complete -F _lrkit lr-plot
EOF
make -s -C "$top" uninstall DESTDIR="$PWD/dest" PREFIX=/usr/local > install.out 2>&1
tok 'make uninstall removes it' "cat install.out; find dest; [ $? = 0 ] && [ -z \"\$(find dest -type f -o -type l)\" ]"

# The options of the GPU box and the cluster (issue: the recipes'
# completions): --gpus, --momentum, lr-confirm's --fraction, --timeout,
# --grace, --rerun-failed complete; after --gpus no file name is offered.
t 'the new options complete' 0 "comp 'sweep-run --gp' 'sweep-run --mo' 'lr-confirm --fr' 'lr-confirm --rer' 'lr-confirm --ti' 'lr-confirm --gr' 'lr-confirm --gp' 'sweep-run --gpus \"\"'" <<'EOF'
sweep-run --gp: --gpus
sweep-run --mo: --momentum
lr-confirm --fr: --fraction
lr-confirm --rer: --rerun-failed
lr-confirm --ti: --timeout
lr-confirm --gr: --grace --group
lr-confirm --gp: --gpus
sweep-run --gpus "": 
EOF
