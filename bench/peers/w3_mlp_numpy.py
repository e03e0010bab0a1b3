"""W3 peer in numpy with hand-written backprop: 2-16-16-1 tanh/sigmoid, binary cross-entropy fused
with the sigmoid, full-batch Adam with Neural.Adam's formula (eps inside the square root:
W -= gamma / sqrt(Vhat + eps) * Mhat), 2000 epochs, float64."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import spirals  # noqa: E402

X, Y = spirals(1000)
n = len(X)
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
rng = np.random.default_rng(42)
sizes = [2, 16, 16, 1]
params = []
for i, o in zip(sizes, sizes[1:]):
    a = np.sqrt(6 / (i + o))
    params += [rng.uniform(-a, a, (i, o)), np.zeros(o)]
M = [np.zeros_like(p) for p in params]
V = [np.zeros_like(p) for p in params]
gamma, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-8


def forward(X, params):
    W1, b1, W2, b2, W3, b3 = params
    A1 = np.tanh(X @ W1 + b1)
    A2 = np.tanh(A1 @ W2 + b2)
    Z3 = A2 @ W3 + b3
    return A1, A2, Z3, 1 / (1 + np.exp(-Z3))


for t in range(1, epochs + 1):
    W1, b1, W2, b2, W3, b3 = params
    A1, A2, Z3, A3 = forward(X, params)
    loss = np.mean(np.maximum(Z3, 0) - Z3 * Y + np.log1p(np.exp(-np.abs(Z3))))
    dZ3 = (A3 - Y) / n
    dZ2 = (dZ3 @ W3.T) * (1 - A2 * A2)
    dZ1 = (dZ2 @ W2.T) * (1 - A1 * A1)
    grads = [X.T @ dZ1, dZ1.sum(0), A1.T @ dZ2, dZ2.sum(0), A2.T @ dZ3, dZ3.sum(0)]
    c1, c2 = 1 - beta1**t, 1 - beta2**t
    for p, g, m, v in zip(params, grads, M, V):
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        p -= gamma / np.sqrt(v / c2 + eps) * (m / c1)

accuracy = np.mean((forward(X, params)[3] >= 0.5) == (Y >= 0.5))
print(f"accuracy {accuracy:.4f} loss {loss:.6f} epochs {epochs}")
