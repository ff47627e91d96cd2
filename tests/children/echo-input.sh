#!/bin/sh
# Copies what it reads to stderr; a loss of 1 per row after the header.
read -r header
echo "header: $header" >&2
while read -r row; do
	echo "row: $row" >&2
	echo 1
done
