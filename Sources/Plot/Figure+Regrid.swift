// The axis labels of a grid of charts laid out in another grid (a phone variant in two columns, a
// slide variant in the grid that fits the frame): a figure that labels only its outer panels (x
// on the bottom row, y on the left column: 03's fits) kept them on what became inner panels and
// left the new bottom row and left column without them. Such labels follow the new grid.
import Foundation

extension Figure {
  /// The figure as it is drawn at `size`: itself, or, when `size` lays its panels out in another
  /// grid than its own and it labels only its outer panels, a copy with those labels on the outer
  /// panels of the new grid (`outerLabels`).
  func arranged(for size: FigureSize) -> Figure {
    let own = PanelGrid(rows: rows, columns: columns)
    guard let grid = size.grid, grid != own else { return self }
    let x = outerLabel(\.x.label, own) { self.isBottom($0, in: $1) }
    let y = outerLabel(\.y.label, own) { self.isLeft($0, in: $1) }
    guard x != nil || y != nil else { return self }
    let copy = self.copy()
    for (i, panel) in copy.panels.enumerated() where panel.showAxes {
      if let x { panel.x.label = isBottom(i, in: grid) ? x : nil }
      if let y { panel.y.label = isLeft(i, in: grid) ? y : nil }
    }
    return copy
  }

  /// The label (`\.x.label` or `\.y.label`) the figure puts on exactly its outer panels of `grid`
  /// (`outer`), the same on each, or nil: when no panel has one, when panels disagree, when every
  /// chart has it, or when an inner panel has it too (then the figure placed its labels itself).
  private func outerLabel(
    _ key: KeyPath<Axes, String?>, _ grid: PanelGrid, outer: (Int, PanelGrid) -> Bool
  ) -> String? {
    let charts = panels.indices.filter { panels[$0].showAxes }
    let labelled = charts.filter { panels[$0][keyPath: key] != nil }
    let texts = Set(labelled.compactMap { panels[$0][keyPath: key] })
    guard texts.count == 1, let text = texts.first, labelled.count < charts.count else { return nil }
    return labelled == charts.filter({ outer($0, grid) }) ? text : nil
  }

  /// Whether panel `i` is a chart with no chart below it in its column of `grid`.
  func isBottom(_ i: Int, in grid: PanelGrid) -> Bool {
    let below = stride(from: i + grid.columns, to: panels.count, by: grid.columns)
    return panels[i].showAxes && !below.contains { panels[$0].showAxes }
  }

  /// Whether panel `i` is a chart with no chart left of it in its row of `grid`.
  func isLeft(_ i: Int, in grid: PanelGrid) -> Bool {
    let rowStart = i - i % grid.columns
    return panels[i].showAxes && !(rowStart..<i).contains { panels[$0].showAxes }
  }
}
