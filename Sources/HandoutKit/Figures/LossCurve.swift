// Loss per epoch: training and validation, one run or several overlaid.
import Foundation

/// Training (solid) and validation (dashed) loss per epoch of several runs, e.g. to compare
/// learning rates or optimisers.
///
/// With one run, training is the first series colour (blue) and validation the second
/// (vermillion); with several, each run has its own colour and training/validation differ by
/// dash. Where early stopping kept the weights of `History.bestEpoch`, a black diamond marks
/// that epoch's monitored loss (validation if recorded, else training) and a dotted line its
/// epoch. The x axis has whole-number epoch ticks; the y label names the loss and says
/// "(log scale)" when `logScale` is set. Non-finite losses (a diverged run) break the line.
///
/// - Parameters:
///   - runs: each run's legend label and its `History`.
///   - lossName: what the y axis shows, e.g. "binary cross-entropy" (a `Loss`'s description).
///   - logScale: a base-10 logarithmic y axis (losses that fall over decades).
///   - showValidation: draw validation losses where the history has them.
///   - title: the figure's title, if any.
///   - width: the figure's width in points.
///   - height: the figure's height in points.
/// - Precondition: at least one run.
public func lossCurve(
  runs: [(label: String, history: History)], lossName: String = "loss", logScale: Bool = false,
  showValidation: Bool = true, title: String? = nil, width: Double = 640, height: Double = 400
) -> Figure {
  precondition(!runs.isEmpty, "lossCurve: no runs to draw")
  let figure = Figure(width: width, height: height)
  figure.title = title
  let ax = figure.axes
  ax.x.integerTicks = true
  ax.xLabel = "epoch"
  ax.yLabel = logScale ? "\(lossName) (log scale)" : lossName
  if logScale { ax.yScale = .log10 }
  ax.legend = .best

  let single = runs.count == 1
  let validated =
    showValidation && runs.contains(where: { $0.history.epochs.contains { $0.validationLoss != nil } })
  var kept: [String] = []
  for (r, run) in runs.enumerated() {
    let epochs = run.history.epochs.map { Double($0.epoch) }
    let trainColor = single ? Palette.series(0) : Palette.series(r)
    let validationColor = single ? Palette.series(1) : Palette.series(r)
    let name = single ? "" : "\(run.label) · "
    // Runs without validation losses are named alone: "· training" on every entry only widened
    // the legend (deck 05's optimisers, 02's learning rates).
    ax.line(
      x: epochs, y: run.history.epochs.map(\.loss),
      label: single || validated ? name + "training" : run.label,
      color: trainColor, width: 1.6)
    let validation = run.history.epochs.map { $0.validationLoss ?? .nan }
    if showValidation && validation.contains(where: { !$0.isNaN }) {
      ax.line(
        x: epochs, y: validation, label: name + "validation", color: validationColor, width: 1.6,
        dash: Dash.dashed)
    }
    if let best = run.history.bestEpoch,
      let record = run.history.epochs.first(where: { $0.epoch == best })
    {
      let value = record.validationLoss ?? record.loss
      ax.verticalLine(x: Double(best), style: LineStyle(color: Palette.grey, width: 0.8, dash: Dash.dotted))
      ax.scatter(
        x: [Double(best)], y: [value], label: kept.isEmpty ? "kept (early stopping)" : nil,
        style: MarkerStyle(shape: .diamond, radius: 4, fill: .black, edge: .white, edgeWidth: 0.8))
      kept.append(single ? "epoch \(best)" : "\(run.label): epoch \(best)")
    }
  }

  let longest = runs.map { $0.history.epochs.count }.max() ?? 0
  var alt =
    single
    ? "Loss curve: \(lossName) per epoch over \(longest) epochs, training solid"
    : "Loss curves of \(runs.count) runs (\(runs.map(\.label).joined(separator: ", "))): \(lossName) per epoch, training solid"
  if validated { alt += ", validation dashed" }
  if logScale { alt += ", log scale" }
  if !kept.isEmpty { alt += "; early stopping kept " + kept.joined(separator: ", ") }
  if single, let last = runs[0].history.finalLoss {
    alt += "; final training loss \(FigureText.number(last))"
  }
  figure.altText = alt + "."
  return figure
}

/// The loss curve of one training run; see `lossCurve(runs:…)`.
public func lossCurve(
  _ history: History, lossName: String = "loss", logScale: Bool = false, showValidation: Bool = true,
  title: String? = nil, width: Double = 640, height: Double = 400
) -> Figure {
  lossCurve(
    runs: [("", history)], lossName: lossName, logScale: logScale, showValidation: showValidation,
    title: title, width: width, height: height)
}
