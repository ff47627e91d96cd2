#!/bin/sh
# Prints two losses and exits 0 before the schedule ends.
read -r header
read -r row; echo 1
read -r row; echo 2
exit 0
