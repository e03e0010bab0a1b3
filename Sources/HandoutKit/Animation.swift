// `Animation`: figures drawn at chosen moments of a computation (the decision boundary as a
// network trains), shown as one figure that steps through them.
import Foundation
import HandoutProtocol

/// A sequence of figures drawn at chosen moments, e.g. a decision boundary after 0, 10, 40, …
/// epochs, shown by `show(animation:caption:alt:name:label:file:line:column:)` as one figure: on the page
/// with a slider and a play button, in the deck stepped by the arrow keys, in print as a grid of
/// up to six frames. Every frame is a real file (SVG for the page and for the slide), drawn as
/// `show` draws a figure, so the same run gives the same bytes.
///
/// ```swift
/// let animation = Animation()
/// for epochs in [0, 10, 50, 200] {
///   if epochs > 0 { try net.train(on: data, loss: .binaryCrossEntropy, optimizer: &opt, options: .init(epochs: epochs - done)) }
///   animation.append(decisionBoundary(net, data: data), label: "epoch \(epochs)")
/// }
/// show(animation: animation, caption: "The boundary forming.")
/// ```
///
/// Frames should share one size, domain and colour scale, so that only what changes moves.
public final class Animation: @unchecked Sendable {
  private let lock = NSLock()
  private var storedFrames: [(figure: Figure, label: String)] = []

  /// An animation with no frames yet.
  public init() {}

  /// Adds `figure` as the next frame, titled `label` under the slider (`epoch 40`).
  public func append(_ figure: Figure, label: String) {
    lock.withLock { storedFrames.append((figure, label)) }
  }

  /// The frames in order.
  public var frames: [Figure] { lock.withLock { storedFrames.map(\.figure) } }
  /// Each frame's label, in order.
  public var labels: [String] { lock.withLock { storedFrames.map(\.label) } }
  /// How many frames it has.
  public var count: Int { lock.withLock { storedFrames.count } }
}

extension Animation {
  /// Trains `network` on `data` for `epochs.max()` epochs and appends a frame drawn by `frame`
  /// after each epoch count in `epochs` (0: before training), labelled `epoch <n>`.
  ///
  /// It trains in pieces between the frames, `train(on:loss:optimizer:options:)` with
  /// `options.epochs` set to each piece's length (the optimiser keeps its state across them), so
  /// use it with full-batch optimisers or a fixed `seed`; a schedule would restart in each piece.
  /// - Returns: the history of all pieces, one record per epoch.
  @discardableResult
  public func record(
    training network: inout Sequential, on data: Dataset, loss: some Loss, optimizer: inout some Optimizer,
    epochs: [Int], options: TrainingOptions = .init(epochs: 0),
    frame: (Sequential, Int) throws -> Figure
  ) throws -> History {
    var history = History()
    var done = 0
    for target in epochs.sorted() where target >= done {
      if target > done {
        var piece = options
        piece.epochs = target - done
        let h = try network.train(on: data, loss: loss, optimizer: &optimizer, options: piece)
        history.epochs += h.epochs.map { record in
          var record = record
          record.epoch += done
          return record
        }
        done = target
      }
      append(try frame(network, target), label: "epoch \(target)")
    }
    return history
  }
}

/// Places `animation` under the current block as one figure that steps through its frames.
///
/// Under `handout` frame k is written as `<notebook>/<base>-<n>.f<k>.svg` for the page and
/// `.f<k>.slide.svg` for the deck (`FigureSize.page(for:)`, `slide(for:)`), and the last frame
/// also as `<base>-<n>.png` and `.pdf`: with the last frame's SVGs these are the poster, which
/// stands for the animation where nothing moves. Run by hand, a line naming
/// it is printed. The parameters are `show(figure)`'s.
/// - Precondition: at least one frame.
public func show(
  animation: Animation, caption: String? = nil, alt: String? = nil, name: String? = nil,
  label: String? = nil, file: String = #filePath, line: Int = #line, column: Int = #column
) {
  _Handout.showAnimation(
    animation, caption: caption, alt: alt, name: name, label: label,
    at: (file: file, line: line, column: column))
}

extension _Handout {
  static func showAnimation(
    _ animation: Animation, caption: String?, alt: String?, name: String?, label: String?,
    at place: (file: String, line: Int, column: Int)
  ) {
    let frames = animation.frames
    precondition(!frames.isEmpty, "show(animation): the animation has no frames")
    showMedia(
      frames[frames.count - 1], frames: frames, frameLabels: animation.labels, kind: "animation",
      caption: caption, alt: alt, name: name, label: label, at: place)
  }
}
