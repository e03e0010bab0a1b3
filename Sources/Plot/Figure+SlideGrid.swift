// The slide variant of a figure of several panels (small multiples): its panels laid out again in
// the grid that gives them the most room in the slide's figure box, in the `.talk` style. The
// page's grid was chosen for a column 696 px wide; the frame is wider than tall, so six panels in
// two rows of three were about 70 px tall on notebook 04's slide.
import Foundation

extension FigureSize {
  /// A panel's plot area smaller than this many px (of the 1280×720 frame) on either side is too
  /// small to read from the back of a room: `render --slides` and `check` warn about its slide.
  public static let slidePanelReadable = 200.0

  /// The slide variant of a figure of several panels: the whole `slideBox`, in the `.talk` style
  /// (text at 20 px: 18 px still when the deck shrinks the slide to 90 %; or the figure's own style
  /// when larger), in the grid of the
  /// candidates below whose panels are largest, by the smaller side of the smallest plot area
  /// (`Figure.smallestPanel(as:)`), among those that draw no text into other text (else the one
  /// with the least overlap). The candidates: every number of columns from 1 to the number of
  /// panels, with as many rows as the panels then need. A tie keeps the figure's own grid.
  static func slideGrid(for figure: Figure) -> FigureSize {
    let scale = max(FigureStyle.talk.scale, slideText / FigureStyle.smallestText, figure.style.scale)
    let n = figure.panels.count
    let own = PanelGrid(rows: figure.rows, columns: figure.columns)
    var grids = [own]
    for columns in 1...n {
      let grid = PanelGrid(rows: (n + columns - 1) / columns, columns: columns)
      if grid != own { grids.append(grid) }
    }
    // Each grid's smallest panel (one layout), then its text (the annotations placed: the costly
    // part) in order of panel size, largest first, the earlier grid first on a tie: the first grid
    // that draws no text into other text is the best, and the grids after it are not measured.
    var candidates: [(size: FigureSize, side: Double)] = []
    for grid in grids {
      let size = FigureSize(
        width: slideBox.width, height: slideBox.height, style: FigureStyle(scale: scale), grid: grid)
      guard let panel = try? figure.smallestPanel(as: size) else { continue }
      candidates.append((size, min(panel.width, panel.height)))
    }
    let order = candidates.indices.sorted { a, b in
      candidates[a].side != candidates[b].side ? candidates[a].side > candidates[b].side : a < b
    }
    var best: (size: FigureSize, overlap: Double)?
    for (size, _) in order.map({ candidates[$0] }) {
      guard let boxes = try? figure.labelBoxes(as: size) else { continue }
      let overlap = LabelBox.overlapArea(boxes)
      if overlap == 0 { return size }
      if let b = best, overlap >= b.overlap { continue }
      best = (size, overlap)
    }
    return best?.size
      ?? FigureSize(width: slideBox.width, height: slideBox.height, style: FigureStyle(scale: scale))
  }
}

extension LabelBox {
  /// The area the boxes share, pair by pair (0 when no text runs into other text).
  static func overlapArea(_ boxes: [LabelBox]) -> Double {
    var total = 0.0
    for i in boxes.indices {
      for j in boxes.indices where j > i {
        total += boxes[i].rect.overlap(boxes[j].rect)
      }
    }
    return total
  }
}

extension Figure {
  /// The width and height of the smallest plot area (by its smaller side) of the panels the
  /// figure draws at `size`, in px of the output (points times the style's scale); a panel with
  /// no axes and nothing in it (a grid's unused cell) does not count, nor with `charts` one
  /// without axes (a picture: a digit, a neuron's map). Zero when no panel counts.
  public func smallestPanel(as size: FigureSize, charts: Bool = false) throws -> (
    width: Double, height: Double
  ) {
    let figure = arranged(for: size)
    let layout = try CairoCanvas.measuring { figure.layout(measure: $0, size: size) }
    let k = size.style.scale
    var smallest: (width: Double, height: Double)?
    for (panel, panelLayout) in zip(figure.panels, layout.panels)
    where panel.showAxes || (!charts && !panel.marks.isEmpty) {
      let candidate = (width: panelLayout.plot.width * k, height: panelLayout.plot.height * k)
      if let s = smallest, min(s.width, s.height) <= min(candidate.width, candidate.height) { continue }
      smallest = candidate
    }
    return smallest ?? (0, 0)
  }
}
