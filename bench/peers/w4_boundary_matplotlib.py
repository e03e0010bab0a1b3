"""W4 peer: the trained W3 network (weights from `handout-bench w3 --save`) on a 500 x 500 grid in
numpy, drawn with matplotlib contourf plus the 0.5 contour and the data, written as a 500 x 500 PNG."""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from common import load_weights, spirals  # noqa: E402

weights, out = sys.argv[1], sys.argv[2]
g = 500
xs = np.linspace(-6, 6, g)
gx, gy = np.meshgrid(xs, xs)
A = np.column_stack([gx.ravel(), gy.ravel()])
for W, b, act in load_weights(weights):
    Z = A @ W + b
    A = np.tanh(Z) if act == "tanh" else 1 / (1 + np.exp(-Z))
P = A[:, 0].reshape(g, g)
X, y = spirals(1000)
fig, ax = plt.subplots(figsize=(5, 5), dpi=100)
ax.contourf(gx, gy, P, levels=20, cmap="RdBu_r")
ax.contour(gx, gy, P, levels=[0.5], colors="black", linewidths=2)
ax.scatter(X[:, 0], X[:, 1], c=y[:, 0], cmap="RdBu_r", s=4, edgecolors="none")
ax.set(xlabel="x1", ylabel="x2", title="Decision boundary")
fig.savefig(out)
print(f"wrote {out}, {g} x {g} grid")
