# The sweep-run child protocol in PyTorch: one lr per schedule row on stdin,
# one loss per line on stdout.  Run it with: sweep-run -- python3 torch_train.py
# Arguments: [SEED] [--adam] [--print-val]; with --adam the optimizer is Adam,
# not SGD with momentum 0.9; with --print-val the losses are the column
# loss of CSV under loss,val_loss, and the loss on held-out rows follows the
# schedule's end as a last row ",VAL" (the protocol's final evaluation).
# A momentum column (sweep-run feeds 1cycle's) sets each step's momentum:
# SGD's momentum, Adam's beta1.
import sys
import torch

args = [a for a in sys.argv[1:] if not a.startswith("--")]
print_val = "--print-val" in sys.argv[1:]
torch.manual_seed(int(args[0]) if args else 0)
x = torch.randn(512, 20)
w = torch.randn(20, 1)
y = (x @ w + 0.1 * torch.randn(512, 1)).squeeze(1)
model = torch.nn.Sequential(torch.nn.Linear(20, 32), torch.nn.ReLU(),
                            torch.nn.Linear(32, 1))
if "--adam" in sys.argv[1:]:
    opt = torch.optim.Adam(model.parameters(), lr=0.0)
else:
    opt = torch.optim.SGD(model.parameters(), lr=0.0, momentum=0.9)
held_out = torch.Generator().manual_seed(12345)   # its own random stream
x_val = torch.randn(128, 20, generator=held_out)  # never trained on
y_val = (x_val @ w + 0.1 * torch.randn(128, 1, generator=held_out)).squeeze(1)
if print_val:
    print("loss,val_loss", flush=True)
cols = sys.stdin.readline().strip().split(",")  # step,lr[,momentum]
for line in sys.stdin:                      # one row per optimizer step
    row = dict(zip(cols, map(float, line.split(","))))
    for group in opt.param_groups:
        group["lr"] = row["lr"]
        if "momentum" in row and "betas" in group:   # Adam: beta1
            group["betas"] = (row["momentum"], group["betas"][1])
        elif "momentum" in row:                      # SGD
            group["momentum"] = row["momentum"]
    batch = torch.randint(0, 512, (64,))
    loss = torch.nn.functional.mse_loss(model(x[batch]).squeeze(1), y[batch])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item(), flush=True)          # one loss per line
if print_val:
    with torch.no_grad():
        val = torch.nn.functional.mse_loss(model(x_val).squeeze(1), y_val)
    print(f",{val.item()}", flush=True)     # after the schedule: held out
