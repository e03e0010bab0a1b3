import XCTest

@testable import Plot

/// A `.best` legend never hides data: when every inside corner would cover some of it (the
/// training handout's six optimiser curves, its regularisation curves, 02's four learning rates),
/// the legend stands to the right of the plot; with a free corner it stays inside, in that corner.
final class LegendPlacementTests: XCTestCase {
  /// Lines through all four corners of the plot, as six loss curves spread over it are.
  static func crowded() -> Figure {
    let figure = Figure(width: 640, height: 400)
    let ax = figure.axes
    let xs = (0...300).map(Double.init)
    ax.line(x: xs, y: xs.map { 1 - $0 / 300 }, label: "falling from the top left")
    ax.line(x: xs, y: xs.map { $0 / 300 }, label: "rising to the top right")
    ax.line(x: xs, y: xs.map { _ in 0.98 }, label: "along the top")
    ax.line(x: xs, y: xs.map { _ in 0.02 }, label: "along the bottom")
    return figure
  }

  func testALegendThatWouldCoverDataInEveryCornerStandsBesideThePlot() throws {
    let figure = Self.crowded()
    let (plot, box, inside) = try CairoCanvas.measuring { canvas in
      let layout = figure.layout(measure: canvas).panels[0]
      return (layout.plot, figure.axes.legendBox(layout, measure: canvas), layout.plot.width)
    }
    let legend = try XCTUnwrap(box)
    XCTAssertGreaterThanOrEqual(legend.minX, plot.maxX, "legend \(legend) covers the plot \(plot)")
    XCTAssertGreaterThan(inside, 200, "the plot keeps a readable width: \(plot)")
    // Drawn, the figure's legend is where its layout put it: nothing is hidden under it.
    XCTAssertNoThrow(try figure.data(.svg))
  }

  func testALegendWithAFreeCornerStaysInsideInThatCorner() throws {
    let figure = Figure(width: 640, height: 400)
    let xs = (0...300).map(Double.init)
    // A falling curve leaves the top right corner empty.
    figure.axes.line(x: xs, y: xs.map { 1 / (1 + $0 / 10) }, label: "loss")
    figure.axes.yLimits = 0...1
    let (plot, box) = try CairoCanvas.measuring { canvas in
      let layout = figure.layout(measure: canvas).panels[0]
      return (layout.plot, figure.axes.legendBox(layout, measure: canvas))
    }
    let legend = try XCTUnwrap(box)
    XCTAssertTrue(plot.contains(Point(x: legend.maxX, y: legend.minY)), "\(legend) not in \(plot)")
    XCTAssertGreaterThan(legend.minX, plot.midX, "\(legend) is not in the top right of \(plot)")
    XCTAssertLessThan(legend.maxY, plot.midY, "\(legend) is not in the top right of \(plot)")
  }

  /// On a slide, the legend beside the plot takes the frame's spare width, not the plot's: the
  /// figure is drawn wider (up to the slide's figure box) and its plot keeps most of the width.
  func testASlideFigureWithItsLegendBesideThePlotIsDrawnWiderForThePlot() throws {
    let figure = Self.crowded()
    let size = FigureSize.slide(for: figure)
    let (plot, legend) = try CairoCanvas.measuring { canvas in
      let layout = figure.layout(measure: canvas, size: size).panels[0]
      return (layout.plot, figure.axes.legendBox(layout, measure: canvas))
    }
    XCTAssertNotNil(legend)
    XCTAssertLessThanOrEqual(size.width, FigureSize.slideBox.width)
    XCTAssertEqual(size.height, 500)
    let plotWidth = plot.width * size.style.scale
    XCTAssertGreaterThan(
      plotWidth, 0.6 * size.width, "plot \(plotWidth) px of a \(size.width) px slide figure")
    XCTAssertGreaterThan(plotWidth, 640, "plot \(plotWidth) px of a \(size.width) px slide figure")
    // A figure whose legend fits in a corner keeps the 16:9 slide width.
    XCTAssertEqual(FigureSize.slide(for: Self.free()).width, 889)
  }

  /// On the page too, a figure narrower than the text column whose legend stands beside its plot
  /// is drawn wider by the legend, up to the column, and its plot gets the width; a legend in a
  /// corner, or a plot an equal aspect keeps narrower than its room, leaves the figure's width.
  func testAPageFigureWithItsLegendBesideThePlotIsDrawnWiderUpToTheColumn() throws {
    let figure = Self.crowded()
    let size = FigureSize.page(for: figure)
    XCTAssertEqual(size.width, FigureSize.pageColumn)
    XCTAssertEqual(size.height, 400)
    XCTAssertEqual(size.style, figure.style, "the text is not scaled: the page shows the figure at its size")
    let (own, wide) = try CairoCanvas.measuring { canvas in
      (
        figure.layout(measure: canvas).panels[0].plot,
        figure.layout(measure: canvas, size: size).panels[0].plot
      )
    }
    XCTAssertEqual(
      wide.width, own.width + FigureSize.pageColumn - 640, accuracy: 0.5, "the plot takes the width")
    XCTAssertEqual(FigureSize.page(for: Self.free()).width, 640)
    let square = Self.crowded()
    square.axes.aspect = .equal
    XCTAssertEqual(FigureSize.page(for: square).width, 640, "a square plot could not use the width")
  }

  /// A falling curve, which leaves the top right corner empty.
  static func free() -> Figure {
    let figure = Figure(width: 640, height: 400)
    let xs = (0...300).map(Double.init)
    figure.axes.line(x: xs, y: xs.map { 1 / (1 + $0 / 10) }, label: "loss")
    figure.axes.yLimits = 0...1
    return figure
  }
}
