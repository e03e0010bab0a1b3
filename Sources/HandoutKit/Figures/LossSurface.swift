// A loss over two parameters as contour lines, with the paths optimisers take across it.
import Foundation

/// Contours of `f` over `x × y` with optimiser paths drawn on top.
///
/// Contour levels are spaced evenly in `√(f − f_min)`, so a quadratic bowl shows evenly spaced
/// ellipses; each level is coloured on viridis (dark = low loss) and the colour bar gives the
/// loss. With `filled`, a light grey field under the lines shades low loss darker. Each path is
/// a line in its own series colour with a small dot per step; every path starts at a black
/// square and ends at a triangle in its colour; `minimum` (if given) is a black plus.
///
/// - Parameters:
///   - f: the loss at a point `(x, y)` of the parameter plane; non-finite values leave a gap.
///   - x: the range of the first parameter.
///   - y: the range of the second parameter.
///   - paths: each optimiser's label and the points it visited, in order.
///   - minimum: where to mark the minimum, if known.
///   - levels: number of contour lines.
///   - resolution: grid cells per side for the contours.
///   - filled: shade the field under the lines, darker for lower loss.
///   - xLabel: the first parameter's axis label.
///   - yLabel: the second parameter's axis label.
///   - lossName: the colour bar's label.
///   - title: the figure's title, if any.
///   - width: the figure's width in points.
///   - height: the figure's height in points.
/// - Precondition: `levels ≥ 1`, `resolution ≥ 2`.
public func lossSurface(
  _ f: (Double, Double) -> Double, x: ClosedRange<Double>, y: ClosedRange<Double>,
  paths: [(label: String, points: [(Double, Double)])] = [], minimum: (Double, Double)? = nil,
  levels: Int = 14, resolution: Int = 200, filled: Bool = false, xLabel: String = "α",
  yLabel: String = "β", lossName: String = "E(α, β)", title: String? = nil, width: Double = 600,
  height: Double = 480
) -> Figure {
  precondition(levels >= 1, "lossSurface: levels must be at least 1")
  precondition(resolution >= 2, "lossSurface: resolution must be at least 2")
  let grid = Grid(x: x, y: y, columns: resolution, rows: resolution) { a, b in
    let v = f(a, b)
    return v.isFinite ? v : .nan
  }
  let figure = Figure(width: width, height: height)
  figure.title = title
  let ax = figure.axes
  ax.xLimits = x
  ax.yLimits = y
  ax.xLabel = xLabel
  ax.yLabel = yLabel
  ax.showGrid = false
  ax.legend = .outsideRight

  let range = grid.valueRange ?? 0...1
  let lo = range.lowerBound
  let span = max(range.upperBound - lo, 1e-12)
  // Colour of a loss value: viridis at √((f − f_min)/span), as a map over the loss itself.
  let anchors = (0...255).map { i in ColorMap.viridis().color((Double(i) / 255).squareRoot()) }
  let lossMap = ColorMap(domain: lo...(lo + span), anchors: anchors)
  if filled {
    let shade = ColorMap(domain: lo...(lo + span), anchors: anchors.map { Color.mix($0, .white, 0.8) })
    ax.heatmap(grid, map: shade, showColorBar: false)
  }
  attachColorBar(to: ax, map: lossMap, label: lossName, ticks: nil, x: x, y: y)
  let contourLevels = (1...levels).map { k in lo + span * pow(Double(k) / Double(levels + 1), 2) }
  ax.contour(grid, levels: contourLevels, map: lossMap, width: 1)

  let startStyle = MarkerStyle(shape: .square, radius: 4, fill: .black, edge: .white, edgeWidth: 0.8)
  for (i, path) in paths.enumerated() {
    let color = Palette.series(i)
    let xs = path.points.map(\.0)
    let ys = path.points.map(\.1)
    ax.line(x: xs, y: ys, label: path.label, color: color, width: 1.5, marker: .circle, markerRadius: 1.7)
    if let last = path.points.last {
      ax.scatter(
        x: [last.0], y: [last.1],
        style: MarkerStyle(shape: .triangle, radius: 4.5, fill: color, edge: .black, edgeWidth: 0.8))
    }
  }
  let starts = paths.compactMap(\.points.first)
  if !starts.isEmpty {
    ax.scatter(x: starts.map(\.0), y: starts.map(\.1), label: "start", style: startStyle)
    ax.legendEntry(
      "end",
      marker: MarkerStyle(shape: .triangle, radius: 4.5, fill: Palette.grey, edge: .black, edgeWidth: 0.8))
  }
  if let minimum {
    ax.scatter(
      x: [minimum.0], y: [minimum.1], label: "minimum",
      style: MarkerStyle(shape: .plus, radius: 5, fill: .black, edge: .white, edgeWidth: 1))
  }
  var alt =
    "Contour plot of \(lossName) over \(xLabel) from \(FigureText.number(x.lowerBound)) to "
    + "\(FigureText.number(x.upperBound)) and \(yLabel) from \(FigureText.number(y.lowerBound)) to "
    + "\(FigureText.number(y.upperBound)), \(levels) levels, darker for lower loss"
  if !paths.isEmpty {
    alt +=
      "; paths of " + paths.map { "\($0.label) (\($0.points.count) points)" }.joined(separator: ", ")
      + ", each starting at a black square and ending at a triangle"
  }
  if let minimum {
    alt += "; the minimum at (\(FigureText.number(minimum.0)), \(FigureText.number(minimum.1)))"
  }
  figure.altText = alt + "."
  return figure
}

/// The mean squared error of the line `α + βx` on `(x, y)`: `E(α, β) = (1/n) Σ (yᵢ − α − βxᵢ)²`,
/// and its gradient `∂E/∂α = −(2/n) Σ eᵢ`, `∂E/∂β = −(2/n) Σ xᵢeᵢ` with `eᵢ = yᵢ − α − βxᵢ`.
public struct RegressionLoss: Sendable {
  /// The inputs `xᵢ`.
  public let x: [Double]
  /// The targets `yᵢ`, as many as `x`.
  public let y: [Double]

  /// - Precondition: same, non-zero number of x and y values.
  public init(x: [Double], y: [Double]) {
    precondition(x.count == y.count && !x.isEmpty, "RegressionLoss: need as many x as y values, at least one")
    self.x = x
    self.y = y
  }

  /// From the first input and target columns of `data`.
  public init(_ data: Dataset) {
    self.init(x: data.X.column(0), y: data.Y.column(0))
  }

  /// `E(α, β) = (1/n) Σ (yᵢ − α − βxᵢ)²`.
  public func callAsFunction(_ alpha: Double, _ beta: Double) -> Double {
    var s = 0.0
    for i in x.indices {
      let e = y[i] - alpha - beta * x[i]
      s += e * e
    }
    return s / Double(x.count)
  }

  /// `[∂E/∂α, ∂E/∂β] = [−(2/n) Σ eᵢ, −(2/n) Σ xᵢeᵢ]` with `eᵢ = yᵢ − α − βxᵢ`.
  public func gradient(_ alpha: Double, _ beta: Double) -> [Double] {
    var ga = 0.0
    var gb = 0.0
    for i in x.indices {
      let e = y[i] - alpha - beta * x[i]
      ga -= e
      gb -= x[i] * e
    }
    let n = Double(x.count)
    return [2 * ga / n, 2 * gb / n]
  }

  /// The least-squares minimum `(α̂, β̂)` (the normal equations); nil when all x are equal.
  public var minimum: (alpha: Double, beta: Double)? {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    for i in x.indices {
      sxy += (x[i] - mx) * (y[i] - my)
      sxx += (x[i] - mx) * (x[i] - mx)
    }
    guard sxx > 0 else { return nil }
    let beta = sxy / sxx
    return (my - beta * mx, beta)
  }

  /// The path `(α, β)` of `optimizer` from `start` over `steps` updates of the full-batch
  /// gradient, through the optimiser's own `beginStep`/`update` (slot 0). The path has
  /// `steps + 1` points and stops early if a value becomes non-finite.
  public func path(
    _ optimizer: any Optimizer, from start: (Double, Double), steps: Int
  ) -> [(Double, Double)] {
    var optimizer = optimizer
    var theta = [start.0, start.1]
    var points = [(start.0, start.1)]
    for _ in 0..<max(steps, 0) {
      let g = gradient(theta[0], theta[1])
      optimizer.beginStep()
      optimizer.update(&theta, g, slot: 0)
      guard theta[0].isFinite, theta[1].isFinite else { break }
      points.append((theta[0], theta[1]))
    }
    return points
  }
}

/// The optimisers the lecture compares on the regression loss, with step sizes that show
/// their characters in about 60 steps on data of unit scale.
public let defaultRegressionOptimizers: [(label: String, optimizer: any Optimizer)] = [
  ("gradient descent", GradientDescent(gamma: 0.05)),
  ("momentum", Momentum(gamma: 0.05, beta: 0.8)),
  ("RMSProp", RMSProp(gamma: 0.1, beta: 0.9)),
  ("Adam", Adam(gamma: 0.2)),
]

/// The loss surface `E(α, β)` of linear regression on `(x, y)` with the paths of `optimizers`
/// from `start`, each `steps` full-batch updates, and the least-squares minimum marked.
/// The rectangle covers every path and the minimum, with a margin.
/// - Precondition: same, non-zero number of x and y values.
public func regressionLossSurface(
  x: [Double], y: [Double], start: (Double, Double) = (-2, -2), steps: Int = 60,
  optimizers: [(label: String, optimizer: any Optimizer)] = defaultRegressionOptimizers,
  filled: Bool = false, title: String? = nil, width: Double = 640, height: Double = 480
) -> Figure {
  let loss = RegressionLoss(x: x, y: y)
  var paths: [(label: String, points: [(Double, Double)])] = []
  for entry in optimizers {
    paths.append((entry.label, loss.path(entry.optimizer, from: start, steps: steps)))
  }
  let minimum = loss.minimum.map { ($0.alpha, $0.beta) }
  var points: [(Double, Double)] = paths.flatMap { $0.points } + [start]
  if let minimum { points.append(minimum) }
  let xs: [Double] = points.map { $0.0 }.filter { $0.isFinite }
  let ys: [Double] = points.map { $0.1 }.filter { $0.isFinite }
  let (xlo, xhi) = (xs.min() ?? -1, xs.max() ?? 1)
  let (ylo, yhi) = (ys.min() ?? -1, ys.max() ?? 1)
  let side = max(xhi - xlo, yhi - ylo, 1e-6) * 1.25
  let xr: ClosedRange<Double> = ((xlo + xhi - side) / 2)...((xlo + xhi + side) / 2)
  let yr: ClosedRange<Double> = ((ylo + yhi - side) / 2)...((ylo + yhi + side) / 2)
  let figure = lossSurface(
    { loss($0, $1) }, x: xr, y: yr, paths: paths, minimum: minimum, filled: filled, title: title,
    width: width, height: height)
  figure.axes.aspect = .equal
  figure.altText = (figure.altText ?? "") + " Data: \(x.count) points; \(steps) steps per optimiser."
  return figure
}
