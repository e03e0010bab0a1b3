import Foundation
import XCTest

@testable import HandoutKit

/// A raw-score classifier's decision field (decided at 0, margin band |s| ≤ 1), and a dataset's
/// scatter by class in the same colours and markers as every decision field.
final class FigureScoreAndScatterTests: XCTestCase {
  /// `s = x₁`: the boundary is the line x₁ = 0 and the margin's edges are x₁ = ±1.
  let score = Sequential(Dense(weights: Matrix(column: [1, 0]), bias: .none))
  let data = Dataset(X: Matrix([[-1.5, 0], [-0.5, 1], [0.5, -1], [1.5, 0.5]]), labels: [0, 0, 1, 1])

  func testAScoreFieldIsCentredOnZeroWithTheMarginBand() throws {
    let figure = decisionBoundary(network: score, data: data, decision: .score, resolution: 200)
    try assertRendersAllFormats(figure)
    let raster = try figure.raster()
    // Away from markers and lines, each pixel has the score map's colour at s = x₁, neutral at 0.
    for (x, y) in [(-2.2, -1.8), (-0.55, -2.0), (0.4, 2.2), (1.7, -2.1), (2.3, 1.9)] {
      let pixel = try XCTUnwrap(figure.pixel(x: x, y: y, in: figure.axes))
      let color = try XCTUnwrap(raster.color(x: pixel.x, y: pixel.y))
      let expected = ClassColors.scoreField.color(x)
      XCTAssertEqual(color.red, expected.red, accuracy: 0.06, "s = \(x): \(color) vs \(expected)")
      XCTAssertEqual(color.green, expected.green, accuracy: 0.06, "s = \(x): \(color) vs \(expected)")
      XCTAssertEqual(color.blue, expected.blue, accuracy: 0.06, "s = \(x): \(color) vs \(expected)")
    }
    XCTAssertEqual(ClassColors.scoreField.color(0), ClassColors.field.color(0.5), "s = 0 is the neutral grey")
    XCTAssertEqual(ClassColors.scoreField.color(-2), ClassColors.field.color(0))
    XCTAssertEqual(ClassColors.scoreField.color(2), ClassColors.field.color(1))
    // The decision line s = 0 is dark; the margin's edges s = ±1 are dashed.
    let raster0 = try XCTUnwrap(figure.pixel(x: 0, y: -2.3, in: figure.axes))
    let line = try XCTUnwrap(raster.color(x: raster0.x, y: raster0.y))
    XCTAssertLessThan(line.red + line.green + line.blue, 0.6, "dark s = 0 line: \(line)")
    let svg = String(decoding: try figure.data(.svg), as: UTF8.self)
    XCTAssertTrue(svg.contains("stroke-dasharray"), "dashed margin edges")
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("score") && alt.contains("margin"), alt)
    // Read as a probability (the default) the same network draws today's field: grey at s = 0.5.
    let probability = decisionBoundary(network: score, data: data, resolution: 200)
    let p = try XCTUnwrap(probability.pixel(x: 0.4, y: 2.2, in: probability.axes))
    let grey = try XCTUnwrap(try probability.raster().color(x: p.x, y: p.y))
    XCTAssertEqual(grey.green, ClassColors.field.color(0.4).green, accuracy: 0.06)
  }

  func testScatterByClassUsesTheBoundarysColoursMarkersAndPlane() throws {
    let figure = scatter(dataset: data, dataName: "four points")
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.axes.aspect, .equal)
    let boundary = decisionBoundary(network: score, data: data, decision: .score, resolution: 60)
    XCTAssertEqual(figure.axes.xLimits, boundary.axes.xLimits, "one plane for a dataset")
    XCTAssertEqual(figure.axes.yLimits, boundary.axes.yLimits)
    // The centre of each marker has its class's colour in both figures: class 0 orange, class 1 blue.
    let scatterRaster = try figure.raster()
    let boundaryRaster = try boundary.raster()
    for i in 0..<data.count {
      let c = data.labels?[i] ?? -1
      let hue = ClassColors.color(c)
      for (fig, raster) in [(figure, scatterRaster), (boundary, boundaryRaster)] {
        let pixel = try XCTUnwrap(fig.pixel(x: data.X[i, 0], y: data.X[i, 1], in: fig.axes))
        let color = try XCTUnwrap(raster.color(x: pixel.x, y: pixel.y))
        XCTAssertEqual(color.red, hue.red, accuracy: 0.08, "point \(i), class \(c): \(color) vs \(hue)")
        XCTAssertEqual(color.blue, hue.blue, accuracy: 0.08, "point \(i), class \(c): \(color) vs \(hue)")
      }
    }
    XCTAssertEqual(figure.axes.legend, .outsideRight, "a legend by class, beside the square plane")
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("four points") && alt.contains("2 class 0") && alt.contains("2 class 1"), alt)
  }
}
