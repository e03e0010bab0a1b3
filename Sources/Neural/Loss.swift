import Foundation

/// A loss `L(Ŷ, Y)` over `n` samples (rows): the network's output `Ŷ` against the targets `Y`.
public protocol Loss: Sendable, CustomStringConvertible {
  /// `L(Ŷ, Y)`.
  func value(_ Yhat: Matrix, _ Y: Matrix) -> Double
  /// `∂L/∂Ŷ`, same shape as `Ŷ`.
  func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix
  /// The loss and `∂L/∂Z` straight from the output layer's pre-activation `Z`, when this loss
  /// pairs with `activation` into a simpler, numerically stable form (cross-entropy after sigmoid
  /// or softmax: `∂L/∂Z = (Ŷ − Y)/n`, and the log never sees 0). nil: use `value` and `gradient`.
  func fused(_ Z: Matrix, _ Yhat: Matrix, _ Y: Matrix, activation: any Activation) -> (
    loss: Double, dZ: Matrix
  )?
  /// Whether targets are classes (accuracy is then reported).
  var isClassification: Bool { get }
  /// How a single output column is read as a class: a probability (at 0.5) or a raw score (at 0).
  var decision: Decision { get }
}

extension Loss {
  /// No fused form: `nil`, so training uses `value` and `gradient`.
  public func fused(_ Z: Matrix, _ Yhat: Matrix, _ Y: Matrix, activation: any Activation) -> (
    loss: Double, dZ: Matrix
  )? { nil }
  /// `false`: a loss is a regression loss unless it says otherwise.
  public var isClassification: Bool { false }
  /// `.probability`: outputs are probabilities unless the loss says otherwise.
  public var decision: Decision { .probability }
}

private func checkShapes(_ Yhat: Matrix, _ Y: Matrix) {
  precondition(Yhat.rows == Y.rows && Yhat.cols == Y.cols, "Loss: output \(Yhat.shape) vs target \(Y.shape)")
}

/// Mean squared error `L = (1/n) Σᵢ ‖yᵢ − ŷᵢ‖²` (the lecture's `E(α, β)`), `∂L/∂ŷ = (2/n)(ŷ − y)`.
public struct MeanSquaredError: Loss {
  /// Mean squared error.
  public init() {}
  /// `(1/n) Σᵢ ‖yᵢ − ŷᵢ‖²`.
  public func value(_ Yhat: Matrix, _ Y: Matrix) -> Double {
    checkShapes(Yhat, Y)
    return (Yhat - Y).storage.reduce(0) { $0 + $1 * $1 } / Double(Y.rows)
  }
  /// `(2/n)(Ŷ − Y)`.
  public func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix {
    let s = 2 / Double(Y.rows)
    return Yhat.zip(Y) { s * ($0 - $1) }
  }
  /// `MSE`.
  public var description: String { "MSE" }
}

/// Half mean squared error `E = 1/(2N) Σᵢ (dᵢ − yᵢ)²` of the single-neuron lecture,
/// `∂E/∂y = (1/N)(y − d)`: the ½ cancels the 2 of the square.
public struct HalfMeanSquaredError: Loss {
  /// Half mean squared error.
  public init() {}
  /// `1/(2n) Σᵢ ‖yᵢ − ŷᵢ‖²`.
  public func value(_ Yhat: Matrix, _ Y: Matrix) -> Double {
    checkShapes(Yhat, Y)
    return (Yhat - Y).storage.reduce(0) { $0 + $1 * $1 } / (2 * Double(Y.rows))
  }
  /// `(1/n)(Ŷ − Y)`.
  public func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix {
    let s = 1 / Double(Y.rows)
    return Yhat.zip(Y) { s * ($0 - $1) }
  }
  /// `half-MSE`.
  public var description: String { "half-MSE" }
}

/// Mean absolute error `L = (1/n) Σᵢ ‖yᵢ − ŷᵢ‖₁`, `∂L/∂ŷ = sign(ŷ − y)/n` (0 where they are equal).
/// Less swayed by outliers than MSE.
public struct MeanAbsoluteError: Loss {
  /// Mean absolute error.
  public init() {}
  /// `(1/n) Σᵢ ‖yᵢ − ŷᵢ‖₁`.
  public func value(_ Yhat: Matrix, _ Y: Matrix) -> Double {
    checkShapes(Yhat, Y)
    return (Yhat - Y).storage.reduce(0) { $0 + abs($1) } / Double(Y.rows)
  }
  /// `sign(Ŷ − Y)/n`, 0 where they are equal.
  public func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix {
    let s = 1 / Double(Y.rows)
    return Yhat.zip(Y) { $0 > $1 ? s : ($0 < $1 ? -s : 0) }
  }
  /// `MAE`.
  public var description: String { "MAE" }
}

/// Binary cross-entropy `L = −(1/n) Σᵢ [yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)]`, `yᵢ ∈ {0, 1}`.
///
/// After a sigmoid output it is computed from the logit `z` as
/// `max(z, 0) − z·y + log(1 + e^−|z|)`, which equals the formula above and never takes log(0);
/// its gradient is then `∂L/∂z = (σ(z) − y)/n`. On its own (`value`), `ŷ` is clamped to
/// `[1e-15, 1 − 1e-15]`.
public struct BinaryCrossEntropy: Loss {
  /// Binary cross-entropy.
  public init() {}
  static let clamp = 1e-15

  /// `−(1/n) Σᵢ [yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)]`, `ŷ` clamped to `[1e-15, 1 − 1e-15]`.
  public func value(_ Yhat: Matrix, _ Y: Matrix) -> Double {
    checkShapes(Yhat, Y)
    // log q and log(1 − q) for every element at the vector width (the bits of `portableLog`), then
    // the sum in order.
    let q = Yhat.storage.map { min(max($0, Self.clamp), 1 - Self.clamp) }
    var logQ = [Double](repeating: 0, count: q.count)
    var logNotQ = [Double](repeating: 0, count: q.count)
    VectorMath.apply(.log, q, into: &logQ)
    VectorMath.apply(.log, q.map { 1 - $0 }, into: &logNotQ)
    var s = 0.0
    for (i, y) in Y.storage.enumerated() { s += y * logQ[i] + (1 - y) * logNotQ[i] }
    return -s / Double(Y.rows)
  }

  /// `(ŷ − y) / (ŷ(1 − ŷ)) / n`, `ŷ` clamped as in `value`.
  public func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix {
    let n = Double(Y.rows)
    return Yhat.zip(Y) { p, y in
      let q = min(max(p, Self.clamp), 1 - Self.clamp)
      return (q - y) / (q * (1 - q)) / n
    }
  }

  /// After a sigmoid (an activation whose `crossEntropyPair` is `.binary`): the loss from the logits, `(1/n) Σ [max(z, 0) − z·y + log(1 + e^−|z|)]`, and `∂L/∂Z = (Ŷ − Y)/n`; nil after any other activation.
  public func fused(_ Z: Matrix, _ Yhat: Matrix, _ Y: Matrix, activation: any Activation) -> (
    loss: Double, dZ: Matrix
  )? {
    guard activation.crossEntropyPair == .binary else { return nil }
    checkShapes(Yhat, Y)
    let n = Double(Y.rows)
    // log1p(e^−|z|) for every element at the vector width (the bits of the scalar functions), then
    // the sum in order, as before.
    var softplus = [Double](repeating: 0, count: Z.count)
    VectorMath.apply(.log1pExpNegAbs, Z.storage, into: &softplus)
    var s = 0.0
    for i in 0..<min(Z.count, Y.count) {
      let (z, y) = (Z.storage[i], Y.storage[i])
      s += max(z, 0) - z * y + softplus[i]
    }
    return (s / n, Yhat.zip(Y) { ($0 - $1) / n })
  }

  /// `true`: targets are classes.
  public var isClassification: Bool { true }
  /// `binary cross-entropy`.
  public var description: String { "binary cross-entropy" }
}

/// Categorical cross-entropy `L = −(1/n) Σᵢ Σⱼ yᵢⱼ log ŷᵢⱼ` with one-hot `yᵢ`.
///
/// After a softmax output it is computed from the logits as `Σⱼ yᵢⱼ (logΣₖ e^{zᵢₖ} − zᵢⱼ)`
/// (log-sum-exp with the row maximum taken out: no overflow, no log(0)), with gradient
/// `∂L/∂Z = (Ŷ − Y)/n`. On its own, `ŷ` is clamped below at 1e-15.
public struct CategoricalCrossEntropy: Loss {
  /// Categorical cross-entropy.
  public init() {}

  /// `−(1/n) Σᵢ Σⱼ yᵢⱼ log ŷᵢⱼ`, `ŷ` clamped below at 1e-15.
  public func value(_ Yhat: Matrix, _ Y: Matrix) -> Double {
    checkShapes(Yhat, Y)
    // log ŷ for every element at the vector width (the bits of `portableLog`), then the sum in order.
    var logP = [Double](repeating: 0, count: Yhat.count)
    VectorMath.apply(.log, Yhat.storage.map { max($0, 1e-15) }, into: &logP)
    var s = 0.0
    for (i, y) in Y.storage.enumerated() where y != 0 { s += y * logP[i] }
    return -s / Double(Y.rows)
  }

  /// `−Y / Ŷ / n` element by element, `ŷ` clamped as in `value`.
  public func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix {
    let n = Double(Y.rows)
    return Yhat.zip(Y) { p, y in -y / max(p, 1e-15) / n }
  }

  /// After a softmax (an activation whose `crossEntropyPair` is `.categorical`): the loss from the logits, `(1/n) Σᵢ Σⱼ yᵢⱼ (logΣₖ e^{zᵢₖ} − zᵢⱼ)`, and `∂L/∂Z = (Ŷ − Y)/n`; nil after any other activation.
  public func fused(_ Z: Matrix, _ Yhat: Matrix, _ Y: Matrix, activation: any Activation) -> (
    loss: Double, dZ: Matrix
  )? {
    guard activation.crossEntropyPair == .categorical else { return nil }
    checkShapes(Yhat, Y)
    let n = Double(Y.rows)
    let k = Z.cols
    // logΣₖ e^{zᵢₖ} = m + log Σₖ e^{zᵢₖ − m} (m the row's maximum) for every row at the vector
    // width, with the bits of that scalar loop (`VectorMathTests`).
    let logSumExp = VectorMath.rows(.logSumExp, Z)
    var s = 0.0
    for i in 0..<Z.rows {
      for j in 0..<k where Y[i, j] != 0 { s += Y[i, j] * (logSumExp.storage[i] - Z[i, j]) }
    }
    return (s / n, Yhat.zip(Y) { ($0 - $1) / n })
  }

  /// `true`: targets are classes.
  public var isClassification: Bool { true }
  /// `categorical cross-entropy`.
  public var description: String { "categorical cross-entropy" }
}

/// The hinge (max-margin) loss of a raw score `s`: `L = (1/n) Σᵢ max(0, 1 − yᵢ·sᵢ)` with labels
/// `yᵢ = ±1` (a label 0 counts as −1, so 0/1 data works as it is), `∂L/∂s = −y/n` where the
/// margin is violated (`y·s < 1`) and 0 elsewhere (at the kink `y·s = 1` too).
///
/// The loss of the support vector machine: a correctly classified point farther than 1 from the
/// decision `s = 0` costs nothing. Pair it with an `Identity` output; the decision is `s ≥ 0`.
/// Several output columns are scored one against the rest, each column on its own.
public struct HingeLoss: Loss {
  /// The hinge loss.
  public init() {}

  /// `+1` for a positive label, `−1` for 0 or a negative one.
  static func sign(_ y: Double) -> Double { y > 0 ? 1 : -1 }

  /// `(1/n) Σᵢ max(0, 1 − yᵢ·sᵢ)`.
  public func value(_ Yhat: Matrix, _ Y: Matrix) -> Double {
    checkShapes(Yhat, Y)
    var s = 0.0
    for (score, y) in Swift.zip(Yhat.storage, Y.storage) { s += max(0, 1 - Self.sign(y) * score) }
    return s / Double(Y.rows)
  }

  /// `−y/n` where `y·s < 1`, else 0.
  public func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix {
    let n = Double(Y.rows)
    return Yhat.zip(Y) { score, y in Self.sign(y) * score < 1 ? -Self.sign(y) / n : 0 }
  }

  /// `true`: targets are classes.
  public var isClassification: Bool { true }
  /// `.score`: the output is a raw score, a class decided at 0.
  public var decision: Decision { .score }
  /// `hinge`.
  public var description: String { "hinge" }
}

extension Loss where Self == MeanSquaredError {
  /// `MeanSquaredError`: `(1/n) Σᵢ ‖yᵢ − ŷᵢ‖²`.
  public static var mse: MeanSquaredError { .init() }
}
extension Loss where Self == HalfMeanSquaredError {
  /// `HalfMeanSquaredError`: `1/(2n) Σᵢ ‖yᵢ − ŷᵢ‖²`.
  public static var halfMSE: HalfMeanSquaredError { .init() }
}
extension Loss where Self == MeanAbsoluteError {
  /// `MeanAbsoluteError`: `(1/n) Σᵢ ‖yᵢ − ŷᵢ‖₁`.
  public static var mae: MeanAbsoluteError { .init() }
}
extension Loss where Self == BinaryCrossEntropy {
  /// `BinaryCrossEntropy`: `−(1/n) Σᵢ [yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)]`.
  public static var binaryCrossEntropy: BinaryCrossEntropy { .init() }
}
extension Loss where Self == CategoricalCrossEntropy {
  /// `CategoricalCrossEntropy`: `−(1/n) Σᵢ Σⱼ yᵢⱼ log ŷᵢⱼ`.
  public static var categoricalCrossEntropy: CategoricalCrossEntropy { .init() }
}
extension Loss where Self == HingeLoss {
  /// `HingeLoss`: `(1/n) Σᵢ max(0, 1 − yᵢ·sᵢ)`.
  public static var hinge: HingeLoss { .init() }
}
