import Synchronization

/// The bookkeeping of one `Sequential.train` run, kept out of the loop so that the loop reads like
/// the lecture's: the validation split, the batches of each epoch, the step-size schedule, the
/// dropout masks' stream, the step and epoch callbacks, and early stopping with the best weights.
struct TrainingRun {
  /// The samples trained on, and those held out for the validation loss (nil without a split).
  let train: Dataset
  let validation: Dataset?
  let options: TrainingOptions
  /// Samples per step: the optimiser's batch size, at least 1 and at most every sample.
  let batchSize: Int
  /// The batch order (shuffled each epoch) and the validation split come from `rng`.
  private var rng: SeededRandom
  private var order: [Int]
  /// Every sample in one batch, made once: a small full-batch network trains 10 000 epochs.
  private let fullBatch: [Range<Int>]
  /// Dropout masks come from their own stream, so adding dropout leaves the batch order alone.
  private let dropout: Bool
  private var maskRNG: SeededRandom
  /// Steps taken over the whole run, for `TrainingStep.step`.
  private var stepCount = 0
  /// The lowest monitored loss so far, its epoch and the weights that gave it (with `patience`).
  private var best: (loss: Double, epoch: Int, network: Sequential)?
  /// Read once, so that a handler set during the run does not see half of it.
  private let progress = TrainingProgress.handler

  /// Splits off the validation samples (the last ones after a shuffle with `options.seed`).
  /// Throws `TrainingError.emptyDataset` when the split leaves nothing to train on.
  init(_ data: Dataset, options: TrainingOptions, batchSize: Int?, network: Sequential) throws {
    _ = AllocatorTuning.applied
    self.options = options
    rng = SeededRandom(seed: options.seed)
    var (train, validation) = (data, Dataset?.none)
    if options.validationSplit > 0 {
      let (t, v) = data.split(testFraction: options.validationSplit, rng: &rng)
      guard t.count > 0 else { throw TrainingError.emptyDataset }
      (train, validation) = (t, v.count > 0 ? v : nil)
    }
    (self.train, self.validation) = (train, validation)
    self.batchSize = min(max(batchSize ?? train.count, 1), train.count)
    order = Array(0..<train.count)
    fullBatch = [0..<train.count]
    dropout = network.layers.contains { $0.dropout != nil }
    maskRNG = SeededRandom(seed: options.seed ^ 0xD409_0D7E_5EED_0001)
  }

  /// `1…options.epochs`; empty for 0 epochs.
  var epochs: Range<Int> { 1..<max(options.epochs, 0) + 1 }

  /// Sets the epoch's step size on the optimiser when there is a schedule.
  func schedule(epoch: Int, _ optimizer: inout some Optimizer) {
    if let schedule = options.schedule {
      optimizer.learningRate = schedule.rate(epoch: epoch, of: options.epochs)
    }
  }

  /// The epoch's batches as ranges of the sample order, shuffled first unless it is one full batch.
  mutating func batches() -> [Range<Int>] {
    let n = train.count
    if batchSize >= n { return fullBatch }
    rng.shuffle(&order)
    return stride(from: 0, to: n, by: batchSize).map { $0..<min($0 + batchSize, n) }
  }

  /// The inputs and targets of `batch`: the training data itself for a full batch (no copy).
  func samples(_ batch: Range<Int>) -> (X: Matrix, Y: Matrix) {
    if batchSize == train.count { return (train.X, train.Y) }
    return (train.X.rows(order[batch]), train.Y.rows(order[batch]))
  }

  /// Runs `step` and, beside it on another core, copies the samples of `next` (nil: no copy, the
  /// loop copies its batch when it comes). W6's batch is 64 rows of a 125 MB data set (~35 µs of
  /// memory waits on one core); the worker is idle in the serial stretch after the step's first
  /// product (the 10-wide layer, softmax, the loss), so the copy is offered with that product and
  /// taken after the worker's half of it. The same rows, copied the same way: the same bits.
  /// Batches smaller than `fetchedBesideWork` doubles are copied at the loop's top as before (their
  /// copy never touches the pool).
  func fetching(_ next: Range<Int>?, beside step: () -> Void) -> (X: Matrix, Y: Matrix)? {
    guard let next, next.count * train.X.cols >= Self.fetchedBesideWork, Parallel.threads > 1 else {
      step()
      return nil
    }
    Self.fetchedBeside.add(1, ordering: .relaxed)
    return Parallel.beside({ samples(next) }, withNextLoop: true, main: step)
  }

  /// The batch size (doubles of X) from which the next batch is copied beside the step: that of a
  /// batch whose copy `Matrix.rows` splits across two threads.
  static var fetchedBesideWork: Int { 1 << 15 }
  /// Batches copied beside a step so far (for tests).
  static let fetchedBeside = Atomic<Int>(0)

  /// Fresh dropout masks for a batch of `rows` samples; nil when no layer has dropout.
  mutating func dropoutMasks(_ network: Sequential, rows: Int) -> [Matrix?]? {
    dropout ? network.dropoutMasks(rows: rows, rng: &maskRNG) : nil
  }

  /// Counts the step and tells `options.onStep`; false when the callback stops the run.
  mutating func stepFinished(epoch: Int, loss: Double, learningRate: Double) -> Bool {
    stepCount += 1
    guard let onStep = options.onStep else { return true }
    return onStep(TrainingStep(epoch: epoch, step: stepCount, loss: loss, learningRate: learningRate))
  }

  /// After an epoch's record: divergence (throws), early stopping, progress, a step callback's stop
  /// and `options.onEpoch`, in that order; false when the run ends here.
  ///
  /// The loss recorded for an epoch belongs to the weights before its update for full-batch
  /// training but after it for validation; early stopping keeps the weights that produced the
  /// monitored number.
  mutating func epochFinished(
    _ record: EpochRecord, network: Sequential, stoppedByStep: Bool, learningRate: Double,
    history: inout History
  ) throws -> Bool {
    let monitored = record.validationLoss ?? record.loss
    if !monitored.isFinite {
      throw TrainingError.diverged(epoch: record.epoch, loss: monitored, learningRate: learningRate)
    }
    if let patience = options.patience {
      if let kept = best, !(monitored < kept.loss) {
        if record.epoch - kept.epoch >= patience {
          history.stoppedEarly = true
          return false
        }
      } else {
        best = (monitored, record.epoch, network)
      }
    }
    progress?(record.epoch, options.epochs, record.loss)
    if stoppedByStep {
      history.stoppedEarly = true
      return false
    }
    if let onEpoch = options.onEpoch, !onEpoch(record) { return false }
    return true
  }

  /// With early stopping, puts the best weights back into `network` and notes their epoch.
  func restoreBest(_ network: inout Sequential, history: inout History) {
    guard let best, options.patience != nil else { return }
    network = best.network
    history.bestEpoch = best.epoch
  }
}

/// What one epoch's steps add up to: the loss weighted by batch size, the correct
/// classifications, and each layer's gradient norm.
struct EpochTally<L: Loss> {
  private let loss: L
  private var lossSum = 0.0
  private var correct = 0
  private var norms: [Double]
  private var steps = 0
  /// Samples visited: all of them, unless a step callback stopped the epoch.
  private var samples = 0

  /// An empty tally for a network of `layers` layers trained with `loss`.
  init(layers: Int, loss: L) {
    self.loss = loss
    norms = [Double](repeating: 0, count: layers)
  }

  /// Adds a step: its batch loss, the batch's output `ŷ` against `Y`, and its gradients' norms
  /// `‖∂L/∂W⁽ˡ⁾‖`, one per layer.
  mutating func add(loss batchLoss: Double, output: Matrix, _ Y: Matrix, norms stepNorms: [Double]) {
    lossSum += batchLoss * Double(Y.rows)
    if loss.isClassification { correct += Dataset.correctCount(output, Y, decision: loss.decision) }
    for l in stepNorms.indices { norms[l] += stepNorms[l] }
    steps += 1
    samples += Y.rows
  }

  /// `‖∂L/∂W⁽ˡ⁾‖` of each layer, computed beside `step` on another core when they are large
  /// (`Parallel.beside`): each is a sequential sum over ∂L/∂W, which the step only reads, and
  /// W6's 784 × 256 one took ~30 µs of the main thread's every step. Small ones (W3's 304 weights)
  /// are summed after the step: handing them over would cost more, and W3's training never touches
  /// the worker pool.
  static func norms(_ gradients: [(dW: Matrix, db: Matrix)], beside step: () -> Void) -> [Double] {
    let weights = gradients.reduce(0) { $0 + $1.dW.count }
    guard weights >= besideWeights else {
      step()
      return gradients.map(\.dW.norm)
    }
    return Parallel.beside({ gradients.map(\.dW.norm) }, main: step)
  }

  /// The weights from which the norms are summed beside the step.
  static var besideWeights: Int { 1 << 16 }

  /// The epoch's record: mean loss and accuracy over the samples visited, mean gradient norms.
  func record(epoch: Int, learningRate: Double?) -> EpochRecord {
    EpochRecord(
      epoch: epoch, loss: lossSum / Double(samples),
      accuracy: loss.isClassification ? Double(correct) / Double(samples) : nil,
      gradientNorms: steps == 1 ? norms : norms.map { $0 / Double(steps) }, learningRate: learningRate)
  }
}

extension Sequential {
  /// `record` with the validation loss (and accuracy, for classification) of the network as it is.
  func validated(_ record: EpochRecord, on validation: Dataset?, loss: some Loss) -> EpochRecord {
    guard let validation else { return record }
    var record = record
    let out = predict(validation.X)
    record.validationLoss = loss.value(out, validation.Y)
    if loss.isClassification {
      record.validationAccuracy =
        Double(Dataset.correctCount(out, validation.Y, decision: loss.decision)) / Double(validation.count)
    }
    return record
  }
}
