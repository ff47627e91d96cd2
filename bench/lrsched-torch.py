"""lrsched's peer: the loop a PyTorch user writes to print a schedule.

usage: python3 bench/lrsched-torch.py exp|cosine|onecycle N

Prints step,lr for N steps of ExponentialLR(gamma=1-1e-6),
CosineAnnealingLR(T_max=N) or OneCycleLR(max_lr=0.1, total_steps=N) on an
SGD optimizer with base lr 0.1, reading each lr with get_last_lr() (the
same schedules as the lrsched commands in bench/bench-lrsched.sh).  The
loop calls no optimizer.step(): there is nothing to train, and leaving it
out only makes the loop faster (the warning about the order is silenced).
"""
import sys
import warnings

import torch

warnings.filterwarnings("ignore")


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    sch = torch.optim.lr_scheduler
    if kind == "exp":
        s = sch.ExponentialLR(opt, gamma=1 - 1e-6)
    elif kind == "cosine":
        s = sch.CosineAnnealingLR(opt, T_max=n)
    elif kind == "onecycle":
        s = sch.OneCycleLR(opt, max_lr=0.1, total_steps=n)
    else:
        sys.exit("lrsched-torch.py: %s: no such schedule" % kind)
    w = sys.stdout.write
    w("step,lr\n")
    for i in range(n):
        w("%d,%r\n" % (i, s.get_last_lr()[0]))
        if i < n - 1:
            s.step()


main()
