"""W1 peer in numpy: the lecture's single neuron, vectorised as the R code is."""
import numpy as np

d = np.array([0.0, 0, 1, 1])
x1 = np.array([0.0, 0, 1, 1])
x2 = np.array([0.0, 1, 0, 1])


def phi(x):
    return 1 / (1 + np.exp(-x))


mu, n_epochs = 0.1, 10000
w1, w2 = 0.1, 0.5
E = np.empty(n_epochs)
for epoch in range(n_epochs):
    y = phi(w1 * x1 + w2 * x2 - 3)
    E[epoch] = (1 / (2 * len(d))) * np.sum((d - y) ** 2)
    dE_dw1 = -(1 / len(d)) * np.sum((d - y) * y * (1 - y) * x1)
    dE_dw2 = -(1 / len(d)) * np.sum((d - y) * y * (1 - y) * x2)
    w1 = w1 - mu * dE_dw1
    w2 = w2 - mu * dE_dw2
print(y)
