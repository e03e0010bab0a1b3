// Plot: charts in general (figures, axes, ticks, series, heatmaps, contours, legends, colour maps),
// written to PNG, SVG and PDF through Cairo. Knows nothing about neural networks.
