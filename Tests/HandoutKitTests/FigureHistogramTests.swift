import Foundation
import XCTest

@testable import HandoutKit

final class FigureHistogramTests: XCTestCase {
  func testSmallMultiplesShareTheRange() throws {
    var rng = SeededRandom(seed: 3)
    let a = (0..<500).map { _ in rng.normal(mean: 0, sd: 1) }
    let b = (0..<500).map { _ in rng.normal(mean: 2, sd: 0.5) } + [.nan]
    let figure = histogram([("L1", a), ("L2", b)], bins: 25, xLabel: "activation")
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.rows, 2)
    XCTAssertEqual(figure.panels[0].xLimits, figure.panels[1].xLimits)
    XCTAssertEqual(figure.panels.map { $0.title ?? "" }, ["L1", "L2"])
    XCTAssertTrue(figure.altText?.contains("1 non-finite") ?? false, figure.altText ?? "")
  }

  func testOverlaidAndPerLayerActivations() throws {
    let overlaid = histogram([("a", [1, 2, 2, 3]), ("b", [2, 3, 3, 4])], bins: 4, layout: .overlaid)
    try assertRendersAllFormats(overlaid)
    XCTAssertEqual(overlaid.rows, 1)
    let (net, _) = try trainedXOR()
    let figure = activationHistograms(network: net, inputs: InputPlane([.xor]).samples(30))
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.panels.map { $0.title ?? "" }, ["L1 (tanh)", "output (sigmoid)"])
  }
}
