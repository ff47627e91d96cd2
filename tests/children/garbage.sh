#!/bin/sh
# Mixes losses with log lines, blank lines, CSV and missing values.
read -r header
read -r row; echo "epoch 1 starting"; echo; echo " 2.5 "
read -r row; echo "loss,acc"; echo "2.25,0.5"
read -r row; echo ",0.6"; echo "NA,0.7"; echo "abc,0.8"; echo '"2",0.9'
read -r row; printf '1.5\r\n'
read -r row; echo "nonsense 7"; echo 1e0; echo 0.5
cat > /dev/null
