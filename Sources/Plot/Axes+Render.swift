import Foundation

extension Axes {
  /// Draws the panel: grid, marks (in order, clipped to the plot area when axes are shown),
  /// frame, ticks, labels, title, legend and colour bar.
  func draw(_ layout: PanelLayout, on canvas: CairoCanvas) {
    let plot = layout.plot
    if showAxes && showGrid { drawGrid(layout, canvas) }

    canvas.save()
    if showAxes { canvas.clip(to: plot) }
    for mark in marks {
      switch mark {
      case .line(let m):
        drawLine(xs: m.xs, ys: m.ys, style: m.style, layout, canvas)
        if let marker = m.marker {
          drawScatter(ScatterMark(xs: m.xs, ys: m.ys, style: marker, label: nil), layout, canvas)
        }
      case .scatter(let m): drawScatter(m, layout, canvas)
      case .bars(let m): drawBars(m, layout, canvas)
      case .heatmap(let m): drawHeatmap(m, layout, canvas)
      case .image(let m): drawImage(m, layout, canvas)
      case .contour(let m):
        for line in m.lines {
          drawLine(xs: line.map(\.x), ys: line.map(\.y), style: m.style, layout, canvas)
        }
      case .reference(let m): drawReference(m, layout, canvas)
      case .shape(let m): drawShape(m, layout, canvas)
      case .text(let m) where m.clip: drawText(m, layout, canvas)
      default: break
      }
    }
    canvas.restore()
    for case .text(let m) in marks where !m.clip { drawText(m, layout, canvas) }

    if showAxes { drawAxes(layout, canvas) }
    if let title {
      canvas.text(
        title, at: Point(x: plot.midX, y: plot.minY - Metrics.titleGap), font: Metrics.titleFont,
        color: Theme.text, horizontal: .center, vertical: .bottom)
    }
    drawLegend(layout, canvas)
    if let bar = colorBar, let rect = layout.colorBar {
      Axes.drawColorBar(bar, in: rect, ticks: layout.colorBarTicks, canvas)
    }
  }

  // MARK: Furniture

  private func drawGrid(_ layout: PanelLayout, _ canvas: CairoCanvas) {
    let plot = layout.plot
    canvas.setColor(Theme.grid)
    canvas.setLineWidth(Metrics.gridWidth)
    canvas.setDash([])
    canvas.newPath()
    for t in layout.xTicks.major {
      let px = layout.xMap(t)
      canvas.move(to: Point(x: px, y: plot.minY))
      canvas.line(to: Point(x: px, y: plot.maxY))
    }
    for t in layout.yTicks.major {
      let py = layout.yMap(t)
      canvas.move(to: Point(x: plot.minX, y: py))
      canvas.line(to: Point(x: plot.maxX, y: py))
    }
    canvas.stroke()
  }

  private func drawAxes(_ layout: PanelLayout, _ canvas: CairoCanvas) {
    let plot = layout.plot
    let font = Metrics.tickFont
    canvas.setDash([])
    canvas.setColor(Theme.frame)
    canvas.setLineWidth(Metrics.frameWidth)
    canvas.newPath()
    canvas.rectangle(plot)
    canvas.stroke()

    // Major and minor ticks, outward.
    canvas.newPath()
    for t in layout.xTicks.major {
      let px = layout.xMap(t)
      canvas.move(to: Point(x: px, y: plot.maxY))
      canvas.line(to: Point(x: px, y: plot.maxY + Metrics.tickLength))
    }
    for t in layout.yTicks.major {
      let py = layout.yMap(t)
      canvas.move(to: Point(x: plot.minX, y: py))
      canvas.line(to: Point(x: plot.minX - Metrics.tickLength, y: py))
    }
    for t in layout.xTicks.minor {
      let px = layout.xMap(t)
      canvas.move(to: Point(x: px, y: plot.maxY))
      canvas.line(to: Point(x: px, y: plot.maxY + Metrics.tickLength * 0.55))
    }
    for t in layout.yTicks.minor {
      let py = layout.yMap(t)
      canvas.move(to: Point(x: plot.minX, y: py))
      canvas.line(to: Point(x: plot.minX - Metrics.tickLength * 0.55, y: py))
    }
    canvas.stroke()

    let labelTop = plot.maxY + Metrics.tickLength + Metrics.tickPad
    for (t, label) in zip(layout.xTicks.major, layout.xTicks.labels) {
      canvas.text(
        label, at: Point(x: layout.xMap(t), y: labelTop), font: font, color: Theme.tickLabel,
        horizontal: .center, vertical: .top)
    }
    var widest = 0.0
    for (t, label) in zip(layout.yTicks.major, layout.yTicks.labels) {
      widest = max(widest, canvas.measure(label, font: font).width)
      canvas.text(
        label, at: Point(x: plot.minX - Metrics.tickLength - Metrics.tickPad, y: layout.yMap(t)),
        font: font, color: Theme.tickLabel, horizontal: .right, vertical: .center)
    }
    let tickLine = canvas.measure("0", font: font).lineHeight
    if let label = x.label {
      canvas.text(
        label, at: Point(x: plot.midX, y: labelTop + tickLine + Metrics.labelGap),
        font: Metrics.labelFont, color: Theme.text, horizontal: .center, vertical: .top)
    }
    if let label = y.label {
      let px = plot.minX - Metrics.tickLength - Metrics.tickPad - widest - Metrics.labelGap
      canvas.text(
        label, at: Point(x: px, y: plot.midY), font: Metrics.labelFont, color: Theme.text,
        horizontal: .center, vertical: .bottom, angle: .pi / 2)
    }
  }

  // MARK: Marks

  private func drawLine(
    xs: [Double], ys: [Double], style: LineStyle, _ layout: PanelLayout, _ canvas: CairoCanvas
  ) {
    canvas.newPath()
    // Each unbroken run of finite points is one subpath; a non-finite value lifts the pen.
    var run: [Point] = []
    func flush() {
      let points =
        simplifiesLines && run.count > PolylineSimplification.minimumCount
        ? PolylineSimplification.simplify(run) : run
      for (i, p) in points.enumerated() {
        if i == 0 { canvas.move(to: p) } else { canvas.line(to: p) }
      }
      run.removeAll(keepingCapacity: true)
    }
    for (a, b) in zip(xs, ys) {
      let p = layout.point(a, b)
      if p.x.isFinite, p.y.isFinite { run.append(p) } else { flush() }
    }
    flush()
    canvas.setColor(style.color)
    canvas.setLineWidth(style.width)
    canvas.setDash(style.dash)
    canvas.stroke()
    canvas.setDash([])
  }

  private func drawScatter(_ m: ScatterMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    for (a, b) in zip(m.xs, m.ys) {
      let p = layout.point(a, b)
      guard p.x.isFinite, p.y.isFinite else { continue }
      Axes.drawMarker(m.style, at: p, canvas)
    }
  }

  static func drawMarker(_ style: MarkerStyle, at p: Point, _ canvas: CairoCanvas) {
    let r = style.radius
    canvas.setDash([])
    switch style.shape {
    case .cross, .plus:
      let arm = style.shape == .cross ? r * 0.9 : r * 1.15
      let width = max(1.4, r * 0.45)
      func path() {
        canvas.newPath()
        if style.shape == .cross {
          canvas.move(to: Point(x: p.x - arm, y: p.y - arm))
          canvas.line(to: Point(x: p.x + arm, y: p.y + arm))
          canvas.move(to: Point(x: p.x - arm, y: p.y + arm))
          canvas.line(to: Point(x: p.x + arm, y: p.y - arm))
        } else {
          canvas.move(to: Point(x: p.x - arm, y: p.y))
          canvas.line(to: Point(x: p.x + arm, y: p.y))
          canvas.move(to: Point(x: p.x, y: p.y - arm))
          canvas.line(to: Point(x: p.x, y: p.y + arm))
        }
      }
      canvas.setLineCap(.round)
      if let edge = style.edge, style.edgeWidth > 0 {
        path()
        canvas.setColor(edge)
        canvas.setLineWidth(width + 2 * style.edgeWidth)
        canvas.stroke()
      }
      path()
      canvas.setColor(style.fill)
      canvas.setLineWidth(width)
      canvas.stroke()
      canvas.setLineCap(.butt)
      return
    case .circle:
      canvas.newPath()
      canvas.circle(center: p, radius: r)
    case .square:
      let h = r * 0.89
      canvas.newPath()
      canvas.rectangle(Rect(x: p.x - h, y: p.y - h, width: 2 * h, height: 2 * h))
    case .diamond:
      let h = r * 1.25
      canvas.newPath()
      canvas.move(to: Point(x: p.x, y: p.y - h))
      canvas.line(to: Point(x: p.x + h, y: p.y))
      canvas.line(to: Point(x: p.x, y: p.y + h))
      canvas.line(to: Point(x: p.x - h, y: p.y))
      canvas.closePath()
    case .triangle:
      // Equilateral, centroid on the point, area close to the circle's.
      let R = r * 1.35
      canvas.newPath()
      canvas.move(to: Point(x: p.x, y: p.y - R))
      canvas.line(to: Point(x: p.x + R * 0.866, y: p.y + R * 0.5))
      canvas.line(to: Point(x: p.x - R * 0.866, y: p.y + R * 0.5))
      canvas.closePath()
    }
    fillWithEdge(style.fill, edge: style.edge, width: style.edgeWidth, canvas)
  }

  private func drawBars(_ m: BarMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    for (i, h) in m.heights.enumerated() where h.isFinite {
      let x0 = layout.xMap(m.edges[i])
      let x1 = layout.xMap(m.edges[i + 1])
      let y0 = layout.yMap(m.baseline)
      let y1 = layout.yMap(h)
      guard x0.isFinite, x1.isFinite, y0.isFinite, y1.isFinite else { continue }
      let rect = Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
      canvas.newPath()
      canvas.rectangle(rect)
      fillWithEdge(m.fill, edge: m.edge, width: m.edgeWidth, canvas)
    }
  }

  private func drawHeatmap(_ m: HeatmapMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    let g = m.grid
    let x0 = layout.xMap(g.x.lowerBound)
    let x1 = layout.xMap(g.x.upperBound)
    let yTop = layout.yMap(g.y.upperBound)
    let yBottom = layout.yMap(g.y.lowerBound)
    guard x0.isFinite, x1.isFinite, yTop.isFinite, yBottom.isFinite else { return }
    let rect = Rect(
      x: min(x0, x1), y: min(yTop, yBottom), width: abs(x1 - x0), height: abs(yBottom - yTop))
    if m.map.steps != nil && m.smooth {
      // A stepped map over smoothly varying values: interpolate the values (not the colours)
      // on a grid of about two samples per point, then paint crisp pixels, so the steps'
      // borders are smooth curves rather than the cells' staircase.
      let columns = max(g.columns, min(2000, Int((rect.width * 2).rounded(.up))))
      let rows = max(g.rows, min(2000, Int((rect.height * 2).rounded(.up))))
      var colors = [Color]()
      colors.reserveCapacity(columns * rows)
      for r in 0..<rows {
        // Image row 0 is the top; grid row 0 is the bottom.
        let gy = (Double(rows - 1 - r) + 0.5) / Double(rows) * Double(g.rows) - 0.5
        for c in 0..<columns {
          let gx = (Double(c) + 0.5) / Double(columns) * Double(g.columns) - 0.5
          colors.append(m.map.color(Axes.bilinear(g, gx, gy)))
        }
      }
      canvas.image(columns: columns, rows: rows, colors: colors, in: rect, smooth: false)
      return
    }
    var colors = [Color]()
    colors.reserveCapacity(g.columns * g.rows)
    for row in stride(from: g.rows - 1, through: 0, by: -1) {
      for col in 0..<g.columns { colors.append(m.map.color(g[col, row])) }
    }
    canvas.image(columns: g.columns, rows: g.rows, colors: colors, in: rect, smooth: m.smooth)
  }

  private func drawImage(_ m: ImageMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    let x0 = layout.xMap(m.x.lowerBound)
    let x1 = layout.xMap(m.x.upperBound)
    let yTop = layout.yMap(m.y.upperBound)
    let yBottom = layout.yMap(m.y.lowerBound)
    guard x0.isFinite, x1.isFinite, yTop.isFinite, yBottom.isFinite else { return }
    let rect = Rect(
      x: min(x0, x1), y: min(yTop, yBottom), width: abs(x1 - x0), height: abs(yBottom - yTop))
    var flipped = [Color]()
    flipped.reserveCapacity(m.colors.count)
    for row in stride(from: m.rows - 1, through: 0, by: -1) {
      flipped += m.colors[(row * m.columns)..<((row + 1) * m.columns)]
    }
    canvas.image(columns: m.columns, rows: m.rows, colors: flipped, in: rect, smooth: m.smooth)
  }

  /// The grid's value at fractional cell indices, bilinear between cell centres, clamped at
  /// the edges.
  static func bilinear(_ g: Grid, _ gx: Double, _ gy: Double) -> Double {
    let x = min(max(gx, 0), Double(g.columns - 1))
    let y = min(max(gy, 0), Double(g.rows - 1))
    let i = min(Int(x), max(g.columns - 2, 0))
    let j = min(Int(y), max(g.rows - 2, 0))
    let i1 = min(i + 1, g.columns - 1)
    let j1 = min(j + 1, g.rows - 1)
    let tx = x - Double(i)
    let ty = y - Double(j)
    let bottom = g[i, j] * (1 - tx) + g[i1, j] * tx
    let top = g[i, j1] * (1 - tx) + g[i1, j1] * tx
    return bottom * (1 - ty) + top * ty
  }

  private func drawReference(_ m: ReferenceMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    let plot = layout.plot
    canvas.newPath()
    if m.vertical {
      let px = layout.xMap(m.value)
      guard px.isFinite else { return }
      canvas.move(to: Point(x: px, y: plot.minY))
      canvas.line(to: Point(x: px, y: plot.maxY))
    } else {
      let py = layout.yMap(m.value)
      guard py.isFinite else { return }
      canvas.move(to: Point(x: plot.minX, y: py))
      canvas.line(to: Point(x: plot.maxX, y: py))
    }
    canvas.setColor(m.style.color)
    canvas.setLineWidth(m.style.width)
    canvas.setDash(m.style.dash)
    canvas.stroke()
    canvas.setDash([])
  }

  private func drawText(_ m: TextMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    let p = layout.point(m.x, m.y)
    guard p.x.isFinite, p.y.isFinite else { return }
    canvas.text(
      m.text, at: Point(x: p.x + m.dx, y: p.y - m.dy), font: Font(size: m.size), color: m.color,
      horizontal: m.horizontal, vertical: m.vertical, angle: m.angle)
  }

  private func drawShape(_ m: ShapeMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    let points = m.points.map { layout.point($0.x, $0.y) }
    guard !points.isEmpty, points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { return }
    canvas.newPath()
    switch m.kind {
    case .circle(let radius):
      canvas.circle(center: points[0], radius: radius)
    case .polyline, .polygon:
      canvas.move(to: points[0])
      for p in points.dropFirst() { canvas.line(to: p) }
      if case .polygon = m.kind { canvas.closePath() }
    case .arrow(let head, let shorten):
      guard points.count == 2 else { return }
      let a = points[0]
      let b = points[1]
      let length = hypot(b.x - a.x, b.y - a.y)
      guard length > 2 * shorten + 1e-9 else { return }
      let ux = (b.x - a.x) / length
      let uy = (b.y - a.y) / length
      let start = Point(x: a.x + ux * shorten, y: a.y + uy * shorten)
      let tip = Point(x: b.x - ux * shorten, y: b.y - uy * shorten)
      // The head grows with the line so thick edges still get a visible point.
      let lineWidth = m.stroke?.width ?? 1
      let headLength = min(max(head, lineWidth * 2.6), (length - 2 * shorten) * 0.6)
      let base = Point(x: tip.x - ux * headLength, y: tip.y - uy * headLength)
      let halfWidth = max(headLength * 0.42, lineWidth * 1.2)
      // Stop the shaft inside the head so its square end never shows beside the point.
      let shaftEnd = Point(x: base.x + ux * headLength * 0.3, y: base.y + uy * headLength * 0.3)
      canvas.move(to: start)
      canvas.line(to: shaftEnd)
      if let stroke = m.stroke {
        canvas.setColor(stroke.color)
        canvas.setLineWidth(stroke.width)
        canvas.setDash(stroke.dash)
        canvas.stroke()
        canvas.setDash([])
        canvas.newPath()
        canvas.move(to: tip)
        canvas.line(to: Point(x: base.x - uy * halfWidth, y: base.y + ux * halfWidth))
        canvas.line(to: Point(x: base.x + uy * halfWidth, y: base.y - ux * halfWidth))
        canvas.closePath()
        canvas.fill()
      }
      return
    }
    if let fill = m.fill {
      canvas.setColor(fill)
      if m.stroke != nil { canvas.fillPreserve() } else { canvas.fill() }
    }
    if let stroke = m.stroke {
      canvas.setColor(stroke.color)
      canvas.setLineWidth(stroke.width)
      canvas.setDash(stroke.dash)
      canvas.stroke()
      canvas.setDash([])
    }
    canvas.newPath()
  }

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

  private func drawLegend(_ layout: PanelLayout, _ canvas: CairoCanvas) {
    let entries = legendEntries
    guard !entries.isEmpty, legend != .hidden else { return }
    let size = legendSize(measure: canvas)
    let rect: Rect
    if let outside = layout.outsideLegend {
      rect = outside
    } else {
      rect = legendRect(size: size, layout)
    }
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

  /// The inside corner for the legend; `.best` picks the one covering the fewest data points.
  private func legendRect(size: (width: Double, height: Double), _ layout: PanelLayout) -> Rect {
    let plot = layout.plot
    let inset = 6.0
    func corner(_ position: LegendPosition) -> Rect {
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
    guard legend == .best else { return corner(legend) }
    var points: [Point] = []
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
          if let q = previous {
            for k in 1...4 {
              let t = Double(k) / 5
              points.append(Point(x: q.x + (p.x - q.x) * t, y: q.y + (p.y - q.y) * t))
            }
          }
          points.append(p)
          previous = p
        }
      case .scatter(let m):
        points += zip(m.xs, m.ys).map { layout.point($0, $1) }
      case .bars(let m):
        for (i, h) in m.heights.enumerated() {
          let cx = (m.edges[i] + m.edges[i + 1]) / 2
          let steps = 6
          for k in 0...steps {
            points.append(layout.point(cx, m.baseline + (h - m.baseline) * Double(k) / Double(steps)))
          }
        }
      default: break
      }
    }
    var best = LegendPosition.topRight
    var bestCount = Int.max
    for position in [LegendPosition.topRight, .topLeft, .bottomRight, .bottomLeft] {
      let r = corner(position).inset(left: -4, top: -4, right: -4, bottom: -4)
      let count = points.reduce(0) { $0 + (r.contains($1) ? 1 : 0) }
      if count < bestCount {
        best = position
        bestCount = count
      }
    }
    return corner(best)
  }

  // MARK: Colour bar

  /// Width a colour bar needs beside a plot area (gap, bar, ticks, labels, title).
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

/// Fills the current path with `fill`, then strokes it with `edge` when there is one.
private func fillWithEdge(_ fill: Color, edge: Color?, width: Double, _ canvas: CairoCanvas) {
  canvas.setColor(fill)
  if let edge, width > 0 {
    canvas.fillPreserve()
    canvas.setColor(edge)
    canvas.setLineWidth(width)
    canvas.stroke()
  } else {
    canvas.fill()
  }
}
