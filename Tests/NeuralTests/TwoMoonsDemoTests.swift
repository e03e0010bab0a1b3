import Foundation
import Neural
import XCTest

/// The well-known micrograd demo, ported with Neural's own pieces: a 2-16-16-1 ReLU network with
/// a max-margin loss, L2 regularisation and a step size falling linearly from 1.0 to 0.1, trained
/// on 100 two-moons points to 100 % training accuracy.
final class TwoMoonsDemoTests: XCTestCase {
  func testTheDemoReachesFullAccuracyInOneTrainCall() throws {
    var rng = SeededRandom(seed: 1337)
    let moons = Dataset.moons(n: 100, noise: 0.1, rng: &rng)
    var net = Sequential(
      sizes: [2, 16, 16, 1], hidden: .relu, output: .identity, initializer: .he, rng: &rng)
    // micrograd adds 1e-4·Σ p² to the loss: its gradient is 2e-4·p, weight decay λ = 2e-4.
    var gd = GradientDescent(gamma: 1, weightDecay: 2e-4)
    let history = try net.train(
      on: moons, loss: .hinge, optimizer: &gd,
      options: .init(epochs: 100, schedule: .linear(from: 1, to: 0.1)))
    XCTAssertEqual(moons.accuracy(of: net, decision: .score), 1, "\(history)")
    // The rate fell from 1 to 0.1 and the loss with it.
    XCTAssertEqual(history.epochs.first?.learningRate, 1)
    XCTAssertEqual(history.epochs.last?.learningRate ?? 0, 0.1, accuracy: 1e-15)
    XCTAssertLessThan(history.losses.last ?? .nan, history.losses.first ?? .nan)
  }
}
