import Foundation

/// How large a figure's text, lines, markers and paddings are drawn, as matplotlib's
/// `plt.style.context("talk")` does: `scale` multiplies all of them, so a figure for a projector
/// keeps its text readable. The layout is made for the figure's size divided by `scale` and drawn
/// `scale` times larger, so a `.talk` figure of 1280×720 looks like a 640×360 paper one, twice as large.
public struct FigureStyle: Equatable, Sendable {
  /// The factor on text, lines, markers and paddings; 1 for paper.
  public var scale: Double

  /// A style with this factor.
  /// - Precondition: `scale` finite and positive.
  public init(scale: Double) {
    precondition(scale.isFinite && scale > 0, "a figure style's scale must be finite and positive")
    self.scale = scale
  }

  /// The default: 10 pt tick labels, 1.5 pt lines, for a page.
  public static let paper = FigureStyle(scale: 1)
  /// Twice as large text, lines and markers, for slides and projectors.
  public static let talk = FigureStyle(scale: 2)
}

/// How many rows and columns of panels a figure is laid out in; its panels fill it in row-major
/// order.
public struct PanelGrid: Equatable, Sendable {
  /// Rows of panels.
  public var rows: Int
  /// Columns of panels.
  public var columns: Int

  /// A grid of `rows`×`columns` cells.
  /// - Precondition: both at least 1.
  public init(rows: Int, columns: Int) {
    precondition(rows >= 1 && columns >= 1, "a panel grid needs at least one row and one column")
    self.rows = rows
    self.columns = columns
  }
}

/// A figure's size and style together, and the grid its panels are laid out in.
public struct FigureSize: Equatable, Sendable {
  /// Width in points.
  public var width: Double
  /// Height in points.
  public var height: Double
  /// Text, line and marker scale.
  public var style: FigureStyle
  /// The grid the panels are laid out in at this size; nil: the figure's own `rows`×`columns`.
  /// A slide variant may lay a figure's panels out in another grid that fits the frame better
  /// (`slide(for:)`). It must have a cell for every panel.
  public var grid: PanelGrid?
  /// Whether a panel's own colour bar and outside legend lie under its plot rather than beside it
  /// (a phone variant of a single panel, `phone(for:)`: the plot gets the canvas's width). A
  /// figure's shared colour bar stays beside its panels.
  public var colorBarBelow = false

  /// A size of `width`×`height` points drawn in `style`, its panels in `grid` (nil: the figure's own).
  public init(width: Double, height: Double, style: FigureStyle = .paper, grid: PanelGrid? = nil) {
    self.width = width
    self.height = height
    self.style = style
    self.grid = grid
  }

  /// A 16:9 slide, 1280×720 points (a 1280×720 slide frame; the PNG is 2560×1440 pixels), in
  /// the `.talk` style.
  public static let slide = FigureSize(width: 1280, height: 720, style: .talk)
}

/// A figure: one panel, or a grid of panels (small multiples), with an optional title and an
/// optional colour bar shared by all panels. Sizes are in points; a PNG is drawn at `scale`
/// pixels per point (2 by default, so a 640×480 figure is 1280×960 pixels).
///
/// ```swift
/// let figure = Figure(width: 640, height: 480)
/// figure.axes.line(x: epochs, y: loss, label: "training")
/// figure.axes.xLabel = "epoch"
/// try figure.write(to: URL(fileURLWithPath: "loss.svg"))
/// ```
public final class Figure {
  /// Width in points.
  public var width: Double
  /// Height in points.
  public var height: Double
  /// Title above all panels.
  public var title: String?
  /// Identifier used to prefix every id in the SVG output, so several inline SVGs on one page
  /// never collide. When nil, a prefix is derived from a hash of the drawing.
  public var id: String?
  /// Number of panel rows and columns.
  public let rows: Int
  /// Number of panel columns.
  public let columns: Int
  /// Panels in row-major order.
  public let panels: [Axes]

  /// How large text, lines and markers are drawn (`.paper` by default; `.talk` for slides).
  public var style: FigureStyle = .paper

  var explicitAltText: String?
  var sharedColorBar: ColorBarSpec?

  /// A figure of `width`×`height` points with `rows`×`columns` panels.
  /// - Precondition: `rows` and `columns` at least 1.
  public init(width: Double = 640, height: Double = 480, rows: Int = 1, columns: Int = 1) {
    precondition(rows >= 1 && columns >= 1, "a figure needs at least one panel")
    self.width = width
    self.height = height
    self.rows = rows
    self.columns = columns
    self.panels = (0..<(rows * columns)).map { _ in Axes() }
  }

  /// A figure of `size` (e.g. `.slide`: 1280×720 points in the `.talk` style) with
  /// `rows`×`columns` panels.
  /// - Precondition: `rows` and `columns` at least 1.
  public convenience init(size: FigureSize, rows: Int = 1, columns: Int = 1) {
    self.init(width: size.width, height: size.height, rows: rows, columns: columns)
    style = size.style
  }

  /// The first (top-left) panel; the only one of a single-panel figure.
  public var axes: Axes { panels[0] }

  /// The panel at `row`, `column` (both from 0, top-left first).
  /// - Precondition: inside the grid.
  public func panel(row: Int, column: Int) -> Axes {
    precondition(row >= 0 && row < rows && column >= 0 && column < columns, "no such panel")
    return panels[row * columns + column]
  }

  /// Text for the HTML `alt` attribute. Defaults to a description built from the figure title
  /// and each panel's title, axis labels, series labels and colour-bar label.
  public var altText: String? {
    get { explicitAltText ?? defaultAltText }
    set { explicitAltText = newValue }
  }

  private var defaultAltText: String {
    var parts: [String] = []
    parts.append(title.map { "Figure: \($0)" } ?? "Figure")
    let summaries = panels.map(\.summary).filter { !$0.isEmpty }
    if panels.count > 1 { parts.append("\(rows)×\(columns) panels") }
    parts += summaries
    if let label = sharedColorBar?.label { parts.append("colour: \(label)") }
    return parts.joined(separator: ". ") + "."
  }

  /// One colour bar at the right of the figure for all panels (e.g. a grid of neuron maps with
  /// one fixed colour domain). Use `showColorBar: false` on the panels' heatmaps.
  public func colorBar(_ map: ColorMap, label: String? = nil, ticks: [Double]? = nil) {
    sharedColorBar = ColorBarSpec(map: map, label: label, ticks: ticks)
  }

  // MARK: Output

  /// The figure encoded as `format`, drawn at `scale` pixels per point (PNG only).
  ///
  /// Deterministic: the same figure gives the same bytes (SVG, PDF, PNG), also when many
  /// figures are drawn in one process.
  public func data(_ format: ImageFormat, scale: Double = 2) throws -> [UInt8] {
    try data(format, scale: scale, as: size)
  }

  /// The figure encoded as `format` at another size and style than its own (`size`), e.g. its
  /// slide variant, `FigureSize.slide(for:)`: the same panels, data and marks, laid out again for
  /// `size`. The figure itself does not change, so one figure can be drawn for several media at
  /// the same time.
  public func data(_ format: ImageFormat, scale: Double = 2, as size: FigureSize) throws -> [UInt8] {
    try validate(scale: scale, size: size)
    var smallest = Double.infinity
    let figure = arranged(for: size)
    let bytes = try CairoCanvas.render(
      format: format, width: size.width, height: size.height, scale: scale
    ) { canvas in
      try figure.draw(on: canvas, size: size)
      smallest = canvas.smallestText
    }
    guard format == .svg else { return bytes }
    return SVGIdentifiers.stabilize(SVGIdentifiers.noting(smallestText: smallest, in: bytes), prefix: id)
  }

  /// The figure's own size and style.
  public var size: FigureSize { FigureSize(width: width, height: height, style: style) }

  /// Writes the figure to `url`, in the format named by its extension (`.svg`, `.png`, `.pdf`).
  /// The file is written atomically (to a temporary file, then moved).
  public func write(to url: URL, scale: Double = 2) throws {
    guard let format = ImageFormat(pathExtension: url.pathExtension) else {
      throw PlotError.unknownFormat(path: url.path)
    }
    let bytes = try data(format, scale: scale)
    do {
      try Data(bytes).write(to: url, options: .atomic)
    } catch {
      throw PlotError.writeFailed(path: url.path, reason: error.localizedDescription)
    }
  }

  /// The pixels the PNG at `scale` holds, for tests and pixel checks.
  public func raster(scale: Double = 2) throws -> Raster {
    try validate(scale: scale, size: size)
    return try CairoCanvas.raster(width: width, height: height, scale: scale) {
      try self.draw(on: $0, size: self.size)
    }
  }

  /// Where the data point `(x, y)` of `panel` lands in the raster at `scale` (column, row), or
  /// nil if it is not drawable there (e.g. ≤ 0 on a log axis).
  /// - Precondition: `panel` belongs to this figure.
  public func pixel(x: Double, y: Double, in panel: Axes, scale: Double = 2) throws -> (
    x: Int, y: Int
  )? {
    guard let index = panels.firstIndex(where: { $0 === panel }) else {
      preconditionFailure("panel does not belong to this figure")
    }
    let layouts = try CairoCanvas.measuring { canvas in layout(measure: canvas) }
    let p = layouts.panels[index].point(x, y)
    guard p.x.isFinite, p.y.isFinite else { return nil }
    let k = scale * style.scale
    return (Int((p.x * k).rounded(.down)), Int((p.y * k).rounded(.down)))
  }

  /// The width and height, in points of the output, of `panel`'s plot area (inside its axes) as
  /// the figure lays it out now; to fit a plane to the frame's aspect before drawing on it.
  /// - Precondition: `panel` belongs to this figure.
  public func plotAreaSize(of panel: Axes) throws -> (width: Double, height: Double) {
    guard let index = panels.firstIndex(where: { $0 === panel }) else {
      preconditionFailure("panel does not belong to this figure")
    }
    let plot = try CairoCanvas.measuring { canvas in layout(measure: canvas) }.panels[index].plot
    return (plot.width * style.scale, plot.height * style.scale)
  }

  private func validate(scale: Double, size: FigureSize) throws {
    let (width, height) = (size.width, size.height)
    let ok =
      width.isFinite && height.isFinite && scale.isFinite && width > 0 && height > 0 && scale > 0
      && width * scale <= 32_000 && height * scale <= 32_000
    guard ok else { throw PlotError.invalidSize(width: width, height: height, scale: scale) }
  }

  // MARK: Layout and drawing

  struct FigureLayout {
    var panels: [PanelLayout]
    var colorBar: Rect?
    var colorBarTicks = AxisTicks()
    var titleBaseline: Double?
    /// The figure title's lines, wrapped to the canvas (`TextWrap`), the first at `titleBaseline`.
    var titleLines: [String] = []
    var titleLineHeight = 0.0
    /// A small panel's legend, drawn beside the grid instead of over the panel's data: which
    /// panel's, and where (`liftedLegend(measure:area:)`).
    var liftedLegend: (panel: Int, rect: Rect)?
  }

  func layout(measure: TextMeasuring) -> FigureLayout {
    layout(measure: measure, size: size)
  }

  func layout(measure: TextMeasuring, size: FigureSize) -> FigureLayout {
    // A scaled style lays out a smaller figure and draws it larger.
    let style = size.style
    var area = Rect(x: 0, y: 0, width: size.width / style.scale, height: size.height / style.scale)
      .inset(
        left: Metrics.figurePadding, top: Metrics.figurePadding, right: Metrics.figurePadding,
        bottom: Metrics.figurePadding)
    var titleBaseline: Double? = nil
    var titleLines: [String] = []
    let titleLine = measure.measure("0", font: Metrics.figureTitleFont)
    if let title {
      titleLines = TextWrap.lines(title, font: Metrics.figureTitleFont, width: area.width, measure: measure)
      titleBaseline = area.minY + Metrics.panelPadding + titleLine.ascent
      area = area.inset(top: Metrics.panelPadding + Double(titleLines.count) * titleLine.lineHeight + 4)
    }
    var barWidth = 0.0
    if let bar = sharedColorBar {
      barWidth = Axes.colorBarWidth(bar, measure: measure) + Metrics.panelPadding
      area = area.inset(right: barWidth)
    }
    let grid = size.grid ?? PanelGrid(rows: rows, columns: columns)
    precondition(grid.rows * grid.columns >= panels.count, "a grid must have a cell for every panel")
    let below = size.colorBarBelow
    var layouts = layoutPanels(in: area, grid: grid, colorBarBelow: below, measure: measure)
    var lifted: (panel: Int, rect: Rect)? = nil
    if let (index, size) = liftedLegend(layouts, measure: measure) {
      // At the figure's right edge: a shared colour bar stays beside the panels.
      let right = area.maxX + barWidth
      area = area.inset(right: size.width + Metrics.panelPadding)
      layouts = layoutPanels(in: area, grid: grid, colorBarBelow: below, measure: measure)
      layouts[index].legendLifted = true
      let top = layouts.map(\.plot.minY).min() ?? area.minY
      let bottom = layouts.map(\.plot.maxY).max() ?? area.maxY
      let rect = Rect(
        x: right - size.width, y: top + max(0, (bottom - top - size.height) / 2),
        width: size.width, height: size.height)
      lifted = (index, rect)
    }
    var result = FigureLayout(
      panels: layouts, titleBaseline: titleBaseline, titleLines: titleLines,
      titleLineHeight: titleLine.lineHeight,
      liftedLegend: lifted)
    if let bar = sharedColorBar {
      let top = layouts.map(\.plot.minY).min() ?? area.minY
      let bottom = layouts.map(\.plot.maxY).max() ?? area.maxY
      let right = layouts.map { $0.plot.maxX }.max() ?? area.maxX
      let height = bottom - top
      // A bar no taller than 80 % of the panels' span, centred on it.
      let barHeight = min(height, max(height * 0.8, 120))
      result.colorBar = Rect(
        x: right + Metrics.colorBarGap, y: top + (height - barHeight) / 2,
        width: Metrics.colorBarWidth, height: barHeight)
      result.colorBarTicks = Axes.colorBarTicks(bar)
    }
    return result
  }

  private func layoutPanels(
    in area: Rect, grid: PanelGrid, colorBarBelow: Bool = false, measure: TextMeasuring
  ) -> [PanelLayout] {
    let (rows, columns) = (grid.rows, grid.columns)
    let cellWidth = area.width / Double(columns)
    let cellHeight = area.height / Double(rows)
    return panels.enumerated().map { i, panel in
      let cell = Rect(
        x: area.minX + Double(i % columns) * cellWidth, y: area.minY + Double(i / columns) * cellHeight,
        width: cellWidth, height: cellHeight)
      return panel.layout(in: cell, measure: measure, colorBarBelow: colorBarBelow)
    }
  }

  /// The panel of a grid whose legend would cover more than a quarter of its plot area (small
  /// multiples drawn small, as a slide variant draws them), and the legend's size: the figure
  /// then draws that legend to the right of the grid. Nil for a single panel, and when every
  /// legend has room.
  private func liftedLegend(_ layouts: [PanelLayout], measure: TextMeasuring) -> (
    Int, (width: Double, height: Double)
  )? {
    guard panels.count > 1 else { return nil }
    for (i, panel) in panels.enumerated() where panel.legend != .hidden && panel.legend != .outsideRight {
      let size = panel.legendSize(measure: measure)
      let plot = layouts[i].plot
      if size.width > 0, size.width * size.height > 0.25 * plot.width * plot.height { return (i, size) }
    }
    return nil
  }

  private func draw(on canvas: CairoCanvas, size: FigureSize) throws {
    let style = size.style
    canvas.setColor(Theme.background)
    canvas.paint()
    if style.scale != 1 { canvas.scale(style.scale) }
    let layout = layout(measure: canvas, size: size)
    for (panel, panelLayout) in zip(panels, layout.panels) {
      panel.draw(panelLayout, on: canvas)
    }
    for (line, point) in layout.titlePlacements(size: size) {
      canvas.text(
        line, at: point, font: Metrics.figureTitleFont, color: Theme.text, horizontal: .center,
        vertical: .baseline)
    }
    if let bar = sharedColorBar, let rect = layout.colorBar {
      Axes.drawColorBar(bar, in: rect, ticks: layout.colorBarTicks, canvas)
    }
    if let (index, rect) = layout.liftedLegend { panels[index].drawLegend(in: rect, canvas) }
  }
}
