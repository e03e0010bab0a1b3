import XCTest

@testable import Neural

/// The tiled product (Matrix+Kernel.swift) must give the same bits as the simple loops, for every
/// shape (edges of the 4×4 tiles, k longer than one block) and all four transpose combinations.
final class MatrixKernelTests: XCTestCase {
  /// `op(A)·op(B)` by the textbook loop: each element summed in the order p = 0, 1, …, k−1.
  static func reference(_ a: Matrix, _ b: Matrix, _ ta: Bool, _ tb: Bool) -> Matrix {
    let m = ta ? a.cols : a.rows
    let k = ta ? a.rows : a.cols
    let n = tb ? b.rows : b.cols
    var c = Matrix(rows: m, cols: n)
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k { s += (ta ? a[p, i] : a[i, p]) * (tb ? b[j, p] : b[p, j]) }
        c[i, j] = s
      }
    }
    return c
  }

  static func random(_ rows: Int, _ cols: Int, _ rng: inout SeededRandom, zeros: Bool = false) -> Matrix {
    var m = Matrix(rows: rows, cols: cols)
    for i in 0..<m.count { m.storage[i] = zeros && i % 3 == 0 ? 0 : rng.uniform(-2, 2) }
    return m
  }

  func testTiledProductHasTheBitsOfTheSimpleLoop() {
    var rng = SeededRandom(seed: 7)
    // (m, k, n): tile edges, k longer than one block, matrix–vector (n = 1), fewer rows than a tile,
    // and W3's layer shapes (1000 samples through 2-16-16-1).
    let shapes = [
      (1, 1, 1), (3, 2, 5), (4, 4, 4), (7, 16, 9), (64, 784, 256), (130, 300, 10), (33, 257, 6),
      (1000, 16, 1), (16, 1000, 1), (5, 600, 1), (2, 1000, 16), (3, 300, 7), (1000, 1, 16), (1000, 2, 16),
      (1000, 16, 16),
    ]
    for (m, k, n) in shapes {
      for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
        let a = ta ? Self.random(k, m, &rng, zeros: true) : Self.random(m, k, &rng, zeros: true)
        let b = tb ? Self.random(n, k, &rng) : Self.random(k, n, &rng)
        let fast = Matrix.product(a, b, transposeA: ta, transposeB: tb)
        let slow = Self.reference(a, b, ta, tb)
        XCTAssertEqual(fast.shape.rows, m)
        XCTAssertEqual(fast.shape.cols, n)
        let same = zip(fast.storage, slow.storage).allSatisfy { $0.bitPattern == $1.bitPattern }
        XCTAssertTrue(same, "\(m)×\(k)×\(n) ta=\(ta) tb=\(tb): tiled product differs from the simple loop")
      }
    }
  }
}
