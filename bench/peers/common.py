"""What the Python peers share: the W3 data, the weights file and the W6 data, as the Swift side makes them."""
import math

import numpy as np


def spirals(n=1000):
    """Dataset.spirals(n: 1000, noise: 0): per class m = n/2 points, r = 5i/m,
    t = 1.75 * 2 pi i/m + delta (0 or pi), point (r sin t, r cos t); labels 0 then 1."""
    m = n // 2
    X, y = [], []
    for k, delta in ((0, 0.0), (1, math.pi)):
        count = m if k == 0 else n - m
        i = np.arange(count, dtype=np.float64)
        r = 5 * i / count
        t = 1.75 * 2 * math.pi * i / count + delta
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(count, float(k)))
    return np.vstack(X), np.concatenate(y)[:, None]


def load_weights(path):
    """The text `handout-bench w3 --save` writes: per layer `in out activation`, W row by row, b."""
    with open(path) as f:
        lines = f.read().split("\n")
    layers = []
    for k in range(0, len(lines) - 2, 3):
        n_in, n_out, act = lines[k].split()
        W = np.array(lines[k + 1].split(), dtype=np.float64).reshape(int(n_in), int(n_out))
        b = np.array(lines[k + 2].split(), dtype=np.float64)
        layers.append((W, b, act))
    return layers


def synthetic_images(rng, n=20000, q=784, k=10):
    """W6's data: ten random prototypes in [0, 1]^784, each sample its class's prototype plus
    U(-0.5, 0.5) per pixel; labels i mod 10."""
    prototypes = rng.random((k, q))
    labels = np.arange(n) % k
    X = prototypes[labels] + rng.random((n, q)) - 0.5
    return X, labels
