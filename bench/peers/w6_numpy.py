"""W6 peer in numpy: 784-256-10 ReLU/softmax, categorical cross-entropy fused with softmax, hand-written
backprop, mini-batch SGD (gamma 0.1, batch 64, shuffled each epoch), 5 epochs over 20000 synthetic
samples, float64 like Neural."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import synthetic_images  # noqa: E402

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
rng = np.random.default_rng(6)
X, labels = synthetic_images(rng)
n, k = len(X), 10
Y = np.eye(k)[labels]
W1 = rng.normal(0, np.sqrt(2 / 784), (784, 256)); b1 = np.zeros(256)
W2 = rng.normal(0, np.sqrt(2 / 256), (256, k)); b2 = np.zeros(k)
gamma, m = 0.1, 64
for epoch in range(epochs):
    order = rng.permutation(n)
    loss_sum = correct = 0
    for s in range(0, n, m):
        idx = order[s:s + m]
        x, y = X[idx], Y[idx]
        Z1 = x @ W1 + b1
        A1 = np.maximum(Z1, 0)
        Z2 = A1 @ W2 + b2
        Z2 = Z2 - Z2.max(1, keepdims=True)
        E = np.exp(Z2)
        P = E / E.sum(1, keepdims=True)
        loss_sum += np.sum(y * (np.log(E.sum(1, keepdims=True)) - Z2))
        correct += np.sum(P.argmax(1) == labels[idx])
        dZ2 = (P - y) / len(idx)
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        W2 -= gamma * (A1.T @ dZ2); b2 -= gamma * dZ2.sum(0)
        W1 -= gamma * (x.T @ dZ1); b1 -= gamma * dZ1.sum(0)
print(f"accuracy {correct / n:.4f} loss {loss_sum / n:.6f} epochs {epochs}")
