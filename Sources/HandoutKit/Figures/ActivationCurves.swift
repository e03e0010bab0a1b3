// Activation functions and their derivatives in small multiples: why sigmoid and tanh
// gradients vanish and ReLU's do not.
import Foundation

/// The activations the lecture compares: sigmoid, tanh, ReLU, LeakyReLU(0.1), softplus, identity.
public let defaultActivations: [any ElementwiseActivation] = [
  Sigmoid(), Tanh(), ReLU(), LeakyReLU(slope: 0.1), Softplus(), Identity(),
]

/// One panel per activation: `f(z)` solid blue, `f′(z)` dashed vermillion over `domain`
/// (default [−5, 5]), with zero lines.
///
/// A jump of `f′` (ReLU and LeakyReLU at 0) is drawn as a break: the two pieces end at an open
/// circle (the one-sided limit) and a filled dot marks the value `df` gives at the jump.
/// A bounded activation (its `outputRange`) is annotated with its peak slope, `f′(0)`: σ′(0) = 0.25,
/// tanh′(0) = 1; softplus with softplus′ = σ, LeakyReLU with its slope for z < 0. The legend is in the first panel.
/// - Precondition: at least one activation; `columns ≥ 1`.
public func activationCurves(
  _ activations: [any ElementwiseActivation] = defaultActivations, domain: ClosedRange<Double> = -5...5,
  columns: Int = 3, title: String? = nil, width: Double? = nil, height: Double? = nil
) -> Figure {
  precondition(!activations.isEmpty, "activationCurves: no activations")
  precondition(columns >= 1, "activationCurves: columns must be at least 1")
  let cols = min(columns, activations.count)
  let rows = (activations.count + cols - 1) / cols
  let figure = Figure(
    width: width ?? Double(cols) * 240, height: height ?? Double(rows) * 210 + (title == nil ? 0 : 24),
    rows: rows, columns: cols)
  figure.title = title
  for (i, activation) in activations.enumerated() {
    drawActivation(activation, domain: domain, into: figure.panels[i], legend: i == 0)
  }
  for panel in figure.panels.dropFirst(activations.count) {
    panel.showAxes = false
  }
  figure.altText =
    "Activation functions and their derivatives on z from \(FigureText.number(domain.lowerBound)) to "
    + "\(FigureText.number(domain.upperBound)), one panel each: "
    + activations.map { "\($0)" }.joined(separator: ", ")
    + ". Solid: f(z); dashed: f′(z). Sigmoid′ peaks at 0.25 and tanh′ at 1, both vanish for large |z|; "
    + "ReLU′ jumps from 0 to 1 at z = 0."
  return figure
}

/// A function sampled on `domain`, cut into continuous pieces at its jumps.
struct Piecewise {
  /// Continuous pieces: NaN between two pieces breaks a line.
  var xs: [Double] = []
  var ys: [Double] = []
  /// Where the function jumps: position, left and right limits, and its value there.
  var jumps: [(z: Double, left: Double, right: Double, value: Double)] = []

  /// Samples `g` at `samples` points and finds jumps by bisection between neighbouring samples
  /// whose values differ by more than `threshold` times what the neighbouring steps suggest.
  init(_ g: (Double) -> Double, domain: ClosedRange<Double>, samples: Int = 401) {
    let n = max(samples, 3)
    let lo = domain.lowerBound
    let step = (domain.upperBound - lo) / Double(n - 1)
    let zs = (0..<n).map { lo + Double($0) * step }
    let vs = zs.map(g)
    let span = max((vs.filter(\.isFinite).max() ?? 1) - (vs.filter(\.isFinite).min() ?? 0), 1e-9)
    for i in 0..<n {
      if i > 0 {
        let d = abs(vs[i] - vs[i - 1])
        let before = i >= 2 ? abs(vs[i - 1] - vs[i - 2]) : 0
        let after = i + 1 < n ? abs(vs[i + 1] - vs[i]) : 0
        if d > 0.05 * span && d > 20 * max(before, after) {
          // Bisect down to float resolution for the jump's position.
          var a = zs[i - 1]
          var b = zs[i]
          for _ in 0..<60 {
            let m = (a + b) / 2
            if m == a || m == b { break }
            if abs(g(m) - vs[i - 1]) < abs(g(m) - vs[i]) { a = m } else { b = m }
          }
          // The jump is at the boundary between a and b; prefer a round position (0).
          let z = abs(a) < 1e-9 || abs(b) < 1e-9 ? 0 : b
          let left = g(z - 1e-9)
          let right = g(z + 1e-9)
          jumps.append((z, left, right, g(z)))
          xs += [z, .nan, z]
          ys += [left, .nan, right]
        }
      }
      xs.append(zs[i])
      ys.append(vs[i])
    }
  }
}

private func drawActivation(
  _ activation: any ElementwiseActivation, domain: ClosedRange<Double>, into ax: Axes, legend: Bool
) {
  ax.title = "\(activation)"
  ax.xLabel = "z"
  ax.xLimits = domain
  ax.horizontalLine(y: 0, style: LineStyle(color: Palette.grey, width: 0.7))
  ax.verticalLine(x: 0, style: LineStyle(color: Palette.grey, width: 0.7))
  let fColor = Palette.series(0)
  let dColor = Palette.series(1)
  let f = Piecewise({ activation.f($0) }, domain: domain)
  let df = Piecewise({ activation.df($0, activation.f($0)) }, domain: domain)
  ax.line(x: f.xs, y: f.ys, label: legend ? "f(z)" : nil, color: fColor, width: 1.8)
  ax.line(x: df.xs, y: df.ys, label: legend ? "f′(z)" : nil, color: dColor, width: 1.8, dash: Dash.dashed)
  for jump in df.jumps {
    for limit in [jump.left, jump.right] where abs(limit - jump.value) > 1e-12 {
      ax.circle(x: jump.z, y: limit, radius: 2.6, fill: .white, edge: dColor, edgeWidth: 1.2)
    }
    ax.circle(x: jump.z, y: jump.value, radius: 2.6, fill: dColor, edge: dColor, edgeWidth: 1)
  }
  ax.legend = legend ? .topLeft : .hidden

  func mark(_ y: Double, _ text: String, left: Bool) {
    ax.circle(x: 0, y: y, radius: 2.6, fill: dColor, edge: .white, edgeWidth: 0.8)
    ax.text(
      text, x: 0, y: y, size: 10, color: Theme.text, horizontal: left ? .right : .left,
      vertical: left ? .center : .bottom, offset: left ? (-9, 0) : (5, 3))
  }
  let range = activation.outputRange
  if range.lowerBound.isFinite && range.upperBound.isFinite {
    // A saturating activation (sigmoid, tanh): its slope peaks at 0 and vanishes for large |z|.
    let peak = activation.df(0, activation.f(0))
    let text = "\(activation.symbol)′(0) = \(FigureText.number(peak))"
    if range.lowerBound < 0 {
      // Left of the peak: f is near its floor there, f′ rises only near 0. Headroom above keeps
      // the label clear of the panel's top edge (tanh: −1.1…1.3).
      let span = range.upperBound - range.lowerBound
      ax.yLimits = (range.lowerBound - 0.05 * span)...(range.upperBound + 0.15 * span)
      mark(peak, text, left: true)
    } else {
      // Above f′'s peak, right of the axis: σ′ falls away below, σ stays above 0.5.
      mark(peak, text, left: false)
    }
  }
  switch activation {
  case let leaky as LeakyReLU:
    // Two short lines centred over f′ in the left half: on one line the label was wider than that
    // half on the slide and crossed z = 0 (the axis, and f′'s jump).
    let left = (domain.lowerBound + min(0, domain.upperBound)) / 2
    for (line, text) in ["for z < 0", "slope \(FigureText.number(leaky.slope))"].enumerated() {
      ax.text(
        text, x: left, y: leaky.slope, size: 10, color: Theme.text, horizontal: .center, vertical: .bottom,
        offset: (0, 4 + 13 * Double(line)))
    }
  case is Softplus:
    ax.text(
      "softplus′ = σ", x: domain.upperBound, y: 1, size: 10, color: Theme.text, horizontal: .right,
      vertical: .bottom, offset: (-4, 4))
  default:
    break
  }
}
