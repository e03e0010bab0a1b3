import Foundation
import Neural
import XCTest

final class OptimizerTests: XCTestCase {
  /// `f(w) = ½ Σ aᵢ (wᵢ − cᵢ)²` has its minimum at `c`; the gradient is `aᵢ (wᵢ − cᵢ)`.
  let a: [Double] = [1, 4, 0.5]
  let c: [Double] = [3, -2, 0.5]

  func minimize(_ optimizer: inout some Optimizer, steps: Int) -> [Double] {
    var w: [Double] = [0, 0, 0]
    for _ in 0..<steps {
      let g = (0..<3).map { a[$0] * (w[$0] - c[$0]) }
      optimizer.beginStep()
      optimizer.update(&w, g, slot: 0)
    }
    return w
  }

  func assertAtMinimum(_ w: [Double], tolerance: Double, _ name: String, line: UInt = #line) {
    for i in 0..<3 { XCTAssertEqual(w[i], c[i], accuracy: tolerance, "\(name) w[\(i)]", line: line) }
  }

  func testEveryOptimizerFindsTheMinimumOfAQuadratic() {
    var gd = GradientDescent(gamma: 0.2)
    assertAtMinimum(minimize(&gd, steps: 500), tolerance: 1e-9, "gradient descent")
    var sgd = SGD(gamma: 0.2)
    assertAtMinimum(minimize(&sgd, steps: 500), tolerance: 1e-9, "SGD")
    var mini = MiniBatchSGD(gamma: 0.2, batchSize: 8)
    assertAtMinimum(minimize(&mini, steps: 500), tolerance: 1e-9, "mini-batch SGD")
    var momentum = Momentum(gamma: 0.05, beta: 0.9)
    assertAtMinimum(minimize(&momentum, steps: 1000), tolerance: 1e-8, "momentum")
    var rmsprop = RMSProp(gamma: 0.001, beta: 0.9)
    assertAtMinimum(minimize(&rmsprop, steps: 20000), tolerance: 1e-2, "RMSProp")
    var adam = Adam(gamma: 0.05)
    assertAtMinimum(minimize(&adam, steps: 5000), tolerance: 1e-4, "Adam")
  }

  func testUpdateRulesAsTheLectureWritesThem() {
    // Momentum: M ← βM + ∇; W ← W − γM. Two steps with constant gradient 1: M = 1, then 1.5.
    var m = Momentum(gamma: 0.1, beta: 0.5)
    var w: [Double] = [0]
    m.update(&w, [1], slot: 0)
    XCTAssertEqual(w[0], -0.1, accuracy: 1e-15)
    m.update(&w, [1], slot: 0)
    XCTAssertEqual(w[0], -0.1 - 0.15, accuracy: 1e-15)
    // RMSProp with β = 0 moves by γ in the gradient's sign (up to ε).
    var r = RMSProp(gamma: 0.01, beta: 0, epsilon: 0)
    var v: [Double] = [1, 1]
    r.update(&v, [250, -0.003], slot: 0)
    XCTAssertEqual(v[0], 0.99, accuracy: 1e-15)
    XCTAssertEqual(v[1], 1.01, accuracy: 1e-15)
    // Adam's bias correction makes the first step γ·∇/√(∇² + ε) ≈ γ·sign(∇).
    var adam = Adam(gamma: 0.1, epsilon: 0)
    var x: [Double] = [0]
    adam.beginStep()
    adam.update(&x, [-7], slot: 0)
    XCTAssertEqual(x[0], 0.1, accuracy: 1e-12)
    XCTAssertEqual(adam.t, 1)
  }

  /// One step from `w` with gradient `g`.
  func step(_ optimizer: inout some Optimizer, from w: Double, gradient g: Double) -> Double {
    var W = [w]
    optimizer.beginStep()
    optimizer.update(&W, [g], slot: 0)
    return W[0]
  }

  func testWeightDecayAddsLambdaWToTheGradientOfEveryRule() {
    // W = 2, ∇ = 1, λ = 0.5: the rule sees ∇ + λW = 2.
    var gd = GradientDescent(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&gd, from: 2, gradient: 1), 2 - 0.1 * 2, accuracy: 1e-15)
    var sgd = SGD(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&sgd, from: 2, gradient: 1), 1.8, accuracy: 1e-15)
    var mini = MiniBatchSGD(gamma: 0.1, batchSize: 4, weightDecay: 0.5)
    XCTAssertEqual(step(&mini, from: 2, gradient: 1), 1.8, accuracy: 1e-15)
    // Momentum β = 0.5: M = 2, W = 1.8; then ∇ + λW = 1 + 0.9 = 1.9, M = 1 + 1.9 = 2.9, W = 1.8 − 0.29.
    var momentum = Momentum(gamma: 0.1, beta: 0.5, weightDecay: 0.5)
    let w1 = step(&momentum, from: 2, gradient: 1)
    XCTAssertEqual(w1, 1.8, accuracy: 1e-15)
    XCTAssertEqual(step(&momentum, from: w1, gradient: 1), 1.51, accuracy: 1e-15)
    // RMSProp β = 0.5, ε = 0: V = 0.5·2² = 2, W = 2 − 0.01/√2·2.
    var rms = RMSProp(gamma: 0.01, beta: 0.5, epsilon: 0, weightDecay: 0.5)
    XCTAssertEqual(step(&rms, from: 2, gradient: 1), 2 - 0.02 / 2.0.squareRoot(), accuracy: 1e-15)
    // Adam (coupled): ∇ = 0 still moves W, since the rule sees λW = 1: the first step is γ·sign = 0.1.
    var adam = Adam(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&adam, from: 2, gradient: 0), 1.9, accuracy: 1e-9)
    // ... but Adam normalises the decay away in its first step: ∇ + λW = −2 moves W by +0.1, as ∇ = −3 alone would.
    var adam2 = Adam(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&adam2, from: 2, gradient: -3), 2.1, accuracy: 1e-9)
    // λ = 0 (the default) is the rule without decay.
    var plain = SGD(gamma: 0.1)
    XCTAssertEqual(step(&plain, from: 2, gradient: 1), 1.9, accuracy: 1e-15)
    XCTAssertEqual("\(SGD(gamma: 0.1, weightDecay: 1e-4))", "SGD (γ = 0.1, λ = 0.0001)")
    XCTAssertEqual("\(SGD(gamma: 0.1))", "SGD (γ = 0.1)")
  }

  func testDecoupledWeightDecayShrinksWApartFromAdamsStep() {
    // AdamW: W ← W(1 − γλ) = 2·0.95 = 1.9, then Adam's first step on ∇ = −3 alone: +0.1.
    var adamW = Adam(gamma: 0.1, weightDecay: 0.5, decoupled: true)
    XCTAssertEqual(step(&adamW, from: 2, gradient: -3), 2.0, accuracy: 1e-9)
    // With ∇ = 0, only the decay moves W: M = 0, so Adam's step is 0.
    var still = Adam(gamma: 0.1, weightDecay: 0.5, decoupled: true)
    XCTAssertEqual(step(&still, from: 2, gradient: 0), 1.9, accuracy: 1e-15)
    XCTAssertEqual(
      "\(Adam(gamma: 0.001, weightDecay: 0.01, decoupled: true))",
      "AdamW (γ = 0.001, β₁ = 0.9, β₂ = 0.999, λ = 0.01)")
  }

  func testSeparateSlotsKeepSeparateState() {
    var m = Momentum(gamma: 1, beta: 1)
    var w0: [Double] = [0]
    var w1: [Double] = [0]
    m.update(&w0, [1], slot: 0)
    m.update(&w1, [10], slot: 1)
    m.update(&w0, [1], slot: 0)
    XCTAssertEqual(w0[0], -3)  // M: 1, then 2
    XCTAssertEqual(w1[0], -10)
  }
}

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

final class MatrixTests: XCTestCase {
  func testProductsAgreeWithTransposes() {
    var rng = SeededRandom(seed: 1)
    let A = randomMatrix(3, 4, rng: &rng)
    let B = randomMatrix(4, 5, rng: &rng)
    let C = A * B
    XCTAssertEqual(C[1, 2], (0..<4).reduce(0) { $0 + A[1, $1] * B[$1, 2] }, accuracy: 1e-15)
    let At = A.transposed
    let Bt = B.transposed
    for (x, y) in zip(Matrix.product(At, B, transposeA: true).storage, C.storage) {
      XCTAssertEqual(x, y, accuracy: 1e-14)
    }
    for (x, y) in zip(Matrix.product(A, Bt, transposeB: true).storage, C.storage) {
      XCTAssertEqual(x, y, accuracy: 1e-14)
    }
    for (x, y) in zip(Matrix.product(At, Bt, transposeA: true, transposeB: true).storage, C.storage) {
      XCTAssertEqual(x, y, accuracy: 1e-14)
    }
  }

  func testHelpers() {
    let M = Matrix([[1, 2], [3, 4], [5, 6]])
    XCTAssertEqual(M.columnSums.storage, [9, 12])
    XCTAssertEqual(M.addingRow(Matrix(row: [10, 20])).row(2), [15, 26])
    XCTAssertEqual(M.rows([2, 0]), Matrix([[5, 6], [1, 2]]))
    XCTAssertEqual(Matrix([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]]).argmaxPerRow, [1, 0])
    XCTAssertEqual(Matrix(columns: [[1, 2], [3, 4]]), Matrix([[1, 3], [2, 4]]))
    XCTAssertEqual(
      "\(Matrix([[0.1 + 0.2, -1], [2, 0.000012345]]))", "      0.3        -1\n        2 1.234e-05")
  }
}
