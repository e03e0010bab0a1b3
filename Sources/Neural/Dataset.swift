import Foundation

/// Samples and their targets: `X` is `n × q` (one sample a row), `Y` is `n × k`.
///
/// Classification targets are one column of 0/1 for two classes and one-hot rows for more;
/// `labels` then holds each sample's class number. Every generator takes its random numbers
/// from a `RandomSource`, so a seed fixes the data.
public struct Dataset: Sendable, Equatable {
  /// The inputs, `n × q`: one sample a row.
  public var X: Matrix
  /// The targets, `n × k`: one 0/1 column for two classes, one-hot rows for more, values for regression.
  public var Y: Matrix
  /// Class of each sample (`0..<classes`), for classification data.
  public var labels: [Int]?
  /// Number of classes, for classification data.
  public var classes: Int?

  /// A dataset from inputs and targets, as given.
  /// - Precondition: as many target rows as input rows.
  public init(X: Matrix, Y: Matrix, labels: [Int]? = nil, classes: Int? = nil) {
    precondition(X.rows == Y.rows, "Dataset: \(X.rows) samples but \(Y.rows) targets")
    self.X = X
    self.Y = Y
    self.labels = labels
    self.classes = classes
  }

  /// A classification dataset from inputs and class numbers: 2 classes give one 0/1 column,
  /// more give one-hot rows.
  public init(X: Matrix, labels: [Int], classes: Int? = nil) {
    let k = classes ?? ((labels.max() ?? 0) + 1)
    precondition(labels.allSatisfy { (0..<max(k, 2)).contains($0) }, "Dataset: label outside 0..<\(k)")
    let Y = k <= 2 ? Matrix(column: labels.map(Double.init)) : Dataset.oneHot(labels, classes: k)
    self.init(X: X, Y: Y, labels: labels, classes: max(k, 2))
  }

  /// The number of samples `n`.
  public var count: Int { X.rows }

  /// `n × k` rows with a 1 in column `labels[i]`.
  public static func oneHot(_ labels: [Int], classes k: Int) -> Matrix {
    var Y = Matrix(rows: labels.count, cols: k)
    for (i, c) in labels.enumerated() { Y[i, c] = 1 }
    return Y
  }

  /// The samples at `indices`.
  public func subset(_ indices: [Int]) -> Dataset {
    Dataset(
      X: X.rows(indices), Y: Y.rows(indices), labels: labels.map { l in indices.map { l[$0] } },
      classes: classes)
  }

  /// A seeded random split: `testFraction` of the samples (rounded) go to `test`, the rest to `train`.
  public func split(testFraction: Double, rng: inout some RandomSource) -> (train: Dataset, test: Dataset) {
    precondition((0...1).contains(testFraction), "Dataset.split: testFraction must be in 0…1")
    var order = Array(0..<count)
    rng.shuffle(&order)
    let nTest = Int((Double(count) * testFraction).rounded())
    return (subset(Array(order[nTest...]).sorted()), subset(Array(order[..<nTest]).sorted()))
  }

  /// How many rows of a network's output `Ŷ` pick the class of `Y`.
  ///
  /// One column: with `.probability` (the default) class 1 is `ŷ ≥ 0.5` and a target `y ≥ 0.5`;
  /// with `.score` class 1 is `s ≥ 0` and a target `y > 0` (labels ±1 or 0/1). Several columns:
  /// the largest entry, whatever the decision.
  /// - Parameters:
  ///   - Yhat: the network's output, one row a sample.
  ///   - Y: the targets, same shape.
  ///   - decision: how one output column is read: a probability or a raw score.
  public static func correctCount(_ Yhat: Matrix, _ Y: Matrix, decision: Decision = .probability) -> Int {
    if Y.cols == 1 {
      switch decision {
      case .probability:
        return zip(Yhat.storage, Y.storage).reduce(0) { $0 + (($1.0 >= 0.5) == ($1.1 >= 0.5) ? 1 : 0) }
      case .score:
        return zip(Yhat.storage, Y.storage).reduce(0) { $0 + (($1.0 >= 0) == ($1.1 > 0) ? 1 : 0) }
      }
    }
    return zip(Yhat.argmaxPerRow, Y.argmaxPerRow).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
  }

  /// Share of samples a network classifies correctly.
  /// - Parameters:
  ///   - network: the classifier.
  ///   - decision: `.probability` (the default) for a sigmoid or softmax output, `.score` for a raw
  ///     score decided at 0 (an identity output trained with ``HingeLoss``).
  public func accuracy(of network: Sequential, decision: Decision = .probability) -> Double {
    Double(Dataset.correctCount(network.predict(X), Y, decision: decision)) / Double(max(count, 1))
  }
}

/// How a classifier's single output column is read as a class.
public enum Decision: Sendable, Equatable {
  /// A probability `P(class 1)` (sigmoid output): class 1 when `ŷ ≥ 0.5`.
  case probability
  /// A raw score `s` (identity output, trained with ``HingeLoss``): class 1 when `s ≥ 0`; labels
  /// may be ±1 or 0/1.
  case score
}

// MARK: - Tables

extension Dataset {
  /// An explicit table: input rows and one target per row (the lecture's `data.frame(x1, x2, d)`).
  public static func table(_ inputs: [[Double]], targets: [Double]) -> Dataset {
    precondition(
      inputs.count == targets.count, "Dataset.table: \(inputs.count) rows, \(targets.count) targets")
    let isBinary = targets.allSatisfy { $0 == 0 || $0 == 1 }
    return Dataset(
      X: Matrix(inputs), Y: Matrix(column: targets), labels: isBinary ? targets.map { Int($0) } : nil,
      classes: isBinary ? 2 : nil)
  }

  /// The truth table of a two-input boolean function: rows (0,0), (0,1), (1,0), (1,1).
  public static func truthTable(_ f: (Bool, Bool) -> Bool) -> Dataset {
    let rows: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    return table(rows, targets: rows.map { f($0[0] == 1, $0[1] == 1) ? 1 : 0 })
  }

  /// `x₁ ∧ x₂`.
  public static var and: Dataset { truthTable { $0 && $1 } }
  /// `x₁ ∨ x₂`.
  public static var or: Dataset { truthTable { $0 || $1 } }
  /// `x₁ ⊕ x₂`: not linearly separable, so no single neuron learns it.
  public static var xor: Dataset { truthTable { $0 != $1 } }
}

// MARK: - Generators

extension Dataset {
  /// `yᵢ = intercept + slope·xᵢ + noise·εᵢ` with `xᵢ, εᵢ ~ N(0, 1)`: all `x` drawn first, then all `ε`.
  ///
  /// With `RRandom(seed: 123)`, `linear(n: 100, intercept: 3, slope: 2, noise: 1)` is the lecture's
  /// `set.seed(123); x <- rnorm(100); y <- 3 + 2 * x + rnorm(100)` bit for bit.
  public static func linear(
    n: Int, intercept: Double, slope: Double, noise: Double, rng: inout some RandomSource
  ) -> Dataset {
    let x = (0..<n).map { _ in rng.normal() }
    let e = (0..<n).map { _ in rng.normal() }
    let y = (0..<n).map { intercept + slope * x[$0] + noise * e[$0] }
    return Dataset(X: Matrix(column: x), Y: Matrix(column: y))
  }

  /// scikit-learn's two moons: `n/2` points on the upper half circle `(cos θ, sin θ)` (class 0) and
  /// the rest on `(1 − cos θ, 1 − sin θ − ½)` (class 1), `θ` evenly spaced on [0, π], plus
  /// `N(0, noise²)` on each coordinate.
  public static func moons(n: Int, noise: Double = 0.1, rng: inout some RandomSource) -> Dataset {
    let nOuter = n / 2
    let nInner = n - nOuter
    var rows: [[Double]] = []
    var labels: [Int] = []
    for i in 0..<nOuter {
      let t = Double.pi * Double(i) / Double(max(nOuter - 1, 1))
      rows.append([portableCos(t), portableSin(t)])
      labels.append(0)
    }
    for i in 0..<nInner {
      let t = Double.pi * Double(i) / Double(max(nInner - 1, 1))
      rows.append([1 - portableCos(t), 1 - portableSin(t) - 0.5])
      labels.append(1)
    }
    for i in rows.indices { for j in 0..<2 { rows[i][j] += noise * rng.normal() } }
    return Dataset(X: Matrix(rows), labels: labels, classes: 2)
  }

  /// scikit-learn's concentric circles: `n/2` points on the unit circle (class 0), the rest on a
  /// circle of radius `factor` (class 1), angles evenly spaced, plus `N(0, noise²)` per coordinate.
  public static func circles(n: Int, factor: Double = 0.5, noise: Double = 0.05, rng: inout some RandomSource)
    -> Dataset
  {
    let nOuter = n / 2
    let nInner = n - nOuter
    var rows: [[Double]] = []
    var labels: [Int] = []
    for (count, r, label) in [(nOuter, 1.0, 0), (nInner, factor, 1)] {
      for i in 0..<count {
        let t = 2 * Double.pi * Double(i) / Double(count)
        rows.append([r * portableCos(t), r * portableSin(t)])
        labels.append(label)
      }
    }
    for i in rows.indices { for j in 0..<2 { rows[i][j] += noise * rng.normal() } }
    return Dataset(X: Matrix(rows), labels: labels, classes: 2)
  }

  /// Two interleaved spirals as TensorFlow Playground draws them: per class `m = n/2` points,
  /// `r = 5i/m`, `t = 1.75·2π·i/m + Δ` with `Δ = 0` (class 0) or `π` (class 1), point
  /// `(r sin t, r cos t)` plus `U(−1, 1)·noise` on each coordinate.
  public static func spirals(n: Int, noise: Double = 0, rng: inout some RandomSource) -> Dataset {
    let m = n / 2
    var rows: [[Double]] = []
    var labels: [Int] = []
    for (label, delta) in [(0, 0.0), (1, Double.pi)] {
      let count = label == 0 ? m : n - m
      for i in 0..<count {
        let r = 5 * Double(i) / Double(count)
        let t = 1.75 * 2 * Double.pi * Double(i) / Double(count) + delta
        rows.append([
          r * portableSin(t) + rng.uniform(-1, 1) * noise, r * portableCos(t) + rng.uniform(-1, 1) * noise,
        ])
        labels.append(label)
      }
    }
    return Dataset(X: Matrix(rows), labels: labels, classes: 2)
  }

  /// Gaussian blobs: `k` centres drawn from `U(−10, 10)²` (or given), `n` points spread evenly over
  /// them, each `N(centre, sd²·I)`. Two classes give one 0/1 target column, more give one-hot rows.
  public static func blobs(
    n: Int, centers k: Int = 3, sd: Double = 1, centerBox: Double = 10, rng: inout some RandomSource
  ) -> Dataset {
    let centres = (0..<k).map { _ in [rng.uniform(-centerBox, centerBox), rng.uniform(-centerBox, centerBox)]
    }
    return blobs(n: n, centers: centres, sd: sd, rng: &rng)
  }

  /// Gaussian blobs around the given centres.
  public static func blobs(n: Int, centers: [[Double]], sd: Double = 1, rng: inout some RandomSource)
    -> Dataset
  {
    let k = centers.count
    precondition(k >= 2, "Dataset.blobs: need at least two centres")
    var rows: [[Double]] = []
    var labels: [Int] = []
    for i in 0..<n {
      let c = i % k
      rows.append(centers[c].map { $0 + sd * rng.normal() })
      labels.append(c)
    }
    return Dataset(X: Matrix(rows), labels: labels, classes: k)
  }

  /// A noisy sine for the universal approximation theorem: `x` evenly spaced on [−π, π],
  /// `y = sin(x) + noise·ε`, `ε ~ N(0, 1)`.
  public static func noisySine(n: Int, noise: Double = 0.1, rng: inout some RandomSource) -> Dataset {
    let x = (0..<n).map { -Double.pi + 2 * Double.pi * Double($0) / Double(max(n - 1, 1)) }
    let y = x.map { portableSin($0) + noise * rng.normal() }
    return Dataset(X: Matrix(column: x), Y: Matrix(column: y))
  }
}

extension Dataset: CustomStringConvertible {
  /// The shape on one line, then the first `shownRows` samples (inputs, then targets or the class),
  /// then how many more there are: a bare `data` as a block's last line used to print every row.
  public var description: String {
    let shownRows = 5
    var head =
      "Dataset: \(count) sample\(count == 1 ? "" : "s"), \(X.cols) input\(X.cols == 1 ? "" : "s") → "
      + "\(Y.cols) target\(Y.cols == 1 ? "" : "s")"
    if let classes { head += " (\(classes) classes)" }
    var lines = [head]
    for i in 0..<min(count, shownRows) {
      let x = X.row(i).map(formatShort).joined(separator: " ")
      let y = labels.map { "class \($0[i])" } ?? Y.row(i).map(formatShort).joined(separator: " ")
      lines.append("  \(x)  →  \(y)")
    }
    if count > shownRows { lines.append("  … \(count - shownRows) more") }
    return lines.joined(separator: "\n")
  }
}
