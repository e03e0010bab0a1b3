import XCTest

@testable import Neural

/// Neural written as the lecture writes it: one gradient-descent rule with a batch size,
/// backpropagation as the slide's formula (the training path computing the same bits), and the
/// output activations saying which cross-entropy they pair with.
final class LectureFormTests: XCTestCase {
  func testGradientDescentSGDAndMiniBatchSGDAreOneRuleWithABatchSize() throws {
    XCTAssertNil(GradientDescent(gamma: 0.1).batchSize)
    XCTAssertEqual(SGD(gamma: 0.1).batchSize, 1)
    XCTAssertEqual(MiniBatchSGD(gamma: 0.1, batchSize: 16).batchSize, 16)
    XCTAssertEqual(GradientDescent(gamma: 0.1, batchSize: 16).batchSize, 16)
    // The lecture's names, from the batch size.
    XCTAssertEqual("\(GradientDescent(gamma: 0.5))", "gradient descent (γ = 0.5)")
    XCTAssertEqual("\(GradientDescent(gamma: 0.05, batchSize: 1))", "SGD (γ = 0.05)")
    XCTAssertEqual("\(MiniBatchSGD(gamma: 0.2, batchSize: 16))", "mini-batch SGD (γ = 0.2, m = 16)")
    XCTAssertEqual(
      "\(GradientDescent(gamma: 0.2, batchSize: 16, weightDecay: 1e-4))",
      "mini-batch SGD (γ = 0.2, m = 16, λ = 0.0001)")
    // Training with the lecture's name or with the batch size is one computation, bit for bit.
    var r = SeededRandom(seed: 3)
    let data = Dataset.moons(n: 40, noise: 0.2, rng: &r)
    let start = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &r)
    var (a, b) = (start, start)
    var named = MiniBatchSGD(gamma: 0.3, batchSize: 8)
    var general = GradientDescent(gamma: 0.3, batchSize: 8)
    let ha = try a.train(on: data, loss: .binaryCrossEntropy, optimizer: &named, options: .init(epochs: 5))
    let hb = try b.train(on: data, loss: .binaryCrossEntropy, optimizer: &general, options: .init(epochs: 5))
    XCTAssertEqual(ha.losses.map(\.bitPattern), hb.losses.map(\.bitPattern))
    XCTAssertEqual(a.layers.map(\.W), b.layers.map(\.W))
  }

  /// The public `backward` (the slide's formula) and the training path (`stepGradients`, which
  /// skips the first layer's `∂L/∂X` and takes a fused `δ`) give the same bits.
  func testTrainingsBackwardPassHasTheBitsOfTheSlidesFormula() {
    var rng = SeededRandom(seed: 21)
    var net = Sequential(sizes: [3, 4, 4, 2], hidden: Tanh(), output: Sigmoid(), rng: &rng)
    net.layers[1].skip = true
    net.layers[0].bias = .fixed(0.5)
    let X = randomMatrix(6, 3, rng: &rng)
    let Y = Matrix(rows: 6, cols: 2, (0..<12).map { Double($0 % 3 == 0 ? 1 : 0) })
    for loss in [MeanSquaredError() as any Loss, BinaryCrossEntropy()] {
      let trained = net.lossAndGradients(X, Y, loss)
      // By hand, layer by layer, with the formula alone.
      var inputs: [Matrix] = []
      var traces: [(Z: Matrix, A: Matrix)] = []
      var A = X
      for layer in net.layers {
        inputs.append(A)
        traces.append(layer.forward(A))
        A = traces[traces.count - 1].A
      }
      let L = net.layers.count - 1
      var dA: Matrix
      var expected: [(dW: Matrix, db: Matrix)] = Array(
        repeating: (Matrix(rows: 0, cols: 0), Matrix(rows: 0, cols: 0)), count: net.layers.count)
      if let fused = loss.fused(traces[L].Z, A, Y, activation: net.layers[L].activation) {
        // δ of the output layer straight from the loss: ∂W = Xᵀδ, ∂b = 1ᵀδ, ∂X = δWᵀ.
        let W = net.layers[L].W
        expected[L] = (Matrix.product(inputs[L], fused.dZ, transposeA: true), fused.dZ.columnSums)
        dA = Matrix.product(fused.dZ, W, transposeB: true)
      } else {
        let g = net.layers[L].backward(inputs[L], traces[L].Z, traces[L].A, loss.gradient(A, Y))
        expected[L] = (g.dW, g.db)
        dA = g.dX
      }
      for l in stride(from: L - 1, through: 0, by: -1) {
        let g = net.layers[l].backward(inputs[l], traces[l].Z, traces[l].A, dA)
        expected[l] = (g.dW, g.db)
        dA = g.dX
      }
      for l in net.layers.indices {
        XCTAssertEqual(trained.gradients[l].dW, expected[l].dW, "\(loss) layer \(l) ∂W")
        XCTAssertEqual(trained.gradients[l].db, expected[l].db, "\(loss) layer \(l) ∂b")
      }
      // The first layer's input gradient is skipped on the training path, not faked.
      let first = net.layers[0].stepGradients(
        inputs[0], traces[0].Z, traces[0].A, Matrix(rows: 6, cols: 4, repeating: 1), inputGradient: false)
      XCTAssertNil(first.dX)
    }
  }

  /// An activation says which cross-entropy it pairs with; the loss asks, instead of testing types.
  func testTheSimplifiedCrossEntropyGradientFollowsTheActivationsPairing() throws {
    /// The sigmoid under another name, declaring its pairing as `Sigmoid` does.
    struct Logistic: ElementwiseActivation {
      func f(_ z: Double) -> Double { 1 / (1 + portableExp(-z)) }
      func df(_ z: Double, _ a: Double) -> Double { a * (1 - a) }
      var crossEntropyPair: CrossEntropyPair? { .binary }
      var description: String { "logistic" }
    }
    /// The sigmoid again, declaring nothing: no simplified gradient.
    struct PlainLogistic: ElementwiseActivation {
      func f(_ z: Double) -> Double { 1 / (1 + portableExp(-z)) }
      func df(_ z: Double, _ a: Double) -> Double { a * (1 - a) }
      var description: String { "plain logistic" }
    }
    XCTAssertEqual(Sigmoid().crossEntropyPair, .binary)
    XCTAssertEqual(Softmax().crossEntropyPair, .categorical)
    XCTAssertNil(Tanh().crossEntropyPair)
    XCTAssertNil(Identity().crossEntropyPair)

    let Z = Matrix(column: [-2, 0.5, 3])
    let Y = Matrix(column: [0, 1, 1])
    let bce = BinaryCrossEntropy()
    let viaSigmoid = try XCTUnwrap(bce.fused(Z, Sigmoid().forward(Z), Y, activation: Sigmoid()))
    let viaLogistic = try XCTUnwrap(bce.fused(Z, Logistic().forward(Z), Y, activation: Logistic()))
    XCTAssertEqual(viaLogistic.loss, viaSigmoid.loss)
    XCTAssertEqual(viaLogistic.dZ, viaSigmoid.dZ)
    XCTAssertNil(bce.fused(Z, PlainLogistic().forward(Z), Y, activation: PlainLogistic()))
    XCTAssertNil(bce.fused(Z, Tanh().forward(Z), Y, activation: Tanh()))
    // Each cross-entropy takes only its own pair.
    XCTAssertNil(CategoricalCrossEntropy().fused(Z, Z, Y, activation: Logistic()))
    XCTAssertNil(bce.fused(Z, Z, Y, activation: Softmax()))
  }
}
