/// Options of one axis of a panel.
public struct AxisOptions: Sendable, Equatable {
  /// Axis label, e.g. "epoch" or "loss (log scale)".
  public var label: String?
  /// Fixed limits, or nil to fit the data (padded by 5 % of the range on each side, except
  /// around heatmaps, which fill the panel exactly).
  public var limits: ClosedRange<Double>?
  /// Linear, or base-10 logarithmic (values ≤ 0 are then not drawn).
  public var scale: Scale = .linear
  /// About how many ticks to aim for (extended Wilkinson's `m`); fewer if labels would collide.
  public var tickCount: Int = 5
  /// Only whole-number ticks (epochs, counts).
  public var integerTicks: Bool = false
  /// Explicit tick positions instead of the automatic ones.
  public var ticks: [Double]?
  /// Labels for explicit `ticks` (same count), or nil to format them.
  public var tickLabels: [String]?

  /// Default options: no label, limits fitted to the data, linear, about 5 ticks.
  public init() {}
}

/// One panel of a figure: a plot area with axes, into which series and shapes are drawn in data
/// coordinates. Marks are drawn in the order they are added.
public final class Axes {
  /// Panel title above the plot area.
  public var title: String?
  /// The horizontal axis.
  public var x = AxisOptions()
  /// The vertical axis.
  public var y = AxisOptions()
  /// `.equal` makes one unit as long on x as on y.
  public var aspect: Aspect = .auto
  /// When false: no frame, ticks, tick labels, axis labels or grid (e.g. a network diagram).
  public var showAxes = true
  /// Light grid lines at the major ticks.
  public var showGrid = true
  /// Where the legend goes; it lists every labelled series and `legendEntry`, and is left out when there is none.
  public var legend: LegendPosition = .best
  /// Lines of more than 256 points are drawn without the vertices that lie within 0.05 points
  /// (a tenth of a PNG pixel) of the line through their neighbours, as matplotlib does: a
  /// 10 000-epoch loss curve then costs what a few hundred points cost, in time and file size.
  /// Set to false to stroke every vertex as given.
  public var simplifiesLines = true

  var marks: [Mark] = []
  var colorBar: ColorBarSpec?
  var nextColorIndex = 0

  /// An empty panel; a figure makes its own (`Figure.axes`, `Figure.panel(row:column:)`).
  public init() {}

  // MARK: Axis shorthands

  /// Shorthand for `x.label`.
  public var xLabel: String? {
    get { x.label }
    set { x.label = newValue }
  }
  /// Shorthand for `y.label`.
  public var yLabel: String? {
    get { y.label }
    set { y.label = newValue }
  }
  /// Shorthand for `x.limits`.
  public var xLimits: ClosedRange<Double>? {
    get { x.limits }
    set { x.limits = newValue }
  }
  /// Shorthand for `y.limits`.
  public var yLimits: ClosedRange<Double>? {
    get { y.limits }
    set { y.limits = newValue }
  }
  /// Shorthand for `x.scale`.
  public var xScale: Scale {
    get { x.scale }
    set { x.scale = newValue }
  }
  /// Shorthand for `y.scale`.
  public var yScale: Scale {
    get { y.scale }
    set { y.scale = newValue }
  }

  /// The next colour of the series palette (Okabe–Ito, see `Palette.series`).
  public func nextColor() -> Color {
    defer { nextColorIndex += 1 }
    return Palette.series(nextColorIndex)
  }

  // MARK: Series

  /// A line through the points `(x[i], y[i])`. A NaN (or, on a log axis, a value ≤ 0) in either
  /// coordinate breaks the line, so a jump (ReLU′ at 0) can be drawn as a gap. With `marker`,
  /// a marker of that shape (in the line's colour) is drawn at every point, e.g. the steps of
  /// an optimiser's path; its legend entry shows both.
  /// - Precondition: `x.count == y.count`.
  public func line(
    x: [Double], y: [Double], label: String? = nil, color: Color? = nil, width: Double = 1.5,
    dash: [Double] = Dash.solid, marker: MarkerShape? = nil, markerRadius: Double = 2.5
  ) {
    precondition(x.count == y.count, "line needs as many x as y values")
    let style = LineStyle(color: color ?? nextColor(), width: width, dash: dash)
    let markerStyle = marker.map {
      MarkerStyle(shape: $0, radius: markerRadius, fill: style.color, edge: .white, edgeWidth: 0.6)
    }
    marks.append(.line(LineMark(xs: x, ys: y, style: style, label: label, marker: markerStyle)))
  }

  /// A line of `function` sampled at `samples` evenly spaced x in `domain` (both ends included).
  /// Non-finite results break the line.
  public func line(
    _ function: (Double) -> Double, over domain: ClosedRange<Double>, samples: Int = 401,
    label: String? = nil, color: Color? = nil, width: Double = 1.5, dash: [Double] = Dash.solid
  ) {
    let n = max(samples, 2)
    let xs = (0..<n).map { i in
      domain.lowerBound + (domain.upperBound - domain.lowerBound) * Double(i) / Double(n - 1)
    }
    let ys = xs.map { v -> Double in
      let r = function(v)
      return r.isFinite ? r : .nan
    }
    line(x: xs, y: ys, label: label, color: color, width: width, dash: dash)
  }

  /// Markers at `(x[i], y[i])`; points with a NaN coordinate are skipped.
  /// - Precondition: `x.count == y.count`.
  public func scatter(
    x: [Double], y: [Double], label: String? = nil, marker: MarkerShape = .circle,
    color: Color? = nil, edge: Color? = .white, radius: Double = 3.5, edgeWidth: Double = 0.8
  ) {
    let style = MarkerStyle(
      shape: marker, radius: radius, fill: color ?? nextColor(), edge: edge, edgeWidth: edgeWidth)
    scatter(x: x, y: y, label: label, style: style)
  }

  /// Markers with a full style.
  public func scatter(x: [Double], y: [Double], label: String? = nil, style: MarkerStyle) {
    precondition(x.count == y.count, "scatter needs as many x as y values")
    marks.append(.scatter(ScatterMark(xs: x, ys: y, style: style, label: label)))
  }

  /// Bars from `edges[i]` to `edges[i+1]` with height `heights[i]` above `baseline`.
  /// - Precondition: `edges.count == heights.count + 1`.
  public func bars(
    edges: [Double], heights: [Double], baseline: Double = 0, label: String? = nil,
    fill: Color? = nil, edge: Color? = .white, edgeWidth: Double = 0.5
  ) {
    precondition(edges.count == heights.count + 1, "bars need one more edge than heights")
    let color = fill ?? nextColor()
    marks.append(
      .bars(
        BarMark(
          edges: edges, heights: heights, baseline: baseline, fill: color, edge: edge,
          edgeWidth: edgeWidth, label: label)))
  }

  /// A histogram of the finite `values` in `bins` equal bins over `range` (default: their
  /// minimum to maximum). Returns the counts.
  @discardableResult
  public func histogram(
    _ values: [Double], bins: Int = 30, range: ClosedRange<Double>? = nil, label: String? = nil,
    fill: Color? = nil
  ) -> [Int] {
    let finite = values.filter { $0.isFinite }
    let n = max(bins, 1)
    var lo = range?.lowerBound ?? finite.min() ?? 0
    var hi = range?.upperBound ?? finite.max() ?? 1
    if hi <= lo {
      lo -= 0.5
      hi += 0.5
    }
    var counts = [Int](repeating: 0, count: n)
    for v in finite where v >= lo && v <= hi {
      let i = min(Int((v - lo) / (hi - lo) * Double(n)), n - 1)
      counts[i] += 1
    }
    let edges = (0...n).map { lo + (hi - lo) * Double($0) / Double(n) }
    bars(edges: edges, heights: counts.map(Double.init), label: label, fill: fill)
    return counts
  }

  /// A heatmap of `grid` coloured by `map`, smoothly interpolated between cell centres
  /// (`smooth: false` paints crisp cells). With `colorBarLabel` or `showColorBar`, a colour bar
  /// labelled so goes to the right of the panel, with `colorBarTicks` or extended ticks.
  public func heatmap(
    _ grid: Grid, map: ColorMap, smooth: Bool = true, showColorBar: Bool = true,
    colorBarLabel: String? = nil, colorBarTicks: [Double]? = nil
  ) {
    marks.append(.heatmap(HeatmapMark(grid: grid, map: map, smooth: smooth)))
    if showColorBar {
      colorBar = ColorBarSpec(map: map, label: colorBarLabel, ticks: colorBarTicks)
    }
  }

  /// A heatmap of `function` sampled on `samples × samples` cells over `x × y`. Returns the grid
  /// so that contours can reuse it.
  @discardableResult
  public func heatmap(
    x: ClosedRange<Double>, y: ClosedRange<Double>, samples: Int = 200, map: ColorMap,
    smooth: Bool = true, showColorBar: Bool = true, colorBarLabel: String? = nil,
    _ function: (Double, Double) -> Double
  ) -> Grid {
    let grid = Grid(x: x, y: y, columns: samples, rows: samples, function)
    heatmap(grid, map: map, smooth: smooth, showColorBar: showColorBar, colorBarLabel: colorBarLabel)
    return grid
  }

  /// An image of given colours over `x × y`: `colors[row * columns + col]`, row 0 at the
  /// bottom, like `Grid`. For fields whose colour is not one value through a map (e.g. a
  /// multiclass decision field: class hue by argmax, lightness by confidence). No colour bar.
  /// - Precondition: `colors.count == columns * rows`, both at least 1.
  public func image(
    x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int, colors: [Color],
    smooth: Bool = true
  ) {
    precondition(columns >= 1 && rows >= 1, "an image needs at least one cell")
    precondition(colors.count == columns * rows, "image needs columns × rows colours")
    marks.append(
      .image(ImageMark(x: x, y: y, columns: columns, rows: rows, colors: colors, smooth: smooth)))
  }

  /// Contour lines of `grid` at each of `levels`.
  public func contour(
    _ grid: Grid, levels: [Double], color: Color = Color(hex: 0x262626), width: Double = 1.5,
    dash: [Double] = Dash.solid, label: String? = nil
  ) {
    let lines = levels.flatMap { Contour.lines(grid, level: $0) }
    marks.append(
      .contour(
        ContourMark(
          lines: lines, style: LineStyle(color: color, width: width, dash: dash), label: label)))
  }

  /// Contour lines of `grid` at each of `levels`, each level coloured by `map` (e.g. a loss
  /// surface: viridis from low to high loss). No legend entry.
  public func contour(_ grid: Grid, levels: [Double], map: ColorMap, width: Double = 1) {
    for level in levels {
      marks.append(
        .contour(
          ContourMark(
            lines: Contour.lines(grid, level: level),
            style: LineStyle(color: map.color(level), width: width), label: nil)))
    }
  }

  // MARK: Annotations and shapes

  /// A horizontal reference line across the panel at `y` (e.g. a zero line). Does not
  /// affect the limits.
  public func horizontalLine(y: Double, style: LineStyle = LineStyle(width: 0.8)) {
    marks.append(.reference(ReferenceMark(value: y, vertical: false, style: style)))
  }

  /// A vertical reference line at `x`.
  public func verticalLine(x: Double, style: LineStyle = LineStyle(width: 0.8)) {
    marks.append(.reference(ReferenceMark(value: x, vertical: true, style: style)))
  }

  /// Text at a data position, moved by `offset` points (x right, y up), `size` in points.
  public func text(
    _ text: String, x: Double, y: Double, size: Double = 10, color: Color = Theme.text,
    horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline,
    angle: Double = 0, offset: (x: Double, y: Double) = (0, 0), clip: Bool = false
  ) {
    marks.append(
      .text(
        TextMark(
          text: text, x: x, y: y, size: size, color: color, horizontal: horizontal,
          vertical: vertical, angle: angle, dx: offset.x, dy: offset.y, clip: clip)))
  }

  /// A circle of `radius` points centred at a data position (round whatever the aspect).
  /// With `affectsLimits`, the centre counts for the automatic limits.
  public func circle(
    x: Double, y: Double, radius: Double, fill: Color? = nil, edge: Color? = Theme.frame,
    edgeWidth: Double = 1, affectsLimits: Bool = true
  ) {
    marks.append(
      .shape(
        ShapeMark(
          kind: .circle(radius: radius), points: [(x, y)], fill: fill,
          stroke: edge.map { LineStyle(color: $0, width: edgeWidth) },
          affectsLimits: affectsLimits)))
  }

  /// A straight segment between two data positions.
  public func segment(
    from a: (x: Double, y: Double), to b: (x: Double, y: Double),
    style: LineStyle = LineStyle(width: 1), affectsLimits: Bool = true
  ) {
    marks.append(
      .shape(
        ShapeMark(
          kind: .polyline, points: [a, b], fill: nil, stroke: style, affectsLimits: affectsLimits)))
  }

  /// An arrow from `a` to `b` with a filled head `headLength` points long. `shorten` points are
  /// cut from each end (to stop at the edge of node circles).
  public func arrow(
    from a: (x: Double, y: Double), to b: (x: Double, y: Double),
    style: LineStyle = LineStyle(width: 1), headLength: Double = 7, shorten: Double = 0
  ) {
    marks.append(
      .shape(
        ShapeMark(
          kind: .arrow(head: headLength, shorten: shorten), points: [a, b], fill: nil,
          stroke: style, affectsLimits: true)))
  }

  /// A polygon through data positions, closed, filled and/or stroked.
  public func polygon(
    _ points: [(x: Double, y: Double)], fill: Color? = nil, edge: LineStyle? = nil
  ) {
    marks.append(
      .shape(ShapeMark(kind: .polygon, points: points, fill: fill, stroke: edge, affectsLimits: true)))
  }

  /// An axis-aligned rectangle in data coordinates.
  public func rectangle(
    x: ClosedRange<Double>, y: ClosedRange<Double>, fill: Color? = nil, edge: LineStyle? = nil
  ) {
    polygon(
      [
        (x.lowerBound, y.lowerBound), (x.upperBound, y.lowerBound), (x.upperBound, y.upperBound),
        (x.lowerBound, y.upperBound),
      ], fill: fill, edge: edge)
  }

  /// A legend entry that belongs to no series (e.g. "test points: black edge").
  public func legendEntry(_ label: String, marker: MarkerStyle? = nil, line: LineStyle? = nil) {
    marks.append(.legendOnly(LegendEntry(label: label, line: line, marker: marker, fill: nil)))
  }

  /// Text a screen reader can use to describe this panel.
  var summary: String {
    var parts: [String] = []
    if let title { parts.append(title) }
    switch (x.label, y.label) {
    case let (xl?, yl?): parts.append("\(yl) against \(xl)")
    case let (xl?, nil): parts.append("x: \(xl)")
    case let (nil, yl?): parts.append("y: \(yl)")
    default: break
    }
    let labels = legendEntries.map(\.label)
    if !labels.isEmpty { parts.append("series: " + labels.joined(separator: ", ")) }
    if let bar = colorBar, let label = bar.label { parts.append("colour: \(label)") }
    return parts.joined(separator: "; ")
  }
}
