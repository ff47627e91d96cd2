#!/bin/sh
# Writes 2 MB of log lines before it reads anything, then a loss per row.
yes "a log line of the child, printed before it reads anything" | head -n 40000
read -r header
while read -r row; do
	echo 1
done
