// The decision boundary of a 2-input classifier: its predicted probability over the input
// plane, the p = 0.5 contour, and the data on top.
import Foundation

/// The decision field of a trained classifier with two inputs.
///
/// - One output (sigmoid): the output read as `P(class 1)` is a heatmap on the diverging
///   `ClassColors.field` (orange p = 0, neutral grey p = 0.5, blue p = 1), with a dark 1.5 pt
///   contour at p = 0.5 and a colour bar labelled "P(class 1)" with ticks 0, 0.5, 1.
///   `steps` cuts the colour ramp into that many bands (the discretised mode).
/// - One output read as a raw score (`decision: .score`, an identity output trained with
///   `HingeLoss`): the score `s` on ``ClassColors/scoreField`` (orange `s ≤ −2`, neutral grey
///   `s = 0`, blue `s ≥ 2`), a dark 1.5 pt line at the decision `s = 0`, the margin band
///   `|s| ≤ 1` bounded by dashed lines at `s = ±1`, and a colour bar labelled "score s".
/// - Several outputs (softmax): each cell takes the hue of its most probable class, its
///   confidence (the largest probability, from 1/k to 1) as depth of colour (white = a tie),
///   with a dark line wherever the most probable class changes and a confidence bar.
///
/// Training points are drawn by class (class 0 circle, class 1 cross, then square, triangle, …)
/// with a white edge; `test` points have a black edge; the legend says which is which.
/// The plane is square (1:1), spanning the data of `data` and `test` plus `margin`, or
/// `plane` when given (use one plane for all figures of one model). With `fill`, the plane keeps
/// one data unit as long on x as on y but grows about its centre to the plot area's aspect, so a
/// wide frame (a 16:9 slide) is filled with the field instead of holding a square in its middle.
///
/// The network is evaluated on all `resolution²` cell centres in ONE batched `predict`
/// (a 500×500 grid is one 250 000 × 2 input matrix).
///
/// - Parameters:
///   - network: a trained classifier with 2 inputs: one sigmoid output, or several (softmax).
///   - data: the training points, drawn with a white edge.
///   - test: held-out points, drawn with a black edge.
///   - decision: how one output is read: `.probability` (the default; sigmoid) or `.score` (a
///     raw score decided at 0). Several outputs are read by their largest either way.
///   - resolution: cells per side; 300 by default, at least 200 for print (TensorFlow
///     Playground uses 100).
///   - margin: how far the plane reaches past the points.
///   - plane: the plane to draw instead of the data's (one plane for all figures of a model).
///   - steps: cut the colour ramp into this many bands; nil for a continuous field.
///   - dataName: the dataset's name for the alt text and the caption ("XOR", "spirals").
///   - title: the figure's title, if any.
///   - xLabel: the first input's axis label.
///   - yLabel: the second input's axis label.
///   - width: the figure's width in points.
///   - height: the figure's height in points.
///   - style: text, line and marker scale (`.talk` for slides).
///   - fill: grow the plane to the plot area's aspect (1:1 kept) instead of a square plane.
/// - Precondition: the network has 2 inputs and `data` (and `test`) 2 input columns;
///   `resolution ≥ 2`.
/// - Complexity: one forward pass of `resolution²` rows.
public func decisionBoundary(
  network: Sequential, data: Dataset, test: Dataset? = nil, decision: Decision = .probability,
  resolution: Int = 300,
  margin: PlaneMargin = .absolute(1), plane: InputPlane? = nil, steps: Int? = nil,
  dataName: String? = nil, title: String? = nil, xLabel: String = "x₁", yLabel: String = "x₂",
  width: Double = 600, height: Double = 480, style: FigureStyle = .paper, fill: Bool = false
) -> Figure {
  precondition(network.inputs == 2, "decisionBoundary: the network needs 2 inputs, it has \(network.inputs)")
  precondition(data.X.cols == 2, "decisionBoundary: the data needs 2 input columns, it has \(data.X.cols)")
  precondition(test.map { $0.X.cols == 2 } ?? true, "decisionBoundary: the test data needs 2 input columns")
  precondition(resolution >= 2, "decisionBoundary: resolution must be at least 2")
  var plane = plane ?? InputPlane([data] + (test.map { [$0] } ?? []), margin: margin)
  func figure(_ plane: InputPlane, output: Matrix, resolution: Int) -> Figure {
    boundaryFigure(
      network: network, data: data, test: test, decision: decision, plane: plane, output: output,
      resolution: resolution, steps: steps, title: title, xLabel: xLabel, yLabel: yLabel,
      size: FigureSize(width: width, height: height, style: style))
  }
  if fill {
    // Lay the figure out once with a 2×2 field (the same legend, colour bar and labels) to learn
    // its plot area; the equal aspect of the real figure then shrinks nothing.
    let probe = figure(plane, output: Matrix(rows: 4, cols: network.outputs), resolution: 2)
    probe.axes.aspect = .auto
    if let area = try? probe.plotAreaSize(of: probe.axes), area.width > 0, area.height > 0 {
      plane = plane.widened(toAspect: area.width / area.height)
    }
  }
  let result = figure(plane, output: network.predict(plane.samples(resolution)), resolution: resolution)
  var alt = "Decision field of \(FigureText.network(network))"
  if let dataName { alt += " trained on \(dataName)" }
  if network.outputs > 1 {
    alt +=
      ": each region coloured by its most probable of \(network.outputs) classes, paler where the network is less sure"
  } else if decision == .score {
    alt +=
      ": the score s over the input plane from orange (class 0, s ≤ −2) through grey (s = 0) to blue "
      + "(class 1, s ≥ 2), a dark line at s = 0 and dashed lines at s = ±1 bounding the margin"
  } else {
    alt +=
      ": P(class 1) over the input plane from orange (class 0) through grey (0.5) to blue (class 1), "
      + "a dark line at P = 0.5"
  }
  alt += "; \(data.count) training points (class 0 circles, class 1 crosses)"
  if let test { alt += " and \(test.count) test points with black edges" }
  alt += "; \(resolution)×\(resolution) grid."
  result.altText = alt
  return result
}

/// The decision-boundary figure over `plane` from the network's `output` on its
/// `resolution²` samples (without alt text).
private func boundaryFigure(
  network: Sequential, data: Dataset, test: Dataset?, decision: Decision, plane: InputPlane, output: Matrix,
  resolution: Int,
  steps: Int?, title: String?, xLabel: String, yLabel: String, size: FigureSize
) -> Figure {
  let figure = plane.figure(size: size, title: title, xLabel: xLabel, yLabel: yLabel)
  let ax = figure.axes

  let classes = max(network.outputs == 1 ? 2 : network.outputs, data.classes ?? 2)
  if network.outputs == 1 && decision == .score {
    let grid = plane.grid(output, column: 0, resolution: resolution)
    var map = ClassColors.scoreField
    if let steps, steps >= 2 { map = map.discretised(steps) }
    ax.heatmap(grid, map: map, colorBarLabel: "score s", colorBarTicks: [-2, -1, 0, 1, 2])
    ax.contour(grid, levels: [0], color: BoundaryStyle.contour, width: 1.5)
    ax.contour(
      grid, levels: [-1, 1], color: BoundaryStyle.contour, width: 1, dash: Dash.dashed,
      label: "margin |s| = 1")
  } else if network.outputs == 1 {
    let grid = plane.grid(output, column: 0, resolution: resolution)
    var map = ClassColors.field
    if let steps, steps >= 2 { map = map.discretised(steps) }
    ax.heatmap(grid, map: map, colorBarLabel: "P(class 1)", colorBarTicks: [0, 0.5, 1])
    ax.contour(grid, levels: [0.5], color: BoundaryStyle.contour, width: 1.5)
  } else {
    let k = Double(network.outputs)
    // Grey stands for "as much of the class colour": white at a tie (1/k), full at certainty.
    let confidence = ColorMap(
      domain: (1 / k)...1,
      anchors: [
        Color.mix(.white, Color(hex: 0x595959), RegionStyle.lowest),
        Color.mix(.white, Color(hex: 0x595959), RegionStyle.lowest + RegionStyle.range),
      ])
    attachColorBar(
      to: ax, map: confidence, label: "confidence, max P(class)",
      ticks: Ticks.extended(1 / k, 1, count: 3), x: plane.x, y: plane.y)
    drawRegions(output, plane: plane, resolution: resolution, into: ax)
  }
  drawClassPoints(data, test: test, classes: classes, into: ax)
  return figure
}

enum RegionStyle {
  /// Share of the class colour (mixed into white) at a tie, and how much more at certainty.
  static let lowest = 0.1
  static let range = 0.55
}

enum BoundaryStyle {
  /// The p = 0.5 line: near black, so it reads on orange, grey and blue alike.
  static let contour = Color(hex: 0x1A1A1A)
  static let trainEdge = Color.white
  static let testEdge = Color.black
}

/// Multiclass regions: hue by argmax, white mixed in as confidence drops to a tie (1/k), plus
/// the lines where the argmax changes (the zero line of `p_c − max_{j≠c} p_j` for each class).
private func drawRegions(_ P: Matrix, plane: InputPlane, resolution n: Int, into ax: Axes) {
  let k = P.cols
  var colors = [Color]()
  colors.reserveCapacity(P.rows)
  var margins = [[Double]](repeating: [Double](repeating: 0, count: P.rows), count: k)
  for i in 0..<P.rows {
    var best = 0
    for c in 1..<k where P[i, c] > P[i, best] { best = c }
    let confidence = (P[i, best] - 1 / Double(k)) / (1 - 1 / Double(k))
    colors.append(
      Color.mix(.white, ClassColors.color(best), RegionStyle.lowest + RegionStyle.range * confidence))
    for c in 0..<k {
      var other = -Double.infinity
      for j in 0..<k where j != c { other = max(other, P[i, j]) }
      margins[c][i] = P[i, c] - other
    }
  }
  ax.image(x: plane.x, y: plane.y, columns: n, rows: n, colors: colors)
  for c in 0..<k {
    let grid = Grid(x: plane.x, y: plane.y, columns: n, rows: n, values: margins[c])
    ax.contour(grid, levels: [0], color: BoundaryStyle.contour, width: 1.2)
  }
}
