import Foundation

/// What a dense layer does with its bias `b`.
public enum BiasMode: Sendable, Equatable {
  /// `b` starts at 0 and is learned.
  case trainable
  /// `b` is held at this value for every unit (the lecture's neuron has a fixed bias of −3).
  case fixed(Double)
  /// No bias: `Z = XW`.
  case none
}

/// How a dense layer's initial weights `W ∈ ℝ^{in×out}` are drawn.
public enum WeightInit: Sendable, Equatable {
  /// `wᵢⱼ ~ U(−a, a)`.
  case uniform(Double)
  /// Glorot/Xavier uniform: `U(−√(6/(in+out)), √(6/(in+out)))`; suits tanh and sigmoid.
  case glorot
  /// He normal: `N(0, 2/in)`; suits ReLU.
  case he
}

/// A fully connected layer: `A = σ(XW + b)`, and with `skip` the residual form
/// `A = σ(XW + b) + X` of the lecture's skip connection (needs `in == out`).
///
/// `W` is `in × out` as in the MLP lecture (`W⁽ˡ⁾ ∈ ℝ^{kₗ×kₗ₊₁}`), so a batch `X` (`n × in`)
/// maps to `n × out`. Backward, with `δ = ∂L/∂Z`:
/// `∂L/∂W = Xᵀδ`, `∂L/∂b = 1ᵀδ`, `∂L/∂X = δWᵀ` (plus `∂L/∂A` itself through a skip).
public struct Dense: Sendable, CustomStringConvertible {
  /// The weights, `in × out`: column `j` holds unit `j`'s input weights.
  public var W: Matrix
  /// `1 × out`.
  public var b: Matrix
  /// Whether `b` is learned, held fixed, or absent.
  public var bias: BiasMode
  /// The activation `σ` applied to `XW + b`.
  public var activation: any Activation
  /// Whether the input is added to the output, `A = σ(XW + b) + X` (needs `in == out`).
  public var skip: Bool
  /// Dropout on the layer's output while training (nil: none); `forward` and `predict` ignore it.
  public var dropout: Dropout?

  /// The number of inputs, `W.rows`.
  public var inputs: Int { W.rows }
  /// The number of units (outputs), `W.cols`.
  public var outputs: Int { W.cols }

  /// A layer with explicit weights (`W` is `in × out`) and bias values (default 0).
  /// - Parameters:
  ///   - W: the weights, `in × out`.
  ///   - bias: whether `b` is learned, fixed or absent.
  ///   - b: the bias values (0 by default).
  ///   - activation: the activation `σ`.
  ///   - skip: add the input to the output (needs `in == out`).
  ///   - dropout: dropout on the output while training; nil (the default) for none.
  public init(
    weights W: Matrix, bias: BiasMode = .trainable, b: [Double]? = nil,
    activation: some Activation = .identity,
    skip: Bool = false, dropout: Dropout? = nil
  ) {
    precondition(!skip || W.rows == W.cols, "Dense: a skip connection needs as many inputs as outputs")
    self.W = W
    self.bias = bias
    self.activation = activation
    self.skip = skip
    self.dropout = dropout
    switch bias {
    case .fixed(let value): self.b = Matrix(rows: 1, cols: W.cols, repeating: value)
    case .none: self.b = Matrix(rows: 1, cols: W.cols)
    case .trainable:
      if let b {
        precondition(b.count == W.cols, "Dense: \(b.count) bias values for \(W.cols) units")
        self.b = Matrix(row: b)
      } else {
        self.b = Matrix(rows: 1, cols: W.cols)
      }
    }
  }

  /// A layer `inputs → outputs` with weights drawn by `initializer` from `rng`.
  /// - Parameters:
  ///   - inputs: the number of inputs.
  ///   - outputs: the number of units.
  ///   - activation: the activation `σ`.
  ///   - bias: whether `b` is learned, fixed or absent.
  ///   - initializer: how the initial weights are drawn.
  ///   - skip: add the input to the output (needs `in == out`).
  ///   - dropout: dropout on the output while training; nil (the default) for none.
  ///   - rng: where the initial weights come from.
  public init(
    _ inputs: Int, _ outputs: Int, activation: some Activation = .identity, bias: BiasMode = .trainable,
    initializer: WeightInit = .glorot, skip: Bool = false, dropout: Dropout? = nil,
    rng: inout some RandomSource
  ) {
    precondition(inputs > 0 && outputs > 0, "Dense: sizes must be positive, got \(inputs)→\(outputs)")
    var W = Matrix(rows: inputs, cols: outputs)
    for i in 0..<W.count {
      switch initializer {
      case .uniform(let a): W.storage[i] = rng.uniform(-a, a)
      case .glorot:
        let a = (6 / Double(inputs + outputs)).squareRoot()
        W.storage[i] = rng.uniform(-a, a)
      case .he: W.storage[i] = rng.normal(mean: 0, sd: (2 / Double(inputs)).squareRoot())
      }
    }
    self.init(weights: W, bias: bias, activation: activation, skip: skip, dropout: dropout)
  }

  /// Number of learned numbers: `in·out`, plus `out` for a trainable bias.
  public var parameterCount: Int { W.count + (bias == .trainable ? b.count : 0) }

  /// `Z = XW + b`.
  public func preactivation(_ X: Matrix) -> Matrix {
    precondition(X.cols == inputs, "Dense(\(inputs)→\(outputs)): input has \(X.cols) columns")
    // The bias added to each tile of the product as it is stored: the bits of adding it afterwards.
    return bias != .none ? Matrix.product(X, W, addingRow: b) : Matrix.product(X, W)
  }

  /// `(Z, A)` for a batch `X`.
  public func forward(_ X: Matrix) -> (Z: Matrix, A: Matrix) {
    let Z = preactivation(X)
    var A = activation.forward(Z)
    if skip { A += X }
    return (Z, A)
  }

  /// Backpropagation through the layer, as the slide writes it. From `∂L/∂A`, which the layer
  /// above hands down as `δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾ᵀ` (the loss's gradient for the last layer):
  ///
  /// - `δ = ∂L/∂Z = ∂L/∂A ⊙ f′(Z)` (softmax, which couples a row, applies its Jacobian instead);
  /// - `∂L/∂W = Xᵀδ` and `∂L/∂b = 1ᵀδ` (zero unless the bias is trainable);
  /// - `∂L/∂X = δWᵀ`, the layer below's `∂L/∂A` (plus `∂L/∂A` itself through a skip connection).
  ///
  /// Rows are samples, so the slide's per-sample `δ aᵀ` summed over the batch is `Xᵀδ` here.
  /// Training goes through ``Sequential/lossAndGradients(_:_:_:)``, which computes the same
  /// numbers (the same bits) and skips the work a step does not need (Dense+Training.swift).
  public func backward(_ X: Matrix, _ Z: Matrix, _ A: Matrix, _ dA: Matrix) -> (
    dX: Matrix, dW: Matrix, db: Matrix
  ) {
    let delta = activation.backward(Z, skip ? A - X : A, dA)  // δ = ∂L/∂A ⊙ f′(Z); A = σ(Z) (+ X)
    let dW = Matrix.product(X, delta, transposeA: true)  // ∂L/∂W = Xᵀδ
    let db = bias == .trainable ? delta.columnSums : Matrix(rows: 1, cols: outputs)  // ∂L/∂b = 1ᵀδ
    var dX = Matrix.product(delta, W, transposeB: true)  // ∂L/∂X = δWᵀ
    if skip { dX += dA }  // A = σ(Z) + X passes ∂L/∂A straight through to X too
    return (dX, dW, db)
  }

  /// `Dense(2→4, tanh)`, with `, bias fixed −3`, `, no bias`, `, skip` or `, dropout 0.5` when they apply.
  public var description: String {
    var s = "Dense(\(inputs)→\(outputs), \(activation)"
    switch bias {
    case .trainable: break
    case .fixed(let v): s += ", bias fixed \(formatShort(v))"
    case .none: s += ", no bias"
    }
    if skip { s += ", skip" }
    if let dropout { s += ", \(dropout)" }
    return s + ")"
  }
}
