// Neural: matrices, layers, activations, losses, optimisers, the training loop, datasets,
// seeded random numbers (R-compatible too) and ordinary least squares. Foundation only.
