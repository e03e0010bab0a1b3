import Foundation

/// What happened in one epoch of training.
public struct EpochRecord: Sendable, Equatable {
  /// 1-based.
  public var epoch: Int
  /// Training loss. Full batch: the loss of the forward pass made before this epoch's update (as
  /// the lecture's `E[epochs]`). Mini-batches: the batch losses averaged, weighted by batch size.
  public var loss: Double
  /// Loss on the validation samples after this epoch's updates, if there are any.
  public var validationLoss: Double?
  /// Share of training samples classified correctly (classification losses only).
  public var accuracy: Double?
  /// Share of validation samples classified correctly (classification losses with a validation split only).
  public var validationAccuracy: Double?
  /// `‖∂L/∂W⁽ˡ⁾‖` per layer, averaged over the epoch's steps: vanishing gradients show here.
  public var gradientNorms: [Double]
  /// The step size of this epoch, when a ``LearningRateSchedule`` set it (nil without a schedule).
  public var learningRate: Double?

  /// A record of epoch `epoch` (1-based).
  /// - Parameters:
  ///   - epoch: the epoch, 1-based.
  ///   - loss: the training loss.
  ///   - validationLoss: the validation loss, if any.
  ///   - accuracy: the training accuracy, for classification.
  ///   - validationAccuracy: the validation accuracy, for classification with a validation split.
  ///   - gradientNorms: `‖∂L/∂W⁽ˡ⁾‖` per layer, averaged over the epoch's steps.
  ///   - learningRate: the scheduled step size of the epoch, if a schedule set it.
  public init(
    epoch: Int, loss: Double, validationLoss: Double? = nil, accuracy: Double? = nil,
    validationAccuracy: Double? = nil, gradientNorms: [Double] = [], learningRate: Double? = nil
  ) {
    self.epoch = epoch
    self.loss = loss
    self.validationLoss = validationLoss
    self.accuracy = accuracy
    self.validationAccuracy = validationAccuracy
    self.gradientNorms = gradientNorms
    self.learningRate = learningRate
  }
}

/// The record of a training run.
public struct History: Sendable, Equatable {
  /// One record per epoch trained, in order.
  public var epochs: [EpochRecord] = []
  /// The epoch whose weights the network holds after early stopping (1-based), if it stopped early.
  public var bestEpoch: Int?
  /// Whether early stopping (`TrainingOptions.patience`) or a step callback
  /// (`TrainingOptions.onStep`) ended the run before its last epoch.
  public var stoppedEarly = false

  /// An empty history.
  public init() {}

  /// The history of a loop written by hand (the lectures' `E[epochs]`): one epoch per loss,
  /// with validation losses when given (same count).
  public init(losses: [Double], validationLosses: [Double]? = nil) {
    precondition(
      validationLosses == nil || validationLosses?.count == losses.count,
      "History: \(losses.count) losses but \(validationLosses?.count ?? 0) validation losses")
    epochs = losses.enumerated().map { i, loss in
      EpochRecord(epoch: i + 1, loss: loss, validationLoss: validationLosses?[i])
    }
  }

  /// The training loss of each epoch.
  public var losses: [Double] { epochs.map(\.loss) }
  /// The validation loss of each epoch (nil without a validation split).
  public var validationLosses: [Double?] { epochs.map(\.validationLoss) }
  /// The training accuracy of each epoch (nil for regression losses).
  public var accuracies: [Double?] { epochs.map(\.accuracy) }
  /// The last epoch's training loss; nil when no epoch ran.
  public var finalLoss: Double? { epochs.last?.loss }
}

/// Why training stopped with an error instead of a trained network.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// The loss became NaN or infinite.
  case diverged(epoch: Int, loss: Double, learningRate: Double)
  /// The data does not fit the network.
  case shapeMismatch(String)
  /// The training data has no samples.
  case emptyDataset
  /// A class label outside `0..<classes`.
  case labelOutOfRange(sample: Int, label: Double, classes: Int)

  /// The message a person reads: the epoch and a smaller learning rate to try when training diverged.
  public var description: String {
    switch self {
    case .diverged(let epoch, let loss, let lr):
      return "training diverged at epoch \(epoch): the loss became \(loss.isNaN ? "NaN" : "infinite") "
        + "with learning rate \(formatShort(lr)); try a smaller learning rate such as \(formatShort(lr / 10))"
    case .shapeMismatch(let s): return s
    case .emptyDataset: return "the training data has no samples"
    case .labelOutOfRange(let i, let label, let k):
      return
        "sample \(i + 1) has label \(formatShort(label)), but the network has \(k) classes (labels 0…\(k - 1))"
    }
  }
}

/// Where training reports its progress while it runs, for a person waiting on a long run.
///
/// Neural prints nothing itself; a host sets `handler` (the notebook runtime shows it on the
/// `handout` status line). Called after each epoch from the training thread; nil by default.
public enum TrainingProgress {
  /// Called with the epoch (1-based), the number of epochs, and the epoch's training loss.
  public typealias Handler = @Sendable (_ epoch: Int, _ epochs: Int, _ loss: Double) -> Void
  private static let lock = NSLock()
  nonisolated(unsafe) private static var current: Handler?

  /// The current handler; nil (the default) reports nothing. Safe to set from any thread.
  public static var handler: Handler? {
    get { lock.withLock { current } }
    set { lock.withLock { current = newValue } }
  }
}

/// One optimisation step, as `TrainingOptions.onStep` sees it.
public struct TrainingStep: Sendable, Equatable {
  /// The epoch the step belongs to, 1-based.
  public var epoch: Int
  /// The step, 1-based, counted over the whole run (one step per batch).
  public var step: Int
  /// The batch's loss, from the forward pass before this step's update.
  public var loss: Double
  /// The step size `γ` the step used.
  public var learningRate: Double

  /// Step `step` (1-based, over the run) of epoch `epoch`, its batch loss and step size.
  /// - Parameters:
  ///   - epoch: the epoch, 1-based.
  ///   - step: the step, 1-based, counted over the whole run.
  ///   - loss: the batch's loss before the update.
  ///   - learningRate: the step size used.
  public init(epoch: Int, step: Int, loss: Double, learningRate: Double) {
    self.epoch = epoch
    self.step = step
    self.loss = loss
    self.learningRate = learningRate
  }
}

/// How to train.
public struct TrainingOptions: Sendable {
  /// The number of passes over the training samples (the most, with `patience`).
  public var epochs: Int
  /// Share of the samples held out (the last ones after a seeded shuffle) to measure validation loss.
  public var validationSplit: Double
  /// Stop when the monitored loss (validation if any, else training) has not improved for this many
  /// epochs, and restore the best weights.
  public var patience: Int?
  /// Seed for the validation split and the batch order.
  public var seed: UInt64
  /// Called after each epoch (progress reports); return false to stop.
  public var onEpoch: (@Sendable (EpochRecord) -> Bool)?
  /// The step size of each epoch; nil keeps the optimiser's own rate throughout.
  public var schedule: LearningRateSchedule?
  /// Called after each step's update; return false to stop there (the epoch so far is recorded,
  /// its loss and accuracy over the samples it visited, and `History.stoppedEarly` is set).
  public var onStep: (@Sendable (TrainingStep) -> Bool)?

  /// Options for `epochs` epochs; by default no validation split, no early stopping, seed 1, the
  /// optimiser's own step size throughout.
  /// - Parameters:
  ///   - epochs: the number of passes over the training samples.
  ///   - validationSplit: share of the samples held out for the validation loss.
  ///   - patience: stop after this many epochs without improvement and restore the best weights.
  ///   - seed: seed for the validation split, the batch order and dropout masks.
  ///   - schedule: the step size of each epoch; nil for the optimiser's own.
  ///   - onEpoch: called after each epoch; return false to stop.
  ///   - onStep: called after each step; return false to stop.
  public init(
    epochs: Int, validationSplit: Double = 0, patience: Int? = nil, seed: UInt64 = 1,
    schedule: LearningRateSchedule? = nil, onEpoch: (@Sendable (EpochRecord) -> Bool)? = nil,
    onStep: (@Sendable (TrainingStep) -> Bool)? = nil
  ) {
    self.epochs = epochs
    self.validationSplit = validationSplit
    self.patience = patience
    self.seed = seed
    self.schedule = schedule
    self.onEpoch = onEpoch
    self.onStep = onStep
  }
}

extension Sequential {
  /// Trains on `data` with `loss` and `optimizer`; returns the per-epoch history.
  ///
  /// Each epoch visits every training sample once, in batches of `optimizer.batchSize` (shuffled
  /// with `options.seed`; full batch keeps the data's order). With `options.schedule` each epoch's
  /// step size is set on the optimiser first, and the optimiser's own is given back at the end.
  /// Throws `TrainingError` for data that does not fit the network and when the loss becomes NaN
  /// or infinite.
  ///
  /// The loop is the lecture's: for each batch, forward, loss, backward, step, record. The
  /// bookkeeping around it (validation split, batches, schedule, early stopping, callbacks) is
  /// `TrainingRun`'s, in Training+Run.swift.
  ///
  /// A notebook calls this from code compiled without optimisation, so it would run generic: the
  /// loss, the optimiser and the types built on them looked up at run time on every step (notebook
  /// 02's small trainings took a fifth longer). Each pair of the losses and optimisers Neural ships
  /// is therefore compiled specialised here, and the generic entry jumps to it (a check of the two
  /// types); a loss or optimiser of the notebook's own runs generic, as before.
  @_specialize(where L == MeanSquaredError, O == GradientDescent)
  @_specialize(where L == MeanSquaredError, O == Momentum)
  @_specialize(where L == MeanSquaredError, O == RMSProp)
  @_specialize(where L == MeanSquaredError, O == Adam)
  @_specialize(where L == HalfMeanSquaredError, O == GradientDescent)
  @_specialize(where L == HalfMeanSquaredError, O == Momentum)
  @_specialize(where L == HalfMeanSquaredError, O == RMSProp)
  @_specialize(where L == HalfMeanSquaredError, O == Adam)
  @_specialize(where L == MeanAbsoluteError, O == GradientDescent)
  @_specialize(where L == MeanAbsoluteError, O == Momentum)
  @_specialize(where L == MeanAbsoluteError, O == RMSProp)
  @_specialize(where L == MeanAbsoluteError, O == Adam)
  @_specialize(where L == BinaryCrossEntropy, O == GradientDescent)
  @_specialize(where L == BinaryCrossEntropy, O == Momentum)
  @_specialize(where L == BinaryCrossEntropy, O == RMSProp)
  @_specialize(where L == BinaryCrossEntropy, O == Adam)
  @_specialize(where L == CategoricalCrossEntropy, O == GradientDescent)
  @_specialize(where L == CategoricalCrossEntropy, O == Momentum)
  @_specialize(where L == CategoricalCrossEntropy, O == RMSProp)
  @_specialize(where L == CategoricalCrossEntropy, O == Adam)
  @_specialize(where L == HingeLoss, O == GradientDescent)
  @_specialize(where L == HingeLoss, O == Momentum)
  @_specialize(where L == HingeLoss, O == RMSProp)
  @_specialize(where L == HingeLoss, O == Adam)
  @discardableResult
  public mutating func train<L: Loss, O: Optimizer>(
    on data: Dataset, loss: L, optimizer: inout O, options: TrainingOptions
  ) throws -> History {
    try validate(data, loss: loss)
    var run = try TrainingRun(data, options: options, batchSize: optimizer.batchSize, network: self)
    let ownRate = optimizer.learningRate
    defer { if options.schedule != nil { optimizer.learningRate = ownRate } }
    var history = History()
    for epoch in run.epochs {
      run.schedule(epoch: epoch, &optimizer)
      var tally = EpochTally(layers: layers.count, loss: loss)
      var stoppedByStep = false
      let batches = run.batches()
      var fetched: (X: Matrix, Y: Matrix)?
      for (b, batch) in batches.enumerated() {
        let (X, Y) = fetched ?? run.samples(batch)
        // Forward, loss and backward: `ŷ`, `L(ŷ, Y)` and every layer's `∂L/∂W`, `∂L/∂b` (and the
        // next batch's samples copied beside them, on another core: see `TrainingRun.fetching`).
        let masks = run.dropoutMasks(self, rows: X.rows)
        var result: (loss: Double, gradients: [(dW: Matrix, db: Matrix)], output: Matrix)?
        fetched = run.fetching(b + 1 < batches.count ? batches[b + 1] : nil) {
          result = lossAndGradients(X, Y, loss, masks: masks)
        }
        guard let (batchLoss, gradients, output) = result else { preconditionFailure("train: no step ran") }
        guard batchLoss.isFinite else {
          throw TrainingError.diverged(epoch: epoch, loss: batchLoss, learningRate: optimizer.learningRate)
        }
        // Step: `W ← W − γ ∂L/∂W` (or the optimiser's rule), and the gradients' norms for the record
        // (large ones beside the step, on another core: see `EpochTally.norms`).
        let norms = EpochTally<L>.norms(gradients) { optimizer.step(&self, gradients) }
        // Record.
        tally.add(loss: batchLoss, output: output, Y, norms: norms)
        stoppedByStep = !run.stepFinished(epoch: epoch, loss: batchLoss, learningRate: optimizer.learningRate)
        if stoppedByStep { break }
      }
      let record = validated(
        tally.record(epoch: epoch, learningRate: options.schedule == nil ? nil : optimizer.learningRate),
        on: run.validation, loss: loss)
      history.epochs.append(record)
      let goOn = try run.epochFinished(
        record, network: self, stoppedByStep: stoppedByStep, learningRate: optimizer.learningRate,
        history: &history)
      if !goOn { break }
    }
    run.restoreBest(&self, history: &history)
    return history
  }

  /// Checks that `data` fits this network and `loss`, with messages a person understands.
  func validate(_ data: Dataset, loss: some Loss) throws {
    guard data.count > 0 else { throw TrainingError.emptyDataset }
    guard data.X.cols == inputs else {
      throw TrainingError.shapeMismatch(
        "the data has \(data.X.cols) input column\(data.X.cols == 1 ? "" : "s") but the network's first layer "
          + "expects \(inputs) (\(layers.first.map(\.description) ?? "no layers"))")
    }
    guard data.Y.cols == outputs else {
      throw TrainingError.shapeMismatch(
        "the targets have \(data.Y.cols) column\(data.Y.cols == 1 ? "" : "s") but the network has \(outputs) "
          + "output\(outputs == 1 ? "" : "s")"
          + (outputs > 1 && data.Y.cols == 1 ? "; one-hot encode the labels (Dataset.oneHot)" : ""))
    }
    if loss.isClassification {
      // A score loss reads −1 as the negative class as well as 0.
      let negative: Double = loss.decision == .score ? -1 : 0
      for (i, y) in data.Y.storage.enumerated() where !(y == 0 || y == 1 || y == negative) {
        throw TrainingError.labelOutOfRange(sample: i / data.Y.cols, label: y, classes: max(outputs, 2))
      }
    }
  }
}

extension History: CustomStringConvertible {
  /// One line, whatever the number of epochs (a bare `history` as a block's last line used to print
  /// every epoch: a 393 KB page for 2000): the epochs, the final loss, the best validation loss and
  /// its epoch, and whether training stopped early. Numbers have 4 significant digits.
  public var description: String {
    guard let last = epochs.last else { return "History: no epochs" }
    var text =
      "History: \(epochs.count) epoch\(epochs.count == 1 ? "" : "s"), final loss \(formatShort(last.loss))"
    let validated = epochs.compactMap { e in e.validationLoss.map { (epoch: e.epoch, loss: $0) } }
    if let best = validated.min(by: { $0.loss < $1.loss }) {
      text += ", best validation loss \(formatShort(best.loss)) (epoch \(best.epoch))"
    }
    if let accuracy = last.accuracy { text += ", final accuracy \(formatShort(accuracy))" }
    if stoppedEarly { text += ", stopped early" + (bestEpoch.map { " (weights of epoch \($0))" } ?? "") }
    return text
  }
}
