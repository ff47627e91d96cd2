# The sweep-run child protocol in PyTorch: one lr per schedule row on stdin,
# one loss per line on stdout.  Run it with: sweep-run -- python3 torch_train.py
import sys
import torch

torch.manual_seed(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
x = torch.randn(512, 20)
y = (x @ torch.randn(20, 1) + 0.1 * torch.randn(512, 1)).squeeze(1)
model = torch.nn.Sequential(torch.nn.Linear(20, 32), torch.nn.ReLU(),
                            torch.nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.0, momentum=0.9)
sys.stdin.readline()                        # the header: step,lr
for line in sys.stdin:                      # one row per optimizer step
    for group in opt.param_groups:
        group["lr"] = float(line.split(",")[1])
    batch = torch.randint(0, 512, (64,))
    loss = torch.nn.functional.mse_loss(model(x[batch]).squeeze(1), y[batch])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item(), flush=True)          # one loss per line
