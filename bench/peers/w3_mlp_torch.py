"""W3 peer in PyTorch (CPU, float64 like Neural): 2-16-16-1 tanh/sigmoid, BCEWithLogitsLoss, autograd,
full-batch Adam written out with Neural.Adam's formula (eps inside the square root; torch.optim.Adam
puts it outside), 2000 epochs. One intra-op thread: on 1000x16 matrices a second thread only adds
synchronisation, and on a busy 2-core machine its spin-waiting made a run take minutes."""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import spirals  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
torch.manual_seed(42)
Xn, Yn = spirals(1000)
X, Y = torch.from_numpy(Xn), torch.from_numpy(Yn)
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def glorot(layer):
    a = math.sqrt(6 / (layer.in_features + layer.out_features))
    torch.nn.init.uniform_(layer.weight, -a, a)
    torch.nn.init.zeros_(layer.bias)
    return layer


net = torch.nn.Sequential(
    glorot(torch.nn.Linear(2, 16)), torch.nn.Tanh(),
    glorot(torch.nn.Linear(16, 16)), torch.nn.Tanh(),
    glorot(torch.nn.Linear(16, 1)))
lossf = torch.nn.BCEWithLogitsLoss()
params = list(net.parameters())
M = [torch.zeros_like(p) for p in params]
V = [torch.zeros_like(p) for p in params]
gamma, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-8
for t in range(1, epochs + 1):
    for p in params:
        p.grad = None
    loss = lossf(net(X), Y)
    loss.backward()
    c1, c2 = 1 - beta1**t, 1 - beta2**t
    with torch.no_grad():
        for p, m, v in zip(params, M, V):
            m.mul_(beta1).add_(p.grad, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
            p.sub_(gamma * (m / c1) / torch.sqrt(v / c2 + eps))

with torch.no_grad():
    accuracy = ((torch.sigmoid(net(X)) >= 0.5) == (Y >= 0.5)).double().mean().item()
print(f"accuracy {accuracy:.4f} loss {loss.item():.6f} epochs {epochs} threads {torch.get_num_threads()}")
