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
    // Annotations outside the clip, moved off the tick labels, titles and legend when they would
    // run into them (`placeAnnotations`).
    let furniture = furnitureBoxes(layout, measure: canvas)
    for t in placeAnnotations(layout, furniture: furniture, measure: canvas) {
      canvas.text(
        t.mark.text, at: t.point, font: Font(size: t.mark.size), color: readableColor(t.mark),
        horizontal: t.horizontal,
        vertical: t.vertical, angle: t.mark.angle)
    }

    if showAxes { drawAxes(layout, canvas) }
    for (line, point) in titlePlacements(layout, measure: canvas) {
      canvas.text(
        line, at: point, font: Metrics.titleFont, color: Theme.text, horizontal: .center, vertical: .bottom)
    }
    drawLegend(layout, canvas)
    if let bar = colorBar, let rect = layout.colorBar {
      if layout.colorBarBelow {
        Axes.drawColorBarBelow(bar, in: rect, ticks: layout.colorBarTicks, canvas)
      } else {
        Axes.drawColorBar(bar, in: rect, ticks: layout.colorBarTicks, canvas)
      }
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
}
