// The Swift side of `make bench` (bench/README.md): one workload per run, timed whole-process by
// bench/run.py next to its R, numpy, PyTorch and matplotlib peers in bench/peers/.
//
//   handout-bench w1                     the lecture's single neuron, 10000 epochs
//   handout-bench w2                     the lecture's gradient descent, 1000 steps, set.seed(123)
//   handout-bench w3 [--epochs N] [--save FILE]
//                                        2-16-16-1 tanh/sigmoid MLP, BCE, Adam(0.01), 1000 spiral points
//   handout-bench w4 WEIGHTS OUT.png
//                                        decision boundary of a trained W3 net on a 500×500 grid
//
// Everything runs Neural's defaults: its portable tanh, sigmoid and logs, products at the widest
// vector width (`NEURAL_ISA=sse2|avx2|avx512` forces one), every core (`NEURAL_THREADS=1` for one);
// `NEURAL_POOL_STATS=1` prints the worker pool's counters at the end.
//   handout-bench w6 [--epochs N]        784-256-10 ReLU/softmax, mini-batch 64, 20000 synthetic samples
//
// Every workload prints one line a person (and run.py) can read: the result, so a fast wrong answer
// shows up next to its time.

import Foundation
import HandoutKit

func fail(_ message: String) -> Never {
  FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
  exit(2)
}

/// The value after `--name` in the arguments, if given.
func option(_ name: String, _ arguments: [String]) -> String? {
  guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
  return arguments[i + 1]
}

// MARK: - W1, W2: the lecture's R loops, transcribed as the notebook does

/// W1: the single sigmoid neuron with a fixed bias of −3 (lecture 000, "ANN from scratch in R").
/// The same transcription as notebooks/02-ann-from-scratch.md, with `rSum` for R's long-double
/// `sum`, so it prints the slide's digits.
func w1() {
  let d: [Double] = [0, 0, 1, 1]
  let x1: [Double] = [0, 0, 1, 1]
  let x2: [Double] = [0, 1, 0, 1]
  func phi(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
  let mu = 0.1
  let nEpochs = 10000
  var w1 = 0.1
  var w2 = 0.5
  var E: [Double] = []
  E.reserveCapacity(nEpochs)
  var y: [Double] = []
  let N = Double(d.count)
  for _ in 1...nEpochs {
    // Closure types spelled out: the type checker gives up on these expressions when inferred.
    y = (0..<d.count).map { (i: Int) -> Double in phi(w1 * x1[i] + w2 * x2[i] - 3) }
    E.append((1 / (2 * N)) * rSum((0..<d.count).map { (i: Int) -> Double in (d[i] - y[i]) * (d[i] - y[i]) }))
    let delta = (0..<d.count).map { (i: Int) -> Double in (d[i] - y[i]) * y[i] * (1 - y[i]) }
    let dE_dw1 = -(1 / N) * rSum((0..<d.count).map { (i: Int) -> Double in delta[i] * x1[i] })
    let dE_dw2 = -(1 / N) * rSum((0..<d.count).map { (i: Int) -> Double in delta[i] * x2[i] })
    w1 = w1 - mu * dE_dw1
    w2 = w2 - mu * dE_dw2
  }
  print(RFormat.print(y))
}

/// W2: gradient descent for `y = α + βx` on the lecture's `set.seed(123)` data, 1000 steps of η = 0.01.
func w2() {
  var rng = RRandom(seed: 123)
  let n = 100
  let x = rng.rnorm(n)
  let y = zip(x, rng.rnorm(n)).map { 3 + 2 * $0 + $1 }
  let eta = 0.01
  var alpha = 1.0
  var beta = 1.0
  var E: [Double] = []
  E.reserveCapacity(1000)
  let N = Double(n)
  for _ in 1...1000 {
    let residual = (0..<n).map { (i: Int) -> Double in y[i] - alpha - beta * x[i] }
    E.append((1 / N) * rSum(residual.map { (r: Double) -> Double in r * r }))
    let dEdalpha = -rSum(residual.map { (r: Double) -> Double in 2 * r }) / N
    let dEdbeta = -rSum((0..<n).map { (i: Int) -> Double in 2 * x[i] * residual[i] }) / N
    alpha = alpha - eta * dEdalpha
    beta = beta - eta * dEdbeta
  }
  print("[1] \"alpha = \(RFormat.character(alpha)), beta = \(RFormat.character(beta))\"")
}

// MARK: - W3, W4: the spiral MLP and its decision boundary

/// The W3 data, the same in every peer: two noiseless spirals of 500 points each
/// (`Dataset.spirals(n: 1000, noise: 0)`, TensorFlow Playground's formula).
func spiralData() -> Dataset {
  var rng = SeededRandom(seed: 1)
  return Dataset.spirals(n: 1000, noise: 0, rng: &rng)
}

/// W3: 2-16-16-1 tanh/sigmoid, binary cross-entropy, full-batch Adam (γ = 0.01).
func w3(_ arguments: [String]) throws {
  let epochs = Int(option("epochs", arguments) ?? "2000") ?? 2000
  let data = spiralData()
  var rng = SeededRandom(seed: 42)
  var net = Sequential(sizes: [2, 16, 16, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
  var adam = Adam(gamma: 0.01)
  let history = try net.train(
    on: data, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: epochs))
  let accuracy = data.accuracy(of: net)
  print(String(format: "accuracy %.4f loss %.6f epochs %d", accuracy, history.finalLoss ?? .nan, epochs))
  if let path = option("save", arguments) { try saveWeights(net, to: path) }
}

/// Writes the network as text every peer reads: per layer a line `in out activation`, then a line
/// with `W` row by row (`in × out`), then a line with `b`; numbers with 17 significant digits.
func saveWeights(_ net: Sequential, to path: String) throws {
  var text = ""
  for layer in net.layers {
    text += "\(layer.inputs) \(layer.outputs) \(layer.activation)\n"
    text += layer.W.storage.map { String(format: "%.17g", $0) }.joined(separator: " ") + "\n"
    text += layer.b.storage.map { String(format: "%.17g", $0) }.joined(separator: " ") + "\n"
  }
  try text.write(toFile: path, atomically: true, encoding: .utf8)
}

func loadWeights(from path: String, tanh: any Activation = Tanh()) throws -> Sequential {
  let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
  var layers: [Dense] = []
  for k in stride(from: 0, to: lines.count - 2, by: 3) {
    let header = lines[k].split(separator: " ")
    guard header.count == 3, let nIn = Int(header[0]), let nOut = Int(header[1]) else {
      fail("\(path): bad layer header '\(lines[k])'")
    }
    let W = lines[k + 1].split(separator: " ").compactMap { Double($0) }
    let b = lines[k + 2].split(separator: " ").compactMap { Double($0) }
    let activation: any Activation
    switch header[2] {
    case "tanh": activation = tanh
    case "sigmoid": activation = Sigmoid()
    case "ReLU": activation = ReLU()
    case "identity": activation = Identity()
    default: fail("\(path): unknown activation \(header[2])")
    }
    layers.append(makeDense(Matrix(rows: nIn, cols: nOut, W), b, activation))
  }
  return Sequential(layers)
}

func makeDense(_ W: Matrix, _ b: [Double], _ activation: some Activation) -> Dense {
  Dense(weights: W, b: b, activation: activation)
}

// MARK: - W6: a network of a more realistic size

/// W6: 784-256-10 ReLU/softmax, categorical cross-entropy, mini-batch SGD (γ = 0.1, m = 64), 5 epochs
/// over 20000 synthetic "images": ten random prototypes in [0, 1]⁷⁸⁴, each sample its class's
/// prototype plus U(−0.5, 0.5) noise per pixel.
func w6(_ arguments: [String]) throws {
  let epochs = Int(option("epochs", arguments) ?? "5") ?? 5
  let (n, q, k) = (20000, 784, 10)
  var rng = SeededRandom(seed: 6)
  var prototypes = [Double](repeating: 0, count: k * q)
  for i in prototypes.indices { prototypes[i] = rng.uniform() }
  // Element by element in row order, written once into uninitialised storage, from one stream. The
  // rows are drawn on both cores, each half from its own place in the stream (`advance(by:)`): the
  // same values as one loop (bench/README.md, 41.), and the stream ends where that loop left it.
  let pixels = [Double](unsafeUninitializedCapacity: n * q) { out, count in
    prototypes.withUnsafeBufferPointer { prototypes in
      let (out, prototypes, start) = (out.baseAddress!, prototypes.baseAddress!, rng)
      Parallel.forEachRange(n, costPerItem: q) { rows in
        prefault(UnsafeMutableRawBufferPointer(start: out + rows.lowerBound * q, count: rows.count * q * 8))
        var rng = start
        rng.advance(by: UInt64(rows.lowerBound * q))
        for i in rows {
          let (row, prototype) = (out + i * q, prototypes + (i % k) * q)
          for j in 0..<q { (row + j).initialize(to: prototype[j] + rng.uniform() - 0.5) }
        }
      }
    }
    count = n * q
  }
  rng.advance(by: UInt64(n * q))
  let X = Matrix(rows: n, cols: q, pixels)
  let labels = (0..<n).map { $0 % k }
  let data = Dataset(X: X, labels: labels, classes: k)
  var net = Sequential(sizes: [q, 256, k], hidden: .relu, output: .softmax, initializer: .he, rng: &rng)
  var sgd = MiniBatchSGD(gamma: 0.1, batchSize: 64)
  let history = try net.train(
    on: data, loss: .categoricalCrossEntropy, optimizer: &sgd, options: .init(epochs: epochs, seed: 6))
  print(
    String(
      format: "accuracy %.4f loss %.6f epochs %d", history.epochs.last?.accuracy ?? .nan,
      history.finalLoss ?? .nan, epochs))
}

/// Maps `buffer`'s pages before they are written (`MADV_POPULATE_WRITE`): W6's 125 MB data set took
/// 30 000 page faults one after the other, about half of the ~75 ms the data cost the main thread
/// (bench/README.md, 37.); one call a part now, on the thread that fills the part. Only the timing
/// changes; a kernel without the advice (before Linux 5.14) faults as before.
func prefault(_ buffer: UnsafeMutableRawBufferPointer) {
  guard let base = buffer.baseAddress else { return }
  let page = 4096
  // Whole pages inside the buffer only (a page shared with a neighbour is left to fault).
  let first = (Int(bitPattern: base) + page - 1) / page
  let pages = (Int(bitPattern: base) + buffer.count) / page - first
  let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE (Linux 5.14), not in the Glibc module
  if pages > 0 { _ = madvise(UnsafeMutableRawPointer(bitPattern: first * page), pages * page, populateWrite) }
}

// MARK: - Product throughput

/// `handout-bench flops`: W6's forward product (64×784 · 784×256) repeated for about two seconds on
/// the current thread count and instruction set (`NEURAL_THREADS`, `NEURAL_ISA`), as GFLOP/s (a
/// multiply and an add are two FLOPs): what the product kernel reaches, for the bench's notes.
func flops() {
  var rng = SeededRandom(seed: 1)
  let a = Matrix(rows: 64, cols: 784, (0..<(64 * 784)).map { _ in rng.uniform(-1, 1) })
  let b = Matrix(rows: 784, cols: 256, (0..<(784 * 256)).map { _ in rng.uniform(-1, 1) })
  var checksum = 0.0
  var products = 0
  let start = Date()
  let cpuStart = clock()
  while Date().timeIntervalSince(start) < 2 {
    checksum += (a * b).storage[products % (64 * 256)]
    products += 1
  }
  let seconds = Date().timeIntervalSince(start)
  let cpuSeconds = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
  let flop = 2.0 * 64 * 784 * 256 * Double(products)
  // Per CPU second too: on a shared machine the wall clock also counts time other processes had.
  print(
    String(
      format: "%.2f GFLOP/s (%.2f per CPU second) on %@, %d thread(s), %d products (checksum %.6g)",
      flop / seconds / 1e9, flop / cpuSeconds / 1e9, ProductISA.forProduct(n: 256, k: 784).description,
      Parallel.threads,
      products, checksum))
}

// MARK: - Main

let arguments = Array(CommandLine.arguments.dropFirst())
do {
  switch arguments.first {
  case "w1": w1()
  case "w2": w2()
  case "w3": try w3(arguments)
  case "w4": try w4(arguments)
  case "w6": try w6(arguments)
  case "flops": flops()
  default:
    fail(
      "usage: handout-bench w1 | w2 | w3 [--epochs N] [--save FILE] | w4 WEIGHTS OUT.png | w6 [--epochs N] | flops"
    )
  }
} catch {
  fail("handout-bench: \(error)")
}
// `NEURAL_POOL_STATS=1`: what the worker pool did (on stderr; "never created" when no loop reached
// the split size, so a second thread cost nothing). `getenv`, not `ProcessInfo`'s environment: that
// builds a dictionary of the whole environment, ~0.2 ms of W1's ~7 ms process (bench/README.md 56.).
if let value = getenv("NEURAL_POOL_STATS"), String(cString: value) == "1" {
  let stats = Parallel.poolStatistics.map(\.description) ?? "never created"
  FileHandle.standardError.write(Data("worker pool (\(Parallel.threads) threads): \(stats)\n".utf8))
}
