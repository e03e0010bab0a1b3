// Plot: charts in general (figures, axes, ticks, series, heatmaps, contours, legends, colour maps),
// written to PNG, SVG and PDF through Cairo. Knows nothing about neural networks.
//
// Map of the module:
// - Figure.swift       figure, panels, output (`write(to:)`, `data(_:)`, `raster()`)
// - Axes.swift         the panel API: series, heatmaps, contours, text, shapes
// - Layout.swift       limits, ticks and margins of a panel (pure Swift, measures text only)
// - Axes+Render.swift  drawing of a laid-out panel
// - Ticks.swift        extended Wilkinson ticks, log ticks, labels
// - Color.swift        every colour value: palette, viridis, cividis, diverging maps
// - Grid.swift         sampled grids and marching-squares contours
// - CairoCanvas.swift  the only file with Cairo calls
// - SVGIdentifiers.swift  stable per-figure ids in SVG output
