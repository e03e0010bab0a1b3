/// A dense matrix of `Double`, row-major and contiguous: element (i, j) is `storage[i * cols + j]`.
///
/// Rows are samples and columns are features, as in the MLP lecture: a layer computes
/// `X⁽ˡ⁺¹⁾ = σ(X⁽ˡ⁾ W⁽ˡ⁾)` with `X ∈ ℝⁿˣᵏ` and `W ∈ ℝᵏˣᵏ'`. Shapes are checked with
/// `precondition` (a wrong shape is a programmer error); the training loop checks user data
/// before it gets here and reports a readable error instead.
public struct Matrix: Equatable, Sendable {
  /// The number of rows.
  public private(set) var rows: Int
  /// The number of columns.
  public private(set) var cols: Int
  /// The elements, row after row. Read-only outside `Neural`: write elements through
  /// `self[i, j]`, or build a matrix from its elements (`Matrix(rows:cols:_:)`), so every matrix
  /// keeps `storage.count == rows · cols`.
  public internal(set) var storage: [Double]

  /// A `rows × cols` matrix with every element `value`.
  public init(rows: Int, cols: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && cols >= 0, "Matrix: negative shape \(rows)×\(cols)")
    self.rows = rows
    self.cols = cols
    self.storage = Array(repeating: value, count: rows * cols)
  }

  /// A `rows × cols` matrix whose elements `initialize` writes, every one of them, without
  /// zeroing them first (for results that overwrite all of their elements anyway).
  init(rows: Int, cols: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Double>) -> Void) {
    precondition(rows >= 0 && cols >= 0, "Matrix: negative shape \(rows)×\(cols)")
    self.rows = rows
    self.cols = cols
    self.storage = [Double](unsafeUninitializedCapacity: rows * cols) { buffer, count in
      initialize(buffer)
      count = rows * cols
    }
  }

  /// A `rows × cols` matrix from its elements in row-major order.
  public init(rows: Int, cols: Int, _ storage: [Double]) {
    precondition(storage.count == rows * cols, "Matrix: \(storage.count) elements for \(rows)×\(cols)")
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  /// A matrix from its rows; every row must have the same length.
  public init(_ rowArrays: [[Double]]) {
    let cols = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == cols }, "Matrix: rows of different lengths")
    self.init(rows: rowArrays.count, cols: cols, rowArrays.flatMap { $0 })
  }

  /// A column vector (`n × 1`).
  public init(column: [Double]) { self.init(rows: column.count, cols: 1, column) }

  /// A row vector (`1 × n`).
  public init(row: [Double]) { self.init(rows: 1, cols: row.count, row) }

  /// Columns side by side: `Matrix(columns: [x1, x2])` is the lecture's `data.frame(x1, x2)`.
  public init(columns: [[Double]]) {
    let rows = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == rows }, "Matrix: columns of different lengths")
    self.init(rows: rows, cols: columns.count)
    for (j, column) in columns.enumerated() {
      for i in 0..<rows { storage[i * cols + j] = column[i] }
    }
  }

  /// `(rows, cols)`.
  public var shape: (rows: Int, cols: Int) { (rows, cols) }
  /// `rows · cols`.
  public var count: Int { storage.count }

  /// Element `(i, j)`, both from 0: `storage[i * cols + j]`.
  /// - Precondition: `i < rows` and `j < cols`.
  public subscript(i: Int, j: Int) -> Double {
    get { storage[i * cols + j] }
    set { storage[i * cols + j] = newValue }
  }

  /// Row `i` as an array.
  public func row(_ i: Int) -> [Double] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

  /// Column `j` as an array.
  public func column(_ j: Int) -> [Double] { (0..<rows).map { storage[$0 * cols + j] } }

  /// The rows at `indices`, in that order (a mini-batch).
  ///
  /// Each row is copied whole, and a large batch on both cores: a mini-batch's rows lie far apart in a
  /// large data set (W6's is 125 MB), so the copy waits on memory, and two cores keep twice the
  /// loads in flight.
  public func rows(_ indices: some Collection<Int>) -> Matrix {
    let (count, cols, rows) = (indices.count, cols, rows)
    let picked = Array(indices)
    for i in picked { precondition(i >= 0 && i < rows, "Matrix: row \(i) of a matrix with \(rows) rows") }
    guard count > 0 && cols > 0 else { return Matrix(rows: count, cols: cols) }
    return storage.withUnsafeBufferPointer { src in
      Matrix(rows: count, cols: cols) { dst in
        let (src, dst) = (src.baseAddress!, dst.baseAddress!)
        picked.withUnsafeBufferPointer { picked in
          Parallel.forEachRange(count, costPerItem: cols, minimumWork: 1 << 14) { range in
            for r in range { (dst + r * cols).initialize(from: src + picked[r] * cols, count: cols) }
          }
        }
      }
    }
  }

  /// `Aᵀ`.
  public var transposed: Matrix {
    var out = Matrix(rows: cols, cols: rows)
    for i in 0..<rows {
      for j in 0..<cols { out.storage[j * rows + i] = storage[i * cols + j] }
    }
    return out
  }

  /// `f` applied to every element.
  @inlinable public func map(_ f: (Double) -> Double) -> Matrix {
    Matrix(rows: rows, cols: cols, storage.map(f))
  }

  /// `f(aᵢⱼ, bᵢⱼ)` for two matrices of the same shape.
  @inlinable public func zip(_ other: Matrix, _ f: (Double, Double) -> Double) -> Matrix {
    precondition(rows == other.rows && cols == other.cols, "Matrix: \(shape) vs \(other.shape)")
    var out = storage
    out.withUnsafeMutableBufferPointer { o in
      other.storage.withUnsafeBufferPointer { b in
        for i in 0..<o.count { o[i] = f(o[i], b[i]) }
      }
    }
    return Matrix(rows: rows, cols: cols, out)
  }

  /// `Σᵢⱼ aᵢⱼ`.
  public var sum: Double { storage.reduce(0, +) }

  /// Column sums as a `1 × cols` row: `1ᵀ A` (the bias gradient is the column sum of `∂L/∂Z`).
  public var columnSums: Matrix {
    // Each column summed in row order, `((0 + a₀ⱼ) + a₁ⱼ) + …`, several columns side by side in C.
    storage.withUnsafeBufferPointer { a in
      Matrix(rows: 1, cols: cols) { o in
        guard let out = o.baseAddress else { return }
        Matrix.columnSums(rows: rows, cols: cols, a.baseAddress ?? UnsafePointer(out), into: out)
      }
    }
  }

  /// Frobenius norm `‖A‖ = √(Σ aᵢⱼ²)`, the squares summed in storage order from 0 (the bits of
  /// `storage.reduce(0) { $0 + $1 * $1 }`, computed side by side where that provably gives them).
  public var norm: Double { norm(isa: .current) }

  /// `norm` on a given instruction set (every one gives the same bits).
  func norm(isa: ProductISA) -> Double {
    storage.withUnsafeBufferPointer { Matrix.sumOfSquares($0, isa: isa) }.squareRoot()
  }

  /// Index of the largest element of each row (the predicted class of a softmax output).
  public var argmaxPerRow: [Int] {
    (0..<rows).map { i in
      var best = 0
      for j in 1..<max(cols, 1) where storage[i * cols + j] > storage[i * cols + best] { best = j }
      return best
    }
  }

  /// `A + 1·bᵀ`: adds the row vector `b` (`1 × cols`) to every row.
  public func addingRow(_ b: Matrix) -> Matrix {
    var out = self
    out.addRow(b)
    return out
  }

  /// `A ← A + 1·bᵀ`, in place.
  public mutating func addRow(_ b: Matrix) {
    precondition(b.rows == 1 && b.cols == cols, "Matrix: adding row \(b.shape) to \(shape)")
    let (rows, cols) = (rows, cols)
    storage.withUnsafeMutableBufferPointer { o in
      b.storage.withUnsafeBufferPointer { v in
        guard let o = o.baseAddress, let v = v.baseAddress else { return }
        Matrix.addRow(rows: rows, cols: cols, o, v)
      }
    }
  }
}

// MARK: - Products

extension Matrix {
  /// `op(A) · op(B)` with `op` the identity or the transpose, without forming a transpose.
  ///
  /// - Complexity: O(m·k·n) multiply-adds, in i-k-j order so the inner loop runs over
  ///   contiguous memory. No allocation besides the result.
  public static func product(
    _ a: Matrix, _ b: Matrix, transposeA ta: Bool = false, transposeB tb: Bool = false
  )
    -> Matrix
  {
    product(
      a, b, transposeA: ta, transposeB: tb,
      isa: .forProduct(n: tb ? b.rows : b.cols, k: ta ? a.rows : a.cols))
  }

  /// `A·B + 1·rowᵀ` (a layer's `Z = XW + b`): the bits of `product(a, b).addingRow(row)`, the row
  /// added to each tile of a tiled product as it is stored rather than in a second pass.
  static func product(_ a: Matrix, _ b: Matrix, addingRow row: Matrix, isa: ProductISA? = nil) -> Matrix {
    precondition(
      row.rows == 1 && row.cols == b.cols, "Matrix: adding row \(row.shape) to \(a.rows)×\(b.cols)")
    return row.storage.withUnsafeBufferPointer { v in
      product(
        a, b, transposeA: false, transposeB: false, isa: isa ?? .forProduct(n: b.cols, k: a.cols),
        bias: v.baseAddress)
    }
  }

  /// `product` on a given instruction set (tests run every one the CPU has: the bits must agree), with
  /// `bias` (`n` doubles) added to every row when given.
  static func product(
    _ a: Matrix, _ b: Matrix, transposeA ta: Bool, transposeB tb: Bool, isa: ProductISA,
    bias: UnsafePointer<Double>? = nil
  ) -> Matrix {
    let m = ta ? a.cols : a.rows
    let k = ta ? a.rows : a.cols
    let kb = tb ? b.cols : b.rows
    let n = tb ? b.rows : b.cols
    precondition(
      k == kb, "Matrix: cannot multiply \(ta ? "Aᵀ" : "A") \(m)×\(k) by \(tb ? "Bᵀ" : "B") \(kb)×\(n)")
    let ac = a.cols
    let bc = b.cols
    if let bias, !(m * n * k >= tiledThreshold && n >= tileCols && k > 0) {
      // The matrix–vector and simple loops: the row added afterwards, as `addRow` does.
      var c = product(a, b, transposeA: ta, transposeB: tb, isa: isa)
      c.storage.withUnsafeMutableBufferPointer { o in
        if let o = o.baseAddress { Matrix.addRow(rows: m, cols: n, o, bias) }
      }
      return c
    }
    if n == 1 && m * k >= tiledThreshold {
      // A matrix–vector product: the tiles would compute three zero columns for each real one.
      return a.storage.withUnsafeBufferPointer { A in
        b.storage.withUnsafeBufferPointer { B in
          Matrix(rows: m, cols: 1) { C in
            matrixVector(
              m: m, k: k, a: A.baseAddress!, ars: ta ? 1 : ac, acs: ta ? ac : 1, b: B.baseAddress!,
              bs: tb ? 1 : bc, c: C.baseAddress!)
          }
        }
      }
    }
    if m * n * k >= tiledThreshold && n >= tileCols && k > 0 {
      // Same bits as the loops below on every instruction set (see Matrix+Kernel.swift).
      // The first block over k stores every element of C, so C needs no zeroing.
      return a.storage.withUnsafeBufferPointer { A in
        b.storage.withUnsafeBufferPointer { B in
          Matrix(rows: m, cols: n) { C in
            let (ars, acs) = ta ? (1, ac) : (ac, 1)
            let (a, b, c) = (A.baseAddress!, B.baseAddress!, C.baseAddress!)
            let (brs, bcs) = tb ? (1, bc) : (bc, 1)
            // Rows of C in parallel, or for a short and wide C (W6's 64 × 256 forward product)
            // columns, so that each thread packs only its part of B. Each element is computed the same
            // way whichever thread has it.
            if m >= n {
              Parallel.forEachRange(m, granule: tileRows, costPerItem: n * k) { rows in
                tiledProduct(
                  isa: isa, m: rows.count, n: n, k: k, a: a + rows.lowerBound * ars, ars: ars, acs: acs,
                  b: b, brs: brs, bcs: bcs, c: c + rows.lowerBound * n, ldc: n, bias: bias)
              }
            } else {
              Parallel.forEachRange(n, granule: 16, costPerItem: m * k) { cols in
                tiledProduct(
                  isa: isa, m: m, n: cols.count, k: k, a: a, ars: ars, acs: acs,
                  b: b + cols.lowerBound * bcs, brs: brs, bcs: bcs, c: c + cols.lowerBound, ldc: n,
                  bias: bias.map { $0 + cols.lowerBound })
              }
            }
          }
        }
      }
    }
    return loopProduct(a, b, transposeA: ta, transposeB: tb, m: m, k: k, n: n)
  }

  /// `op(A) · op(B)` (`m×k` by `k×n`) by plain loops, for products too small for the tiles: i-k-j
  /// order (skipping zeros of `A`) without a transposed `B`, dot products with one.
  private static func loopProduct(
    _ a: Matrix, _ b: Matrix, transposeA ta: Bool, transposeB tb: Bool, m: Int, k: Int, n: Int
  ) -> Matrix {
    let ac = a.cols
    let bc = b.cols
    var c = Matrix(rows: m, cols: n)
    a.storage.withUnsafeBufferPointer { A in
      b.storage.withUnsafeBufferPointer { B in
        c.storage.withUnsafeMutableBufferPointer { C in
          switch (ta, tb) {
          case (false, false):
            for i in 0..<m {
              for p in 0..<k {
                let aip = A[i * ac + p]
                if aip == 0 { continue }
                for j in 0..<n { C[i * n + j] += aip * B[p * bc + j] }
              }
            }
          case (true, false):
            for p in 0..<k {
              for i in 0..<m {
                let api = A[p * ac + i]
                if api == 0 { continue }
                for j in 0..<n { C[i * n + j] += api * B[p * bc + j] }
              }
            }
          case (false, true):
            for i in 0..<m {
              for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += A[i * ac + p] * B[j * bc + p] }
                C[i * n + j] = s
              }
            }
          case (true, true):
            for i in 0..<m {
              for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += A[p * ac + i] * B[j * bc + p] }
                C[i * n + j] = s
              }
            }
          }
        }
      }
    }
    return c
  }

  /// Matrix product `A · B`.
  public static func * (a: Matrix, b: Matrix) -> Matrix { product(a, b) }

  /// Element-wise (Hadamard) product `A ⊙ B`.
  public static func .* (a: Matrix, b: Matrix) -> Matrix { a.zip(b, *) }

  /// `A + B`, element by element.
  /// - Precondition: one shape.
  public static func + (a: Matrix, b: Matrix) -> Matrix { a.zip(b, +) }
  /// `A − B`, element by element.
  /// - Precondition: one shape.
  public static func - (a: Matrix, b: Matrix) -> Matrix { a.zip(b, -) }
  /// `sA`: every element times `s`.
  public static func * (s: Double, a: Matrix) -> Matrix { a.map { s * $0 } }
  /// `A + s`: `s` added to every element.
  public static func + (a: Matrix, s: Double) -> Matrix { a.map { $0 + s } }
  /// `A − s`: `s` taken from every element.
  public static func - (a: Matrix, s: Double) -> Matrix { a.map { $0 - s } }
  /// `−A`.
  public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }

  /// `A ← A + B` in place.
  /// - Precondition: one shape.
  public static func += (a: inout Matrix, b: Matrix) {
    precondition(a.rows == b.rows && a.cols == b.cols, "Matrix: \(a.shape) += \(b.shape)")
    a.storage.withUnsafeMutableBufferPointer { x in
      b.storage.withUnsafeBufferPointer { y in
        for i in 0..<x.count { x[i] += y[i] }
      }
    }
  }
}

infix operator .* : MultiplicationPrecedence

extension Matrix: CustomStringConvertible {
  /// Rows on lines, numbers with 4 significant digits: readable in a notebook's output.
  public var description: String {
    guard rows > 0, cols > 0 else { return "Matrix(\(rows)×\(cols))" }
    let cells = storage.map { formatShort($0) }
    let width = cells.map(\.count).max() ?? 1
    return (0..<rows).map { i in
      (0..<cols).map { j in
        let s = cells[i * cols + j]
        return String(repeating: " ", count: width - s.count) + s
      }.joined(separator: " ")
    }.joined(separator: "\n")
  }
}

/// `x` with up to 4 significant digits and no float noise (`0.3`, not `0.30000000000000004`).
func formatShort(_ x: Double) -> String {
  if x.isNaN { return "NaN" }
  if x.isInfinite { return x < 0 ? "-Inf" : "Inf" }
  if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
  var s = String(format: "%.4g", x)
  if s.contains("e") { return s }
  while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
  return s
}
