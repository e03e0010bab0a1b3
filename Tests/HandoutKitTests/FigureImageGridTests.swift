import Foundation
import XCTest

@testable import HandoutKit

/// The digits as pictures: one small image per sample, titled by its label, and with predictions
/// the misclassified ones marked.
final class FigureImageGridTests: XCTestCase {
  func testEachPanelShowsItsImageInkOnWhiteTitledByItsLabel() throws {
    let digits = Dataset.digits
    let figure = imageGrid(digits, indices: Array(0..<12), columns: 6, dataName: "the 8×8 digits")
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.panels.count, 12)
    let labels = digits.labels ?? []
    XCTAssertEqual(figure.panels.map(\.title), (0..<12).map { "\(labels[$0])" })
    // Image 0, a 0: its top row is 0 0 5 13 9 1 0 0. Pixel (row r, column c) covers
    // [c, c + 1] × [7 − r, 8 − r]; 0 is white ink-free paper, 16 near black.
    let raster = try figure.raster()
    let panel = figure.panels[0]
    for (c, value) in [(0, 0.0), (2, 5), (3, 13), (4, 9)] {
      let pixel = try XCTUnwrap(figure.pixel(x: Double(c) + 0.5, y: 7.5, in: panel))
      let color = try XCTUnwrap(raster.color(x: pixel.x, y: pixel.y))
      let expected = ImageGridStyle.ink.color(value)
      XCTAssertEqual(color.red, expected.red, accuracy: 0.03, "pixel (0, \(c)) = \(value): \(color)")
      XCTAssertEqual(color.green, expected.green, accuracy: 0.03, "pixel (0, \(c)) = \(value): \(color)")
    }
    XCTAssertEqual(ImageGridStyle.ink.color(0), .white)
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("12") && alt.contains("the 8×8 digits"), alt)
  }

  func testPredictionsMarkTheMisclassifiedImages() throws {
    let digits = Dataset.digits
    let labels = digits.labels ?? []
    // Predict every image right but the second, a 1, taken for a 7.
    var predictions = Array(labels.prefix(4))
    predictions[1] = 7
    let figure = imageGrid(digits, indices: [0, 1, 2, 3], predictions: predictions, columns: 4)
    XCTAssertEqual(figure.panels.map(\.title), ["0 ✓", "1 → 7", "2 ✓", "3 ✓"])
    // The misclassified image's frame is vermillion, the others' the usual grey.
    let raster = try figure.raster()
    for (i, wrong) in [(0, false), (1, true)] {
      let pixel = try XCTUnwrap(figure.pixel(x: 0, y: 4, in: figure.panels[i]))
      let color = try XCTUnwrap(raster.color(x: pixel.x, y: pixel.y))
      if wrong {
        XCTAssertGreaterThan(color.red - color.blue, 0.5, "vermillion frame: \(color)")
      } else {
        XCTAssertEqual(color.red, color.blue, accuracy: 0.05, "grey frame: \(color)")
      }
    }
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("1 of 4 misclassified"), alt)
  }
}
