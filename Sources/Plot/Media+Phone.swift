// The phone variant of a page figure: the page shows a figure at most at its own size, so on a
// phone a 640 px figure in the 361 px column of a 390 px screen showed its 10 px text at 5.6 px.
// The phone variant is the same figure drawn narrower with its text at the page's size, which the
// page serves to narrow screens (`<picture>`, `handout.css`).
import Foundation

extension FigureSize {
  /// The width a phone variant is drawn at: the text column of a 390 px phone screen (361 px:
  /// `handout.css`'s padding), which the page stretches it to.
  public static let phoneWidth = 360.0
  /// A page figure at most this wide has no phone variant: in the 361 px column its smallest
  /// text still shows at about 9 px (`pageText` × 361 / 400).
  public static let phoneWidest = 400.0
  /// The fewest columns a phone variant lays out charts in: a chart narrower than this many px
  /// shows its ticks crowded.
  static let phoneChart = 170.0

  /// The size and style `figure` is drawn in for a phone, or nil when its page variant is
  /// narrow enough to show as it is (`phoneWidest`): `phoneWidth` wide, in a style whose smallest
  /// text is `pageText` px there (or the page variant's own proportion, when larger), as tall as
  /// the page variant's aspect gives, but at least 3:4 of its width (the text does not shrink with
  /// the figure, so the plot needs the height). A grid of charts (panels with axes) is laid out in
  /// fewer columns, each at least `phoneChart` wide, and taller by as much (its outer axis labels
  /// move to the new grid's outer panels, `Figure.arranged(for:)`); a grid of pictures (digits,
  /// neuron maps) keeps its own. A single panel's colour bar and outside legend lie under it
  /// (`stacked(_:for:)`). Titles wrap to the canvas and their cells (`TextWrap`).
  /// The course's phone variants are all `phoneWidth` wide (`PhoneFiguresTests`).
  public static func phone(for figure: Figure) -> FigureSize? {
    phone(for: figure, page: page(for: figure))
  }

  /// `phone(for:)` when the figure's page size, `page(for: figure)`, is known already.
  public static func phone(for figure: Figure, page: FigureSize) -> FigureSize? {
    guard page.width > phoneWidest else { return nil }
    // Text the page variant keeps apart must stay apart: a narrower canvas with text of the same
    // size ran 04's network diagram's layer names into each other (beside its colour bar and
    // legend). The next wider canvas is tried (shown in the same column, its text a little
    // smaller), up to what the page already shows. Nor may text run off the canvas (a title wraps
    // to it; an axis label or an annotation does not).
    func crowding(_ size: FigureSize) -> Double? {
      guard let boxes = try? figure.labelBoxes(as: size) else { return nil }
      let canvas = Rect(
        x: 0, y: 0, width: size.width / size.style.scale, height: size.height / size.style.scale)
      let outside = boxes.reduce(0) { $0 + $1.rect.width * $1.rect.height - $1.rect.overlap(canvas) }
      return LabelBox.overlapArea(boxes) + outside
    }
    let allowed = crowding(page) ?? 0
    for width in phoneWidths where width < page.width {
      let size = phone(for: figure, page: page, width: width)
      guard let crowded = crowding(size) else { return nil }
      if crowded <= allowed + 1 { return size }
    }
    return nil
  }

  /// The widths a phone variant is tried at, narrowest first.
  static let phoneWidths = [phoneWidth, phoneWidth * 4 / 3, phoneWidth * 5 / 3]

  /// The phone variant `width` wide (the rule of `phone(for:)`).
  static func phone(for figure: Figure, page: FigureSize, width phoneWidth: Double) -> FigureSize {
    let shrink = phoneWidth / page.width
    let scale = max(pageText / FigureStyle.smallestText, page.style.scale * shrink)
    var height = max(page.height * shrink, phoneWidth * 0.75)
    var grid: PanelGrid?
    let charts = figure.panels.contains { $0.showAxes }
    if figure.panels.count > 1, charts, figure.columns > 1 {
      let fit = max(1, Int(phoneWidth / phoneChart))
      let columns = min(figure.columns, fit)
      if columns < figure.columns {
        let rows = (figure.panels.count + columns - 1) / columns
        // Each cell keeps the page's aspect, at the new cell width.
        let cell = (width: page.width / Double(figure.columns), height: page.height / Double(figure.rows))
        let titled = figure.title == nil ? 0 : 24 * scale
        height = Double(rows) * (phoneWidth / Double(columns)) * cell.height / cell.width + titled
        grid = PanelGrid(rows: rows, columns: columns)
      }
    }
    var size = FigureSize(
      width: phoneWidth, height: height.rounded(), style: FigureStyle(scale: scale), grid: grid)
    return trimmed(stacked(size, for: figure), for: figure, width: phoneWidth)
  }

  /// A single panel's colour bar and outside legend go under its plot (beside it they took a
  /// sixth to a third of the phone's width), and the canvas grows by their height.
  static func stacked(_ size: FigureSize, for figure: Figure) -> FigureSize {
    guard figure.panels.count == 1 else { return size }
    var stacked = size
    stacked.colorBarBelow = true
    let extra = try? CairoCanvas.measuring { canvas -> Double in
      let panel = figure.layout(measure: canvas, size: stacked).panels[0]
      let bar = figure.axes.colorBar.map { Axes.colorBarHeight($0, measure: canvas) } ?? 0
      return bar + (panel.outsideLegend.map { $0.height + Metrics.colorBarGap } ?? 0)
    }
    guard let extra, extra > 0 else { return size }
    stacked.height = (size.height + extra * size.style.scale).rounded()
    return stacked
  }

  /// A single panel with an equal aspect (an input plane) is as wide as the phone lets its plot
  /// be, beside a legend and over its colour bar, up to 4:3 of the width tall: the height its
  /// plot cannot use is cut off. (04's decision boundary had 150 px of blank above and below a
  /// 150 px plot.)
  static func trimmed(_ size: FigureSize, for figure: Figure, width phoneWidth: Double) -> FigureSize {
    guard figure.panels.count == 1, figure.axes.aspect == .equal else { return size }
    var size = size
    size.height = max(size.height, (phoneWidth * 4 / 3).rounded())
    guard let panel = try? CairoCanvas.measuring({ figure.layout(measure: $0, size: size).panels[0] })
    else { return size }
    let spare = (panel.available.height - panel.plot.height) * size.style.scale
    guard spare > 1 else { return size }
    var trimmed = size
    trimmed.height = max(size.height - spare, phoneWidth / 2).rounded()
    return trimmed
  }
}
