// One figure drawn once for each medium: the page (SVG, PNG, PDF at the page's size and text)
// and the deck (SVG of the slide variant, `FigureSize.slide(for:)`), from the same `Figure`
// value in the same run.
import Foundation
import HandoutProtocol

extension _Handout {
  /// One file a figure is drawn into: its key in the event's `files`, the file name's ending after
  /// the stem, the format, and which of the figure's sizes it is drawn at.
  struct Variant: Sendable {
    var key: String
    var suffix: String
    var format: ImageFormat
    var size: Size = .page

    /// The sizes of `MediaSizes`.
    enum Size: Sendable { case page, slide, phone }

    var slide: Bool { size == .slide }

    static let svg = Variant(key: "svg", suffix: ".svg", format: .svg)
    static let png = Variant(key: "png", suffix: ".png", format: .png)
    static let pdf = Variant(key: "pdf", suffix: ".pdf", format: .pdf)
    static let slideSVG = Variant(key: "slide-svg", suffix: ".slide.svg", format: .svg, size: .slide)
    /// The page's figure for a narrow screen (`FigureSize.phone(for:)`), which the page serves in a
    /// `<picture>`; only a figure wider than `FigureSize.phoneWidest` has one.
    static let phoneSVG = Variant(key: "phone-svg", suffix: ".phone.svg", format: .svg, size: .phone)

    /// A still figure's files: the page's SVG, PNG (2×) and PDF, the slide's SVG, which the
    /// deck shows (a PNG of the slide variant was a fifth of the course's output and shown
    /// nowhere), and the phone's SVG (dropped by `showMedia` for a figure without one).
    static let still = [svg, png, pdf, slideSVG, phoneSVG]
    /// An animation's poster files besides its last frame's SVGs, which stand for it as they are.
    static let poster = [png, pdf]
    /// An animation frame's files: the page's SVG, the slide's SVG and the phone's SVG (dropped by
    /// `showMedia` for an animation without one).
    static let frame = [svg, slideSVG, phoneSVG]
  }

  /// Where a figure is shown, and so which of its files are drawn: a figure no deck shows (on the
  /// page only) has no slide variant, one no page shows (on the slides only) only its slide
  /// variant. The first of `still` and of `frame` is drawn before `show(…)` returns.
  enum Placement: Sendable {
    case both, page, slides

    /// A still figure's files.
    var still: [Variant] {
      switch self {
      case .both: Variant.still
      case .page: Variant.still.filter { !$0.slide }
      case .slides: [.slideSVG]
      }
    }
    /// An animation frame's files.
    var frame: [Variant] {
      switch self {
      case .both: Variant.frame
      case .page: [.svg, .phoneSVG]
      case .slides: [.slideSVG]
      }
    }
    /// An animation's poster files (the page's downloads: PNG and PDF).
    var poster: [Variant] { self == .slides ? [] : Variant.poster }
    /// Whether the figure has a slide variant.
    var hasSlide: Bool { self != .page }
  }

  /// A figure's sizes: for the page (and its PNG and PDF), for the slide, and for a phone (nil:
  /// the page's is narrow enough; an animation's frames share one, `frameSizes(_:)`).
  struct MediaSizes: Sendable {
    var page: FigureSize
    var slide: FigureSize
    var phone: FigureSize?

    init(_ figure: Figure, phone: Bool = true) {
      page = FigureSize.page(for: figure)
      slide = FigureSize.slide(for: figure)
      self.phone = phone ? FigureSize.phone(for: figure, page: page) : nil
    }

    /// Each frame's sizes, with one phone size for all of them: the frames stack in one box, which
    /// must not change its height from frame to frame. It is the widest and then tallest of the
    /// frames' own (a frame's colour bar or legend may need more height than another's); none when
    /// a frame has none (its page variant is narrow enough, or no phone width keeps its text apart).
    static func frameSizes(_ frames: [Figure]) -> [MediaSizes] {
      var sizes = frames.map { MediaSizes($0) }
      let phones = sizes.map(\.phone)
      let widest = phones.compactMap { $0 }.max { ($0.width, $0.height) < ($1.width, $1.height) }
      let phone = phones.contains { $0 == nil } ? nil : widest
      for i in sizes.indices { sizes[i].phone = phone }
      return sizes
    }

    func size(_ variant: Variant) -> FigureSize {
      switch variant.size {
      case .page: page
      case .slide: slide
      case .phone: phone ?? page
      }
    }
  }

  /// Draws each of `figures` as every one of `variants` into `folder`, as `<stem><suffix>`.
  ///
  /// The files are drawn side by side: the PNG's compression and the PDF's are most of a figure's
  /// time (zlib and libpng were 40% of a cold render's notebook run). Drawing only reads the
  /// figure (`Figure.data(_:scale:as:)` lays it out again for each size), each file has its own
  /// Cairo surface, and no one changes the figures meanwhile (the notebook waits here, or they are
  /// `Figure.copy()`s only `BackgroundFigures` holds). Plain writes, not `Figure.write`'s atomic,
  /// synced ones: the folder is the run's own scratch space, which `handout` moves into its cache
  /// whole.
  static func drawMedia(
    _ figures: [Figure], sizes: [MediaSizes], in folder: URL, stems: [String], variants: [Variant]
  ) throws {
    precondition(figures.count == stems.count && figures.count == sizes.count)
    guard !variants.isEmpty else { return }
    nonisolated(unsafe) let figures = figures
    let errors = ErrorList()
    let count = figures.count * variants.count
    DispatchQueue.concurrentPerform(iterations: count) { i in
      let (f, v) = (i / variants.count, variants[i % variants.count])
      do {
        let path = folder.appendingPathComponent(stems[f] + v.suffix).path
        let size = sizes[f].size(v)
        try writeFile(try figures[f].data(v.format, scale: 2, as: size), to: path)
      } catch {
        errors.append(i, error)
      }
    }
    if let (_, error) = errors.first { throw error }
  }

  /// Each stem's files by key, as `<prefix>/<stem><suffix>`.
  static func mediaFiles(prefix: String, stems: [String], variants: [Variant]) -> [[String: String]] {
    stems.map { stem in
      Dictionary(uniqueKeysWithValues: variants.map { ($0.key, "\(prefix)/\(stem)\($0.suffix)") })
    }
  }

  /// The files of a shown figure that `show(…)` draws after it has returned: the page's SVG is
  /// drawn before (what the page shows is there even if the program traps right after), its PNG,
  /// PDF and slide SVG — download links and the deck — on other threads while the notebook goes
  /// on, from a `Figure.copy()`. The program waits for them in `finish()` (and at `exit`), and a
  /// file that could not be written is an error at its `show(…)` then, so a run with one missing
  /// is never complete, never cached. A program that traps may leave the last figures' download
  /// files unwritten; its handout is a failing one, and the next render runs it again.
  static let background = BackgroundFigures()
}

/// Figure files being drawn while the notebook goes on (`_Handout.background`).
///
/// One file is one job. While the notebook runs, the jobs are drawn on at most one thread fewer
/// than the machine has cores (one on two cores): the notebook's own thread is the critical path
/// of a run, and a third busy thread on two cores took a third of a core from it whenever two
/// files were being drawn (the files' CPU time was spent all the same, the notebook's was
/// stretched). When the notebook ends (`finish()`, `exit`), its thread draws what is still queued
/// beside them.
final class BackgroundFigures: @unchecked Sendable {
  /// Where the files are drawn (tests suspend it to change a figure first).
  let queue = DispatchQueue(label: "handout.figures", attributes: .concurrent)
  private let group = DispatchGroup()
  private let lock = NSLock()
  /// Threads drawing jobs while the notebook runs.
  private let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
  private var draining = 0
  private var queued = 0
  private var pending: [Job] = []
  private var failures: [(order: Int, index: Int, failure: @Sendable () -> Void)] = []

  /// One file to draw: the `index`th job of the `order`th `draw` call.
  private struct Job {
    var order: Int
    var index: Int
    var draw: @Sendable () throws -> Void
    var failed: @Sendable (Error) -> Void
  }

  /// Runs each of `jobs` on another thread; when one throws, `failed` is called from
  /// `waitForAll()` with the error of its first job that threw, after the failures of the jobs
  /// queued before.
  func draw(_ jobs: [@Sendable () throws -> Void], failed: @escaping @Sendable (Error) -> Void) {
    let start = lock.withLock {
      queued += 1
      pending += jobs.enumerated().map { Job(order: queued, index: $0, draw: $1, failed: failed) }
      let idle = min(lanes - draining, jobs.count)
      draining += max(idle, 0)
      return max(idle, 0)
    }
    for _ in 0..<start { queue.async(group: group) { self.drain() } }
  }

  /// `draw(_:failed:)` of one job.
  func draw(_ draw: @escaping @Sendable () throws -> Void, failed: @escaping @Sendable (Error) -> Void) {
    self.draw([draw], failed: failed)
  }

  /// Draws queued jobs until none is left, then frees its lane.
  private func drain() {
    while let job = next(leaving: true) { run(job) }
  }

  /// The oldest queued job, or nil (and, for a lane, one lane fewer draining) when none is left.
  private func next(leaving lane: Bool) -> Job? {
    lock.withLock {
      guard !pending.isEmpty else {
        if lane { draining -= 1 }
        return nil
      }
      return pending.removeFirst()
    }
  }

  private func run(_ job: Job) {
    do {
      try job.draw()
    } catch {
      let failed = job.failed
      lock.withLock { failures.append((job.order, job.index, { failed(error) })) }
    }
  }

  /// Whether a job is queued or being drawn by a lane.
  var isBusy: Bool { lock.withLock { !pending.isEmpty || draining > 0 } }

  /// Runs `work` on a thread of its own, which ends with it; `waitForAll()` waits for it too.
  func onThread(_ work: @escaping @Sendable () -> Void) {
    group.enter()
    Thread { [group] in
      work()
      group.leave()
    }.start()
  }

  /// Draws what is still queued on the calling thread too, waits until every job is drawn, then
  /// reports the failures in the order their figures were shown (each figure once).
  func waitForAll() {
    while let job = next(leaving: false) { run(job) }
    group.wait()
    let reported = lock.withLock {
      defer { failures = [] }
      return failures.sorted { ($0.order, $0.index) < ($1.order, $1.index) }
    }
    var seen = Set<Int>()
    for (order, _, failure) in reported where seen.insert(order).inserted { failure() }
  }
}

/// Errors from the parallel figure writes, the first by format order.
final class ErrorList: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [(Int, Error)] = []
  func append(_ index: Int, _ error: Error) {
    lock.lock()
    errors.append((index, error))
    lock.unlock()
  }
  var first: (Int, Error)? {
    lock.lock()
    defer { lock.unlock() }
    return errors.min { $0.0 < $1.0 }
  }
}
