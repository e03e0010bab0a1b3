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

  /// The colouring asks the activation (`outputRange`, `crossEntropyPair`), so a type Neural does
  /// not know is coloured by what it says of itself, like the built-in one it resembles.
  func testUserDefinedActivationsAreColouredByTheirRange() {
    let hard = LayerColoring.of(HardSigmoid(), isOutput: false, values: [0.2, 0.6])
    XCTAssertEqual(
      hard, LayerColoring(map: .viridis(domain: 0...1), label: "hardSigmoid activation", ticks: [0, 0.5, 1]))
    let scaled = LayerColoring.of(ScaledTanh(), isOutput: false, values: [-0.1, 0.1])
    XCTAssertEqual(scaled.map.domain, -1.5...1.5, "the range, not the values")
    XCTAssertEqual(scaled.map.color(0), ClassColors.field.color(0.5), "0 on the neutral colour")
    XCTAssertEqual(scaled.ticks, [-1.5, 0, 1.5])
    let floor = LayerColoring.of(ShiftedReLU(), isOutput: false, values: [-1, 3])
    XCTAssertEqual(floor.map.domain, -1...3)
    XCTAssertEqual(LayerColoring.of(HardSigmoid(), isOutput: true, values: []).label, "P(class)")
    XCTAssertEqual(LayerColoring.of(ScaledTanh(), isOutput: true, values: []).label, "scaledTanh activation")
    // The built-in ones keep their colours.
    XCTAssertEqual(
      LayerColoring.of(Tanh(), isOutput: false, values: []),
      LayerColoring(map: ClassColors.field.with(domain: -1...1), label: "tanh activation", ticks: [-1, 0, 1]))
    XCTAssertEqual(
      LayerColoring.of(Sigmoid(), isOutput: false, values: []),
      LayerColoring(map: .viridis(), label: "sigmoid activation", ticks: [0, 0.5, 1]))
    XCTAssertEqual(LayerColoring.of(Softmax(), isOutput: false, values: []).label, "P(class)")
    XCTAssertEqual(LayerColoring.of(Identity(), isOutput: true, values: [-2, 1]).map.domain, -2...2)
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

/// `max(0, min(1, z/6 + 1/2))`: a sigmoid made of lines, paired with binary cross-entropy.
struct HardSigmoid: ElementwiseActivation {
  func f(_ z: Double) -> Double { max(0, min(1, z / 6 + 0.5)) }
  func df(_ z: Double, _ a: Double) -> Double { abs(z) < 3 ? 1.0 / 6 : 0 }
  var outputRange: ClosedRange<Double> { 0...1 }
  var crossEntropyPair: CrossEntropyPair? { .binary }
  var description: String { "hardSigmoid" }
}

/// `1.5 tanh(z)`: a signed bounded activation.
struct ScaledTanh: ElementwiseActivation {
  func f(_ z: Double) -> Double { 1.5 * Foundation.tanh(z) }
  func df(_ z: Double, _ a: Double) -> Double { 1.5 - a * a / 1.5 }
  var outputRange: ClosedRange<Double> { -1.5...1.5 }
  var symbol: String { "g" }
  var description: String { "scaledTanh" }
}

/// `max(−1, z)`: bounded below only.
struct ShiftedReLU: ElementwiseActivation {
  func f(_ z: Double) -> Double { max(-1, z) }
  func df(_ z: Double, _ a: Double) -> Double { z > -1 ? 1 : 0 }
  var outputRange: ClosedRange<Double> { -1...Double.infinity }
  var description: String { "shiftedReLU" }
}
