import Foundation
import Neural
import XCTest

final class DatasetTests: XCTestCase {
  func testTruthTables() {
    XCTAssertEqual(Dataset.and.Y.storage, [0, 0, 0, 1])
    XCTAssertEqual(Dataset.or.Y.storage, [0, 1, 1, 1])
    XCTAssertEqual(Dataset.xor.Y.storage, [0, 1, 1, 0])
    XCTAssertEqual(Dataset.xor.X, Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]))
  }

  func testGeneratorsAreSeededAndShaped() {
    var a = SeededRandom(seed: 5)
    var b = SeededRandom(seed: 5)
    XCTAssertEqual(Dataset.moons(n: 50, rng: &a), Dataset.moons(n: 50, rng: &b))
    var r = SeededRandom(seed: 1)
    let spirals = Dataset.spirals(n: 100, rng: &r)
    XCTAssertEqual(spirals.count, 100)
    XCTAssertEqual(spirals.labels?.filter { $0 == 1 }.count, 50)
    // Noise-free spirals: radius 5i/m.
    XCTAssertEqual(hypot(spirals.X[10, 0], spirals.X[10, 1]), 5 * 10 / 50, accuracy: 1e-12)
    let circles = Dataset.circles(n: 40, factor: 0.5, noise: 0, rng: &r)
    XCTAssertEqual(hypot(circles.X[0, 0], circles.X[0, 1]), 1, accuracy: 1e-12)
    XCTAssertEqual(hypot(circles.X[30, 0], circles.X[30, 1]), 0.5, accuracy: 1e-12)
    let moons = Dataset.moons(n: 20, noise: 0, rng: &r)
    XCTAssertEqual(moons.X[0, 0], 1, accuracy: 1e-15)  // θ = 0 on the outer moon
    XCTAssertEqual(moons.X[10, 1], 0.5, accuracy: 1e-15)  // inner moon starts at (0, 0.5)
    let sine = Dataset.noisySine(n: 11, noise: 0, rng: &r)
    XCTAssertEqual(sine.Y[5, 0], 0, accuracy: 1e-15)
    let blobs = Dataset.blobs(n: 30, centers: 3, rng: &r)
    XCTAssertEqual(blobs.Y.cols, 3)
    XCTAssertEqual(blobs.Y.storage.reduce(0, +), 30)
  }

  func testAccuracyOfARawScoreDecidedAtZero() throws {
    // Decided at 0: 0.4 → +1 right, −2 → −1 right, 0.7 → +1 wrong, −0.3 → −1 wrong.
    let S = Matrix(column: [0.4, -2, 0.7, -0.3])
    XCTAssertEqual(Dataset.correctCount(S, Matrix(column: [1, -1, -1, 1]), decision: .score), 2)
    XCTAssertEqual(Dataset.correctCount(S, Matrix(column: [1, 0, 0, 1]), decision: .score), 2)
    // Read as probabilities (the default), 0.4 is class 0: only −2 is right.
    XCTAssertEqual(Dataset.correctCount(S, Matrix(column: [1, 0, 0, 1])), 1)
    let identity = Sequential(Dense(weights: Matrix([[1]]), bias: .none))
    let data = Dataset(X: S, Y: Matrix(column: [1, -1, -1, 1]))
    XCTAssertEqual(data.accuracy(of: identity, decision: .score), 0.5)
    // Training with the hinge loss accepts ±1 labels and reports accuracy decided at 0.
    var net = identity
    var gd = GradientDescent(gamma: 0.1)
    let h = try net.train(on: data, loss: .hinge, optimizer: &gd, options: .init(epochs: 1))
    XCTAssertEqual(h.epochs[0].accuracy, 0.5)
    XCTAssertThrowsError(
      try net.train(on: data, loss: .binaryCrossEntropy, optimizer: &gd, options: .init(epochs: 1)))
  }

  func testSplitPartitionsTheSamples() {
    var r = SeededRandom(seed: 2)
    let data = Dataset.moons(n: 40, rng: &r)
    let (train, test) = data.split(testFraction: 0.25, rng: &r)
    XCTAssertEqual(train.count, 30)
    XCTAssertEqual(test.count, 10)
    let all = Set((0..<train.count).map { train.X.row($0) } + (0..<test.count).map { test.X.row($0) })
    XCTAssertEqual(all, Set((0..<40).map { data.X.row($0) }))
  }
}
