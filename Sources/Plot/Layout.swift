import Foundation

/// Sizes of the chart furniture, in points at logical size.
enum Metrics {
  // The smallest text is 10 pt: a page shows it at 10 px at 100 % zoom (the rule in `Plot.md`).
  static let tickFont = Font(size: 10)
  static let labelFont = Font(size: 11.5)
  static let titleFont = Font(size: 12, bold: true)
  static let figureTitleFont = Font(size: 13.5, bold: true)
  static let legendFont = Font(size: 10)
  static let colorBarLabelFont = Font(size: 11)

  static let figurePadding = 4.0
  static let panelPadding = 6.0
  static let tickLength = 4.0
  static let tickPad = 3.0
  static let labelGap = 5.0
  static let titleGap = 7.0
  static let frameWidth = 0.8
  static let gridWidth = 0.6
  static let colorBarGap = 12.0
  static let colorBarWidth = 12.0
  /// How much auto limits extend past the data on each side, as a fraction of the range.
  static let expansion = 0.05
}

/// Maps data values on one axis to figure coordinates.
struct AxisMap {
  var lo: Double
  var hi: Double
  var log: Bool
  /// Figure coordinate of `lo` and of `hi` (for y, `start` is the bottom).
  var start: Double
  var end: Double

  func callAsFunction(_ v: Double) -> Double {
    let t: Double
    if log {
      guard v > 0, lo > 0, hi > 0 else { return .nan }
      t = (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
    } else {
      t = (v - lo) / (hi - lo)
    }
    return start + t * (end - start)
  }

  /// Data units per point-independent span: decades for log axes.
  var span: Double { log ? log10(hi) - log10(lo) : hi - lo }
}

/// Major ticks with labels, plus unlabelled minor ticks.
struct AxisTicks {
  var major: [Double] = []
  var labels: [String] = []
  var minor: [Double] = []
}

/// Where everything of one panel goes.
struct PanelLayout {
  var plot: Rect
  var xMap: AxisMap
  var yMap: AxisMap
  var xTicks: AxisTicks
  var yTicks: AxisTicks
  /// Rectangle of the colour bar itself (the gradient), if the panel has one.
  var colorBar: Rect?
  var colorBarTicks: AxisTicks
  /// Width reserved for an outside legend, if any.
  var outsideLegend: Rect?
  /// The figure draws this panel's legend beside its grid (`Figure.liftedLegend`), not the panel.
  var legendLifted = false
  /// The room the plot area had before an equal aspect made it smaller on one side.
  var available = Rect(x: 0, y: 0, width: 0, height: 0)
  /// The panel title's lines, wrapped to the room it has (`Axes.titleLines`); empty: no title.
  var titleLines: [String] = []
  /// The colour bar lies under the plot (`FigureSize.colorBarBelow`).
  var colorBarBelow = false
  /// The cell the panel was laid out in.
  var cell = Rect(x: 0, y: 0, width: 0, height: 0)

  func point(_ x: Double, _ y: Double) -> Point { Point(x: xMap(x), y: yMap(y)) }
}

extension Axes {

  /// The limits of one axis: explicit, or the data range padded (and never empty).
  /// Returns the limits and the range the automatic ticks are chosen for.
  static func resolveLimits(
    _ options: AxisOptions, lo: Double, hi: Double, tight: Bool, baseline: Double?
  ) -> (limits: (Double, Double), tickRange: (Double, Double)) {
    let log = options.scale == .log10
    if let fixed = options.limits {
      var a = fixed.lowerBound
      var b = fixed.upperBound
      if log {
        a = a > 0 ? a : 1
        b = b > a ? b : a * 10
      } else if b <= a {
        a -= 0.5
        b += 0.5
      }
      return ((a, b), (a, b))
    }
    guard lo <= hi else { return log ? ((1, 10), (1, 10)) : ((0, 1), (0, 1)) }
    var a = lo
    var b = hi
    if log {
      var la = log10(a)
      var lb = log10(b)
      if lb - la < 1e-12 {
        la -= 0.5
        lb += 0.5
      }
      let tickRange = (pow(10, la), pow(10, lb))
      if !tight {
        let pad = (lb - la) * Metrics.expansion
        la -= pad
        lb += pad
      }
      return ((pow(10, la), pow(10, lb)), tickRange)
    }
    if b - a < 1e-12 * max(1, abs(a)) {
      let half = a == 0 ? 1 : abs(a) * 0.1
      a -= half
      b += half
    }
    let tickRange = (a, b)
    if !tight {
      let pad = (b - a) * Metrics.expansion
      if baseline != a { a -= pad }
      if baseline != b { b += pad }
    }
    return ((a, b), tickRange)
  }

  /// Ticks for one axis of `length` points; fewer than wanted when labels would collide.
  static func ticks(
    _ options: AxisOptions, limits: (Double, Double), tickRange: (Double, Double), length: Double,
    horizontal: Bool, measure: TextMeasuring
  ) -> AxisTicks {
    let (lo, hi) = limits
    let tolerance = (hi - lo) * 1e-9
    func inside(_ v: Double) -> Bool { v >= lo - tolerance && v <= hi + tolerance }
    if let explicit = options.ticks {
      let kept = explicit.enumerated().filter { inside($0.element) }
      let labels: [String]
      if let given = options.tickLabels, given.count == explicit.count {
        labels = kept.map { given[$0.offset] }
      } else {
        labels =
          options.scale == .log10
          ? Ticks.logLabels(for: kept.map(\.element)) : Ticks.labels(for: kept.map(\.element))
      }
      return AxisTicks(major: kept.map(\.element), labels: labels)
    }
    if options.scale == .log10 {
      let (major, minor) = Ticks.log10(lo, hi, count: options.tickCount)
      let kept = major.filter(inside)
      return AxisTicks(major: kept, labels: Ticks.logLabels(for: kept), minor: minor.filter(inside))
    }
    let font = Metrics.tickFont
    // Aim for at most one label per ~60 pt across (45 pt up), so small multiples get 3 ticks
    // and their neighbouring labels do not run together.
    let roomFor = Int(length / (horizontal ? 60 : 45)) + 1
    func fitting(_ major: [Double]) -> AxisTicks? {
      let labels = Ticks.labels(for: major)
      let fit = fits(
        major, labels, lo: lo, hi: hi, length: length, horizontal: horizontal, font: font, measure: measure)
      return fit ? AxisTicks(major: major, labels: labels) : nil
    }
    func extended(_ m: Int) -> [Double] {
      Ticks.extended(tickRange.0, tickRange.1, count: m, integer: options.integerTicks).filter(inside)
    }
    // The most ticks that fit, two at least: one label alone gives no scale.
    let start = max(min(options.tickCount, max(3, roomFor)), 2)
    var lastResort: AxisTicks?
    for m in stride(from: start, through: 2, by: -1) {
      let major = extended(m)
      if major.count >= 2, let ticks = fitting(major) { return ticks }
      lastResort = lastResort ?? fitting(major)
      if m == 2 { lastResort = lastResort ?? AxisTicks(major: major, labels: Ticks.labels(for: major)) }
    }
    // Then a denser round set, or every other tick of one (a step twice as long, still round); then,
    // as a last resort, the one label that fits.
    for m in (start + 1)...(start + 4) {
      let major = extended(m)
      guard major.count >= 2 else { continue }
      for subset in [major]
        + (major.count >= 3 ? [0, 1].map { stride(from: $0, to: major.count, by: 2).map { major[$0] } } : [])
      where subset.count >= 2 {
        if let ticks = fitting(subset) { return ticks }
      }
    }
    return lastResort ?? AxisTicks()
  }

  private static func fits(
    _ major: [Double], _ labels: [String], lo: Double, hi: Double, length: Double,
    horizontal: Bool, font: Font, measure: TextMeasuring
  ) -> Bool {
    guard major.count >= 2, hi > lo else { return true }
    let spacing = (major[1] - major[0]) / (hi - lo) * length
    if horizontal {
      let widest = labels.map { measure.measure($0, font: font).width }.max() ?? 0
      // A clear gap of at least 1.5 label heights between neighbouring labels.
      return spacing >= widest + 1.5 * measure.measure("0", font: font).lineHeight
    } else {
      return spacing >= 2.2 * measure.measure("0", font: font).lineHeight
    }
  }

  /// Lays the panel out inside `cell`, its legend beside the plot when `legendOutside`.
  func layout(in cell: Rect, measure: TextMeasuring, legendOutside: Bool, colorBarBelow: Bool) -> PanelLayout
  {
    let extent = dataExtent()
    let xr = Axes.resolveLimits(
      x, lo: extent.xLo, hi: extent.xHi, tight: extent.tightX, baseline: nil)
    let yr = Axes.resolveLimits(
      y, lo: extent.yLo, hi: extent.yHi, tight: extent.tightY, baseline: extent.yBaseline)

    // Colour bar: ticks and width needed beside the plot.
    var barTicks = AxisTicks()
    var (barReserve, barBelow) = (0.0, 0.0)
    if let bar = colorBar {
      barTicks = Axes.colorBarTicks(bar)
      if colorBarBelow { barBelow = Axes.colorBarHeight(bar, measure: measure) }
      if !colorBarBelow { barReserve = Axes.colorBarWidth(bar, measure: measure) }
    }

    // Outside legend width.
    var legendReserve = 0.0
    let legendBelow = legendOutside && colorBarBelow && legendSize(measure: measure).width > 0
    if legendBelow {
      barBelow += legendSize(measure: measure).height + Metrics.colorBarGap
    } else if legendOutside {
      let size = legendSize(measure: measure)
      if size.width > 0 { legendReserve = size.width + 10 }
    }

    var plot = cell.inset(left: 40, top: 20, right: 20 + barReserve + legendReserve, bottom: 40)
    var available = plot
    var xTicks = AxisTicks()
    var yTicks = AxisTicks()
    var titleLines: [String] = []
    for _ in 0..<3 {
      if showAxes {
        xTicks = Axes.ticks(
          x, limits: xr.limits, tickRange: xr.tickRange, length: plot.width, horizontal: true,
          measure: measure)
        yTicks = Axes.ticks(
          y, limits: yr.limits, tickRange: yr.tickRange, length: plot.height, horizontal: false,
          measure: measure)
      }
      titleLines = self.titleLines(in: cell, measure: measure)
      let (left, top, right, bottom) = plotInsets(
        xTicks: xTicks, yTicks: yTicks, xLimits: xr.limits, plot: plot,
        reserved: (barReserve, legendReserve, barBelow),
        titleLines: titleLines.count, measure: measure)
      available = cell.inset(left: left, top: top, right: right, bottom: bottom)
      plot = aspect == .equal ? equalAspect(available, xr.limits, yr.limits) : available
    }
    let xMap = AxisMap(
      lo: xr.limits.0, hi: xr.limits.1, log: x.scale == .log10, start: plot.minX, end: plot.maxX)
    let yMap = AxisMap(
      lo: yr.limits.0, hi: yr.limits.1, log: y.scale == .log10, start: plot.maxY, end: plot.minY)
    var barRect: Rect? = nil
    if colorBar != nil, colorBarBelow {
      barRect = self.colorBarBelow(plot, measure: measure)
    } else if colorBar != nil {
      barRect = Rect(
        x: plot.maxX + Metrics.colorBarGap, y: plot.minY, width: Metrics.colorBarWidth,
        height: plot.height)
    }
    var legendRect: Rect? = nil
    if legendBelow {
      legendRect = self.legendBelow(plot, in: cell, measure: measure)
    } else if legendReserve > 0 {
      let size = legendSize(measure: measure)
      legendRect = Rect(
        x: plot.maxX + barReserve + 10, y: plot.minY, width: size.width, height: size.height)
    }
    return PanelLayout(
      plot: plot, xMap: xMap, yMap: yMap, xTicks: xTicks, yTicks: yTicks, colorBar: barRect,
      colorBarTicks: barTicks, outsideLegend: legendRect, available: available, titleLines: titleLines,
      colorBarBelow: colorBarBelow, cell: cell)
  }

  /// The plot area's insets in its cell for these ticks: the panel padding, room for the tick
  /// labels and axis labels, for the first and last x tick labels sticking out past the plot's
  /// ends, for the title, and `reserved` on the right (colour bar and outside legend).
  private func plotInsets(
    xTicks: AxisTicks, yTicks: AxisTicks, xLimits: (Double, Double), plot: Rect,
    reserved: (bar: Double, legend: Double, below: Double), titleLines: Int,
    measure: TextMeasuring
  ) -> (left: Double, top: Double, right: Double, bottom: Double) {
    let tickFont = Metrics.tickFont
    let tickLine = measure.measure("0", font: tickFont).lineHeight
    let pad = Metrics.panelPadding
    var left = pad
    var bottom = pad + reserved.below
    var top = pad
    var right = pad + reserved.bar + reserved.legend
    if showAxes {
      let yWidest = yTicks.labels.map { measure.measure($0, font: tickFont).width }.max() ?? 0
      left += yWidest + Metrics.tickPad + Metrics.tickLength
      if y.label != nil {
        left += measure.measure("0", font: Metrics.labelFont).lineHeight + Metrics.labelGap
      }
      bottom += tickLine + Metrics.tickPad + Metrics.tickLength
      if x.label != nil {
        bottom += measure.measure("0", font: Metrics.labelFont).lineHeight + Metrics.labelGap
      }
      top += tickLine / 2
      // Room for the last x tick label sticking out past the plot area's right edge.
      let probe = AxisMap(
        lo: xLimits.0, hi: xLimits.1, log: x.scale == .log10, start: plot.minX,
        end: plot.maxX)
      var overhang = 0.0
      var leftOverhang = 0.0
      for (t, label) in zip(xTicks.major, xTicks.labels) {
        let w = measure.measure(label, font: tickFont).width
        overhang = max(overhang, probe(t) + w / 2 - plot.maxX)
        leftOverhang = max(leftOverhang, plot.minX - (probe(t) - w / 2))
      }
      if reserved.bar == 0 && reserved.legend == 0 { right += max(0, overhang - pad + 2) }
      // The first x label must not stick out of the cell on the left either.
      left = max(left, pad + leftOverhang)
    }
    if titleLines > 0 {
      top =
        pad + Double(titleLines) * measure.measure("0", font: Metrics.titleFont).lineHeight + Metrics.titleGap
    }
    return (left, top, right, bottom)
  }

  private func equalAspect(_ plot: Rect, _ xl: (Double, Double), _ yl: (Double, Double)) -> Rect {
    func span(_ l: (Double, Double), _ log: Bool) -> Double {
      log ? log10(l.1) - log10(l.0) : l.1 - l.0
    }
    let xs = span(xl, x.scale == .log10)
    let ys = span(yl, y.scale == .log10)
    guard xs > 0, ys > 0, plot.width > 0, plot.height > 0 else { return plot }
    let unit = min(plot.width / xs, plot.height / ys)
    let w = xs * unit
    let h = ys * unit
    // Keep the plot against the top-left margins so labels stay attached; centre horizontally.
    return Rect(x: plot.x + (plot.width - w) / 2, y: plot.y + (plot.height - h) / 2, width: w, height: h)
  }
}
