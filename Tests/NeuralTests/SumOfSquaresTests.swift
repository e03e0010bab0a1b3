import Foundation
import XCTest

@testable import Neural

/// `Matrix.norm` sums its squares blockwise side by side where that provably gives the sequential
/// loop's bits (CNeuralKernels/sums.c); these compare it with the loop on every instruction set, on
/// inputs built to hit each reason a block must fall back: ties, a sum that leaves its binade, NaN,
/// ∞, subnormals, sums near the ends of the exponent range. The training loop's other large copies
/// (a mini-batch's rows, gradient descent's update) now run on both cores: same values.
final class SumOfSquaresTests: XCTestCase {
  static func sequential(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }

  static func assertSameOnEveryPath(
    _ x: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    let expected = sequential(x)
    for isa in ProductISA.allCases where isa.isSupported {
      let got = x.withUnsafeBufferPointer { Matrix.sumOfSquares($0, isa: isa) }
      XCTAssertEqual(
        got.bitPattern, expected.bitPattern, "\(what), n = \(x.count), \(isa): \(got) against \(expected)",
        file: file, line: line)
    }
  }

  /// Gradients as training makes them: a fast path taken on almost every block.
  func testGradientLikeSumsHaveTheLoopsBits() {
    var rng = SeededRandom(seed: 25)
    for n in [0, 1, 2, 15, 16, 17, 511, 512, 513, 1000, 4099, 784 * 256] {
      let x = (0..<n).map { i in i % 2 == 0 ? 0 : rng.uniform(-1, 1) * 1e-3 }
      Self.assertSameOnEveryPath(x, "gradient-like")
    }
    var m = Matrix(rows: 300, cols: 70)
    for i in 0..<m.count { m.storage[i] = rng.uniform(-2, 2) }
    XCTAssertEqual(m.norm.bitPattern, Self.sequential(m.storage).squareRoot().bitPattern)
  }

  /// A running sum whose last bit is odd, then terms that are each exactly half its ulp: the loop
  /// rounds every one of those ties to even (the sum moves once, then stays), which depends on the
  /// sum's last bit; a block summed side by side without the tie check gives another number.
  func testTiesFallBackToTheLoop() {
    let first = 2.0.squareRoot()  // fl(√2)² = 2 + 2⁻⁵¹: odd last bit
    for offset in [0, 100, 511, 512, 700] {
      var x = [Double](repeating: 0, count: offset)
      x.append(first)
      while x.count < 512 * 3 { x.append(x.count % 3 == 0 ? -0x1p-26 : 0x1p-26) }
      Self.assertSameOnEveryPath(x, "ties after √2 at \(offset)")
      XCTAssertNotEqual(Self.sequential(x), first * first, "the ties must move the sum for the test to bite")
    }
  }

  /// Terms of the sum's own size (it leaves its binade within a block), every scale, and the special
  /// values.
  func testMixedScalesAndSpecialValuesHaveTheLoopsBits() {
    var rng = SeededRandom(seed: 26)
    let specials: [Double] = [
      .nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude,
      .greatestFiniteMagnitude, 1e154, 1e-160,
    ]
    for trial in 0..<400 {
      let n = trial < 100 ? trial * 7 : Int(rng.uniform(0, 3000))
      let x = (0..<n).map { i -> Double in
        let v = rng.uniform(-1, 1)
        switch trial % 5 {
        case 0: return v
        case 1: return v * pow(2, Double(Int(rng.uniform(-40, 40))))
        case 2: return (v * 1000).rounded() / 64
        case 3: return rng.uniform(0, 1) < 0.01 ? specials[i % specials.count] : v * 1e-200
        default: return v * pow(2, Double(Int(rng.uniform(-1075, 1024))))
        }
      }
      Self.assertSameOnEveryPath(x, "trial \(trial)")
    }
  }

  /// A mini-batch large enough to be copied on both cores: the same rows as the simple loop.
  func testRowsOfALargeBatchAreTheRows() {
    var rng = SeededRandom(seed: 27)
    var data = Matrix(rows: 500, cols: 784)
    for i in 0..<data.count { data.storage[i] = rng.uniform(-1, 1) }
    for indices in [Array((0..<64).map { ($0 * 37) % 500 }), [3], [], Array(0..<500).reversed()] {
      let picked = data.rows(indices)
      XCTAssertEqual(picked.shape.rows, indices.count)
      var expected = [Double]()
      for i in indices { expected += data.storage[(i * 784)..<((i + 1) * 784)] }
      XCTAssertEqual(picked.storage.map(\.bitPattern), expected.map(\.bitPattern), "\(indices.count) rows")
    }
  }

  /// Gradient descent's update of a layer large enough for both cores: `w − γ·g` for every element.
  func testGradientDescentUpdateOfALargeLayerIsElementwise() {
    var rng = SeededRandom(seed: 28)
    let n = 784 * 256 + 3
    var W = (0..<n).map { _ in rng.uniform(-1, 1) }
    let g = (0..<n).map { _ in rng.uniform(-1, 1) * 1e-2 }
    let expected = zip(W, g).map { $0 - 0.1 * $1 }
    var sgd = GradientDescent(gamma: 0.1, batchSize: 64)
    sgd.update(&W, g, slot: 0)
    XCTAssertEqual(W.map(\.bitPattern), expected.map(\.bitPattern))
  }
}
