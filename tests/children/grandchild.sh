#!/bin/sh
# Leaves a grandchild holding stdout open for 5 seconds, then does its job.
sleep 5 &
read -r header
while read -r row; do
	echo 1
done
