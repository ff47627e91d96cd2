#!/bin/sh
# sleepy.sh SECS: sleeps SECS before each loss.
read -r header
while read -r row; do
	sleep "$1"
	echo 1
done
