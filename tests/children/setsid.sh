#!/bin/sh
# setsid.sh SECS: starts "sleep SECS" in a session of its own (out of the
# run's process group), then prints a loss per row.
setsid sleep "$1" &
read -r header
while read -r row; do
	echo 1
done
