// A panel's legend (its size, where it goes, how it is drawn) and its colour bar.

import Foundation

extension Axes {
  // MARK: Legend

  private static let legendPadding = 6.0
  private static let legendSwatch = 24.0
  private static let legendGap = 6.0

  /// Size of the legend box (zero when there is nothing to show).
  func legendSize(measure: TextMeasuring) -> (width: Double, height: Double) {
    let entries = legendEntries
    guard !entries.isEmpty, legend != .hidden else { return (0, 0) }
    let font = Metrics.legendFont
    let widest = entries.map { measure.measure($0.label, font: font).width }.max() ?? 0
    let row = legendRowHeight(measure: measure)
    let p = Axes.legendPadding
    return (p * 2 + Axes.legendSwatch + Axes.legendGap + widest, p * 2 - 2 + row * Double(entries.count))
  }

  private func legendRowHeight(measure: TextMeasuring) -> Double {
    let line = measure.measure("0", font: Metrics.legendFont).lineHeight
    let marker = (legendEntries.compactMap { $0.marker?.radius }.max() ?? 0) * 2 + 3
    return max(line + 2, marker)
  }

  /// Where the legend box goes in `layout`, or nil when the panel shows none.
  func legendBox(_ layout: PanelLayout, measure: TextMeasuring) -> Rect? {
    guard !legendEntries.isEmpty, legend != .hidden, !layout.legendLifted else { return nil }
    return layout.outsideLegend ?? legendRect(size: legendSize(measure: measure), layout)
  }

  func drawLegend(_ layout: PanelLayout, _ canvas: CairoCanvas) {
    guard let rect = legendBox(layout, measure: canvas) else { return }
    drawLegend(in: rect, canvas)
  }

  /// The legend box and its entries in `rect` (of `legendSize`).
  func drawLegend(in rect: Rect, _ canvas: CairoCanvas) {
    let entries = legendEntries
    canvas.newPath()
    canvas.rectangle(rect)
    canvas.setColor(Color.white.withAlpha(0.88))
    canvas.fillPreserve()
    canvas.setColor(Theme.legendFrame)
    canvas.setLineWidth(0.6)
    canvas.setDash([])
    canvas.stroke()
    let row = legendRowHeight(measure: canvas)
    let p = Axes.legendPadding
    for (i, entry) in entries.enumerated() {
      let cy = rect.minY + p - 1 + row * (Double(i) + 0.5)
      let sx = rect.minX + p
      if let fill = entry.fill {
        canvas.newPath()
        canvas.rectangle(Rect(x: sx + 4, y: cy - 5, width: Axes.legendSwatch - 8, height: 10))
        canvas.setColor(fill)
        canvas.fill()
      }
      if let line = entry.line {
        canvas.newPath()
        canvas.move(to: Point(x: sx, y: cy))
        canvas.line(to: Point(x: sx + Axes.legendSwatch, y: cy))
        canvas.setColor(line.color)
        canvas.setLineWidth(line.width)
        canvas.setDash(line.dash)
        canvas.stroke()
        canvas.setDash([])
      }
      if let marker = entry.marker {
        Axes.drawMarker(marker, at: Point(x: sx + Axes.legendSwatch / 2, y: cy), canvas)
      }
      canvas.text(
        entry.label, at: Point(x: sx + Axes.legendSwatch + Axes.legendGap, y: cy),
        font: Metrics.legendFont, color: Theme.text, horizontal: .left, vertical: .center)
    }
  }

  /// Lays the panel out inside `cell`. A `.best` legend that would cover data in every inside
  /// corner goes to the right of the plot, where `.outsideRight` puts it: a legend never hides a
  /// curve (the training handout's optimiser and regularisation curves ran under theirs).
  func layout(in cell: Rect, measure: TextMeasuring, colorBarBelow: Bool = false) -> PanelLayout {
    let inside = layout(
      in: cell, measure: measure, legendOutside: legend == .outsideRight, colorBarBelow: colorBarBelow)
    guard legend == .best, !legendEntries.isEmpty,
      bestCorner(size: legendSize(measure: measure), inside).covered > 0
    else { return inside }
    return layout(in: cell, measure: measure, legendOutside: true, colorBarBelow: colorBarBelow)
  }

  /// The inside corner for the legend; `.best` picks the one covering the fewest data points.
  private func legendRect(size: (width: Double, height: Double), _ layout: PanelLayout) -> Rect {
    legend == .best ? bestCorner(size: size, layout).rect : corner(legend, size: size, layout.plot)
  }

  private func corner(_ position: LegendPosition, size: (width: Double, height: Double), _ plot: Rect) -> Rect
  {
    let inset = 6.0
    let left = plot.minX + inset
    let right = plot.maxX - inset - size.width
    let top = plot.minY + inset
    let bottom = plot.maxY - inset - size.height
    switch position {
    case .topLeft: return Rect(x: left, y: top, width: size.width, height: size.height)
    case .bottomLeft: return Rect(x: left, y: bottom, width: size.width, height: size.height)
    case .bottomRight: return Rect(x: right, y: bottom, width: size.width, height: size.height)
    default: return Rect(x: right, y: top, width: size.width, height: size.height)
    }
  }

  /// The inside corner covering the fewest data points, and how many it covers.
  private func bestCorner(size: (width: Double, height: Double), _ layout: PanelLayout) -> (
    rect: Rect, covered: Int
  ) {
    func corner(_ position: LegendPosition) -> Rect { self.corner(position, size: size, layout.plot) }
    // Each corner's data points counted in one pass, without collecting them: a 10 000-epoch
    // loss curve is 50 000 points with the samples along its segments, and the legend is placed
    // for every file a figure is drawn into.
    let positions = [LegendPosition.topRight, .topLeft, .bottomRight, .bottomLeft]
    let rects = positions.map { corner($0).inset(left: -4, top: -4, right: -4, bottom: -4) }
    let (r0, r1, r2, r3) = (rects[0], rects[1], rects[2], rects[3])
    var (c0, c1, c2, c3) = (0, 0, 0, 0)
    func count(_ p: Point) {
      if r0.contains(p) { c0 += 1 }
      if r1.contains(p) { c1 += 1 }
      if r2.contains(p) { c2 += 1 }
      if r3.contains(p) { c3 += 1 }
    }
    func near(_ q: Point, _ p: Point) -> Bool {
      let box = Rect(
        x: min(q.x, p.x) - 1, y: min(q.y, p.y) - 1, width: abs(p.x - q.x) + 2, height: abs(p.y - q.y) + 2)
      return r0.intersects(box) || r1.intersects(box) || r2.intersects(box) || r3.intersects(box)
    }
    for mark in marks {
      switch mark {
      case .line(let m):
        // Also sample along segments, so long straight pieces count.
        var previous: Point? = nil
        for (a, b) in zip(m.xs, m.ys) {
          let p = layout.point(a, b)
          guard p.x.isFinite, p.y.isFinite else {
            previous = nil
            continue
          }
          // The samples lie between the ends: a segment whose box (1 pt larger than rounding
          // could ever move them) meets no corner adds nothing to any count, and most do not.
          if let q = previous, near(q, p) {
            for k in 1...4 {
              let t = Double(k) / 5
              count(Point(x: q.x + (p.x - q.x) * t, y: q.y + (p.y - q.y) * t))
            }
          }
          count(p)
          previous = p
        }
      case .scatter(let m):
        for (x, y) in zip(m.xs, m.ys) { count(layout.point(x, y)) }
      case .bars(let m):
        for (i, h) in m.heights.enumerated() {
          let cx = (m.edges[i] + m.edges[i + 1]) / 2
          let steps = 6
          for k in 0...steps {
            count(layout.point(cx, m.baseline + (h - m.baseline) * Double(k) / Double(steps)))
          }
        }
      default: break
      }
    }
    var best = LegendPosition.topRight
    var bestCount = Int.max
    for (position, count) in zip(positions, [c0, c1, c2, c3]) where count < bestCount {
      best = position
      bestCount = count
    }
    return (corner(best), bestCount)
  }

  // MARK: Colour bar

  /// Width a colour bar needs beside a plot area (gap, bar, ticks, labels, title).
  static func colorBarTicks(_ bar: ColorBarSpec) -> AxisTicks {
    let lo = bar.map.domain.lowerBound
    let hi = bar.map.domain.upperBound
    let major: [Double]
    if let given = bar.ticks {
      major = given.filter { $0 >= min(lo, hi) && $0 <= max(lo, hi) }
    } else {
      major = Ticks.extended(lo, hi, count: 3).filter { $0 >= lo - 1e-12 && $0 <= hi + 1e-12 }
    }
    return AxisTicks(major: major, labels: Ticks.labels(for: major))
  }

  static func colorBarWidth(_ bar: ColorBarSpec, measure: TextMeasuring) -> Double {
    let ticks = colorBarTicks(bar)
    let widest = ticks.labels.map { measure.measure($0, font: Metrics.tickFont).width }.max() ?? 0
    var width = Metrics.colorBarGap + Metrics.colorBarWidth + Metrics.tickLength + Metrics.tickPad + widest
    if bar.label != nil {
      width += Metrics.labelGap + measure.measure("0", font: Metrics.colorBarLabelFont).lineHeight
    }
    return width
  }

  static func drawColorBar(
    _ bar: ColorBarSpec, in rect: Rect, ticks: AxisTicks, _ canvas: CairoCanvas
  ) {
    let map = bar.map
    let lo = map.domain.lowerBound
    let hi = map.domain.upperBound
    let n = map.steps ?? 256
    // Row 0 is the top of the bar: the high end of the domain.
    let colors = (0..<n).map { i -> Color in
      let t = (Double(n - 1 - i) + 0.5) / Double(n)
      return map.color(lo + (hi - lo) * t)
    }
    canvas.image(columns: 1, rows: n, colors: colors, in: rect, smooth: map.steps == nil)
    canvas.newPath()
    canvas.rectangle(rect)
    canvas.setColor(Theme.frame)
    canvas.setLineWidth(0.6)
    canvas.setDash([])
    canvas.stroke()
    let yMap = AxisMap(lo: lo, hi: hi, log: false, start: rect.maxY, end: rect.minY)
    canvas.newPath()
    for t in ticks.major {
      let py = yMap(t)
      canvas.move(to: Point(x: rect.maxX, y: py))
      canvas.line(to: Point(x: rect.maxX + Metrics.tickLength, y: py))
    }
    canvas.setLineWidth(Metrics.frameWidth)
    canvas.stroke()
    var widest = 0.0
    for (t, label) in zip(ticks.major, ticks.labels) {
      widest = max(widest, canvas.measure(label, font: Metrics.tickFont).width)
      canvas.text(
        label, at: Point(x: rect.maxX + Metrics.tickLength + Metrics.tickPad, y: yMap(t)),
        font: Metrics.tickFont, color: Theme.tickLabel, horizontal: .left, vertical: .center)
    }
    if let label = bar.label {
      let px = rect.maxX + Metrics.tickLength + Metrics.tickPad + widest + Metrics.labelGap
      canvas.text(
        label, at: Point(x: px, y: rect.midY), font: Metrics.colorBarLabelFont, color: Theme.text,
        horizontal: .center, vertical: .top, angle: .pi / 2)
    }
  }
}
