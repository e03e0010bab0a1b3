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

  func testExpm1OnEveryPathHasTheScalarBits() { check(.expm1, portableExpm1) }
  func testLogOnEveryPathHasTheScalarBits() { check(.log, portableLog) }

  /// `Softmax.forward`'s scalar loop: the row maximum (`max(m, z)` from −∞), `portableExp` of each
  /// difference, their sum in order from 0, each divided by it; and log-sum-exp, `m + log(sum)`.
  static func scalarRows(_ z: ArraySlice<Double>) -> (softmax: [Double], logSumExp: Double) {
    var m = -Double.infinity
    for v in z { m = max(m, v) }
    let e = z.map { portableExp($0 - m) }
    var s = 0.0
    for v in e { s += v }
    return (e.map { $0 / s }, m + portableLog(s))
  }

  func testSoftmaxAndLogSumExpRowsOnEveryPathHaveTheScalarBits() {
    // The 10⁶ inputs (every special value: rows with NaN, ±∞, only −∞, huge and subnormal values) as
    // rows of W6's 10, the first 10⁴ of them as rows of every other width up to three vectors, and
    // realistic logits.
    var rng = SeededRandom(seed: 26)
    let logits = (0..<10_000).map { _ in rng.uniform(-30, 30) }
    for (name, data) in [("inputs", Self.inputs[...]), ("logits", logits[...])] {
      for cols in [1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 24, 25] {
        let rows = cols == 10 ? data.count / 10 : min(data.count, 10_000) / cols
        let Z = Matrix(rows: rows, cols: cols, Array(data.prefix(rows * cols)))
        var softmax = [UInt64](repeating: 0, count: rows * cols)
        var logSumExp = [UInt64](repeating: 0, count: rows)
        for i in 0..<rows {
          let (a, l) = Self.scalarRows(Z.storage[(i * cols)..<((i + 1) * cols)])
          for j in 0..<cols { softmax[i * cols + j] = a[j].bitPattern }
          logSumExp[i] = l.bitPattern
        }
        for isa in ProductISA.allCases where isa.isSupported {
          let A = VectorMath.rows(.softmax, Z, isa: isa)
          let L = VectorMath.rows(.logSumExp, Z, isa: isa)
          XCTAssertEqual([A.rows, A.cols, L.rows, L.cols], [rows, cols, rows, 1])
          let wrongA = zip(A.storage, softmax).filter { $0.bitPattern != $1 }.count
          let wrongL = zip(L.storage, logSumExp).filter { $0.bitPattern != $1 }.count
          XCTAssertEqual(wrongA, 0, "softmax on \(isa), \(name), \(cols) columns: \(wrongA) differ")
          XCTAssertEqual(wrongL, 0, "log-sum-exp on \(isa), \(name), \(cols) columns: \(wrongL) differ")
        }
      }
    }
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
    // Softplus forward and backward: the scalar f and df of each element.
    var dA = Z
    for i in 0..<dA.count { dA.storage[i] = rng.uniform(-1, 1) }
    let softplus = Softplus().forward(Z)
    XCTAssertEqual(
      softplus.storage.map(\.bitPattern), Z.storage.map { Softplus().f($0).bitPattern }, "softplus")
    let dZ = Softplus().backward(Z, softplus, dA)
    let expectedDZ = (0..<Z.count).map { (dA.storage[$0] * Softplus().df(Z.storage[$0], 0)).bitPattern }
    XCTAssertEqual(dZ.storage.map(\.bitPattern), expectedDZ, "softplus backward")
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

  func testRowsWithoutColumns() {
    let Z = Matrix(rows: 3, cols: 0)
    XCTAssertEqual(VectorMath.rows(.softmax, Z).count, 0)
    XCTAssertEqual(VectorMath.rows(.logSumExp, Z).storage, [Double](repeating: -.infinity, count: 3))
    XCTAssertEqual(Self.scalarRows([]).logSumExp, -.infinity)
  }

  func testTheCrossEntropiesKeepTheirScalarBits() {
    // Categorical after a softmax (log-sum-exp by rows), and both cross-entropies on their own
    // (`value`: the vector log), each against the scalar loop it replaced, bit for bit.
    var rng = SeededRandom(seed: 7)
    var Z = Matrix(rows: 300, cols: 10)
    for i in 0..<Z.count { Z.storage[i] = rng.uniform(-20, 20) }
    var Y = Matrix(rows: 300, cols: 10)
    for i in 0..<300 { Y[i, i % 10] = 1 }
    let A = Softmax().forward(Z)
    var s = 0.0
    for i in 0..<Z.rows {
      let l = Self.scalarRows(Z.storage[(i * 10)..<((i + 1) * 10)]).logSumExp
      for j in 0..<10 where Y[i, j] != 0 { s += Y[i, j] * (l - Z[i, j]) }
    }
    let fused = CategoricalCrossEntropy().fused(Z, A, Y, activation: Softmax())
    XCTAssertEqual(fused?.loss.bitPattern, (s / 300).bitPattern, "categorical, fused")
    s = 0
    for (p, y) in zip(A.storage, Y.storage) where y != 0 { s += y * portableLog(max(p, 1e-15)) }
    XCTAssertEqual(CategoricalCrossEntropy().value(A, Y).bitPattern, (-s / 300).bitPattern, "categorical")
    let P = Sigmoid().forward(Z)
    s = 0
    for (p, y) in zip(P.storage, Y.storage) {
      let q = min(max(p, 1e-15), 1 - 1e-15)
      s += y * portableLog(q) + (1 - y) * portableLog(1 - q)
    }
    XCTAssertEqual(BinaryCrossEntropy().value(P, Y).bitPattern, (-s / 300).bitPattern, "binary")
  }
}
