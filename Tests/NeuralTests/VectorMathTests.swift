import Foundation
import XCTest

@testable import Neural

/// The vectorised portable functions (CNeuralKernels' `vector_math.h`) must give, on every path the
/// CPU has, the bits of the scalar functions in PortableMath.swift, element by element.
final class VectorMathTests: XCTestCase {
  /// 10⁶ inputs: every special value (±0, ±∞, NaNs with payloads and signs, subnormals, the largest
  /// and smallest normals), the functions' range edges and thresholds with their neighbours, then
  /// random values at every scale and random bit patterns.
  static let inputs: [Double] = {
    var edges: [Double] = [
      0, -0, .infinity, -.infinity, .nan, -.nan, Double(nan: 0x1234, signaling: false),
      -Double(nan: 0x5678, signaling: false), Double(nan: 1, signaling: true),
      .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude,
      Double.leastNormalMagnitude.nextDown, -Double.leastNormalMagnitude.nextDown,
      .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0x1p-54, 0x1p-27, 1, -1, 0.5, -0.5,
      22, -22, 44, -44, 709.782712893384, 709.79, 710, 711, -745.1332191019411, -745.14, -746, -747,
      -708.4, -708.39, 0.34657359027997264, -0.34657359027997264, 1e300, -1e300, 1e-300, -1e-300,
    ]
    for e in edges {
      var up = e
      var down = e
      for _ in 0..<4 {
        up = up.nextUp
        down = down.nextDown
        edges += [up, down]
      }
    }
    var rng = SeededRandom(seed: 25)
    var values = edges
    while values.count < 1_000_000 {
      switch values.count % 5 {
      case 0: values.append(rng.uniform(-10, 10))
      case 1: values.append(rng.uniform(-800, 800))
      case 2: values.append(Double(bitPattern: rng.next()))  // any double, NaNs and subnormals too
      case 3: values.append(rng.uniform(-1, 1) * 0x1p-1022)  // subnormal
      default: values.append(values.count % 10 == 4 ? rng.uniform(-40, 40) : rng.uniform(-1, 2))
      }
    }
    return values
  }()

  func check(_ function: VectorMath.Function, _ scalar: (Double) -> Double) {
    let x = Self.inputs
    let expected = x.map { scalar($0).bitPattern }
    for isa in ProductISA.allCases where isa.isSupported {
      var out = [Double](repeating: 0, count: x.count)
      VectorMath.apply(function, x, into: &out, isa: isa)
      var wrong = 0
      for i in 0..<x.count where out[i].bitPattern != expected[i] {
        if wrong < 5 {
          XCTFail(
            "\(function) on \(isa): x = \(x[i]) (0x\(String(x[i].bitPattern, radix: 16))) gave "
              + "0x\(String(out[i].bitPattern, radix: 16)), scalar 0x\(String(expected[i], radix: 16))")
        }
        wrong += 1
      }
      XCTAssertEqual(wrong, 0, "\(function) on \(isa): \(wrong) of \(x.count) differ")
      // Every length up to three vectors, so each tail goes through the padded copy.
      for n in 0...25 {
        var short = [Double](repeating: -7, count: n + 1)
        VectorMath.apply(function, Array(x[1000..<(1000 + n)]), into: &short, isa: isa)
        XCTAssertEqual(short[..<n].map(\.bitPattern), Array(expected[1000..<(1000 + n)]), "\(isa), n = \(n)")
        XCTAssertEqual(short[n], -7, "\(isa), n = \(n): written past the end")
      }
    }
  }

  func testTanhOnEveryPathHasTheScalarBits() { check(.tanh, portableTanh) }
  func testExpOnEveryPathHasTheScalarBits() { check(.exp, portableExp) }
  func testSigmoidOnEveryPathHasTheScalarBits() { check(.sigmoid, Sigmoid().f) }
  func testLog1pOnEveryPathHasTheScalarBits() { check(.log1p, portableLog1p) }
  func testBinaryCrossEntropyTermOnEveryPathHasTheScalarBits() {
    check(.log1pExpNegAbs) { portableLog1p(portableExp(-abs($0))) }
  }

  func testTheActivationsUseThemAndKeepTheirBits() {
    // Tanh, FastTanh and Sigmoid layers (large enough to be split across threads) give the scalar
    // function of each element.
    var rng = SeededRandom(seed: 3)
    var Z = Matrix(rows: 700, cols: 301)
    for i in 0..<Z.count { Z.storage[i] = rng.uniform(-30, 30) }
    for (activation, f) in [(Tanh() as any ElementwiseActivation, portableTanh), (FastTanh(), portableTanh)]
      + [(Sigmoid(), Sigmoid().f)] as [(any ElementwiseActivation, (Double) -> Double)]
    {
      let A = activation.forward(Z)
      XCTAssertEqual(A.storage.map(\.bitPattern), Z.storage.map { f($0).bitPattern }, "\(activation)")
    }
    // Softmax: e^{zᵢ − max z} by portableExp, summed in order, each divided by the sum.
    let A = Softmax().forward(Z)
    var expected = Z
    for i in 0..<Z.rows {
      let row = Array(Z.storage[(i * Z.cols)..<((i + 1) * Z.cols)])
      var m = -Double.infinity
      for z in row { m = max(m, z) }
      var s = 0.0
      let e = row.map { portableExp($0 - m) }
      for v in e { s += v }
      for j in 0..<Z.cols { expected.storage[i * Z.cols + j] = e[j] / s }
    }
    XCTAssertEqual(A.storage.map(\.bitPattern), expected.storage.map(\.bitPattern), "softmax")
    // The binary cross-entropy fused with a sigmoid output: the scalar sum, bit for bit.
    var Y = Matrix(rows: 700, cols: 301)
    for i in 0..<Y.count { Y.storage[i] = Double(i % 2) }
    let fused = BinaryCrossEntropy().fused(Z, Sigmoid().forward(Z), Y, activation: Sigmoid())
    var sum = 0.0
    for (z, y) in zip(Z.storage, Y.storage) { sum += max(z, 0) - z * y + portableLog1p(portableExp(-abs(z))) }
    XCTAssertEqual(fused?.loss.bitPattern, (sum / 700).bitPattern, "binary cross-entropy")
  }
}
