// Where a panel's text goes: the boxes of its tick labels, axis labels, title and legend, and
// annotations (`Axes.text`) moved off them. A figure drawn smaller than it was written for (a slide
// variant in the `.talk` style: the same text in half the room) would otherwise draw an
// annotation into the legend or over a tick label.
import Foundation

/// A box of text (or the legend) a panel draws, in figure coordinates at the layout's scale.
struct LabelBox: Equatable {
  enum Kind: Equatable {
    case tickLabel, axisLabel, title, legend, annotation, colorBar
  }
  var kind: Kind
  var text: String
  var rect: Rect
}

/// An annotation as drawn: its anchor (offset applied) and alignment.
struct PlacedText {
  var mark: TextMark
  var point: Point
  var horizontal: HorizontalAlignment
  var vertical: VerticalAlignment
}

extension Axes {
  /// The box of `text` in `font` anchored at `point` as `CairoCanvas.text` draws it (unrotated):
  /// the advance width across, ascent to descent up and down.
  static func textBox(
    _ text: String, at point: Point, font: Font, horizontal: HorizontalAlignment, vertical: VerticalAlignment,
    measure: TextMeasuring
  ) -> Rect {
    let size = measure.measure(text, font: font)
    let left: Double
    switch horizontal {
    case .left: left = point.x
    case .center: left = point.x - size.width / 2
    case .right: left = point.x - size.width
    }
    let baseline: Double
    switch vertical {
    case .top: baseline = point.y + size.ascent
    case .center: baseline = point.y + size.digitHeight / 2
    case .baseline: baseline = point.y
    case .bottom: baseline = point.y - size.descent
    }
    return Rect(x: left, y: baseline - size.ascent, width: size.width, height: size.lineHeight)
  }

  /// The box `textBox` gives, turned by `angle` about `point` as `CairoCanvas.text` turns it (the
  /// bounding box of its corners).
  static func textBox(
    _ text: String, at point: Point, font: Font, horizontal: HorizontalAlignment, vertical: VerticalAlignment,
    angle: Double, measure: TextMeasuring
  ) -> Rect {
    let r = textBox(text, at: point, font: font, horizontal: horizontal, vertical: vertical, measure: measure)
    guard angle != 0 else { return r }
    let (c, s) = (cos(-angle), sin(-angle))
    let corners = [(r.minX, r.minY), (r.maxX, r.minY), (r.minX, r.maxY), (r.maxX, r.maxY)].map { x, y in
      let (dx, dy) = (x - point.x, y - point.y)
      return Point(x: point.x + dx * c - dy * s, y: point.y + dx * s + dy * c)
    }
    let xs = corners.map(\.x)
    let ys = corners.map(\.y)
    return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
  }

  /// The boxes of the panel's tick labels, axis labels, title and legend as `draw` places them.
  func furnitureBoxes(_ layout: PanelLayout, measure: TextMeasuring) -> [LabelBox] {
    let plot = layout.plot
    var boxes: [LabelBox] = []
    func add(
      _ kind: LabelBox.Kind, _ text: String, _ p: Point, _ font: Font, _ h: HorizontalAlignment,
      _ v: VerticalAlignment
    ) {
      boxes.append(
        LabelBox(
          kind: kind, text: text,
          rect: Axes.textBox(text, at: p, font: font, horizontal: h, vertical: v, measure: measure)))
    }
    if showAxes {
      let font = Metrics.tickFont
      let labelTop = plot.maxY + Metrics.tickLength + Metrics.tickPad
      for (t, label) in zip(layout.xTicks.major, layout.xTicks.labels) {
        add(.tickLabel, label, Point(x: layout.xMap(t), y: labelTop), font, .center, .top)
      }
      var widest = 0.0
      for (t, label) in zip(layout.yTicks.major, layout.yTicks.labels) {
        widest = max(widest, measure.measure(label, font: font).width)
        let p = Point(x: plot.minX - Metrics.tickLength - Metrics.tickPad, y: layout.yMap(t))
        add(.tickLabel, label, p, font, .right, .center)
      }
      let tickLine = measure.measure("0", font: font).lineHeight
      if let label = x.label {
        add(
          .axisLabel, label, Point(x: plot.midX, y: labelTop + tickLine + Metrics.labelGap),
          Metrics.labelFont, .center, .top)
      }
      if let label = y.label {
        // Drawn a quarter turn anticlockwise with its bottom at `px`: a column left of it.
        let size = measure.measure(label, font: Metrics.labelFont)
        let px = plot.minX - Metrics.tickLength - Metrics.tickPad - widest - Metrics.labelGap
        let rect = Rect(
          x: px - size.lineHeight, y: plot.midY - size.width / 2, width: size.lineHeight, height: size.width)
        boxes.append(LabelBox(kind: .axisLabel, text: label, rect: rect))
      }
    }
    for (line, point) in titlePlacements(layout, measure: measure) {
      add(.title, line, point, Metrics.titleFont, .center, .bottom)
    }
    if let rect = legendBox(layout, measure: measure) {
      boxes.append(
        LabelBox(kind: .legend, text: legendEntries.map(\.label).joined(separator: ", "), rect: rect))
    }
    return boxes
  }

  /// Where each unclipped annotation goes: as asked, unless its box would run into the furniture
  /// (`furniture`), an annotation placed before it, a circle marker, a series' line, or out of
  /// the plot area when its anchor is in it (its edges too). Then the first of these that is
  /// clear of all of them: pushed back into the plot area, mirrored to the other side of its
  /// anchor (left–right, then above–below, then both), each also pushed in, then each of those
  /// moved up or down by one to four of its heights; when none is clear, the one that runs into
  /// least (a line crossing the box counts its length inside the box times the box's height).
  func placeAnnotations(_ layout: PanelLayout, furniture: [LabelBox], measure: TextMeasuring) -> [PlacedText]
  {
    let inner = layout.plot.inset(left: 1, top: 1, right: 1, bottom: 1)
    var obstacles = furniture.map(\.rect) + markerBoxes(layout)
    let lines = seriesSegments(layout) + referenceSegments(layout)
    var placed: [PlacedText] = []
    for case .text(let m) in marks where !m.clip {
      let anchor = layout.point(m.x, m.y)
      guard anchor.x.isFinite, anchor.y.isFinite else { continue }
      let asked = PlacedText(
        mark: m, point: Point(x: anchor.x + m.dx, y: anchor.y - m.dy), horizontal: m.horizontal,
        vertical: m.vertical)
      // Rotated text, and text whose anchor is outside the plot area, stay where they were put.
      guard m.angle == 0, showAxes, layout.plot.contains(anchor) else {
        obstacles.append(
          Axes.textBox(
            m.text, at: asked.point, font: Font(size: m.size), horizontal: m.horizontal, vertical: m.vertical,
            angle: m.angle, measure: measure))
        placed.append(asked)
        continue
      }
      let font = Font(size: m.size)
      func box(_ t: PlacedText) -> Rect {
        Axes.textBox(
          m.text, at: t.point, font: font, horizontal: t.horizontal, vertical: t.vertical, measure: measure)
      }
      func cost(_ t: PlacedText) -> Double {
        let r = box(t)
        let outside = r.width * r.height - r.overlap(inner)
        let crossed = lines.reduce(0) { $0 + r.clippedLength(from: $1.0, to: $1.1) } * r.height
        return obstacles.reduce(outside + crossed) { $0 + r.overlap($1) }
      }
      var best = asked
      var bestCost = cost(asked)
      if bestCost > 0 {
        let onLine = labelsHorizontalLine(m, layout)
        for candidate in alternatives(asked, anchor: anchor, inside: inner, alongLine: onLine, box: box) {
          let c = cost(candidate)
          if c < bestCost {
            best = candidate
            bestCost = c
          }
          if c == 0 { break }
        }
      }
      obstacles.append(box(best))
      placed.append(best)
    }
    return placed
  }

  /// The boxes of the panel's circle markers, in figure coordinates.
  func markerBoxes(_ layout: PanelLayout) -> [Rect] {
    var boxes: [Rect] = []
    for case .shape(let s) in marks {
      guard case .circle(let radius) = s.kind, let c = s.points.first else { continue }
      let p = layout.point(c.x, c.y)
      guard p.x.isFinite, p.y.isFinite else { continue }
      boxes.append(Rect(x: p.x - radius, y: p.y - radius, width: 2 * radius, height: 2 * radius))
    }
    return boxes
  }

  /// The segments of the panel's series lines (`line`), in figure coordinates; a break (NaN)
  /// or a point off a log axis ends a piece.
  func seriesSegments(_ layout: PanelLayout) -> [(Point, Point)] {
    var segments: [(Point, Point)] = []
    for case .line(let line) in marks {
      var previous: Point?
      for (x, y) in zip(line.xs, line.ys) {
        let p = layout.point(x, y)
        guard p.x.isFinite, p.y.isFinite else {
          previous = nil
          continue
        }
        if let q = previous { segments.append((q, p)) }
        previous = p
      }
    }
    return segments
  }

  /// The panel's reference lines (`horizontalLine`, `verticalLine`: an activation's z = 0) across
  /// its plot area, in figure coordinates: an annotation is not placed across an axis either.
  func referenceSegments(_ layout: PanelLayout) -> [(Point, Point)] {
    let plot = layout.plot
    return marks.compactMap { mark -> (Point, Point)? in
      guard case .reference(let r) = mark else { return nil }
      let at = r.vertical ? layout.xMap(r.value) : layout.yMap(r.value)
      guard at.isFinite else { return nil }
      return r.vertical
        ? (Point(x: at, y: plot.minY), Point(x: at, y: plot.maxY))
        : (Point(x: plot.minX, y: at), Point(x: plot.maxX, y: at))
    }
  }

  /// Whether `mark` is anchored on one of the panel's horizontal reference lines (it labels it).
  func labelsHorizontalLine(_ mark: TextMark, _ layout: PanelLayout) -> Bool {
    let y = layout.yMap(mark.y)
    return marks.contains { mark in
      guard case .reference(let r) = mark, !r.vertical else { return false }
      return abs(layout.yMap(r.value) - y) < 0.5
    }
  }

  /// `asked` pushed into `inside`, then mirrored about its anchor left–right, above–below and
  /// both, each as mirrored and pushed into `inside`; for a note on a horizontal reference line
  /// (`alongLine`), then as asked and mirrored above–below, at the left and at the right end of
  /// the line (it labels the line wherever it stands on it); then each of the first seven moved
  /// up or down.
  private func alternatives(
    _ asked: PlacedText, anchor: Point, inside: Rect, alongLine: Bool, box: (PlacedText) -> Rect
  ) -> [PlacedText] {
    func mirrored(_ t: PlacedText, across: Bool, upDown: Bool) -> PlacedText {
      var m = t
      if across {
        m.point.x = 2 * anchor.x - t.point.x
        switch t.horizontal {
        case .left: m.horizontal = .right
        case .right: m.horizontal = .left
        case .center: break
        }
      }
      if upDown {
        m.point.y = 2 * anchor.y - t.point.y
        switch t.vertical {
        case .bottom, .baseline: m.vertical = .top
        case .top: m.vertical = .bottom
        case .center: break
        }
      }
      return m
    }
    func pushed(_ t: PlacedText) -> PlacedText {
      let r = box(t)
      var m = t
      if r.minX < inside.minX { m.point.x += inside.minX - r.minX }
      if r.maxX > inside.maxX { m.point.x -= r.maxX - inside.maxX }
      if r.minY < inside.minY { m.point.y += inside.minY - r.minY }
      if r.maxY > inside.maxY { m.point.y -= r.maxY - inside.maxY }
      return m
    }
    var result = [pushed(asked)]
    for (across, upDown) in [(true, false), (false, true), (true, true)] {
      let m = mirrored(asked, across: across, upDown: upDown)
      result += [m, pushed(m)]
    }
    if alongLine {
      for t in [asked, mirrored(asked, across: false, upDown: true)] {
        for (horizontal, x) in [(HorizontalAlignment.left, inside.minX + 4), (.right, inside.maxX - 4)] {
          var m = t
          m.horizontal = horizontal
          m.point.x = x
          result.append(pushed(m))
        }
      }
    }
    let height = box(asked).height
    for k in 1...4 {
      for t in result.prefix(7) {
        for direction in [-1.0, 1.0] {
          var m = t
          m.point.y += direction * Double(k) * height
          result.append(pushed(m))
        }
      }
    }
    return result
  }
}

extension Figure {
  /// Every box of text the figure draws at `size` (tick labels, axis labels, panel titles,
  /// legends, annotations where they were placed, and the figure title), in points of the
  /// layout (divide by nothing: the style's scale is not applied). For tests of overlap.
  func labelBoxes(as size: FigureSize) throws -> [LabelBox] {
    let figure = arranged(for: size)
    return try CairoCanvas.measuring { canvas in
      let layout = figure.layout(measure: canvas, size: size)
      var boxes: [LabelBox] = []
      for (panel, panelLayout) in zip(figure.panels, layout.panels) {
        let furniture = panel.furnitureBoxes(panelLayout, measure: canvas)
        boxes += furniture
        for t in panel.placeAnnotations(panelLayout, furniture: furniture, measure: canvas) {
          let rect = Axes.textBox(
            t.mark.text, at: t.point, font: Font(size: t.mark.size), horizontal: t.horizontal,
            vertical: t.vertical, angle: t.mark.angle, measure: canvas)
          boxes.append(LabelBox(kind: .annotation, text: t.mark.text, rect: rect))
        }
      }
      if let (index, rect) = layout.liftedLegend {
        let text = figure.panels[index].legendEntries.map(\.label).joined(separator: ", ")
        boxes.append(LabelBox(kind: .legend, text: text, rect: rect))
      }
      for (line, p) in layout.titlePlacements(size: size) {
        let rect = Axes.textBox(
          line, at: p, font: Metrics.figureTitleFont, horizontal: .center, vertical: .baseline,
          measure: canvas)
        boxes.append(LabelBox(kind: .title, text: line, rect: rect))
      }
      return boxes
    }
  }
}
