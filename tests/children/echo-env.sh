#!/bin/sh
# Prints, for each row, the value of the variable named by $1 as the loss
# and its arguments on stderr once.
echo "args: $*" >&2
read -r header
while read -r row; do
	eval "echo \"\$$1\""
done
