/// A feed-forward network: layers applied in order, `X⁽ˡ⁺¹⁾ = σₗ(X⁽ˡ⁾W⁽ˡ⁾ + bₗ)`.
///
/// A value type: copying a network copies its weights (early stopping keeps the best copy).
public struct Sequential: Sendable, CustomStringConvertible {
  /// The layers, input side first.
  public var layers: [Dense]

  /// A network of these layers, in order.
  /// - Precondition: each layer's outputs are the next one's inputs.
  public init(_ layers: [Dense]) {
    for (a, b) in zip(layers, layers.dropFirst()) {
      precondition(a.outputs == b.inputs, "Sequential: \(a) feeds \(a.outputs) values into \(b)")
    }
    self.layers = layers
  }

  /// A network of these layers, in order: `Sequential(Dense(…), Dense(…))`.
  public init(_ layers: Dense...) { self.init(layers) }

  /// A network of the given widths (`[2, 16, 16, 1]`), `hidden` activation inside, `output` last.
  public init(
    sizes: [Int], hidden: some Activation = .tanh, output: some Activation = .sigmoid,
    initializer: WeightInit = .glorot, rng: inout some RandomSource
  ) {
    precondition(sizes.count >= 2, "Sequential: need at least an input and an output size")
    var layers: [Dense] = []
    for l in 0..<(sizes.count - 1) {
      if l == sizes.count - 2 {
        layers.append(Dense(sizes[l], sizes[l + 1], activation: output, initializer: initializer, rng: &rng))
      } else {
        layers.append(Dense(sizes[l], sizes[l + 1], activation: hidden, initializer: initializer, rng: &rng))
      }
    }
    self.init(layers)
  }

  /// The number of inputs of the first layer (0 without layers).
  public var inputs: Int { layers.first?.inputs ?? 0 }
  /// The number of outputs of the last layer (0 without layers).
  public var outputs: Int { layers.last?.outputs ?? 0 }
  /// The number of weights and trainable biases.
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

  /// The network's output `ŷ = X⁽ᴸ⁺¹⁾`.
  public func predict(_ X: Matrix) -> Matrix {
    _ = AllocatorTuning.applied  // a 250 000-row grid's layers are freed and allocated again
    return layers.reduce(X) { $1.forward($0).A }
  }

  /// Every layer's output, input first: `[X⁽¹⁾, X⁽²⁾, …, X⁽ᴸ⁺¹⁾]`.
  public func activations(_ X: Matrix) -> [Matrix] {
    var out = [X]
    for layer in layers { out.append(layer.forward(out[out.count - 1]).A) }
    return out
  }

  /// `ŷ` for a single input vector.
  public func callAsFunction(_ x: [Double]) -> [Double] { predict(Matrix(row: x)).storage }

  /// The loss of the network on `(X, Y)`.
  public func loss(_ X: Matrix, _ Y: Matrix, _ loss: some Loss) -> Double {
    lossAndGradients(X, Y, loss).loss
  }

  /// Backpropagation: the loss, its gradient for every layer's `W` and `b`, and the output `ŷ`.
  ///
  /// Forward keeps each layer's input, `Z` and `A`; backward walks the chain rule from the loss
  /// down, `∂L/∂X⁽ˡ⁾ = δ⁽ˡ⁾ W⁽ˡ⁾ᵀ`, fusing the loss with the output activation when that is stable.
  /// Dropout is off, as in `predict`.
  public func lossAndGradients(_ X: Matrix, _ Y: Matrix, _ loss: some Loss) -> (
    loss: Double, gradients: [(dW: Matrix, db: Matrix)], output: Matrix
  ) {
    lossAndGradients(X, Y, loss, masks: nil)
  }

  /// One dropout mask per layer for a batch of `rows` samples (nil for a layer without dropout),
  /// drawn input side first from `rng`.
  /// - Parameters:
  ///   - rows: the batch's number of samples.
  ///   - rng: where the masks come from.
  public func dropoutMasks(rows: Int, rng: inout some RandomSource) -> [Matrix?] {
    layers.map { layer in layer.dropout.map { $0.mask(rows: rows, cols: layer.outputs, rng: &rng) } }
  }

  /// Backpropagation with dropout: as ``lossAndGradients(_:_:_:)``, with each layer's output
  /// multiplied by its mask (`A ⊙ mask`) forward and `∂L/∂A` by the same mask backward, so
  /// dropped units pass no gradient. nil masks (or a nil entry) leave that layer whole.
  /// - Parameters:
  ///   - X: the batch's inputs.
  ///   - Y: the batch's targets.
  ///   - loss: the loss.
  ///   - masks: one mask per layer from ``dropoutMasks(rows:rng:)``, or nil for none.
  public func lossAndGradients(_ X: Matrix, _ Y: Matrix, _ loss: some Loss, masks: [Matrix?]?) -> (
    loss: Double, gradients: [(dW: Matrix, db: Matrix)], output: Matrix
  ) {
    precondition(!layers.isEmpty, "Sequential: no layers")
    precondition(masks == nil || masks?.count == layers.count, "Sequential: one dropout mask per layer")
    func mask(_ l: Int) -> Matrix? { masks.flatMap { $0[l] } }
    var inputs: [Matrix] = []
    var traces: [(Z: Matrix, A: Matrix)] = []
    inputs.reserveCapacity(layers.count)
    traces.reserveCapacity(layers.count)
    var A = X
    for (l, layer) in layers.enumerated() {
      inputs.append(A)
      let t = layer.forward(A)
      traces.append(t)
      A = t.A
      if let m = mask(l) { A = A .* m }
    }
    let last = layers[layers.count - 1]
    let lossValue: Double
    var gradients = [(dW: Matrix, db: Matrix)](
      repeating: (Matrix(rows: 0, cols: 0), Matrix(rows: 0, cols: 0)),
      count: layers.count)
    // ∂L/∂X of the first layer is a gradient for the data: not needed, not computed (nil).
    var dA: Matrix?
    let L = layers.count - 1
    if !last.skip, mask(L) == nil,
      let (value, dZ) = loss.fused(traces[L].Z, A, Y, activation: last.activation)
    {
      lossValue = value
      let g = last.stepGradients(inputs[L], delta: dZ, inputGradient: L > 0)
      gradients[L] = (g.dW, g.db)
      dA = g.dX
    } else {
      lossValue = loss.value(A, Y)
      var dOut = loss.gradient(A, Y)
      if let m = mask(L) { dOut = dOut .* m }
      let g = last.stepGradients(inputs[L], traces[L].Z, traces[L].A, dOut, inputGradient: L > 0)
      gradients[L] = (g.dW, g.db)
      dA = g.dX
    }
    for l in stride(from: L - 1, through: 0, by: -1) {
      guard var upstream = dA else {
        preconditionFailure("Sequential: layer \(l + 2) passed no gradient down")
      }
      // Through dropout, A ⊙ mask: a dropped unit passes no gradient.
      if let m = mask(l) { upstream = upstream .* m }
      let g = layers[l].stepGradients(inputs[l], traces[l].Z, traces[l].A, upstream, inputGradient: l > 0)
      gradients[l] = (g.dW, g.db)
      dA = g.dX
    }
    return (lossValue, gradients, A)
  }

  /// `Sequential[Dense(2→4, tanh), Dense(4→1, sigmoid)]`.
  public var description: String {
    "Sequential[" + layers.map(\.description).joined(separator: ", ") + "]"
  }
}
