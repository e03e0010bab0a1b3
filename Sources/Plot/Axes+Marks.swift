// How each kind of mark is drawn on a panel: lines, scatter markers, bars, heatmaps, images,
// reference lines, text and shapes.

import Foundation

extension Axes {
  // MARK: Marks

  func drawLine(
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

  func drawScatter(_ m: ScatterMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
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

  func drawBars(_ m: BarMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
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

  func drawHeatmap(_ m: HeatmapMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
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
      // Each pixel looks its bin's colour up (the same words `color(_:)` gives): a boundary
      // plot's image is about a million pixels, drawn once for each of a figure's files.
      let steps = m.map.steps!
      let table = m.map.binWords(steps: steps)
      let words = [UInt32](unsafeUninitializedCapacity: columns * rows) { out, count in
        for r in 0..<rows {
          // Image row 0 is the top; grid row 0 is the bottom.
          let gy = (Double(rows - 1 - r) + 0.5) / Double(rows) * Double(g.rows) - 0.5
          for c in 0..<columns {
            let gx = (Double(c) + 0.5) / Double(columns) * Double(g.columns) - 0.5
            out[r * columns + c] = table[m.map.bin(Axes.bilinear(g, gx, gy), steps: steps)]
          }
        }
        count = columns * rows
      }
      canvas.image(columns: columns, rows: rows, words: words, in: rect, smooth: false)
      return
    }
    let words = m.cellWords.words(grid: g, map: m.map) {
      var words = [UInt32]()
      words.reserveCapacity(g.columns * g.rows)
      for row in stride(from: g.rows - 1, through: 0, by: -1) {
        for col in 0..<g.columns { words.append(m.map.color(g[col, row]).premultipliedARGB) }
      }
      return words
    }
    canvas.image(columns: g.columns, rows: g.rows, words: words, in: rect, smooth: m.smooth)
  }

  func drawImage(_ m: ImageMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
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

  func drawReference(_ m: ReferenceMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
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

  func drawText(_ m: TextMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
    let p = layout.point(m.x, m.y)
    guard p.x.isFinite, p.y.isFinite else { return }
    canvas.text(
      m.text, at: Point(x: p.x + m.dx, y: p.y - m.dy), font: Font(size: m.size), color: readableColor(m),
      horizontal: m.horizontal, vertical: m.vertical, angle: m.angle)
  }

  /// A text mark's colour, darkened or lightened as little as makes it readable (4.5:1, WCAG
  /// 1.4.3) on the cell of the last heatmap under its anchor, or on the filled circle it is
  /// centred on (a network diagram's neuron). Elsewhere the author's colour is kept: what lies under it (an
  /// image, bars) is not known. 06's mistakes were counted in vermillion at 3.9:1 on near-white
  /// cells, and 33 in white at 2.9:1 on a mid-blue one.
  func readableColor(_ m: TextMark) -> Color {
    var background: Color?
    for mark in marks {
      switch mark {
      case .heatmap(let h):
        if let cell = Self.cell(of: h, at: m.x, m.y) { background = cell }
      case .shape(let s):
        // Only text centred on the circle's centre is on it (a label beside a marker is not).
        guard case .circle = s.kind, let fill = s.fill, fill.alpha == 1, let centre = s.points.first,
          centre.x == m.x, centre.y == m.y, m.horizontal == .center, m.vertical == .center, m.dx == 0,
          m.dy == 0
        else { continue }
        background = fill
      default: continue
      }
    }
    return background.map { m.color.readable(on: $0) } ?? m.color
  }

  /// The opaque colour of `h`'s cell at (`x`, `y`); nil outside the grid (or for a grid of no
  /// width, NaN or infinity).
  static func cell(of h: HeatmapMark, at x: Double, _ y: Double) -> Color? {
    let g = h.grid
    guard g.columns > 0, g.rows > 0, g.values.count == g.columns * g.rows else { return nil }
    let fx = (x - g.x.lowerBound) / (g.x.upperBound - g.x.lowerBound)
    let fy = (y - g.y.lowerBound) / (g.y.upperBound - g.y.lowerBound)
    guard fx >= 0, fx < 1, fy >= 0, fy < 1 else { return nil }
    let column = min(Int(fx * Double(g.columns)), g.columns - 1)
    let row = min(Int(fy * Double(g.rows)), g.rows - 1)
    let cell = h.map.color(g.values[row * g.columns + column])
    return cell.alpha == 1 ? cell : nil
  }

  func drawShape(_ m: ShapeMark, _ layout: PanelLayout, _ canvas: CairoCanvas) {
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
