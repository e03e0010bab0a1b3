// What the neural-network figures share: the input plane of a dataset, one batched evaluation of
// a network over a grid, the two-class colours, short descriptions for alt text and captions,
// and a hand-drawn colour bar for rows of a panel grid.
import Foundation

/// How far the input plane of a 2-input figure reaches past the data.
public enum PlaneMargin: Sendable, Equatable {
  /// `[min − m, max + m]` on each axis; scikit-learn's `DecisionBoundaryDisplay` uses 1.
  case absolute(Double)
  /// `[min − f·range, max + f·range]` on each axis (for data far from unit scale).
  case proportional(Double)
}

/// The two-class colours of every field: the TensorFlow Playground's orange (class 0, p = 0)
/// and blue (class 1, p = 1) around its neutral grey at p = 0.5. Orange/blue stays distinct for
/// deuteranopes and in greyscale (lightness about 0.61 blue, 0.76 orange, 0.92 grey).
public enum ClassColors {
  /// The probability field: Playground's orange `#f59322` → grey `#e8eaeb` (0.5) → blue
  /// `#0877bd`, with the two ends mixed 35 % with white (`#f8b96f`, `#5ea7d4`) so that markers
  /// in the full class colours stand out on their own region.
  public static let field = ColorMap(
    domain: 0...1, anchors: [Color(hex: 0xF8B96F), Color(hex: 0xE8EAEB), Color(hex: 0x5EA7D4)])
  /// The score field of a raw-score classifier (`Decision.score`): the colours of ``ClassColors/field``
  /// over `s ∈ [−2, 2]`, neutral grey at the decision `s = 0`, full class colour from twice the
  /// margin on (scores beyond ±2 take the end colours).
  public static let scoreField = ColorMap(
    domain: -2...2, anchors: [Color(hex: 0xF8B96F), Color(hex: 0xE8EAEB), Color(hex: 0x5EA7D4)])
  /// Marker colour of class 0 (darker than the field's orange end so points stand out).
  public static let class0 = Palette.class0
  /// Marker colour of class 1.
  public static let class1 = Palette.class1

  /// Hue of class `k` for multiclass regions and markers: the two-class pair first, then
  /// Okabe–Ito colours that stay apart from them.
  public static func color(_ k: Int) -> Color {
    let colors = [
      class0, class1, Palette.bluishGreen, Palette.reddishPurple, Palette.skyBlue, Palette.yellow,
      Palette.black, Palette.vermillion,
    ]
    return colors[((k % colors.count) + colors.count) % colors.count]
  }

  /// Marker shape of class `k`: the lectures draw class 0 as circles and class 1 as crosses.
  public static func marker(_ k: Int) -> MarkerShape {
    let shapes: [MarkerShape] = [.circle, .cross, .square, .triangle, .diamond, .plus]
    return shapes[((k % shapes.count) + shapes.count) % shapes.count]
  }
}

/// A square input plane: both axes span the same length, so a panel with `aspect = .equal`
/// is square and distances read the same in every direction.
public struct InputPlane: Sendable, Equatable {
  /// The range of the first input, `x₁`.
  public var x: ClosedRange<Double>
  /// The range of the second input, `x₂`.
  public var y: ClosedRange<Double>

  /// A plane of exactly these ranges (not made square: pass equal lengths for a square plane).
  public init(x: ClosedRange<Double>, y: ClosedRange<Double>) {
    self.x = x
    self.y = y
  }

  /// The plane of `datasets` (their first two input columns): the data's range plus `margin`,
  /// then the shorter side widened about its centre to the longer one's length.
  /// Non-finite inputs are ignored; with no finite input the plane is [−1, 1]².
  public init(_ datasets: [Dataset], margin: PlaneMargin = .absolute(1)) {
    var lo = [Double.infinity, Double.infinity]
    var hi = [-Double.infinity, -Double.infinity]
    for data in datasets where data.X.cols >= 2 {
      for i in 0..<data.count {
        for j in 0..<2 {
          let v = data.X[i, j]
          guard v.isFinite else { continue }
          lo[j] = min(lo[j], v)
          hi[j] = max(hi[j], v)
        }
      }
    }
    guard lo[0] <= hi[0], lo[1] <= hi[1] else {
      self.init(x: -1...1, y: -1...1)
      return
    }
    for j in 0..<2 {
      let pad: Double
      switch margin {
      case .absolute(let m): pad = max(m, 0)
      case .proportional(let f): pad = max(f, 0) * (hi[j] - lo[j])
      }
      lo[j] -= pad
      hi[j] += pad
      if hi[j] - lo[j] < 1e-9 {
        lo[j] -= 0.5
        hi[j] += 0.5
      }
    }
    let side = max(hi[0] - lo[0], hi[1] - lo[1])
    let cx = (lo[0] + hi[0]) / 2
    let cy = (lo[1] + hi[1]) / 2
    self.init(x: (cx - side / 2)...(cx + side / 2), y: (cy - side / 2)...(cy + side / 2))
  }

  /// The plane grown about its centre, one range only, so that its x length over its y length
  /// is `aspect` (a plane already wider, or taller, than that grows the other range). A
  /// non-finite or non-positive aspect gives the plane unchanged.
  public func widened(toAspect aspect: Double) -> InputPlane {
    let w = x.upperBound - x.lowerBound
    let h = y.upperBound - y.lowerBound
    guard aspect.isFinite, aspect > 0, w > 0, h > 0 else { return self }
    if w / h < aspect {
      let cx = (x.lowerBound + x.upperBound) / 2
      return InputPlane(x: (cx - h * aspect / 2)...(cx + h * aspect / 2), y: y)
    }
    let cy = (y.lowerBound + y.upperBound) / 2
    return InputPlane(x: x, y: (cy - w / aspect / 2)...(cy + w / aspect / 2))
  }

  /// A figure whose axes show this plane: equal aspect, no grid, the legend outside on the right
  /// (what a decision boundary and a scatter of the same data share, so they line up).
  func figure(size: FigureSize, title: String?, xLabel: String, yLabel: String) -> Figure {
    let figure = Figure(size: size)
    figure.title = title
    let ax = figure.axes
    ax.aspect = .equal
    ax.showGrid = false
    ax.xLimits = x
    ax.yLimits = y
    ax.xLabel = xLabel
    ax.yLabel = yLabel
    ax.legend = .outsideRight
    return figure
  }

  /// The centres of `resolution × resolution` cells as an `n × 2` input matrix, in `Grid` order
  /// (row 0 at the bottom, left to right), so a network's output column is a `Grid`'s values.
  func samples(_ resolution: Int) -> Matrix {
    let n = resolution
    var storage = [Double]()
    storage.reserveCapacity(2 * n * n)
    let dx = (x.upperBound - x.lowerBound) / Double(n)
    let dy = (y.upperBound - y.lowerBound) / Double(n)
    for row in 0..<n {
      let yv = y.lowerBound + (Double(row) + 0.5) * dy
      for col in 0..<n {
        storage.append(x.lowerBound + (Double(col) + 0.5) * dx)
        storage.append(yv)
      }
    }
    return Matrix(rows: n * n, cols: 2, storage)
  }

  /// Column `j` of `M` (one value per cell) as a grid over this plane.
  func grid(_ M: Matrix, column j: Int, resolution: Int) -> Grid {
    Grid(x: x, y: y, columns: resolution, rows: resolution, values: M.column(j))
  }
}

extension Dataset {
  /// Class of each sample: `labels` if set, else `y ≥ 0.5` for one target column, else the
  /// row's largest target.
  var classLabels: [Int] {
    if let labels { return labels }
    if Y.cols == 1 { return Y.storage.map { $0 >= 0.5 ? 1 : 0 } }
    return Y.argmaxPerRow
  }
}

enum FigureText {
  /// `2-4-1`.
  static func shape(_ network: Sequential) -> String {
    ([network.inputs] + network.layers.map(\.outputs)).map(String.init).joined(separator: "-")
  }

  /// `tanh hidden, sigmoid output` (or one name when every layer shares it).
  static func activations(_ network: Sequential) -> String {
    let names = network.layers.map { "\($0.activation)" }
    guard let last = names.last else { return "no layers" }
    let hidden = Array(names.dropLast())
    if hidden.isEmpty { return "\(last) output" }
    let distinct = hidden.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    return distinct.joined(separator: "/") + " hidden, \(last) output"
  }

  /// `a 2-4-1 network (tanh hidden, sigmoid output)`.
  static func network(_ network: Sequential) -> String {
    "a \(shape(network)) network (\(activations(network)))"
  }

  /// A number for a caption or a label: up to `digits` significant digits, no float noise,
  /// U+2212 for negatives.
  static func number(_ v: Double, digits: Int = 3) -> String {
    guard v.isFinite else { return v.isNaN ? "NaN" : (v < 0 ? "−∞" : "∞") }
    if v == v.rounded() && abs(v) < 1e9 { return Ticks.format(v, decimals: 0) }
    var s = String(format: "%.\(max(digits, 1))g", v)
    if s.contains("e") { return s.replacingOccurrences(of: "-", with: "\u{2212}") }
    while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
    return s.replacingOccurrences(of: "-", with: "\u{2212}")
  }
}

/// A colour bar beside `ax` for `map`, for panels whose colours come from something other than
/// one heatmap (multiclass regions, contour lines, a network diagram's node fills). Plot draws
/// a panel's bar only for a heatmap, so this adds a one-cell heatmap over `x × y` whose only
/// value is NaN, painted in a clear colour: invisible, it carries the bar.
func attachColorBar(
  to ax: Axes, map: ColorMap, label: String?, ticks: [Double]?, x: ClosedRange<Double>,
  y: ClosedRange<Double>
) {
  var clear = map
  clear.nanColor = .clear
  ax.heatmap(
    Grid(x: x, y: y, columns: 1, rows: 1, values: [.nan]), map: clear, smooth: false,
    showColorBar: true, colorBarLabel: label, colorBarTicks: ticks)
}

enum ColorBarPanel {
  /// Draws a vertical colour bar for `map` into `panel` (which shows nothing else): a gradient
  /// as tall as the panel's plot area, its frame, `ticks` with labels, and a rotated `label`.
  /// Used where a grid row needs its own bar (Plot's bars belong to one panel or the figure).
  ///
  /// The panel gets the unit square as its limits, `aspect = .equal` and a blank title, so its
  /// plot area is exactly as tall as that of a square, titled thumbnail in a same-sized cell.
  static func draw(into panel: Axes, map: ColorMap, label: String?, ticks: [Double]) {
    let lo = map.domain.lowerBound
    let hi = map.domain.upperBound
    func unit(_ v: Double) -> Double { hi > lo ? (v - lo) / (hi - lo) : 0.5 }
    panel.showAxes = false
    panel.showGrid = false
    panel.legend = .hidden
    panel.aspect = .equal
    panel.title = " "
    panel.xLimits = 0...1
    panel.yLimits = 0...1
    let steps = 256
    let colors = (0..<steps).map { i in map.color(lo + (hi - lo) * (Double(i) + 0.5) / Double(steps)) }
    let barRight = 0.14
    panel.image(x: 0...barRight, y: 0...1, columns: 1, rows: steps, colors: colors)
    panel.rectangle(x: 0...barRight, y: 0...1, edge: LineStyle(color: Theme.frame, width: 0.8))
    let labels = Ticks.labels(for: ticks)
    for (t, text) in zip(ticks, labels) where t >= min(lo, hi) && t <= max(lo, hi) {
      panel.segment(
        from: (barRight, unit(t)), to: (barRight + 0.04, unit(t)),
        style: LineStyle(color: Theme.frame, width: 0.8))
      panel.text(
        text, x: barRight, y: unit(t), size: 10, color: Theme.tickLabel, horizontal: .left,
        vertical: .center, offset: (8, 0))
    }
    if let label {
      // Past the widest tick label (DejaVu Sans digits are about 0.64 em wide).
      let widest = Double(labels.map(\.count).max() ?? 0) * 10 * 0.64
      panel.text(
        label, x: barRight, y: 0.5, size: 11, color: Theme.text, horizontal: .center,
        vertical: .top, angle: .pi / 2, offset: (8 + widest + 5, 0))
    }
  }
}

/// Training points (white edge) and test points (black edge) by class, in the class colours and
/// markers of ``ClassColors``, one legend entry per class and set: every figure that shows a
/// dataset draws it so.
func drawClassPoints(_ data: Dataset, test: Dataset?, classes: Int, into ax: Axes) {
  func draw(_ set: Dataset, edge: Color, suffix: String) {
    let labels = set.classLabels
    for c in 0..<classes {
      let rows = labels.indices.filter { labels[$0] == c }
      guard !rows.isEmpty else { continue }
      let style = MarkerStyle(
        shape: ClassColors.marker(c), radius: 3.5, fill: ClassColors.color(c), edge: edge,
        edgeWidth: edge == .white ? 0.9 : 1.1)
      ax.scatter(
        x: rows.map { set.X[$0, 0] }, y: rows.map { set.X[$0, 1] }, label: "class \(c)\(suffix)",
        style: style)
    }
  }
  draw(data, edge: BoundaryStyle.trainEdge, suffix: test == nil ? "" : " (train)")
  if let test { draw(test, edge: BoundaryStyle.testEdge, suffix: " (test)") }
}
