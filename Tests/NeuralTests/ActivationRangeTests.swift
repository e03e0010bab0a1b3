import XCTest

@testable import Neural

/// Each activation's `outputRange` (what figures colour its values by) holds what it computes,
/// and the bounds it claims are reached or approached, so the range is neither wrong nor loose.
final class ActivationRangeTests: XCTestCase {
  func testBuiltInRangesHoldTheirValuesTightly() {
    // Rows (z, −z) for z in [−40, 40]: softmax of a row nears 1 and 0 too.
    let zs = stride(from: -40.0, through: 40.0, by: 0.25).flatMap { [$0, -$0] }
    let Z = Matrix(rows: zs.count / 2, cols: 2, zs)
    let cases: [(any Activation, ClosedRange<Double>)] = [
      (Identity(), -Double.infinity...Double.infinity), (Sigmoid(), 0...1), (Tanh(), -1...1),
      (FastTanh(), -1...1), (ReLU(), 0...Double.infinity), (Softplus(), 0...Double.infinity),
      (LeakyReLU(), -Double.infinity...Double.infinity), (Softmax(), 0...1),
    ]
    for (activation, expected) in cases {
      XCTAssertEqual(activation.outputRange, expected, "\(activation)")
      let values = activation.forward(Z).storage
      let range = activation.outputRange
      XCTAssert(values.allSatisfy { range.contains($0) }, "\(activation): a value outside \(range)")
      if range.lowerBound.isFinite {
        XCTAssertEqual(values.min() ?? .nan, range.lowerBound, accuracy: 1e-6, "\(activation): loose floor")
      }
      if range.upperBound.isFinite {
        XCTAssertEqual(values.max() ?? .nan, range.upperBound, accuracy: 1e-6, "\(activation): loose ceiling")
      }
    }
  }

  func testSymbolIsTheFormulasName() {
    XCTAssertEqual(Sigmoid().symbol, "σ")
    XCTAssertEqual(Tanh().symbol, "tanh")
    XCTAssertEqual(LeakyReLU(slope: 0.1).symbol, "LeakyReLU(0.1)")
  }
}
