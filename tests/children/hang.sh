#!/bin/sh
# Ignores SIGTERM, prints one loss, then hangs: only SIGKILL ends it.
trap '' TERM
read -r header
read -r row
echo 1
while :; do sleep 1; done
