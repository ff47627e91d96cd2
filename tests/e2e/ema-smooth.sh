# ema-smooth end-to-end tests.

t 'debias, beta .6 (REFERENCE 3)' 0 \
    'printf "loss\n3\n1\n4\n" | ema-smooth -b .6' <<'EOF2'
loss,loss_smooth
3,3
1,1.7499999999999998
4,2.8979591836734695
EOF2
