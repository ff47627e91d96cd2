trap '' XFSZ
rm -rf c
(ulimit -f 1 && exec lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}) > out 2> err
echo "exit $?"
grep -c "write error: File too large" err
[ -s out ] || echo "nothing printed"
[ -e c/ranked.csv ] || echo "no ranked.csv"
lr-confirm -q -o c --resume --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}
