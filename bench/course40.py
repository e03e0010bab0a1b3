#!/usr/bin/env python3
"""Writes a generated course of N notebooks (default 40) for `make bench`'s W7 (bench/README.md).

Each notebook is a small lecture as a course has them: front matter, prose with inline math and an
inline value, a display formula, a swift block that trains a small network with its own seed, an
expectation, a loss-curve figure and a table. Deterministic:
the same files for the same N.

usage: bench/course40.py DIR [N]
"""
import os
import sys

TEMPLATE = """---
title: Lecture {i} — a {width}-unit layer on {data}
course: Generated course (bench W7)
---

# Setting

Lecture {i} trains a $2 \\to {width} \\to 1$ network on the {data} data with Adam, step size
$\\gamma = {gamma}$, for {epochs} epochs. The loss is the binary cross-entropy

$$L = -\\frac{{1}}{{n}} \\sum_{{i=1}}^n y_i \\log \\hat y_i + (1 - y_i) \\log(1 - \\hat y_i).$$

Edit marker 0.

```swift id=train
var rng = SeededRandom(seed: {seed})
let data = Dataset.{dataset}
var net = Sequential(sizes: [2, {width}, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
var adam = Adam(gamma: {gamma})
let history = try net.train(on: data, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: {epochs}))
let marker = 0
print("final loss", RFormat.format(history.finalLoss!, digits: 3))
```

After training, the network classifies `swift data.accuracy(of: net)` of the points correctly.

```swift id=curve echo=false
expect(history.finalLoss! < history.losses[0], equals: true)
show(lossCurve(history, logScale: true), caption: "Loss per epoch, lecture {i}.")
```

| quantity | value |
| --- | --- |
| width | {width} |
| epochs | {epochs} |
| step size | {gamma} |
"""


def write_course(directory, n=40):
    os.makedirs(directory, exist_ok=True)
    sets = [("XOR", "xor"), ("AND", "and"), ("OR", "or")]
    for i in range(1, n + 1):
        name, dataset = sets[i % len(sets)]
        text = TEMPLATE.format(i=i, width=2 + i % 7, data=name, dataset=dataset, gamma=0.05,
                               epochs=100 + 10 * (i % 5), seed=1000 + i)
        with open(os.path.join(directory, f"lecture-{i:02d}.md"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    write_course(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
