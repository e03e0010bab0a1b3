// HandoutKit is what notebook code imports: `show`, expectations, published values, and the
// neural-network figures built from `Neural` and `Plot`. Re-exporting them, and `RCompat` (R's
// random numbers, `lm`, R's number formatting), lets a notebook write `import HandoutKit` once and
// use matrices, layers, charts and the R lectures' arithmetic directly.
@_exported import Neural
@_exported import Plot
@_exported import RCompat
