import Foundation
import XCTest

@testable import HandoutKit

final class FigureDiagramTests: XCTestCase {
  func testDiagramRendersWithAbsoluteWidthLegend() throws {
    let (net, _) = try trainedXOR()
    let figure = networkDiagram(network: net)
    try assertRendersAllFormats(figure)
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("2, 4, 1 units"), alt)
    XCTAssertTrue(alt.contains("0 to 5 maps to 0.5–8 pt"), alt)
    XCTAssertFalse(figure.axes.showAxes)
  }

  /// Edges coloured by sign: a positive weight's midpoint is blue, a negative one's orange.
  func testEdgeColourFollowsSign() throws {
    let W = Matrix([[3.0], [-3.0]])
    let net = Sequential(Dense(weights: W, activation: .sigmoid))
    let figure = networkDiagram(network: net, width: 400, height: 300)
    let raster = try figure.raster()
    // Inputs at (0, ±0.5), output at (1, 0): edge midpoints at (0.5, ±0.25).
    let top = try XCTUnwrap(figure.pixel(x: 0.5, y: 0.25, in: figure.axes))
    let bottom = try XCTUnwrap(figure.pixel(x: 0.5, y: -0.25, in: figure.axes))
    let positive = try XCTUnwrap(raster.color(x: top.x, y: top.y))
    let negative = try XCTUnwrap(raster.color(x: bottom.x, y: bottom.y))
    XCTAssertGreaterThan(positive.blue - positive.red, 0.3, "\(positive)")
    XCTAssertGreaterThan(negative.red - negative.blue, 0.3, "\(negative)")
    XCTAssertEqual(subscriptDigits(12), "₁₂")
  }
}
