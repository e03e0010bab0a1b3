import XCTest

@testable import Plot

/// The phone variant of a page figure (`FigureSize.phone(for:)`): 360 px wide with its text at
/// the page's 10 px, or wider when text would run into other text or off the canvas there; none
/// for a figure a phone shows as it is.
final class PhoneSizeTests: XCTestCase {
  func testAPageWideFigureIsDrawnForAPhonesColumnWithThePagesText() throws {
    let figure = Figure(width: 640, height: 480)
    figure.axes.line(x: [0, 1, 2], y: [0, 1, 4], label: "squares")
    let phone = try XCTUnwrap(FigureSize.phone(for: figure))
    XCTAssertEqual(phone.width, 360)
    XCTAssertEqual(phone.height, 270)
    XCTAssertEqual(phone.style.scale, 1, "tick labels at 10 px where it is shown")
  }

  func testANarrowFigureHasNone() {
    XCTAssertNil(FigureSize.phone(for: Figure(width: 400, height: 300)))
  }

  func testAGridOfChartsTakesTwoColumns() throws {
    let figure = Figure(width: 720, height: 430, rows: 2, columns: 3)
    for panel in figure.panels { panel.line(x: [0, 1, 2], y: [1, 0, 1]) }
    let phone = try XCTUnwrap(FigureSize.phone(for: figure))
    XCTAssertEqual(phone.grid, PanelGrid(rows: 3, columns: 2))
    XCTAssertGreaterThan(phone.height, 400, "three rows of charts 180 px wide")
  }

  /// A title wider than 360 px at its size wraps to the canvas (it left both sides of it, and
  /// the phone variant was drawn 480 px wide for it, its text shown at 7.5 px).
  func testATitleWiderThanThePhoneWrapsAndTheCanvasStays360() throws {
    let figure = Figure(width: 720, height: 480)
    figure.title = "Activation functions (solid) and their derivatives (dashed)"
    figure.axes.line(x: [0, 1, 2], y: [0, 1, 4])
    let phone = try XCTUnwrap(FigureSize.phone(for: figure))
    XCTAssertEqual(phone.width, 360)
    let titles = try figure.labelBoxes(as: phone).filter { $0.kind == .title }
    XCTAssertEqual(titles.map(\.text), ["Activation functions (solid)", "and their derivatives (dashed)"])
    for box in titles {
      XCTAssertGreaterThanOrEqual(box.rect.minX, 0, "\(box)")
      XCTAssertLessThanOrEqual(box.rect.maxX, 360, "\(box)")
    }
    // The page, where it fits, keeps it on one line.
    XCTAssertEqual(try figure.labelBoxes(as: figure.size).filter { $0.kind == .title }.count, 1)
  }
}
