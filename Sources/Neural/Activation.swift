import Foundation

/// An activation function `σ`, applied to a layer's pre-activation `Z = XW + b`.
///
/// `forward` computes `A = σ(Z)`; `backward` turns `∂L/∂A` into `∂L/∂Z`. Element-wise functions
/// only write `f` and `f′` (see `ElementwiseActivation`); softmax couples a row's entries.
public protocol Activation: Sendable, CustomStringConvertible {
  /// `A = σ(Z)`.
  func forward(_ Z: Matrix) -> Matrix
  /// `∂L/∂Z` from `∂L/∂A`, given the `Z` and `A = σ(Z)` of the forward pass.
  func backward(_ Z: Matrix, _ A: Matrix, _ dA: Matrix) -> Matrix
  /// The cross-entropy this activation is the natural output for, whose gradient through it
  /// simplifies to `∂L/∂Z = (Ŷ − Y)/n` (`Loss.fused`): `.binary` for the sigmoid, `.categorical`
  /// for softmax; nil (the default) for every other activation.
  var crossEntropyPair: CrossEntropyPair? { get }
  /// The values `σ` can take, bounds included where it only tends to them: `0...1` for the
  /// sigmoid and softmax, `-1...1` for tanh, `0...∞` for ReLU and softplus; `-∞...∞` (the default)
  /// for an unbounded activation. Figures colour and scale a layer's activations by it.
  var outputRange: ClosedRange<Double> { get }
  /// The function's name in formulas, as in `σ′(0) = 0.25`: `σ` for the sigmoid; by default its
  /// `description`.
  var symbol: String { get }
}

/// Which cross-entropy an output activation pairs with (``Activation/crossEntropyPair``): the
/// loss then takes `∂L/∂Z = (Ŷ − Y)/n` straight from the logits, simpler and numerically stable.
public enum CrossEntropyPair: Sendable, Equatable {
  /// Sigmoid and binary cross-entropy: `∂L/∂z = (σ(z) − y)/n`.
  case binary
  /// Softmax and categorical cross-entropy: `∂L/∂zⱼ = (softmax(z)ⱼ − yⱼ)/n`.
  case categorical
}

extension Activation {
  /// nil: an activation pairs with no cross-entropy unless it says so.
  public var crossEntropyPair: CrossEntropyPair? { nil }
  /// `-∞...∞`: an activation is unbounded unless it says otherwise.
  public var outputRange: ClosedRange<Double> { -Double.infinity...Double.infinity }
  /// The activation's `description`.
  public var symbol: String { description }
}

/// An activation applied to each element on its own: `A = f(Z)`, `∂L/∂Z = ∂L/∂A ⊙ f′(Z)`.
public protocol ElementwiseActivation: Activation {
  /// `f(z)`.
  func f(_ z: Double) -> Double
  /// `f′(z)`; `a = f(z)` is passed too because many derivatives are cheapest written with it.
  func df(_ z: Double, _ a: Double) -> Double
}

extension ElementwiseActivation {
  /// `A = f(Z)` element by element (large matrices on several threads; each element is `f` of its own `z`, so the result does not depend on the thread count).
  public func forward(_ Z: Matrix) -> Matrix {
    Z.storage.withUnsafeBufferPointer { z in
      Matrix(rows: Z.rows, cols: Z.cols) { a in
        guard let z = z.baseAddress, let a = a.baseAddress else { return }
        // Large layers in parallel (`Parallel`): each element is f of its own z, whoever computes it.
        Parallel.forEachRange(Z.count, costPerItem: 32) { range in
          for i in range { a[i] = f(z[i]) }
        }
      }
    }
  }

  /// `∂L/∂Z = ∂L/∂A ⊙ f′(Z)`, with `f′` from `df(z, a)`.
  /// - Precondition: `Z`, `A` and `dA` have one shape.
  public func backward(_ Z: Matrix, _ A: Matrix, _ dA: Matrix) -> Matrix {
    precondition(Z.shape == A.shape && A.shape == dA.shape, "\(self): backward shapes differ")
    return dA.storage.withUnsafeBufferPointer { d in
      Z.storage.withUnsafeBufferPointer { z in
        A.storage.withUnsafeBufferPointer { a in
          Matrix(rows: dA.rows, cols: dA.cols) { dZ in
            for i in 0..<dZ.count { dZ[i] = d[i] * df(z[i], a[i]) }
          }
        }
      }
    }
  }
}

/// `f(z) = z`, `f′(z) = 1`. The output activation for regression.
public struct Identity: ElementwiseActivation {
  /// The identity.
  public init() {}
  /// `z`.
  @inlinable public func f(_ z: Double) -> Double { z }
  /// `1`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { 1 }
  /// `identity`.
  public var description: String { "identity" }
}

/// `σ(z) = 1 / (1 + e⁻ᶻ)`, `σ′(z) = σ(z)(1 − σ(z))`; `σ′(0) = 1/4` is its largest slope.
public struct Sigmoid: ElementwiseActivation {
  /// The logistic sigmoid.
  public init() {}
  /// `1 / (1 + e⁻ᶻ)`.
  @inlinable public func f(_ z: Double) -> Double { 1 / (1 + portableExp(-z)) }
  /// `σ(z)(1 − σ(z))`, written with `a = σ(z)`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { a * (1 - a) }
  /// `A = σ(Z)` at the CPU's vector width: each element has the bits of `f`.
  public func forward(_ Z: Matrix) -> Matrix { VectorMath.map(.sigmoid, Z) }
  /// `.binary`: after a sigmoid, binary cross-entropy's `∂L/∂Z` is `(Ŷ − Y)/n`.
  public var crossEntropyPair: CrossEntropyPair? { .binary }
  /// `0...1`.
  public var outputRange: ClosedRange<Double> { 0...1 }
  /// `σ`.
  public var symbol: String { "σ" }
  /// `sigmoid`.
  public var description: String { "sigmoid" }
}

/// `tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)`, `tanh′(z) = 1 − tanh²(z)`; `tanh′(0) = 1`.
/// Neural's own `portableTanh` (within 3 ulp, the same bits on every machine), not glibc's.
public struct Tanh: ElementwiseActivation {
  /// The hyperbolic tangent (glibc's `tanh`).
  public init() {}
  /// `tanh(z)`.
  @inlinable public func f(_ z: Double) -> Double { portableTanh(z) }
  /// `1 − tanh²(z)`, written with `a = tanh(z)`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { 1 - a * a }
  /// `A = tanh(Z)` at the CPU's vector width: each element has the bits of `portableTanh`.
  public func forward(_ Z: Matrix) -> Matrix { VectorMath.map(.tanh, Z) }
  /// `-1...1`.
  public var outputRange: ClosedRange<Double> { -1...1 }
  /// `tanh`.
  public var description: String { "tanh" }
}

extension FastTanh {
  /// `-1...1`, as `Tanh` (in this file, beside `Tanh`'s; `FastTanh` is in PortableMath.swift).
  public var outputRange: ClosedRange<Double> { -1...1 }
}

/// `ReLU(z) = max(0, z)`, `ReLU′(z) = 1` for `z > 0`, else 0 (the subgradient 0 at `z = 0`).
public struct ReLU: ElementwiseActivation {
  /// The rectifier.
  public init() {}
  /// `max(0, z)`.
  @inlinable public func f(_ z: Double) -> Double { z > 0 ? z : 0 }
  /// `1` for `z > 0`, else `0`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { z > 0 ? 1 : 0 }
  /// `0...∞`.
  public var outputRange: ClosedRange<Double> { 0...Double.infinity }
  /// `ReLU`.
  public var description: String { "ReLU" }
}

/// `LeakyReLU(z) = z` for `z > 0`, else `slope · z`; the derivative is 1 or `slope`.
/// The slope keeps a gradient flowing through units that ReLU would switch off for good.
public struct LeakyReLU: ElementwiseActivation {
  /// The slope for `z ≤ 0` (0.01 by default).
  public var slope: Double
  /// A leaky rectifier with `slope` for `z ≤ 0`.
  public init(slope: Double = 0.01) { self.slope = slope }
  /// `z` for `z > 0`, else `slope · z`.
  @inlinable public func f(_ z: Double) -> Double { z > 0 ? z : slope * z }
  /// `1` for `z > 0`, else `slope`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { z > 0 ? 1 : slope }
  /// `LeakyReLU(0.01)`, with the slope.
  public var description: String { "LeakyReLU(\(formatShort(slope)))" }
}

/// `softplus(z) = log(1 + eᶻ)`, `softplus′(z) = σ(z)`: a smooth ReLU.
/// Computed as `max(z, 0) + log1p(e^−|z|)` so large `|z|` neither overflows nor loses digits.
public struct Softplus: ElementwiseActivation {
  /// The softplus.
  public init() {}
  /// `log(1 + eᶻ)`, as `max(z, 0) + log1p(e^−|z|)`.
  @inlinable public func f(_ z: Double) -> Double { max(z, 0) + portableLog1p(portableExp(-abs(z))) }
  /// `σ(z) = 1 / (1 + e⁻ᶻ)`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { 1 / (1 + portableExp(-z)) }
  /// `A = softplus(Z)`: `log1p(e^−|z|)` at the CPU's vector width, then `max(z, 0) +` it, the bits of `f`.
  public func forward(_ Z: Matrix) -> Matrix {
    var A = VectorMath.map(.log1pExpNegAbs, Z)
    for i in 0..<A.count { A.storage[i] = max(Z.storage[i], 0) + A.storage[i] }
    return A
  }
  /// `∂L/∂A ⊙ σ(Z)`, the sigmoid at the CPU's vector width: the bits of `df`.
  public func backward(_ Z: Matrix, _ A: Matrix, _ dA: Matrix) -> Matrix {
    precondition(Z.shape == A.shape && A.shape == dA.shape, "\(self): backward shapes differ")
    var dZ = VectorMath.map(.sigmoid, Z)
    for i in 0..<dZ.count { dZ.storage[i] = dA.storage[i] * dZ.storage[i] }
    return dZ
  }
  /// `softplus`.
  public var description: String { "softplus" }
  /// `0...∞`.
  public var outputRange: ClosedRange<Double> { 0...Double.infinity }
}

/// `softmax(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}` over each row: class probabilities.
///
/// Computed with the row maximum subtracted (`e^{zᵢ − max z}`), which leaves the value unchanged
/// and never overflows. The Jacobian is `∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ)`, so
/// `∂L/∂zᵢ = aᵢ (∂L/∂aᵢ − Σⱼ aⱼ ∂L/∂aⱼ)`.
public struct Softmax: Activation {
  /// The row-wise softmax.
  public init() {}

  /// `aᵢ = e^{zᵢ − max z} / Σⱼ e^{zⱼ − max z}` for each row: the maximum, `portableExp` of each
  /// difference, their sum in order and the divisions, at the CPU's vector width with the bits of
  /// that scalar loop (`VectorMathTests`).
  public func forward(_ Z: Matrix) -> Matrix { VectorMath.rows(.softmax, Z) }

  /// `∂L/∂zᵢ = aᵢ (∂L/∂aᵢ − Σⱼ aⱼ ∂L/∂aⱼ)` for each row.
  public func backward(_ Z: Matrix, _ A: Matrix, _ dA: Matrix) -> Matrix {
    var dZ = dA
    let n = Z.cols
    dZ.storage.withUnsafeMutableBufferPointer { d in
      A.storage.withUnsafeBufferPointer { a in
        for i in 0..<Z.rows {
          let row = i * n
          var dot = 0.0
          for j in 0..<n { dot += a[row + j] * d[row + j] }
          for j in 0..<n { d[row + j] = a[row + j] * (d[row + j] - dot) }
        }
      }
    }
    return dZ
  }

  /// `.categorical`: after a softmax, categorical cross-entropy's `∂L/∂Z` is `(Ŷ − Y)/n`.
  public var crossEntropyPair: CrossEntropyPair? { .categorical }
  /// `0...1`: each entry is a class probability.
  public var outputRange: ClosedRange<Double> { 0...1 }
  /// `softmax`.
  public var description: String { "softmax" }
}

extension Activation where Self == Identity {
  /// `Identity`: `f(z) = z`.
  public static var identity: Identity { Identity() }
}
extension Activation where Self == Sigmoid {
  /// `Sigmoid`: `σ(z) = 1 / (1 + e⁻ᶻ)`.
  public static var sigmoid: Sigmoid { Sigmoid() }
}
extension Activation where Self == Tanh {
  /// `Tanh`: `tanh(z)` (glibc's).
  public static var tanh: Tanh { Tanh() }
}
extension Activation where Self == ReLU {
  /// `ReLU`: `max(0, z)`.
  public static var relu: ReLU { ReLU() }
}
extension Activation where Self == Softplus {
  /// `Softplus`: `log(1 + eᶻ)`.
  public static var softplus: Softplus { Softplus() }
}
extension Activation where Self == Softmax {
  /// `Softmax`: `e^{zᵢ} / Σⱼ e^{zⱼ}` over each row.
  public static var softmax: Softmax { Softmax() }
}
extension Activation where Self == LeakyReLU {
  /// `LeakyReLU(slope:)`: `z` for `z > 0`, else `slope · z`.
  public static func leakyReLU(slope: Double = 0.01) -> LeakyReLU { LeakyReLU(slope: slope) }
}
