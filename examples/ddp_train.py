# The sweep-run child protocol under data-parallel training (DDP) on the
# CPU: torch.distributed with the gloo backend.  Rank 0 reads the schedule
# on stdin and broadcasts each lr, every rank trains on its shard of the
# batch (DistributedDataParallel averages the gradients), the loss is
# all-reduced and rank 0 prints it, one line per schedule row.
#
#   sweep-run -- python3 ddp_train.py --nproc 2 [seed]
#	rank 0 is the process sweep-run started; it starts ranks 1..N-1
#	itself, in its process group, and they die with it.
#   torchrun --nproc_per_node 2 ddp_train.py [seed]
#   srun --ntasks 2 --input 0 python3 ddp_train.py [seed]
#	a launcher starts every rank: RANK (or SLURM_PROCID), WORLD_SIZE
#	(or SLURM_NTASKS), MASTER_ADDR and MASTER_PORT say where rank 0 is.
import argparse
import ctypes
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta


def die_with_parent(parent):
    """A rank started by rank 0 ends when rank 0 ends, however it ends:
    SIGKILL from the kernel when it goes (Linux), and, anywhere, exit at
    the end of the pipe rank 0 holds open on this rank's stdin."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)      # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:                      # gone before prctl
        os._exit(1)

    def watch():
        while os.read(0, 512):
            pass
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


# Before the second it takes to import torch, so that a rank 0 killed at
# once does not leave this rank behind, waiting for it.
if "LRKIT_DDP_PARENT" in os.environ:
    die_with_parent(int(os.environ["LRKIT_DDP_PARENT"]))

import torch                                        # noqa: E402
import torch.distributed as dist                    # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402

TIMEOUT = timedelta(seconds=60)     # a rank that never connects


def options():
    p = argparse.ArgumentParser(
        prog="ddp_train.py",
        description="The range test under DDP: the schedule on stdin, "
        "one loss per row on stdout.")
    p.add_argument("--nproc", type=int, metavar="N",
                   help="start N ranks in all, this one rank 0 (the "
                   "default when no launcher started it: 2)")
    p.add_argument("seed", type=int, nargs="?", default=0)
    args = p.parse_args()
    if args.nproc is not None and args.nproc < 1:
        p.error("--nproc: %d: must be at least 1" % args.nproc)
    return args.nproc, args.seed


def start(nproc, seed):
    """Join the process group; return (rank, world size, workers)."""
    env = os.environ
    if "LRKIT_DDP_PARENT" in env:                   # started by rank 0
        rank, world = int(env["LRKIT_DDP_RANK"]), int(env["LRKIT_DDP_WORLD"])
        store = dist.TCPStore("127.0.0.1", int(env["LRKIT_DDP_PORT"]),
                              world, False, TIMEOUT)
        dist.init_process_group("gloo", store=store, rank=rank,
                                world_size=world, timeout=TIMEOUT)
        return rank, world, []
    if nproc is None and "MASTER_ADDR" in env:      # a launcher's rank
        rank = int(env.get("RANK", env.get("SLURM_PROCID", "0")))
        world = int(env.get("WORLD_SIZE", env.get("SLURM_NTASKS", "1")))
        dist.init_process_group("gloo", init_method="env://", rank=rank,
                                world_size=world, timeout=TIMEOUT)
        return rank, world, []
    world = nproc if nproc is not None else 2
    # All ranks on this machine: gloo on the loopback, whatever the host
    # name resolves to (the workers inherit it).
    if sys.platform.startswith("linux"):
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    store = dist.TCPStore("127.0.0.1", 0, world, True, TIMEOUT,
                          wait_for_workers=False)
    workers = []
    for rank in range(1, world):
        wenv = dict(env, LRKIT_DDP_RANK=str(rank), LRKIT_DDP_WORLD=str(world),
                    LRKIT_DDP_PORT=str(store.port),
                    LRKIT_DDP_PARENT=str(os.getpid()))
        # Their stdout is rank 0's stderr: only rank 0 prints losses.
        workers.append(subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), str(seed)],
            env=wenv, stdin=subprocess.PIPE, stdout=2))
    dist.init_process_group("gloo", store=store, rank=0, world_size=world,
                            timeout=TIMEOUT)
    return 0, world, workers


def main():
    signal.signal(signal.SIGINT, signal.SIG_DFL)    # Ctrl-C: die quietly
    nproc, seed = options()
    rank, world, workers = start(nproc, seed)

    torch.manual_seed(seed)                         # the same on every rank
    x = torch.randn(1024, 20)
    y = (x @ torch.randn(20, 1) + 0.1 * torch.randn(1024, 1)).squeeze(1)
    model = DistributedDataParallel(torch.nn.Sequential(
        torch.nn.Linear(20, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1)))
    opt = torch.optim.SGD(model.parameters(), lr=0.0, momentum=0.9)
    batches = torch.Generator().manual_seed(seed)

    if rank == 0:
        cols = sys.stdin.readline().strip().split(",")  # step,lr[,momentum]
        lr_col = cols.index("lr")
        mom_col = cols.index("momentum") if "momentum" in cols else None
    step = torch.zeros(3, dtype=torch.float64)      # go on?, lr, momentum
    while True:
        if rank == 0:
            line = sys.stdin.readline()
            step.zero_()
            if line.strip():
                row = line.split(",")
                step[0] = 1
                step[1] = float(row[lr_col])
                step[2] = float(row[mom_col]) if mom_col is not None else -1
        dist.broadcast(step, 0)
        if step[0] == 0:
            break
        for group in opt.param_groups:
            group["lr"] = step[1].item()
            if step[2] >= 0:
                group["momentum"] = step[2].item()
        # One global batch of 64, the same on every rank; each its share
        # (when N divides 64, the numbers of one process on the whole).
        batch = torch.randint(0, len(x), (64,), generator=batches)
        mine = batch[rank::world]
        loss = torch.nn.functional.mse_loss(model(x[mine]).squeeze(1),
                                            y[mine])
        opt.zero_grad()
        loss.backward()                             # gradients averaged
        opt.step()
        total = loss.detach().clone()
        dist.all_reduce(total)
        if rank == 0:
            print(total.item() / world, flush=True)  # one loss per line

    if rank != 0:
        # A worker's part is done: leave without the group's teardown,
        # which can wait on a rank 0 that has already left it.
        sys.stdout.flush()
        os._exit(0)
    dist.destroy_process_group()
    status = 0
    for w in workers:
        status = w.wait() or status
    sys.exit(status)


if __name__ == "__main__":
    main()
