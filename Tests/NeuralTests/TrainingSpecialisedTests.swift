import Foundation
import XCTest

@testable import Neural

/// `Sequential.train` runs specialised for the losses and optimisers Neural ships and generic for a
/// notebook's own: both give the same bits (the digests `TrainingBitsTests` pins).
final class TrainingSpecialisedTests: XCTestCase {
  /// A loss of the caller's own, which `train` cannot know: binary cross-entropy, forwarded.
  struct OwnLoss: Loss {
    let inner = BinaryCrossEntropy()
    func value(_ Yhat: Matrix, _ Y: Matrix) -> Double { inner.value(Yhat, Y) }
    func gradient(_ Yhat: Matrix, _ Y: Matrix) -> Matrix { inner.gradient(Yhat, Y) }
    func fused(_ Z: Matrix, _ Yhat: Matrix, _ Y: Matrix, activation: any Activation) -> (
      loss: Double, dZ: Matrix
    )? {
      inner.fused(Z, Yhat, Y, activation: activation)
    }
    var isClassification: Bool { inner.isClassification }
    var decision: Decision { inner.decision }
    var description: String { "own \(inner)" }
  }

  /// An optimiser of the caller's own: Adam, forwarded.
  struct OwnOptimizer: Optimizer {
    var inner: Adam
    var batchSize: Int? { inner.batchSize }
    var learningRate: Double {
      get { inner.learningRate }
      set { inner.learningRate = newValue }
    }
    mutating func beginStep() { inner.beginStep() }
    mutating func update(_ W: inout [Double], _ gradient: [Double], slot: Int) {
      inner.update(&W, gradient, slot: slot)
    }
    var description: String { "own \(inner)" }
  }

  func train(loss: some Loss, optimizer: inout some Optimizer) throws -> UInt64 {
    var rng = SeededRandom(seed: 21)
    let data = Dataset.moons(n: 60, noise: 0.2, rng: &rng)
    var net = Sequential(
      Dense(2, 8, activation: .tanh, dropout: Dropout(0.2), rng: &rng),
      Dense(8, 8, activation: .relu, rng: &rng),
      Dense(8, 1, activation: .sigmoid, rng: &rng))
    let options = TrainingOptions(
      epochs: 60, validationSplit: 0.25, patience: 5, seed: 9, schedule: .cosine(from: 0.05, to: 0.005))
    let history = try net.train(on: data, loss: loss, optimizer: &optimizer, options: options)
    return TrainingBitsTests.digest(history, net)
  }

  func testOwnLossAndOptimiserRunGenericWithTheSameBits() throws {
    var adam = Adam(gamma: 0.05, batchSize: 7)
    var own = OwnOptimizer(inner: Adam(gamma: 0.05, batchSize: 7))
    let shipped = try train(loss: .binaryCrossEntropy, optimizer: &adam)
    XCTAssertEqual(shipped, 5_822_994_376_542_538_323)
    XCTAssertEqual(try train(loss: OwnLoss(), optimizer: &own), shipped)
    var fresh = Adam(gamma: 0.05, batchSize: 7)
    XCTAssertEqual(
      try train(loss: OwnLoss(), optimizer: &fresh), shipped, "a shipped optimiser, a loss of one's own")
    XCTAssertEqual(own.inner.gamma, 0.05, "the optimiser's own rate is given back")
  }
}
