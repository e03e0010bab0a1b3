import Foundation
import Neural
import XCTest

final class TrainingTests: XCTestCase {
  func testLinearRegressionByGradientDescentReachesTheLeastSquaresFit() throws {
    var rng = SeededRandom(seed: 42)
    let data = Dataset.linear(n: 50, intercept: 3, slope: 2, noise: 0.5, rng: &rng)
    var net = Sequential(Dense(weights: Matrix([[1]]), b: [1], activation: .identity))
    var gd = GradientDescent(gamma: 0.1)
    try net.train(on: data, loss: .mse, optimizer: &gd, options: .init(epochs: 2000))
    // Closed form: β = Sxy/Sxx, α = ȳ − βx̄.
    let x = data.X.storage
    let y = data.Y.storage
    let mx = x.reduce(0, +) / 50
    let my = y.reduce(0, +) / 50
    let beta =
      zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    XCTAssertEqual(net.layers[0].W[0, 0], beta, accuracy: 1e-9)
    XCTAssertEqual(net.layers[0].b[0, 0], my - beta * mx, accuracy: 1e-9)
  }

  func testSingleNeuronWithFixedBiasKeepsItsBias() throws {
    var net = Sequential(
      Dense(weights: Matrix(column: [0.1, 0.5]), bias: .fixed(-3), activation: .sigmoid))
    var gd = GradientDescent(gamma: 0.1)
    let data = Dataset.table([[0, 0], [0, 1], [1, 0], [1, 1]], targets: [0, 0, 1, 1])
    let history = try net.train(on: data, loss: .halfMSE, optimizer: &gd, options: .init(epochs: 100))
    XCTAssertEqual(net.layers[0].b.storage, [-3])
    XCTAssertLessThan(history.losses.last ?? .nan, history.losses.first ?? .nan)
    XCTAssertEqual(net.description, "Sequential[Dense(2→1, sigmoid, bias fixed -3)]")
  }

  func testXORReachesFullAccuracyFromAFixedSeed() throws {
    var rng = SeededRandom(seed: 2024)
    var net = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.05)
    let history = try net.train(
      on: .xor, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 1000))
    XCTAssertEqual(Dataset.xor.accuracy(of: net), 1)
    XCTAssertEqual(history.epochs.last?.accuracy, 1)
    let p = net.predict(Dataset.xor.X).storage
    XCTAssertLessThan(p[0], 0.1)
    XCTAssertGreaterThan(p[1], 0.9)
    XCTAssertGreaterThan(p[2], 0.9)
    XCTAssertLessThan(p[3], 0.1)
  }

  func testNoSingleNeuronLearnsXOR() throws {
    var rng = SeededRandom(seed: 1)
    var net = Sequential(sizes: [2, 1], output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.05)
    try net.train(on: .xor, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 2000))
    XCTAssertLessThanOrEqual(Dataset.xor.accuracy(of: net), 0.75)
  }

  func testSpiralsReach95PercentWith2x16x16x1TanhAndAdam() throws {
    var rng = SeededRandom(seed: 7)
    let data = Dataset.spirals(n: 300, noise: 0, rng: &rng)
    var net = Sequential(sizes: [2, 16, 16, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.01)
    let history = try net.train(
      on: data, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 1500))
    XCTAssertGreaterThanOrEqual(data.accuracy(of: net), 0.95, "final loss \(history.finalLoss ?? .nan)")
  }

  func testTrainingIsDeterministic() throws {
    func run() throws -> ([Double], [Double]) {
      var rng = SeededRandom(seed: 99)
      let data = Dataset.moons(n: 80, noise: 0.1, rng: &rng)
      var net = Sequential(sizes: [2, 6, 1], rng: &rng)
      var opt = MiniBatchSGD(gamma: 0.3, batchSize: 16)
      let h = try net.train(
        on: data, loss: .binaryCrossEntropy, optimizer: &opt, options: .init(epochs: 20, seed: 5))
      return (h.losses, net.layers[0].W.storage)
    }
    let (a, b) = (try run(), try run())
    XCTAssertEqual(a.0, b.0)
    XCTAssertEqual(a.1, b.1)
  }

  func testMiniBatchesVisitEverySampleOncePerEpoch() throws {
    // With γ = 0 the weights never move, so the epoch loss (batch losses weighted by size) must equal
    // the full-data loss whatever the batch size: only true if every sample is visited exactly once.
    var rng = SeededRandom(seed: 4)
    let data = Dataset.moons(n: 53, rng: &rng)
    let net0 = Sequential(sizes: [2, 5, 1], rng: &rng)
    let full = net0.loss(data.X, data.Y, BinaryCrossEntropy())
    for m in [1, 7, 16, 53, 100] {
      var net = net0
      var opt = MiniBatchSGD(gamma: 0, batchSize: m)
      let h = try net.train(on: data, loss: .binaryCrossEntropy, optimizer: &opt, options: .init(epochs: 2))
      XCTAssertEqual(h.losses[1], full, accuracy: 1e-12, "batch size \(m)")
    }
  }

  func testValidationSplitAndEarlyStoppingRestoreTheBestWeights() throws {
    var rng = SeededRandom(seed: 12)
    // Few noisy points and a wide network: validation loss turns up while training loss keeps falling.
    let data = Dataset.noisySine(n: 40, noise: 0.4, rng: &rng)
    var net = Sequential(sizes: [1, 64, 64, 1], hidden: .tanh, output: .identity, rng: &rng)
    var adam = Adam(gamma: 0.01)
    let history = try net.train(
      on: data, loss: .mse, optimizer: &adam,
      options: .init(epochs: 3000, validationSplit: 0.25, patience: 50, seed: 3))
    XCTAssertTrue(history.stoppedEarly)
    let best = try XCTUnwrap(history.bestEpoch)
    XCTAssertEqual(history.epochs.count, best + 50)
    let bestValidation = try XCTUnwrap(history.epochs[best - 1].validationLoss)
    XCTAssertEqual(bestValidation, history.epochs.compactMap(\.validationLoss).min())
    // The network holds the best epoch's weights: its validation loss is that epoch's again.
    var split = SeededRandom(seed: 3)
    let (_, validation) = data.split(testFraction: 0.25, rng: &split)
    XCTAssertEqual(net.loss(validation.X, validation.Y, MeanSquaredError()), bestValidation, accuracy: 1e-12)
    XCTAssertEqual(history.epochs[0].gradientNorms.count, 3)
  }

  func testDivergenceIsAnErrorNamingEpochAndLearningRate() {
    var rng = SeededRandom(seed: 1)
    let data = Dataset.linear(n: 20, intercept: 1, slope: 5, noise: 0.1, rng: &rng)
    var net = Sequential(sizes: [1, 8, 1], hidden: .relu, output: .identity, rng: &rng)
    var gd = GradientDescent(gamma: 10)
    XCTAssertThrowsError(try net.train(on: data, loss: .mse, optimizer: &gd, options: .init(epochs: 500))) {
      error in
      guard case .diverged(let epoch, _, let lr) = error as? TrainingError else { return XCTFail("\(error)") }
      XCTAssertEqual(lr, 10)
      XCTAssertGreaterThan(epoch, 1)
      let message = "\(error)"
      XCTAssertTrue(message.contains("epoch \(epoch)") && message.contains("learning rate 10"), message)
      XCTAssertTrue(message.contains("try a smaller learning rate such as 1"), message)
    }
  }

  func testTrainingReportsEveryEpochToTheProgressHandler() throws {
    final class Seen: @unchecked Sendable {
      let lock = NSLock()
      var epochs: [(Int, Int, Double)] = []
    }
    let seen = Seen()
    TrainingProgress.handler = { e, n, loss in seen.lock.withLock { seen.epochs.append((e, n, loss)) } }
    defer { TrainingProgress.handler = nil }
    var net = Sequential(Dense(weights: Matrix(column: [0.1, 0.5]), bias: .fixed(-3), activation: .sigmoid))
    var gd = GradientDescent(gamma: 0.1)
    let h = try net.train(on: .and, loss: .halfMSE, optimizer: &gd, options: .init(epochs: 5))
    XCTAssertEqual(seen.epochs.map(\.0), [1, 2, 3, 4, 5])
    XCTAssertEqual(seen.epochs.map(\.1), [5, 5, 5, 5, 5])
    XCTAssertEqual(seen.epochs.map(\.2), h.losses)
  }

  func testBadDataGivesReadableErrors() {
    var rng = SeededRandom(seed: 1)
    var net = Sequential(sizes: [3, 2, 1], rng: &rng)
    var gd = GradientDescent(gamma: 0.1)
    XCTAssertThrowsError(try net.train(on: .xor, loss: .mse, optimizer: &gd, options: .init(epochs: 1))) {
      XCTAssertTrue("\($0)".contains("2 input columns but the network's first layer expects 3"), "\($0)")
    }
    let empty = Dataset(X: Matrix(rows: 0, cols: 3), Y: Matrix(rows: 0, cols: 1))
    XCTAssertThrowsError(try net.train(on: empty, loss: .mse, optimizer: &gd, options: .init(epochs: 1))) {
      XCTAssertEqual($0 as? TrainingError, .emptyDataset)
    }
    let badLabels = Dataset(X: Matrix(rows: 2, cols: 3), Y: Matrix(column: [0, 2]))
    XCTAssertThrowsError(
      try net.train(on: badLabels, loss: .binaryCrossEntropy, optimizer: &gd, options: .init(epochs: 1))
    ) { XCTAssertTrue("\($0)".contains("sample 2 has label 2"), "\($0)") }
  }

  func testSoftmaxClassifierOnThreeBlobs() throws {
    var rng = SeededRandom(seed: 21)
    let data = Dataset.blobs(n: 150, centers: [[-3, 0], [3, 0], [0, 4]], sd: 0.8, rng: &rng)
    XCTAssertEqual(data.Y.cols, 3)
    var net = Sequential(sizes: [2, 8, 3], hidden: .relu, output: .softmax, initializer: .he, rng: &rng)
    var adam = Adam(gamma: 0.02)
    try net.train(on: data, loss: .categoricalCrossEntropy, optimizer: &adam, options: .init(epochs: 300))
    XCTAssertGreaterThanOrEqual(data.accuracy(of: net), 0.97)
  }

  func testLearningRateSchedulesByHand() {
    // Linear: the first epoch at `from`, the last at `to`, evenly between: epoch 4 of 10 is 1 − 0.9·3/9.
    let linear = LearningRateSchedule.linear(from: 1, to: 0.1)
    XCTAssertEqual(linear.rate(epoch: 1, of: 10), 1)
    XCTAssertEqual(linear.rate(epoch: 4, of: 10), 0.7, accuracy: 1e-15)
    XCTAssertEqual(linear.rate(epoch: 10, of: 10), 0.1, accuracy: 1e-15)
    XCTAssertEqual(linear.rate(epoch: 1, of: 1), 1)
    // Step: halve every 3 epochs: 0.1 for epochs 1–3, 0.05 for 4–6, 0.025 from 7.
    let step = LearningRateSchedule.step(from: 0.1, factor: 0.5, every: 3)
    XCTAssertEqual((1...7).map { step.rate(epoch: $0, of: 7) }, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])
    // Cosine from 1 to 0 over 5 epochs: ½(1 + cos(π·t)), t = 0, ¼, ½, ¾, 1.
    let cosine = LearningRateSchedule.cosine(from: 1, to: 0)
    XCTAssertEqual(cosine.rate(epoch: 1, of: 5), 1, accuracy: 1e-15)
    XCTAssertEqual(cosine.rate(epoch: 2, of: 5), 0.5 + 0.5 * 0.5.squareRoot(), accuracy: 1e-15)
    XCTAssertEqual(cosine.rate(epoch: 3, of: 5), 0.5, accuracy: 1e-15)
    XCTAssertEqual(cosine.rate(epoch: 5, of: 5), 0, accuracy: 1e-15)
    XCTAssertEqual(
      LearningRateSchedule.cosine(from: 0.3, to: 0.1).rate(epoch: 3, of: 5), 0.2, accuracy: 1e-15)
    // Exponential: 0.1·0.9^(e − 1), so epoch 3 has 0.1·0.81.
    let exponential = LearningRateSchedule.exponential(from: 0.1, factor: 0.9)
    XCTAssertEqual(exponential.rate(epoch: 1, of: 5), 0.1)
    XCTAssertEqual(exponential.rate(epoch: 3, of: 5), 0.081, accuracy: 1e-15)
    XCTAssertEqual("\(linear)", "linear 1 → 0.1")
  }

  func testTrainingFollowsTheSchedule() throws {
    // L = ½(w − 1)² on one sample x = 1, y = 1: ∂L/∂w = w − 1. From w = 0 with γ = 0.5, then 0.25:
    // w = 0 + 0.5·1 = 0.5, then w = 0.5 + 0.25·0.5 = 0.625 (a fixed γ = 0.5 would give 0.75).
    var net = Sequential(Dense(weights: Matrix([[0]]), bias: .none))
    var gd = GradientDescent(gamma: 0.5)
    let data = Dataset(X: Matrix([[1]]), Y: Matrix([[1]]))
    let h = try net.train(
      on: data, loss: .halfMSE, optimizer: &gd,
      options: .init(epochs: 2, schedule: .linear(from: 0.5, to: 0.25)))
    XCTAssertEqual(net.layers[0].W[0, 0], 0.625, accuracy: 1e-15)
    XCTAssertEqual(h.epochs.map(\.learningRate), [0.5, 0.25])
    XCTAssertEqual(gd.gamma, 0.5, "the optimiser's own rate is restored after training")
    // Without a schedule nothing is recorded.
    var gd2 = GradientDescent(gamma: 0.5)
    let h2 = try net.train(on: data, loss: .halfMSE, optimizer: &gd2, options: .init(epochs: 1))
    XCTAssertEqual(h2.epochs.map(\.learningRate), [nil])
  }

  func testAStepCallbackStopsTraining() throws {
    var rng = SeededRandom(seed: 3)
    let data = Dataset.moons(n: 10, rng: &rng)
    let net0 = Sequential(sizes: [2, 3, 1], rng: &rng)
    final class Steps: @unchecked Sendable {
      let lock = NSLock()
      var seen: [TrainingStep] = []
    }
    // SGD: 10 steps an epoch; stop after the 13th (epoch 2, its 3rd step).
    let steps = Steps()
    var net = net0
    var sgd = SGD(gamma: 0.1)
    let h = try net.train(
      on: data, loss: .binaryCrossEntropy, optimizer: &sgd,
      options: .init(
        epochs: 50,
        onStep: { step in
          steps.lock.withLock { steps.seen.append(step) }
          return step.step < 13
        }))
    XCTAssertEqual(steps.seen.count, 13)
    XCTAssertEqual(steps.seen.map(\.step), Array(1...13))
    XCTAssertEqual(steps.seen.last?.epoch, 2)
    XCTAssertEqual(steps.seen.last?.learningRate, 0.1)
    XCTAssertTrue(h.stoppedEarly)
    XCTAssertEqual(h.epochs.count, 2)
    // Full batch: stopping after step 3 leaves the weights of a 3-epoch run.
    var a = net0
    var b = net0
    var gdA = GradientDescent(gamma: 0.5)
    var gdB = GradientDescent(gamma: 0.5)
    try a.train(
      on: data, loss: .binaryCrossEntropy, optimizer: &gdA,
      options: .init(epochs: 100, onStep: { $0.step < 3 }))
    try b.train(on: data, loss: .binaryCrossEntropy, optimizer: &gdB, options: .init(epochs: 3))
    XCTAssertEqual(a.layers[0].W, b.layers[0].W)
    XCTAssertEqual(a.layers[1].b, b.layers[1].b)
  }

  func testVanishingGradientsShowInTheGradientNorms() throws {
    // A deep sigmoid stack: the first layer's gradient is far smaller than the last's.
    var rng = SeededRandom(seed: 8)
    let data = Dataset.moons(n: 100, rng: &rng)
    var deep = Sequential(sizes: [2, 8, 8, 8, 8, 8, 8, 1], hidden: .sigmoid, output: .sigmoid, rng: &rng)
    var gd = GradientDescent(gamma: 0.1)
    let h = try deep.train(on: data, loss: .binaryCrossEntropy, optimizer: &gd, options: .init(epochs: 1))
    let norms = h.epochs[0].gradientNorms
    XCTAssertLessThan(norms[0], norms[norms.count - 1] / 100, "\(norms)")
  }
}
