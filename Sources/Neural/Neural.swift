// Neural: matrices, layers, activations, losses, optimisers, the training loop, datasets and
// seeded random numbers, written as the lecture writes them. Foundation only (and the vector kernels).
// R's random numbers, `lm` and R's number formatting live in RCompat, which builds on this module.
