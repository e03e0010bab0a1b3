// The matrix product's fast path: packed panels and register tiles in C (CNeuralKernels), at the
// widest vector width the CPU has.
//
// Exact: every element is still `cᵢⱼ = ((0 + aᵢ₀b₀ⱼ) + aᵢ₁b₁ⱼ) + …` with the products added one at a
// time in the order p = 0, 1, …, k−1, as the simple loops in `Matrix.product` add them, and a
// multiply and an add are two roundings (the C file is compiled without FMA contraction and uses
// separate multiply and add instructions). The SSE2, AVX2 and AVX-512 kernels only differ in how many
// elements they compute side by side, so all three give the simple loops' bits on every machine
// (`MatrixKernelTests` runs every path the CPU has). (The simple loop for `A·B` skips a zero aᵢₚ;
// adding the product ±0 instead changes nothing, since a sum that starts at +0 never becomes −0;
// only an infinite or NaN b would differ, giving NaN where it was skipped.)

import Foundation

// Implementation-only: a notebook program imports Neural, and a plain (even `internal`) import would
// make it need CNeuralKernels' module map too ("missing required module"). Nothing of the C module
// appears in Neural's interface or in any stored type, only calls, so the compiler's warning about
// library evolution does not apply.
@_implementationOnly import CNeuralKernels

/// The instruction set the matrix product and the vector math run on: the widest this CPU has (for
/// products on AMD Zen 4, the faster per shape: `forProduct`), or `NEURAL_ISA` (`sse2`, `avx2`,
/// `avx512`) when set. Every choice gives the same bits; only the speed differs.
public enum ProductISA: Int, CaseIterable, Sendable, CustomStringConvertible {
  /// 128-bit vectors, two doubles: every x86-64 CPU has it; elsewhere portable C. The fallback.
  case sse2 = 0
  /// 256-bit vectors, four doubles; when the CPU reports `avx2`.
  case avx2 = 1
  /// 512-bit vectors, eight doubles; when the CPU reports `avx512f`.
  case avx512 = 2

  /// Whether this CPU can run it.
  public var isSupported: Bool { neural_isa_supported(Int32(rawValue)) != 0 }

  /// The widest the CPU supports.
  public static var widest: ProductISA { allCases.last { $0.isSupported } ?? .sse2 }

  /// The one in use: `NEURAL_ISA` when it names a supported set, else `widest`. A name this CPU cannot run, or not a name at all, is reported once on standard
  /// error, and `widest` used.
  public static let current: ProductISA = forced ?? widest

  /// The one a product of `k`-term sums into `n` columns of C runs on: `current`, but AVX2 instead of
  /// AVX-512 on a CPU that runs 512-bit operations as two 256-bit halves (AMD Zen 4) when C is wider
  /// than one AVX-512 panel (16 columns) and the sums longer than 16 terms, unless `NEURAL_ISA` chose.
  /// There the 4×8 AVX2 kernel beat the 4×16 AVX-512 one on W6's products (per CPU second: forward
  /// 64×784·784×128 37 against 32 GFLOP/s, backward 392×64ᵀ·64×256 32.5 against 31.7), while on
  /// W3's 16-column products and with 10-term sums AVX-512 stayed ahead (bench/README.md 48.).
  /// Every choice gives the same bits.
  public static func forProduct(n: Int, k: Int) -> ProductISA {
    productChoice(current: current, forced: forced != nil, halves512: halves512, n: n, k: k)
  }

  /// `forProduct`'s rule.
  static func productChoice(current: ProductISA, forced: Bool, halves512: Bool, n: Int, k: Int) -> ProductISA
  {
    current == .avx512 && !forced && halves512 && n > 16 && k > 16 ? .avx2 : current
  }

  /// Whether this CPU runs 512-bit operations as two 256-bit halves (CNeuralKernels' CPUID check).
  static let halves512 = neural_halves_512() != 0

  /// `NEURAL_ISA`'s set when it names one this CPU runs (reported on standard error once otherwise).
  private static let forced: ProductISA? = {
    guard let name = ProcessInfo.processInfo.environment["NEURAL_ISA"], !name.isEmpty else { return nil }
    guard let isa = allCases.first(where: { $0.description == name.lowercased() }), isa.isSupported else {
      FileHandle.standardError.write(
        Data(
          "Neural: NEURAL_ISA=\(name) is not one of sse2, avx2, avx512 that this CPU runs; using \(widest)\n"
            .utf8))
      return nil
    }
    return isa
  }()

  /// The name `NEURAL_ISA` takes: `sse2`, `avx2`, `avx512`.
  public var description: String { ["sse2", "avx2", "avx512"][rawValue] }
}

extension Matrix {
  /// Products with fewer multiply-adds than this take the simple loops (tiles would not pay).
  static let tiledThreshold = 512
  /// Rows of C per micro-tile (on every path): a thread's share of rows starts on a multiple of it.
  @usableFromInline static let tileRows = 4
  /// Narrowest C the tiles take (narrower: the simple loops or the matrix–vector loop).
  @usableFromInline static let tileCols = 4

  /// `C = op(A)·op(B)` on `isa` for `op(A)` `m × k` with element (i, p) at `a[i·ars + p·acs]`, `op(B)`
  /// `k × n` with (p, j) at `b[p·brs + j·bcs]`, into `c` (`m × n`, (i, j) at `c[i·ldc + j]`; every
  /// element is written, none read before it has been). `isa` must be supported. `bias` (`n` doubles):
  /// each element is then its sum + `bias[j]`, the bits of `addRow` after the product.
  ///
  /// - Complexity: m·k·n multiply-adds, plus O(m·k + k·n) to pack the panels; scratch of at most
  ///   `4·256 + 256·roundUp(n, 16)` doubles.
  static func tiledProduct(
    isa: ProductISA, m: Int, n: Int, k: Int,
    a: UnsafePointer<Double>, ars: Int, acs: Int,
    b: UnsafePointer<Double>, brs: Int, bcs: Int,
    c: UnsafeMutablePointer<Double>, ldc: Int, bias: UnsafePointer<Double>? = nil
  ) {
    precondition(isa.isSupported, "Matrix: \(isa) is not supported by this CPU")
    neural_product(Int32(isa.rawValue), m, n, k, a, ars, acs, b, brs, bcs, c, ldc, bias)
  }

  /// `out[j] = ((0 + a[0][j]) + a[1][j]) + … + a[rows − 1][j]` for a row-major `rows × cols` `a`:
  /// the simple loop's sums in its order, several columns side by side (C, vectorised across columns at
  /// `isa`'s width; every one gives the same bits).
  static func columnSums(
    rows: Int, cols: Int, _ a: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
    isa: ProductISA = .current
  ) {
    precondition(isa.isSupported, "Matrix: \(isa) is not supported by this CPU")
    neural_column_sums(Int32(isa.rawValue), rows, cols, a, out)
  }

  /// `((0 + x₀²) + x₁²) + … + x²ₙ₋₁`, each square and each sum rounded, in that order: the simple loop's
  /// bits (NaN and ∞ included), summed blockwise side by side where that provably gives them (C, see
  /// sums.c) and term by term where it does not.
  static func sumOfSquares(_ x: UnsafeBufferPointer<Double>, isa: ProductISA) -> Double {
    precondition(isa.isSupported, "Matrix: \(isa) is not supported by this CPU")
    guard let base = x.baseAddress else { return 0 }
    return neural_sum_of_squares(Int32(isa.rawValue), x.count, base)
  }

  /// `aᵢⱼ += vⱼ` for every row of a row-major `rows × cols` `a` (C, vectorised across columns).
  static func addRow(
    rows: Int, cols: Int, _ a: UnsafeMutablePointer<Double>, _ v: UnsafePointer<Double>,
    isa: ProductISA = .current
  ) {
    precondition(isa.isSupported, "Matrix: \(isa) is not supported by this CPU")
    neural_add_row(Int32(isa.rawValue), rows, cols, a, v)
  }

  /// `c = op(A)·b` for `op(A)` `m × k` ((i, p) at `a[i·ars + p·acs]`) and `b` with element p at
  /// `b[p·bs]`: each `cᵢ` summed in the order p = 0…k−1 like the other loops, four rows side by side
  /// (four independent sums keep the adder busy), or for a transposed A (`ars == 1`) a whole
  /// contiguous column of A at a time.
  static func matrixVector(
    m: Int, k: Int, a: UnsafePointer<Double>, ars: Int, acs: Int, b: UnsafePointer<Double>, bs: Int,
    c: UnsafeMutablePointer<Double>
  ) {
    if ars == 1 {
      for i in 0..<m { c[i] = 0 }
      for p in 0..<k {
        let (column, bp) = (a + p * acs, b[p * bs])
        for i in 0..<m { c[i] += column[i] * bp }
      }
      return
    }
    var i = 0
    while i + 4 <= m {
      let (r0, r1, r2, r3) = (a + i * ars, a + (i + 1) * ars, a + (i + 2) * ars, a + (i + 3) * ars)
      var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
      for p in 0..<k {
        let (o, bp) = (p * acs, b[p * bs])
        s0 += r0[o] * bp
        s1 += r1[o] * bp
        s2 += r2[o] * bp
        s3 += r3[o] * bp
      }
      (c[i], c[i + 1], c[i + 2], c[i + 3]) = (s0, s1, s2, s3)
      i += 4
    }
    while i < m {
      var s = 0.0
      for p in 0..<k { s += a[i * ars + p * acs] * b[p * bs] }
      c[i] = s
      i += 1
    }
  }
}
