#!/bin/sh
# Prints the loss ${LOSS:-1} for every schedule row it reads (header skipped).
read -r header
while read -r row; do
	echo "${LOSS:-1}"
done
