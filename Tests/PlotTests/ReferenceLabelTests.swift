import XCTest

@testable import Plot

/// A note on a horizontal reference line labels the line, wherever along it it stands: when it
/// cannot stay where it was asked, nor beside that place, without crossing a series, it slides
/// along its line to either end of the plot. 03's "noise floor of the training sample" crossed the
/// training error's line on the slide, where the note is twice as large against the plot, and ran
/// into the plot's foot on the page.
final class ReferenceLabelTests: XCTestCase {
  /// 03's error per width, with the numbers the notebook prints.
  static func errorPerWidth() -> Figure {
    let figure = Figure(width: 560, height: 360)
    let ax = figure.axes
    let hs: [Double] = [1, 2, 3, 4, 8, 32]
    ax.line(
      x: hs, y: [0.08212, 0.01355, 0.007304, 0.006814, 0.006506, 0.006708],
      label: "training error (100 points)", color: Palette.blue, marker: .circle, markerRadius: 3.5)
    ax.line(
      x: hs, y: [0.07731, 0.0153, 0.0113, 0.01135, 0.01161, 0.01138],
      label: "held-out error (400 new points)",
      color: Palette.vermillion, dash: Dash.dashed, marker: .square, markerRadius: 3.5)
    let floor = 0.007608982
    ax.horizontalLine(y: floor, style: LineStyle(color: Palette.grey, width: 1, dash: Dash.dotted))
    ax.text(
      "noise floor of the training sample", x: 1.05, y: floor, vertical: .top, offset: (x: 0, y: -3))
    ax.xScale = .log10
    ax.yScale = .log10
    ax.xLabel = "hidden neurons h (log scale)"
    ax.yLabel = "mean squared error (log scale)"
    ax.title = "Error per width"
    return figure
  }

  /// Where the note is placed at `size`, and how many points of series line its box crosses.
  static func note(_ figure: Figure, as size: FigureSize) throws -> (
    placed: PlacedText, crossed: Double, line: Double
  ) {
    try CairoCanvas.measuring { canvas in
      let layout = figure.layout(measure: canvas, size: size).panels[0]
      let panel = figure.panels[0]
      let furniture = panel.furnitureBoxes(layout, measure: canvas)
      let placed = try XCTUnwrap(panel.placeAnnotations(layout, furniture: furniture, measure: canvas).first)
      let box = Axes.textBox(
        placed.mark.text, at: placed.point, font: Font(size: placed.mark.size), horizontal: placed.horizontal,
        vertical: placed.vertical, measure: canvas)
      let crossed = panel.seriesSegments(layout).reduce(0) { $0 + box.clippedLength(from: $1.0, to: $1.1) }
      return (placed, crossed, layout.yMap(0.007608982))
    }
  }

  func testANoteOnAReferenceLineSlidesAlongItRatherThanCrossAnotherLine() throws {
    let figure = Self.errorPerWidth()
    let slide = try Self.note(figure, as: FigureSize.slide(for: figure))
    XCTAssertEqual(slide.crossed, 0, "on the slide the note crosses a series: \(slide.placed)")
    // It still labels its line: it stands right above or below it, 3 pt away, as asked.
    XCTAssertEqual(slide.placed.point.y, slide.line, accuracy: 3.01, "\(slide.placed)")
    // On the page the note asked for ran out of the plot area at its foot: it slides too.
    let page = try Self.note(figure, as: FigureSize.page(for: figure))
    XCTAssertEqual(page.crossed, 0, "on the page: \(page.placed)")
    XCTAssertEqual(page.placed.point.y, page.line, accuracy: 3.01, "\(page.placed)")
  }
}
