// The backward pass a training step runs: `Dense.backward`'s formulas with two savings, kept out of
// the formulas themselves. Each saving skips work whose result the step throws away; what it does
// compute is the same arithmetic in the same order, so the gradients have `backward`'s bits.

extension Dense {
  /// What a training step needs from the layer: `∂L/∂W`, `∂L/∂b`, and `∂L/∂X` unless `inputGradient`
  /// is false.
  ///
  /// - `inputGradient: false` is for the first layer, whose input is the data: its `∂L/∂X = δWᵀ`
  ///   is no one's gradient, and in a 784-256-10 network that product is a third of the backward
  ///   work. `dX` is then nil.
  /// - `delta` given (the loss fused with the output activation, `Loss.fused`): `δ = ∂L/∂Z`
  ///   comes straight from the loss, and `f′` is not applied again.
  func stepGradients(
    _ X: Matrix, _ Z: Matrix, _ A: Matrix, _ dA: Matrix, inputGradient: Bool
  ) -> (dX: Matrix?, dW: Matrix, db: Matrix) {
    let delta = activation.backward(Z, skip ? A - X : A, dA)
    return stepGradients(X, delta: delta, skipGradient: skip ? dA : nil, inputGradient: inputGradient)
  }

  /// As above from `δ = ∂L/∂Z` itself; `skipGradient` is `∂L/∂A` when a skip connection adds it to `∂L/∂X`.
  func stepGradients(
    _ X: Matrix, delta: Matrix, skipGradient: Matrix? = nil, inputGradient: Bool
  ) -> (dX: Matrix?, dW: Matrix, db: Matrix) {
    let dW = Matrix.product(X, delta, transposeA: true)
    let db = bias == .trainable ? delta.columnSums : Matrix(rows: 1, cols: outputs)
    guard inputGradient else { return (nil, dW, db) }
    var dX = Matrix.product(delta, W, transposeB: true)
    if let skipGradient { dX += skipGradient }
    return (dX, dW, db)
  }
}
