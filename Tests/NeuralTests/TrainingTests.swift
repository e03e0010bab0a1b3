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

  func testSplitPartitionsTheSamples() {
    var r = SeededRandom(seed: 2)
    let data = Dataset.moons(n: 40, rng: &r)
    let (train, test) = data.split(testFraction: 0.25, rng: &r)
    XCTAssertEqual(train.count, 30)
    XCTAssertEqual(test.count, 10)
    let all = Set((0..<train.count).map { train.X.row($0) } + (0..<test.count).map { test.X.row($0) })
    XCTAssertEqual(all, Set((0..<40).map { data.X.row($0) }))
  }

  func testLectureDataComesFromRsSeed123() {
    var rng = RRandom(seed: 123)
    let data = Dataset.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &rng)
    // R: set.seed(123); x <- rnorm(100); print(x[1], digits = 15) is -0.560475646552213.
    XCTAssertEqual(String(format: "%.15g", data.X[0, 0]), "-0.560475646552213")
    XCTAssertEqual(String(format: "%.15g", data.Y[99, 0]), RFormat.character(data.Y[99, 0]))
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
