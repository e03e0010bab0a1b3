import Foundation
import XCTest

@testable import HandoutKit
@testable import Plot

/// `FigureSize.slideGrid(for:)` measures the labels of the grids in order of panel size and stops
/// at the first that draws no text into other text; it must choose what trying every grid chose.
final class FigureSlideGridTests: XCTestCase {
  /// The rule as it was first written: every grid laid out and its labels measured, the least
  /// overlap winning, then the larger smallest panel, then the earlier grid (the figure's own first).
  private func everyGrid(_ figure: Figure) -> FigureSize {
    let scale = max(
      FigureStyle.talk.scale, FigureSize.slideText / FigureStyle.smallestText, figure.style.scale)
    let n = figure.panels.count
    let own = PanelGrid(rows: figure.rows, columns: figure.columns)
    var grids = [own]
    for columns in 1...n {
      let grid = PanelGrid(rows: (n + columns - 1) / columns, columns: columns)
      if grid != own { grids.append(grid) }
    }
    var best: (size: FigureSize, overlap: Double, side: Double)?
    for grid in grids {
      let size = FigureSize(
        width: FigureSize.slideBox.width, height: FigureSize.slideBox.height,
        style: FigureStyle(scale: scale),
        grid: grid)
      guard let panel = try? figure.smallestPanel(as: size), let boxes = try? figure.labelBoxes(as: size)
      else {
        continue
      }
      let overlap = LabelBox.overlapArea(boxes)
      let side = min(panel.width, panel.height)
      if let b = best, overlap > b.overlap || (overlap == b.overlap && side <= b.side) { continue }
      best = (size, overlap, side)
    }
    return best?.size ?? FigureSize(width: 1152, height: 500, style: FigureStyle(scale: scale))
  }

  /// Six panels whose long titles run into each other in every grid: no grid is free of overlap,
  /// so every grid is measured and the least overlap wins.
  private func crowded() -> Figure {
    let figure = Figure(width: 700, height: 400, rows: 2, columns: 3)
    for k in 0..<6 {
      let ax = figure.panel(row: k / 3, column: k % 3)
      ax.title = String(repeating: "a very long panel title \(k) ", count: 6)
      ax.line(x: [0, 1_000_000], y: [0, 123_456.789])
    }
    return figure
  }

  func testTheGridChosenIsTheOneEveryGridWouldChoose() throws {
    var figures = try FigureLabelOverlapTests.courseFigures().filter { $0.figure.panels.count > 1 }
    figures += [
      ("six activations", activationCurves()),
      ("three activations", activationCurves([Sigmoid(), Tanh(), ReLU()], title: "Sigmoid, tanh, ReLU")),
      ("two activations", activationCurves(Array(defaultActivations.prefix(2)), columns: 1)),
      ("crowded", crowded()),
    ]
    var sawOverlapOnly = false
    for (name, figure) in figures {
      let chosen = FigureSize.slide(for: figure)
      XCTAssertEqual(chosen, everyGrid(figure), name)
      if LabelBox.overlapArea(try figure.labelBoxes(as: chosen)) > 0 { sawOverlapOnly = true }
    }
    XCTAssertTrue(sawOverlapOnly, "one figure has no grid without overlap")
  }
}
