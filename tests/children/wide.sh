#!/bin/sh
# wide.sh N: a CSV child whose rows carry a note of N bytes.
note=$(printf "%0${1}d" 0)
read -r header
echo loss,note
while read -r row; do
	echo "1,$note"
done
