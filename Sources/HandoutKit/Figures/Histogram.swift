// Distributions of activations or gradients, one per layer.
import Foundation

/// How several distributions share a figure.
public enum HistogramLayout: Sendable, Equatable {
  /// One panel per series, stacked, all on the same x range (small multiples).
  case panels
  /// All series in one panel, translucent, in series colours.
  case overlaid
}

/// Histograms of `series` (e.g. each layer's activations or gradients) in `bins` equal bins.
///
/// All series share one bin range (`range`, or the smallest to largest finite value of all of
/// them), so panels compare. Non-finite values are left out (and counted in the alt text).
/// - Precondition: at least one series; `bins ≥ 1`.
public func histogram(
  _ series: [(label: String, values: [Double])], bins: Int = 30, range: ClosedRange<Double>? = nil,
  layout: HistogramLayout = .panels, xLabel: String = "value", yLabel: String = "count",
  title: String? = nil, width: Double = 560, height: Double? = nil
) -> Figure {
  precondition(!series.isEmpty, "histogram: no series")
  precondition(bins >= 1, "histogram: bins must be at least 1")
  let all = series.flatMap(\.values)
  let finite = all.filter(\.isFinite)
  var shared = range ?? ((finite.min() ?? 0)...(finite.max() ?? 1))
  if shared.upperBound <= shared.lowerBound {
    shared = (shared.lowerBound - 0.5)...(shared.upperBound + 0.5)
  }
  let stacked = layout == .panels && series.count > 1
  let figure = Figure(
    width: width,
    height: height ?? (stacked ? Double(series.count) * 150 + (title == nil ? 10 : 34) : 400),
    rows: stacked ? series.count : 1, columns: 1)
  figure.title = title
  for (i, s) in series.enumerated() {
    let ax = stacked ? figure.panels[i] : figure.axes
    let color = Palette.series(i)
    ax.xLimits = shared
    ax.yLabel = yLabel
    if stacked {
      ax.title = s.label
      ax.legend = .hidden
      if i == series.count - 1 { ax.xLabel = xLabel }
      ax.histogram(s.values, bins: bins, range: shared, fill: color)
    } else {
      ax.xLabel = xLabel
      let label: String? = series.count > 1 || !s.label.isEmpty ? s.label : nil
      ax.histogram(
        s.values, bins: bins, range: shared, label: label,
        fill: series.count > 1 ? color.withAlpha(0.45) : color)
    }
  }
  let dropped = all.count - finite.count
  figure.altText =
    "Histogram\(series.count > 1 ? "s" : "") of \(xLabel) for "
    + series.map { "\($0.label) (\($0.values.count) values)" }.joined(separator: ", ")
    + ", \(bins) bins from \(FigureText.number(shared.lowerBound)) to \(FigureText.number(shared.upperBound))"
    + (stacked ? ", one panel each on the same x axis" : series.count > 1 ? ", overlaid" : "")
    + (dropped > 0 ? "; \(dropped) non-finite values left out." : ".")
  return figure
}

/// Histograms of every layer's activations of `network` on the inputs `X` (small multiples,
/// `L1 (tanh)`, …, `output (sigmoid)`), e.g. to see tanh units saturate at ±1.
public func activationHistograms(
  network: Sequential, inputs X: Matrix, bins: Int = 30, layout: HistogramLayout = .panels,
  title: String? = nil
) -> Figure {
  let outputs = network.activations(X).dropFirst()
  let L = network.layers.count
  let series = zip(network.layers.indices, outputs).map { l, A in
    (
      label: l == L - 1
        ? "output (\(network.layers[l].activation))" : "L\(l + 1) (\(network.layers[l].activation))",
      values: A.storage
    )
  }
  let figure = histogram(series, bins: bins, layout: layout, xLabel: "activation", title: title)
  figure.altText =
    "Activations of \(FigureText.network(network)) on \(X.rows) inputs. " + (figure.altText ?? "")
  return figure
}
