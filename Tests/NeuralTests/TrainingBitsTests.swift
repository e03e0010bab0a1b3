import Foundation
import XCTest

@testable import Neural

/// The training loop's numbers, bit for bit, with every piece of its bookkeeping at work at once
/// (mini-batches, dropout, a validation split, early stopping, a schedule, a step callback): a
/// rewrite of `Sequential.train` must give these exact bits. The expected digests were recorded
/// from the loop as it was before it was split into `TrainingRun` and `EpochTally` (main's
/// release build, linked by a script: debug and release give the same bits).
final class TrainingBitsTests: XCTestCase {
  /// FNV-1a over the bit patterns of every number a run leaves: each epoch's record, the best
  /// epoch, whether it stopped early, and the final weights and biases.
  static func digest(_ history: History, _ network: Sequential) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ value: Double?) {
      for byte in withUnsafeBytes(of: (value ?? -0.0).bitPattern, Array.init) + [value == nil ? 1 : 0] {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      }
    }
    for e in history.epochs {
      [Double(e.epoch), e.loss, e.validationLoss, e.accuracy, e.validationAccuracy, e.learningRate].forEach(
        mix)
      e.gradientNorms.forEach(mix)
    }
    mix(history.bestEpoch.map(Double.init))
    mix(history.stoppedEarly ? 1 : 0)
    for layer in network.layers { (layer.W.storage + layer.b.storage).forEach(mix) }
    return hash
  }

  func run(
    optimizer: inout some Optimizer, options: TrainingOptions, dropout: Dropout?
  ) throws -> (History, Sequential) {
    var rng = SeededRandom(seed: 21)
    let data = Dataset.moons(n: 60, noise: 0.2, rng: &rng)
    var net = Sequential(
      Dense(2, 8, activation: .tanh, dropout: dropout, rng: &rng),
      Dense(8, 8, activation: .relu, rng: &rng),
      Dense(8, 1, activation: .sigmoid, rng: &rng))
    let history = try net.train(on: data, loss: .binaryCrossEntropy, optimizer: &optimizer, options: options)
    return (history, net)
  }

  func testMiniBatchesDropoutValidationScheduleAndEarlyStopping() throws {
    var adam = Adam(gamma: 0.05, batchSize: 7)
    let (history, net) = try run(
      optimizer: &adam,
      options: .init(
        epochs: 60, validationSplit: 0.25, patience: 5, seed: 9, schedule: .cosine(from: 0.05, to: 0.005)),
      dropout: Dropout(0.2))
    XCTAssertTrue(history.stoppedEarly)
    XCTAssertEqual(adam.gamma, 0.05, "the optimiser's own rate is given back")
    XCTAssertEqual(Self.digest(history, net), 5822994376542538323, "\(history)")
  }

  func testFullBatchStoppedMidRunByAStepCallback() throws {
    var gd = GradientDescent(gamma: 0.5)
    let (history, net) = try run(
      optimizer: &gd, options: .init(epochs: 40, seed: 2, onStep: { $0.step < 25 }), dropout: nil)
    XCTAssertEqual(history.epochs.count, 25)
    XCTAssertEqual(Self.digest(history, net), 17879325240666565126, "\(history)")
  }

  func testMiniBatchEpochCutShortByAStepCallback() throws {
    var sgd = MiniBatchSGD(gamma: 0.2, batchSize: 8)
    let (history, net) = try run(
      optimizer: &sgd, options: .init(epochs: 10, validationSplit: 0.1, seed: 4, onStep: { $0.step < 20 }),
      dropout: Dropout(0.1))
    XCTAssertEqual(history.epochs.count, 3, "7 steps an epoch: the 20th is the third epoch's 6th")
    XCTAssertEqual(Self.digest(history, net), 4119404749126714776, "\(history)")
  }
}
