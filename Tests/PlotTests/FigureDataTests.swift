import Foundation
import XCTest

@testable import Plot

/// `Figure.dataSummary` says how many points a figure does not draw, for `show(…)`'s warning. It
/// must agree with what is drawn: a finite point of a line alone between NaNs draws nothing (a
/// line of one point has no length), and neither does a point of 0 or less on a log axis.
final class FigureDataTests: XCTestCase {
  /// A 160×120 figure with fixed limits (so the picture does not depend on the data's range).
  func figure(log: Bool = false, _ mark: (Axes) -> Void) -> Figure {
    let figure = Figure(width: 160, height: 120)
    figure.axes.x.limits = 0...4
    figure.axes.y.limits = log ? 0.5...20 : 0...4
    if log { figure.axes.y.scale = .log10 }
    mark(figure.axes)
    return figure
  }

  func pixels(_ figure: Figure) throws -> [UInt32] { try figure.raster(scale: 1).argb }

  func testPointsAloneBetweenNaNsOfALineAreNotDrawnAndSaySo() throws {
    let alone = figure { $0.line(x: [0, 1, 2, 3, 4], y: [1, .nan, 2, .nan, 3]) }
    let nothing = figure { $0.line(x: [0, 1, 2, 3, 4], y: [.nan, .nan, .nan, .nan, .nan]) }
    XCTAssertEqual(try pixels(alone), try pixels(nothing), "the three points drew something")
    let summary = alone.dataSummary
    XCTAssertEqual(summary.points, 5)
    XCTAssertEqual(summary.isolated, 3)
    XCTAssertEqual(summary.dropped, 3, "the NaNs between them are the breaks asked for")
    XCTAssertTrue(summary.isEmpty, "it draws nothing")

    // The same line with markers draws each point.
    let marked = figure { $0.line(x: [0, 1, 2, 3, 4], y: [1, .nan, 2, .nan, 3], marker: .circle) }
    XCTAssertNotEqual(try pixels(marked), try pixels(nothing))
    XCTAssertEqual(marked.dataSummary.dropped, 0)
    XCTAssertFalse(marked.dataSummary.isEmpty)

    // One point alone after a drawn segment: the segment draws, the point does not.
    let tail = figure { $0.line(x: [0, 1, 2, 3], y: [1, 2, .nan, 3]) }
    XCTAssertEqual(tail.dataSummary.isolated, 1)
    XCTAssertFalse(tail.dataSummary.isEmpty)
    XCTAssertEqual(tail.dataSummary.reasons, "1 stands alone between gaps of a line without markers")
  }

  func testPointsOfZeroOrLessOnALogAxisAreNotDrawnAndSaySo() throws {
    let zero = figure(log: true) { $0.line(x: [0, 1, 2], y: [1, 0, 10]) }
    let nothing = figure(log: true) { $0.line(x: [0, 1, 2], y: [.nan, .nan, .nan]) }
    XCTAssertEqual(try pixels(zero), try pixels(nothing), "a 0 on a log axis lifts the pen")
    XCTAssertEqual(zero.dataSummary.notPositive, 1)
    XCTAssertEqual(zero.dataSummary.isolated, 2)
    XCTAssertTrue(zero.dataSummary.isEmpty)
    XCTAssertEqual(
      zero.dataSummary.reasons,
      "1 is 0 or less on a log axis and 2 stand alone between gaps of a line without markers")

    let scattered = figure(log: true) { $0.scatter(x: [1, 2, 3], y: [1, -1, 0]) }
    XCTAssertEqual(scattered.dataSummary.notPositive, 2)
    XCTAssertFalse(scattered.dataSummary.isEmpty)
  }
}
