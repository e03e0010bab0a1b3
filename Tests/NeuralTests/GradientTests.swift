import Foundation
import Neural
import XCTest

/// Every derivative in Neural against central finite differences.
final class GradientTests: XCTestCase {
  let elementwise: [any ElementwiseActivation] = [
    Identity(), Sigmoid(), Tanh(), FastTanh(), ReLU(), LeakyReLU(slope: 0.1), Softplus(),
  ]

  func testElementwiseDerivativesMatchFiniteDifferences() {
    // Points avoid z = 0, where ReLU and LeakyReLU have a kink.
    let points: [Double] = [-4.3, -1.7, -0.31, 0.27, 0.9, 2.2, 5.1]
    for activation in elementwise {
      for z in points {
        let h = 1e-6
        let numeric = (activation.f(z + h) - activation.f(z - h)) / (2 * h)
        let analytic = activation.df(z, activation.f(z))
        XCTAssertEqual(analytic, numeric, accuracy: 1e-7 * max(1, abs(numeric)), "\(activation)′(\(z))")
      }
    }
  }

  func testKnownDerivativeValues() {
    XCTAssertEqual(Sigmoid().df(0, Sigmoid().f(0)), 0.25)
    XCTAssertEqual(Tanh().df(0, Tanh().f(0)), 1)
    XCTAssertEqual(LeakyReLU(slope: 0.2).df(-3, LeakyReLU(slope: 0.2).f(-3)), 0.2)
    for z in [-2.0, 0.5, 3.0] { XCTAssertEqual(Softplus().df(z, 0), Sigmoid().f(z), accuracy: 1e-15) }
    XCTAssertEqual(Softplus().f(800), 800)  // no overflow
    XCTAssertEqual(Softplus().f(-800), 0)
  }

  func testActivationBackwardMatchesFiniteDifferences() {
    var rng = SeededRandom(seed: 7)
    let activations: [any Activation] = elementwise + [Softmax()]
    for activation in activations {
      let Z = randomMatrix(5, 3, scale: 2, rng: &rng)
      let C = randomMatrix(5, 3, rng: &rng)  // L = Σ C ⊙ σ(Z), so ∂L/∂A = C
      let A = activation.forward(Z)
      let analytic = activation.backward(Z, A, C)
      let numeric = numericalGradient(Z) { (C .* activation.forward($0)).sum }
      assertGradient(analytic, numeric, "\(activation) backward")
    }
  }

  func testSoftmaxRowsAreDistributionsEvenForHugeInputs() {
    let A = Softmax().forward(Matrix([[1000, 1001, 999], [-5, 0, 5]]))
    for i in 0..<2 {
      XCTAssertEqual(A.row(i).reduce(0, +), 1, accuracy: 1e-12)
      XCTAssertTrue(A.row(i).allSatisfy { $0.isFinite && $0 > 0 })
    }
    XCTAssertGreaterThan(A[0, 1], A[0, 0])
  }

  func testLossGradientsMatchFiniteDifferences() {
    var rng = SeededRandom(seed: 11)
    let Yreg = randomMatrix(6, 2, rng: &rng)
    let Yhat = randomMatrix(6, 2, rng: &rng)
    for loss in [MeanSquaredError(), HalfMeanSquaredError(), MeanAbsoluteError()] as [any Loss] {
      let numeric = numericalGradient(Yhat) { loss.value($0, Yreg) }
      assertGradient(loss.gradient(Yhat, Yreg), numeric, "\(loss)")
    }
    // Probabilities in (0, 1) for the cross-entropies.
    let P = Sigmoid().forward(randomMatrix(6, 1, scale: 3, rng: &rng))
    let Yb = Matrix(column: [0, 1, 1, 0, 1, 0])
    assertGradient(
      BinaryCrossEntropy().gradient(P, Yb),
      numericalGradient(P, h: 1e-7) { BinaryCrossEntropy().value($0, Yb) },
      tolerance: 1e-5, "binary cross-entropy")
    let Q = Softmax().forward(randomMatrix(4, 3, scale: 2, rng: &rng))
    let Yc = Dataset.oneHot([0, 2, 1, 2], classes: 3)
    assertGradient(
      CategoricalCrossEntropy().gradient(Q, Yc),
      numericalGradient(Q, h: 1e-7) { CategoricalCrossEntropy().value($0, Yc) }, tolerance: 1e-5,
      "categorical cross-entropy")
  }

  func testHingeLossByHand() {
    // Scores s and labels y (0 stands for −1): max(0, 1 − y·s) = 0, 0.5, 0.7, 0; mean 1.2/4.
    let s = Matrix(column: [2, 0.5, -0.3, -2])
    for y in [Matrix(column: [1, 1, -1, -1]), Matrix(column: [1, 1, 0, 0])] {
      XCTAssertEqual(HingeLoss().value(s, y), 1.2 / 4, accuracy: 1e-15)
      // Inside the margin (y·s < 1) the gradient is −y/n; outside it is 0.
      XCTAssertEqual(HingeLoss().gradient(s, y).storage, [0, -0.25, 0.25, 0])
    }
    XCTAssertEqual("\(HingeLoss())", "hinge")
    XCTAssertTrue(HingeLoss().isClassification)
  }

  func testHingeLossGradientMatchesFiniteDifferences() {
    var rng = SeededRandom(seed: 23)
    let S = randomMatrix(8, 2, scale: 3, rng: &rng)
    let Y = Matrix(rows: 8, cols: 2, (0..<16).map { $0 % 3 == 0 ? 1 : -1 })
    // Central differences with h = 1e-6 are exact away from the kink y·s = 1.
    for (s, y) in zip(S.storage, Y.storage) { XCTAssertGreaterThan(abs(y * s - 1), 1e-3) }
    assertGradient(
      HingeLoss().gradient(S, Y), numericalGradient(S) { HingeLoss().value($0, Y) }, "hinge")
  }

  func testLectureLossFormulas() {
    let d = Matrix(column: [0, 0, 1, 1])
    let y = Matrix(column: [0.5, 0.1, 0.9, 0.2])
    // 1/(2N) Σ (d − y)² with N = 4.
    XCTAssertEqual(HalfMeanSquaredError().value(y, d), (0.25 + 0.01 + 0.01 + 0.64) / 8, accuracy: 1e-15)
    XCTAssertEqual(MeanSquaredError().value(y, d), (0.25 + 0.01 + 0.01 + 0.64) / 4, accuracy: 1e-15)
    XCTAssertEqual(MeanAbsoluteError().value(y, d), (0.5 + 0.1 + 0.1 + 0.8) / 4, accuracy: 1e-15)
    let bce = -(Foundation.log(0.5) + Foundation.log(0.9) + Foundation.log(0.9) + Foundation.log(0.2)) / 4
    XCTAssertEqual(BinaryCrossEntropy().value(y, d), bce, accuracy: 1e-14)
  }

  func testFusedCrossEntropyMatchesUnfusedAndFiniteDifferences() {
    var rng = SeededRandom(seed: 3)
    let Z = randomMatrix(6, 1, scale: 4, rng: &rng)
    let Y = Matrix(column: [1, 0, 0, 1, 1, 0])
    let bce = BinaryCrossEntropy()
    let sigmoid = Sigmoid()
    guard let (loss, dZ) = bce.fused(Z, sigmoid.forward(Z), Y, activation: sigmoid) else {
      return XCTFail("binary cross-entropy should fuse with sigmoid")
    }
    XCTAssertEqual(loss, bce.value(sigmoid.forward(Z), Y), accuracy: 1e-12)
    assertGradient(dZ, numericalGradient(Z) { bce.value(sigmoid.forward($0), Y) }, "BCE ∘ sigmoid")

    let Z3 = randomMatrix(5, 3, scale: 3, rng: &rng)
    let Y3 = Dataset.oneHot([2, 0, 1, 1, 0], classes: 3)
    let cce = CategoricalCrossEntropy()
    let softmax = Softmax()
    guard let (loss3, dZ3) = cce.fused(Z3, softmax.forward(Z3), Y3, activation: softmax) else {
      return XCTFail("categorical cross-entropy should fuse with softmax")
    }
    XCTAssertEqual(loss3, cce.value(softmax.forward(Z3), Y3), accuracy: 1e-12)
    assertGradient(dZ3, numericalGradient(Z3) { cce.value(softmax.forward($0), Y3) }, "CCE ∘ softmax")
    // Saturated logits: still finite, and no log(0).
    let far = Matrix(column: [-800, 800])
    let farY = Matrix(column: [1, 0])
    let farLoss = bce.fused(far, sigmoid.forward(far), farY, activation: sigmoid)?.loss ?? .nan
    XCTAssertEqual(farLoss, 800, accuracy: 1e-9)
  }

  func testDenseLayerGradients() {
    var rng = SeededRandom(seed: 5)
    for (activation, bias, skip) in [
      (Tanh() as any Activation, BiasMode.trainable, false), (Sigmoid(), .fixed(-3), false),
      (ReLU(), .none, false),
      (Tanh(), .trainable, true), (Softmax(), .trainable, false),
    ] {
      let width = skip ? 3 : 4
      var layer = Dense(3, width, activation: Identity(), bias: bias, skip: skip, rng: &rng)
      layer.activation = activation
      if bias == .trainable { layer.b = randomMatrix(1, width, rng: &rng) }
      let X = randomMatrix(5, 3, rng: &rng)
      let C = randomMatrix(5, width, rng: &rng)
      let (Z, A) = layer.forward(X)
      let g = layer.backward(X, Z, A, C)
      func L(_ l: Dense, _ x: Matrix) -> Double { (C .* l.forward(x).A).sum }
      assertGradient(g.dX, numericalGradient(X) { L(layer, $0) }, "\(layer) ∂L/∂X")
      assertGradient(
        g.dW,
        numericalGradient(layer.W) {
          var l = layer; l.W = $0; return L(l, X)
        }, "\(layer) ∂L/∂W")
      if bias == .trainable {
        assertGradient(
          g.db,
          numericalGradient(layer.b) {
            var l = layer; l.b = $0; return L(l, X)
          }, "\(layer) ∂L/∂b")
      } else {
        XCTAssertEqual(g.db.norm, 0, "\(layer): a bias that is not trainable gets no gradient")
      }
    }
  }

  func testNetworkBackpropagationForEveryLossAndOutput() {
    var rng = SeededRandom(seed: 9)
    let X = randomMatrix(7, 2, rng: &rng)
    let cases: [(any Activation, any Loss, Matrix)] = [
      (Sigmoid(), BinaryCrossEntropy(), Matrix(column: [0, 1, 1, 0, 1, 0, 0])),
      (Sigmoid(), HalfMeanSquaredError(), Matrix(column: [0, 1, 1, 0, 1, 0, 0])),
      (Identity(), MeanSquaredError(), randomMatrix(7, 1, rng: &rng)),
      (Identity(), MeanAbsoluteError(), randomMatrix(7, 1, scale: 3, rng: &rng)),
      (Identity(), HingeLoss(), Matrix(column: [1, -1, -1, 1, 1, -1, 1])),
      (Softmax(), CategoricalCrossEntropy(), Dataset.oneHot([0, 1, 2, 2, 1, 0, 1], classes: 3)),
    ]
    for (output, loss, Y) in cases {
      var net = Sequential(sizes: [2, 5, 4, Y.cols], hidden: Tanh(), output: Identity(), rng: &rng)
      net.layers[net.layers.count - 1].activation = output
      for l in net.layers.indices {
        net.layers[l].b = randomMatrix(1, net.layers[l].outputs, scale: 0.5, rng: &rng)
      }
      let (_, gradients, _) = lossAndGradients(net, X, Y, loss)
      for l in net.layers.indices {
        let numericW = numericalGradient(net.layers[l].W) { W in
          var n = net
          n.layers[l].W = W
          return loss.value(n.predict(X), Y)
        }
        assertGradient(gradients[l].dW, numericW, tolerance: 1e-5, "\(output)+\(loss) layer \(l) W")
        let numericB = numericalGradient(net.layers[l].b) { b in
          var n = net
          n.layers[l].b = b
          return loss.value(n.predict(X), Y)
        }
        assertGradient(gradients[l].db, numericB, tolerance: 1e-5, "\(output)+\(loss) layer \(l) b")
      }
    }
  }

  private func lossAndGradients(_ net: Sequential, _ X: Matrix, _ Y: Matrix, _ loss: any Loss) -> (
    Double, [(dW: Matrix, db: Matrix)], Matrix
  ) {
    let r = net.lossAndGradients(X, Y, loss)
    return (r.loss, r.gradients, r.output)
  }
}
