import Foundation
import Neural
import XCTest

/// Inverted dropout: seeded masks, the expectation kept, off in `predict`, gradients only through kept units.
final class DropoutTests: XCTestCase {
  func testTheMaskIsSeeded() {
    let dropout = Dropout(0.3)
    var a = SeededRandom(seed: 4)
    var b = SeededRandom(seed: 4)
    var c = SeededRandom(seed: 5)
    let mask = dropout.mask(rows: 20, cols: 8, rng: &a)
    XCTAssertEqual(mask, dropout.mask(rows: 20, cols: 8, rng: &b), "same seed, same mask")
    XCTAssertNotEqual(mask, dropout.mask(rows: 20, cols: 8, rng: &c), "another seed, another mask")
    // A kept unit is scaled by 1/(1 − p), a dropped one is 0.
    let scale = 1 / (1 - 0.3)
    XCTAssertTrue(mask.storage.allSatisfy { $0 == 0 || $0 == scale }, "\(mask.storage)")
    XCTAssertTrue(mask.storage.contains(0) && mask.storage.contains(scale))
    XCTAssertEqual(Dropout(0).mask(rows: 3, cols: 2, rng: &a).storage, [1, 1, 1, 1, 1, 1])
    XCTAssertEqual("\(Dropout(0.5))", "dropout 0.5")
  }

  func testTheExpectationIsKept() {
    // Each output is x/(1 − p) with probability 1 − p, else 0: E = x, Var = x²·p/(1 − p).
    // So Σ out − Σ x has standard deviation √(Σ x² · p/(1 − p)); allow 4 of them.
    let p = 0.3
    var rng = SeededRandom(seed: 8)
    let X = Matrix(rows: 400, cols: 250, (0..<100_000).map { _ in rng.uniform(0, 2) })
    let dropout = Dropout(p)
    let out = dropout.forward(X, mask: dropout.mask(rows: 400, cols: 250, rng: &rng))
    let sd = (X.storage.reduce(0) { $0 + $1 * $1 } * p / (1 - p)).squareRoot()
    XCTAssertEqual(out.sum, X.sum, accuracy: 4 * sd)
    // About a share p of the units are dropped: binomial, sd √(N p (1 − p)).
    let dropped = Double(out.storage.filter { $0 == 0 }.count)
    XCTAssertEqual(dropped, 100_000 * p, accuracy: 4 * (100_000 * p * (1 - p)).squareRoot())
  }

  func testPredictLeavesDropoutOut() {
    var rng = SeededRandom(seed: 2)
    let plain = Sequential(sizes: [2, 6, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var dropped = plain
    dropped.layers[0].dropout = Dropout(0.5)
    let X = randomMatrix(5, 2, rng: &rng)
    XCTAssertEqual(dropped.predict(X), plain.predict(X))
    XCTAssertEqual(dropped.description, "Sequential[Dense(2→6, tanh, dropout 0.5), Dense(6→1, sigmoid)]")
    let Y = Matrix(column: [0, 1, 1, 0, 1])
    XCTAssertEqual(
      dropped.loss(X, Y, BinaryCrossEntropy()), plain.loss(X, Y, BinaryCrossEntropy()), "no masks: no dropout"
    )
  }

  func testGradientsFlowOnlyThroughKeptUnits() {
    var rng = SeededRandom(seed: 6)
    var net = Sequential(sizes: [3, 6, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    net.layers[0].dropout = Dropout(0.5)
    net.layers[1].dropout = Dropout(0.25)
    for l in net.layers.indices {
      net.layers[l].b = randomMatrix(1, net.layers[l].outputs, scale: 0.5, rng: &rng)
    }
    let X = randomMatrix(7, 3, rng: &rng)
    let Y = Matrix(column: [0, 1, 1, 0, 1, 0, 0])
    let masks = net.dropoutMasks(rows: 7, rng: &rng)
    XCTAssertNil(masks[2], "no dropout on the output layer")
    let (_, gradients, _) = net.lossAndGradients(X, Y, BinaryCrossEntropy(), masks: masks)
    for l in net.layers.indices {
      let numericW = numericalGradient(net.layers[l].W) { W in
        var n = net
        n.layers[l].W = W
        return n.lossAndGradients(X, Y, BinaryCrossEntropy(), masks: masks).loss
      }
      assertGradient(gradients[l].dW, numericW, tolerance: 1e-5, "dropout network layer \(l) W")
      let numericB = numericalGradient(net.layers[l].b) { b in
        var n = net
        n.layers[l].b = b
        return n.lossAndGradients(X, Y, BinaryCrossEntropy(), masks: masks).loss
      }
      assertGradient(gradients[l].db, numericB, tolerance: 1e-5, "dropout network layer \(l) b")
    }
    // One sample: a dropped hidden unit gets no gradient at all, a kept one does.
    let x = Matrix(row: [0.3, -0.8, 0.5])
    let one = net.dropoutMasks(rows: 1, rng: &rng)
    let mask = one[0]?.storage ?? []
    XCTAssertTrue(mask.contains(0) && mask.contains(2), "the seed drops some units and keeps some: \(mask)")
    let g = net.lossAndGradients(x, Matrix([[1]]), BinaryCrossEntropy(), masks: one).gradients[0]
    for j in 0..<6 {
      let column = (0..<3).map { g.dW[$0, j] } + [g.db[0, j]]
      if mask[j] == 0 {
        XCTAssertEqual(column, [0, 0, 0, 0], "dropped unit \(j)")
      } else {
        XCTAssertTrue(column.contains { $0 != 0 }, "kept unit \(j)")
      }
    }
  }

  func testTrainingWithDropoutIsSeeded() throws {
    func run(dropout: Dropout?, seed: UInt64) throws -> Matrix {
      var rng = SeededRandom(seed: 1)
      let data = Dataset.moons(n: 40, rng: &rng)
      var net = Sequential(sizes: [2, 8, 1], hidden: .relu, output: .sigmoid, rng: &rng)
      net.layers[0].dropout = dropout
      var sgd = MiniBatchSGD(gamma: 0.1, batchSize: 8)
      try net.train(
        on: data, loss: .binaryCrossEntropy, optimizer: &sgd, options: .init(epochs: 5, seed: seed))
      return net.layers[0].W
    }
    let a = try run(dropout: Dropout(0.5), seed: 3)
    XCTAssertEqual(a, try run(dropout: Dropout(0.5), seed: 3))
    XCTAssertNotEqual(a, try run(dropout: Dropout(0.5), seed: 4))
    XCTAssertNotEqual(a, try run(dropout: nil, seed: 3))
  }
}
