// A panel's colour bar and outside legend under its plot instead of beside it: on a phone the bar,
// its ticks and its label took 60 of a 360 px canvas's width from an input plane, whose equal
// aspect then made the plane as much lower too (04's decision boundary: a 150 px plane on a 360 px
// phone column), and 04's network diagram needed a 480 px canvas beside its bar and legend.
import Foundation

extension Axes {
  /// The height a colour bar under the plot needs below the x axis's own furniture: the gap, the
  /// bar, its ticks and tick labels, and its label.
  static func colorBarHeight(_ bar: ColorBarSpec, measure: TextMeasuring) -> Double {
    let tickLine = measure.measure("0", font: Metrics.tickFont).lineHeight
    var height = Metrics.colorBarGap + Metrics.colorBarWidth + Metrics.tickLength + Metrics.tickPad + tickLine
    if bar.label != nil {
      height += Metrics.labelGap + measure.measure("0", font: Metrics.colorBarLabelFont).lineHeight
    }
    return height
  }

  /// The colour bar's rectangle under `plot`: as wide as the plot, below its tick labels and x
  /// label.
  func colorBarBelow(_ plot: Rect, measure: TextMeasuring) -> Rect {
    var top = plot.maxY
    if showAxes {
      top += Metrics.tickLength + Metrics.tickPad + measure.measure("0", font: Metrics.tickFont).lineHeight
      if x.label != nil {
        top += Metrics.labelGap + measure.measure("0", font: Metrics.labelFont).lineHeight
      }
    }
    return Rect(x: plot.minX, y: top + Metrics.colorBarGap, width: plot.width, height: Metrics.colorBarWidth)
  }

  /// An outside legend's rectangle under the plot (and under its colour bar there), centred on
  /// the plot but inside `cell`.
  func legendBelow(_ plot: Rect, in cell: Rect, measure: TextMeasuring) -> Rect {
    let size = legendSize(measure: measure)
    // The bottom of the x axis's tick labels and label, then of the colour bar's.
    var top = colorBarBelow(plot, measure: measure).minY - Metrics.colorBarGap
    if let bar = colorBar { top += Axes.colorBarHeight(bar, measure: measure) }
    let x = min(max(plot.midX - size.width / 2, cell.minX), cell.maxX - size.width)
    return Rect(x: x, y: top + Metrics.colorBarGap, width: size.width, height: size.height)
  }

  /// Draws a colour bar lying in `rect`, low values on the left, its ticks and labels under it.
  static func drawColorBarBelow(_ bar: ColorBarSpec, in rect: Rect, ticks: AxisTicks, _ canvas: CairoCanvas) {
    let map = bar.map
    let (lo, hi) = (map.domain.lowerBound, map.domain.upperBound)
    let n = map.steps ?? 256
    let colors = (0..<n).map { i in map.color(lo + (hi - lo) * (Double(i) + 0.5) / Double(n)) }
    canvas.image(columns: n, rows: 1, colors: colors, in: rect, smooth: map.steps == nil)
    canvas.newPath()
    canvas.rectangle(rect)
    canvas.setColor(Theme.frame)
    canvas.setLineWidth(0.6)
    canvas.setDash([])
    canvas.stroke()
    let xMap = AxisMap(lo: lo, hi: hi, log: false, start: rect.minX, end: rect.maxX)
    canvas.newPath()
    for t in ticks.major {
      canvas.move(to: Point(x: xMap(t), y: rect.maxY))
      canvas.line(to: Point(x: xMap(t), y: rect.maxY + Metrics.tickLength))
    }
    canvas.setLineWidth(Metrics.frameWidth)
    canvas.stroke()
    let labelTop = rect.maxY + Metrics.tickLength + Metrics.tickPad
    for (t, label) in zip(ticks.major, ticks.labels) {
      canvas.text(
        label, at: Point(x: xMap(t), y: labelTop), font: Metrics.tickFont, color: Theme.tickLabel,
        horizontal: .center, vertical: .top)
    }
    if let label = bar.label {
      let y = labelTop + canvas.measure("0", font: Metrics.tickFont).lineHeight + Metrics.labelGap
      canvas.text(
        label, at: Point(x: rect.midX, y: y), font: Metrics.colorBarLabelFont, color: Theme.text,
        horizontal: .center, vertical: .top)
    }
  }
}
