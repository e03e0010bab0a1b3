import Foundation
import XCTest

@testable import Neural

/// The tiled product (Matrix+Kernel.swift, CNeuralKernels) must give the same bits as the simple
/// loops on every instruction set the CPU has, for every shape (edges of the tiles, k longer than one
/// block) and all four transpose combinations.
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

  /// (m, k, n): tile edges, k longer than one block, matrix–vector (n = 1), fewer rows than a tile,
  /// odd sizes on every panel width (4, 8, 16), W3's layer shapes (1000 samples through 2-16-16-1)
  /// and W6's (mini-batches of 64 through 784-256-10, forward and both backward products).
  static let shapes = [
    (1, 1, 1), (3, 2, 5), (4, 4, 4), (7, 16, 9), (64, 784, 256), (130, 300, 10), (33, 257, 6),
    (1000, 16, 1), (16, 1000, 1), (5, 600, 1), (2, 1000, 16), (3, 300, 7), (1000, 1, 16), (1000, 2, 16),
    (1000, 16, 16), (17, 33, 19), (13, 513, 31), (129, 7, 35), (5, 3, 17), (9, 11, 23),
    (64, 256, 10), (784, 64, 256), (256, 64, 10), (64, 10, 256), (67, 300, 70),
  ]

  func testTiledProductHasTheBitsOfTheSimpleLoopOnEveryInstructionSet() {
    let paths = ProductISA.allCases.filter(\.isSupported)
    XCTAssertTrue(paths.contains(.sse2))
    print("MatrixKernelTests: instruction sets on this CPU: \(paths)")
    var rng = SeededRandom(seed: 7)
    for (m, k, n) in Self.shapes {
      for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
        let a = ta ? Self.random(k, m, &rng, zeros: true) : Self.random(m, k, &rng, zeros: true)
        let b = tb ? Self.random(n, k, &rng) : Self.random(k, n, &rng)
        let slow = Self.reference(a, b, ta, tb)
        for isa in paths {
          let fast = Matrix.product(a, b, transposeA: ta, transposeB: tb, isa: isa)
          XCTAssertEqual(fast.shape.rows, m)
          XCTAssertEqual(fast.shape.cols, n)
          let same = zip(fast.storage, slow.storage).allSatisfy { $0.bitPattern == $1.bitPattern }
          XCTAssertTrue(same, "\(isa) \(m)×\(k)×\(n) ta=\(ta) tb=\(tb): differs from the simple loop")
        }
      }
    }
  }

  /// A layer's `Z = XW + b` with the bias added to each tile as it is stored (`product(_:_:addingRow:)`)
  /// has the bits of the product followed by `addingRow`, on every instruction set and every shape:
  /// the simple loops, matrix–vector, edge tiles, k over several blocks, C split by columns.
  func testProductAddingARowHasTheBitsOfAddingItAfterwards() {
    var rng = SeededRandom(seed: 12)
    for (m, k, n) in Self.shapes + [(0, 5, 7), (6, 0, 9)] {
      let (a, b) = (Self.random(m, k, &rng, zeros: true), Self.random(k, n, &rng))
      // Values far apart in size (the row added anywhere but after the whole sum rounds differently), and −0.
      let row = Matrix(
        row: (0..<n).map { j in j % 4 == 3 ? -0.0 : rng.uniform(-1, 1) * [1e-9, 1, 1e9][j % 3] })
      var expected = Self.reference(a, b, false, false)
      for i in 0..<m {
        for j in 0..<n { expected[i, j] = expected[i, j] + row.storage[j] }
      }
      for isa in ProductISA.allCases where isa.isSupported {
        let fused = Matrix.product(a, b, addingRow: row, isa: isa)
        XCTAssertEqual(fused.shape.rows, m)
        XCTAssertEqual(fused.shape.cols, n)
        XCTAssertEqual(
          fused.storage.map(\.bitPattern), expected.storage.map(\.bitPattern), "\(isa) \(m)×\(k)×\(n) + row")
      }
      XCTAssertEqual(
        Matrix.product(a, b, addingRow: row).storage.map(\.bitPattern), expected.storage.map(\.bitPattern),
        "default path \(m)×\(k)×\(n) + row")
    }
  }

  /// Column sums (the bias gradient) and the bias added to every row, now C loops vectorised across
  /// columns: each column still summed in row order, so the bits are the simple loops'. Values of
  /// very different sizes make any other order of summation show.
  func testColumnSumsAndAddRowHaveTheBitsOfTheSimpleLoops() {
    var rng = SeededRandom(seed: 11)
    for (rows, cols) in [(0, 3), (1, 1), (3, 0), (5, 7), (1000, 16), (1000, 1), (64, 10), (37, 33), (9, 129)]
    {
      var a = Matrix(rows: rows, cols: cols)
      for i in 0..<a.count { a.storage[i] = rng.uniform(-1, 1) * [1e-9, 1, 1e9][i % 3] }
      var sums = [Double](repeating: 0, count: cols)
      for i in 0..<rows {
        for j in 0..<cols { sums[j] += a[i, j] }
      }
      let fast = a.columnSums
      XCTAssertEqual(fast.shape.rows, 1)
      XCTAssertEqual(fast.storage.map(\.bitPattern), sums.map(\.bitPattern), "column sums of \(rows)×\(cols)")
      let v = Matrix(row: (0..<cols).map { _ in rng.uniform(-1, 1) })
      var expected = a
      for i in 0..<rows {
        for j in 0..<cols { expected[i, j] = a[i, j] + v.storage[j] }
      }
      XCTAssertEqual(
        a.addingRow(v).storage.map(\.bitPattern), expected.storage.map(\.bitPattern),
        "row added to \(rows)×\(cols)")
      // Every instruction set (each is the same C at its own vector width).
      for isa in ProductISA.allCases where isa.isSupported && rows * cols > 0 {
        var out = [Double](repeating: .nan, count: cols)
        a.storage.withUnsafeBufferPointer {
          Matrix.columnSums(rows: rows, cols: cols, $0.baseAddress!, into: &out, isa: isa)
        }
        XCTAssertEqual(
          out.map(\.bitPattern), sums.map(\.bitPattern), "column sums of \(rows)×\(cols) on \(isa)")
        var added = a
        added.storage.withUnsafeMutableBufferPointer { o in
          v.storage.withUnsafeBufferPointer {
            Matrix.addRow(rows: rows, cols: cols, o.baseAddress!, $0.baseAddress!, isa: isa)
          }
        }
        XCTAssertEqual(added.storage.map(\.bitPattern), expected.storage.map(\.bitPattern), "row on \(isa)")
      }
    }
  }

  func testTheDefaultInstructionSetIsTheWidestOrNEURAL_ISA() {
    let forced = ProcessInfo.processInfo.environment["NEURAL_ISA"].flatMap { name in
      ProductISA.allCases.first { $0.description == name && $0.isSupported }
    }
    XCTAssertEqual(ProductISA.current, forced ?? ProductISA.widest)
    XCTAssertTrue(ProductISA.current.isSupported)
    // W6's products: AVX2 on AMD family 19h with AVX-512 (Zen 4, 512-bit operations in two halves),
    // read here from /proc/cpuinfo rather than CPUID; W3's 16-column ones stay on `current`.
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let firstCPU = info.components(separatedBy: "\n\n").first ?? ""
    func field(_ name: String) -> String? {
      firstCPU.split(separator: "\n").first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":").last }
        .map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let zen4 =
      field("vendor_id") == "AuthenticAMD" && field("cpu family") == "25"
      && (field("flags")?.split(separator: " ").contains("avx512f") ?? false)
    XCTAssertEqual(ProductISA.forProduct(n: 256, k: 784), forced ?? (zen4 ? .avx2 : ProductISA.widest))
    XCTAssertEqual(ProductISA.forProduct(n: 16, k: 1000), ProductISA.current)
  }

  func testProductsTakeAVX2WhereAVX512RunsInHalves() {
    func choice(_ current: ProductISA, forced: Bool = false, halves: Bool = true, n: Int = 256, k: Int = 784)
      -> ProductISA
    { ProductISA.productChoice(current: current, forced: forced, halves512: halves, n: n, k: k) }
    XCTAssertEqual(choice(.avx512), .avx2)
    XCTAssertEqual(choice(.avx512, n: 17, k: 17), .avx2)
    XCTAssertEqual(choice(.avx512, halves: false), .avx512)
    // One AVX-512 panel wide, or short sums: AVX-512.
    XCTAssertEqual(choice(.avx512, n: 16), .avx512)
    XCTAssertEqual(choice(.avx512, k: 16), .avx512)
    // NEURAL_ISA wins; narrower sets stay.
    XCTAssertEqual(choice(.avx512, forced: true), .avx512)
    XCTAssertEqual(choice(.avx2), .avx2)
    XCTAssertEqual(choice(.sse2), .sse2)
  }
}
