import Foundation
import XCTest

@testable import HandoutKit

final class FigureRegressionTests: XCTestCase {
  func testRegressionPlotOfTheLectureData() throws {
    var r = RRandom(seed: 123)
    let data = Dataset.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &r)
    let x = data.X.column(0)
    let y = data.Y.column(0)
    let fit = try LinearModel(x: x, y: y)
    let figure = regressionPlot(x: x, y: y, fit: fit, residuals: true)
    try assertRendersAllFormats(figure)
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("100 points"), alt)
    XCTAssertTrue(alt.contains("ŷ = 2.897 + 1.948·x"), alt)
    XCTAssertTrue(alt.contains("residual"), alt)
  }

  /// The fitted line passes through the pixel where the model puts it.
  func testLinePassesThroughFittedValue() throws {
    let figure = regressionPlot(x: [0, 1, 2, 3], y: [1, 3, 2, 6], intercept: 0.5, slope: 1.5)
    let raster = try figure.raster()
    let p = try XCTUnwrap(figure.pixel(x: 1.7, y: 0.5 + 1.5 * 1.7, in: figure.axes))
    let color = try XCTUnwrap(raster.color(x: p.x, y: p.y))
    XCTAssertGreaterThan(color.red - color.blue, 0.4, "vermillion line: \(color)")
    let negative = regressionPlot(x: [0, 1], y: [1, 0], intercept: 1, slope: -1)
    XCTAssertTrue(negative.altText?.contains("ŷ = 1 − 1·x") ?? false, negative.altText ?? "")
  }
}
