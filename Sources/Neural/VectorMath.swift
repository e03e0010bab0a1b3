// Neural's portable functions over whole arrays, at the CPU's vector width (CNeuralKernels'
// `vector_math.h`): each lane does the scalar function's operations in the scalar function's order,
// so every path gives the bits of `portableTanh`, `portableExp`, `portableExpm1`, `portableLog`,
// `Sigmoid.f` and `portableLog1p`, element by element, and softmax and log-sum-exp over rows have
// the bits of their scalar loops (`VectorMathTests` compares every path on 10⁶ inputs, special
// values included).

@_implementationOnly import CNeuralKernels

enum VectorMath {
  /// A function with a vector path.
  enum Function: CustomStringConvertible {
    /// `portableTanh`.
    case tanh
    /// `portableExp`.
    case exp
    /// `Sigmoid.f`: `1 / (1 + portableExp(−z))`.
    case sigmoid
    /// `portableLog1p`.
    case log1p
    /// `portableLog1p(portableExp(−|z|))`: the softplus term of the binary cross-entropy.
    case log1pExpNegAbs
    /// `portableExpm1`.
    case expm1
    /// `portableLog`.
    case log

    var description: String {
      switch self {
      case .tanh: "tanh"
      case .exp: "exp"
      case .sigmoid: "sigmoid"
      case .log1p: "log1p"
      case .log1pExpNegAbs: "log1p(exp(-|z|))"
      case .expm1: "expm1"
      case .log: "log"
      }
    }
  }

  /// `out[i] = f(x[i])` for `i < count` on `isa` (`out` may be `x`).
  static func apply(
    _ f: Function, _ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, count: Int,
    isa: ProductISA = .current
  ) {
    precondition(isa.isSupported, "VectorMath: \(isa) is not supported by this CPU")
    let i = Int32(isa.rawValue)
    switch f {
    case .tanh: neural_tanh(i, count, x, out)
    case .exp: neural_exp(i, count, x, out)
    case .sigmoid: neural_sigmoid(i, count, x, out)
    case .log1p: neural_log1p(i, count, x, out)
    case .log1pExpNegAbs: neural_log1p_exp_neg_abs(i, count, x, out)
    case .expm1: neural_expm1(i, count, x, out)
    case .log: neural_log(i, count, x, out)
    }
  }

  /// `out[i] = f(x[i])` for every element of `x`; `out` must have at least as many.
  static func apply(_ f: Function, _ x: [Double], into out: inout [Double], isa: ProductISA = .current) {
    precondition(out.count >= x.count, "VectorMath: output shorter than input")
    x.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { out in
        guard let xp = x.baseAddress, let op = out.baseAddress else { return }
        apply(f, xp, op, count: x.count, isa: isa)
      }
    }
  }

  /// `A = f(Z)` for a whole matrix, large ones split across threads (each element is `f` of its own
  /// `z`, whoever computes it).
  static func map(_ f: Function, _ Z: Matrix) -> Matrix {
    Z.storage.withUnsafeBufferPointer { z in
      Matrix(rows: Z.rows, cols: Z.cols) { a in
        guard let z = z.baseAddress, let a = a.baseAddress else { return }
        Parallel.forEachRange(Z.count, granule: 8, costPerItem: 8) { range in
          apply(f, z + range.lowerBound, a + range.lowerBound, count: range.count)
        }
      }
    }
  }

  /// A function of whole rows with a vector path.
  enum RowFunction: CustomStringConvertible {
    /// `Softmax.forward`: a row in, a row out.
    case softmax
    /// `m + portableLog(Σⱼ portableExp(zⱼ − m))`: a row in, one number out.
    case logSumExp

    var description: String { self == .softmax ? "softmax" : "log-sum-exp" }
  }

  /// `f` of each of `rows` rows of `cols` doubles at `z` (row-major) into `out` on `isa`: a row of
  /// `cols` a row for `.softmax` (`out` may be `z`), one double a row for `.logSumExp`.
  static func apply(
    _ f: RowFunction, rows: Int, cols: Int, _ z: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>,
    isa: ProductISA = .current
  ) {
    precondition(isa.isSupported, "VectorMath: \(isa) is not supported by this CPU")
    let i = Int32(isa.rawValue)
    switch f {
    case .softmax: neural_softmax_rows(i, rows, cols, z, out)
    case .logSumExp: neural_log_sum_exp_rows(i, rows, cols, z, out)
    }
  }

  /// `f` of every row of `Z`: `.softmax` gives a matrix of `Z`'s shape, `.logSumExp` a column.
  /// Large ones are split across threads by rows (each row is its own).
  static func rows(_ f: RowFunction, _ Z: Matrix, isa: ProductISA = .current) -> Matrix {
    let cols = Z.cols
    let width = f == .softmax ? cols : 1
    return Z.storage.withUnsafeBufferPointer { z in
      Matrix(rows: Z.rows, cols: width) { out in
        // No columns: an empty softmax, and log-sum-exp −∞ + log 0 = −∞.
        guard cols > 0, let z = z.baseAddress, let a = out.baseAddress else {
          return out.initialize(repeating: -.infinity)
        }
        Parallel.forEachRange(Z.rows, granule: 8, costPerItem: 8 * cols) { range in
          apply(
            f, rows: range.count, cols: cols, z + range.lowerBound * cols, a + range.lowerBound * width,
            isa: isa)
        }
      }
    }
  }
}
