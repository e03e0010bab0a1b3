// HandoutKit is what notebook code imports: `show`, expectations, published values, and the
// neural-network figures built from `Neural` and `Plot`. Re-exporting both lets a notebook
// write `import HandoutKit` once and use matrices, layers and charts directly.
@_exported import Neural
@_exported import Plot
