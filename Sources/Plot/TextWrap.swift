// Titles wrapped to the room they have. A figure drawn narrower than it was written for (a phone
// variant, 360 px with the page's text size) ran a long title off both sides of the canvas: 03's
// "Noisy sine (dots), true sin x (dashed) and the network's fit (red)" is 470 pt at 13.5 pt bold.
import Foundation

enum TextWrap {
  /// `text` broken at spaces into the fewest lines no wider than `width` in `font`, as even as
  /// those lines allow (the narrowest width that needs no more lines, so a two-line title is not
  /// one full line and one word). A word wider than `width` is a line of its own; text that fits
  /// is returned unchanged, as one line. Deterministic: only Cairo's text extents decide.
  /// - Complexity: O(words · log(width)) measurements.
  static func lines(_ text: String, font: Font, width: Double, measure: TextMeasuring) -> [String] {
    guard width.isFinite, measure.measure(text, font: font).width > width else { return [text] }
    let words = text.split(separator: " ").map(String.init)
    guard words.count > 1 else { return [text] }
    let fewest = greedy(words, font: font, width: width, measure: measure)
    // The narrowest width, to a tenth of a point, that still gives as few lines.
    var (lo, hi) = (0.0, width)
    while hi - lo > 0.1 {
      let mid = (lo + hi) / 2
      if greedy(words, font: font, width: mid, measure: measure).count <= fewest.count {
        hi = mid
      } else {
        lo = mid
      }
    }
    return greedy(words, font: font, width: hi, measure: measure)
  }

  /// Words filled into lines no wider than `width`, each line as full as it can be.
  private static func greedy(_ words: [String], font: Font, width: Double, measure: TextMeasuring) -> [String]
  {
    var lines: [String] = []
    var line = ""
    for word in words {
      let candidate = line.isEmpty ? word : line + " " + word
      if line.isEmpty || measure.measure(candidate, font: font).width <= width {
        line = candidate
      } else {
        lines.append(line)
        line = word
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}

extension Axes {
  /// The panel title's lines: wrapped to the width of `cell` (not of its padding: 06's mistakes,
  /// eight digits in a row on a phone, broke "9 → 5" into two lines in a 45 pt cell).
  func titleLines(in cell: Rect, measure: TextMeasuring) -> [String] {
    guard let title else { return [] }
    return TextWrap.lines(title, font: Metrics.titleFont, width: cell.width, measure: measure)
  }
}

extension Axes {
  /// Where each line of the panel title is drawn (centre, bottom): centred on the plot, but not
  /// past the cell's edges (the plot sits right of the cell's centre by its y tick labels), the
  /// last line `titleGap` above the plot and each line before it one line higher.
  func titlePlacements(_ layout: PanelLayout, measure: TextMeasuring) -> [(text: String, point: Point)] {
    let line = measure.measure("0", font: Metrics.titleFont).lineHeight
    let n = layout.titleLines.count
    let half = (layout.titleLines.map { measure.measure($0, font: Metrics.titleFont).width }.max() ?? 0) / 2
    let (lo, hi) = (layout.cell.minX + half, layout.cell.maxX - half)
    let x = lo <= hi ? min(max(layout.plot.midX, lo), hi) : layout.plot.midX
    return layout.titleLines.enumerated().map { i, text in
      (text, Point(x: x, y: layout.plot.minY - Metrics.titleGap - Double(n - 1 - i) * line))
    }
  }
}

extension Figure.FigureLayout {
  /// Where each line of the figure title is drawn (centre, baseline), one line below another,
  /// centred on a canvas of `size`.
  func titlePlacements(size: FigureSize) -> [(text: String, point: Point)] {
    guard let baseline = titleBaseline else { return [] }
    let x = size.width / size.style.scale / 2
    return titleLines.enumerated().map { i, line in
      (line, Point(x: x, y: baseline + Double(i) * titleLineHeight))
    }
  }
}
