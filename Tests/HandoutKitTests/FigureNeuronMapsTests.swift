import Foundation
import XCTest

@testable import HandoutKit

final class FigureNeuronMapsTests: XCTestCase {
  func testGridTitledByLayerAndUnit() throws {
    let (net, _) = try trainedXOR()
    let figure = neuronMaps(network: net, data: .xor, resolution: 100)
    try assertRendersAllFormats(figure)
    // Row 1: L1·h1 … L1·h4; row 2: the output, then its own colour bar (sigmoid output ≠ tanh).
    XCTAssertEqual(figure.rows, 2)
    XCTAssertEqual(figure.columns, 4)
    XCTAssertEqual(figure.panels.prefix(4).map { $0.title ?? "" }, ["L1·h1", "L1·h2", "L1·h3", "L1·h4"])
    XCTAssertEqual(figure.panel(row: 1, column: 0).title, "output")
    // Every map on the one square plane.
    for panel in figure.panels where panel.title.map({ $0.contains("·") || $0 == "output" }) ?? false {
      XCTAssertEqual(panel.xLimits, -1...2)
      XCTAssertEqual(panel.yLimits, -1...2)
    }
  }

  func testColourDomainFixedByActivation() {
    let tanh = LayerColoring.of(Tanh(), isOutput: false, values: [-0.2, 0.3])
    XCTAssertEqual(tanh.map.domain, -1...1, "tanh maps to [−1, 1] whatever the values")
    XCTAssertEqual(tanh.map.color(0), ClassColors.field.color(0.5), "0 on the neutral colour")
    XCTAssertEqual(LayerColoring.of(Sigmoid(), isOutput: false, values: [0.4]).map.domain, 0...1)
    XCTAssertEqual(LayerColoring.of(ReLU(), isOutput: false, values: [0, 2.5, 7]).map.domain, 0...7)
    XCTAssertEqual(LayerColoring.of(Sigmoid(), isOutput: true, values: []).label, "P(class)")
  }

  func testWideLayersWrap() throws {
    var rng = SeededRandom(seed: 5)
    let net = Sequential(sizes: [2, 10, 3, 1], hidden: .relu, output: .sigmoid, rng: &rng)
    let figure = neuronMaps(network: net, data: .xor, resolution: 60, maxColumns: 6)
    try assertRendersAllFormats(figure)
    // 10 units → 2 rows, 3 units → 1 row, output → 1 row.
    XCTAssertEqual(figure.rows, 4)
    XCTAssertEqual(figure.panel(row: 1, column: 3).title, "L1·h10")
    XCTAssertEqual(figure.panel(row: 2, column: 2).title, "L2·h3")
  }
}
