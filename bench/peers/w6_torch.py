"""W6 peer in PyTorch (CPU): 784-256-10 ReLU/softmax, CrossEntropyLoss, autograd, mini-batch SGD
(gamma 0.1, batch 64, shuffled each epoch), 5 epochs over 20000 synthetic samples.
`--float32` runs in PyTorch's default single precision; without it float64, like Neural."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import synthetic_images  # noqa: E402

f32 = "--float32" in sys.argv
dtype = torch.float32 if f32 else torch.float64
torch.set_default_dtype(dtype)
torch.manual_seed(6)
epochs = 5
X, labels = synthetic_images(np.random.default_rng(6))
X, labels = torch.from_numpy(X).to(dtype), torch.from_numpy(labels)
n = len(X)
net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
for layer in (net[0], net[2]):
    torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    torch.nn.init.zeros_(layer.bias)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
lossf = torch.nn.CrossEntropyLoss()
for epoch in range(epochs):
    order = torch.randperm(n)
    loss_sum = 0.0
    correct = 0
    for s in range(0, n, 64):
        idx = order[s:s + 64]
        out = net(X[idx])
        loss = lossf(out, labels[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(idx)
        correct += (out.argmax(1) == labels[idx]).sum().item()
print(f"accuracy {correct / n:.4f} loss {loss_sum / n:.6f} epochs {epochs} "
      f"{'float32' if f32 else 'float64'} threads {torch.get_num_threads()}")
