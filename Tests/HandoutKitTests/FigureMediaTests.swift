import Foundation
import HandoutProtocol
import XCTest

@testable import HandoutKit

/// `show(figure)` draws every figure for the page and for the slide, and `show(animation)` one
/// file per frame and medium, the same bytes every time.
final class FigureMediaTests: XCTestCase {
  /// Runs `body` with the runtime writing figures into a fresh folder as notebook `nb`, in block 4
  /// (on the page only with `pageOnly`, on the slides only with `slidesOnly`); returns the folder
  /// and the events.
  func showing(
    pageOnly: Bool = false, slidesOnly: Bool = false, _ body: () -> Void
  ) throws -> (folder: URL, events: [RuntimeEvent]) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("media-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: root) }
    _Handout.state.lock.withLock {
      _Handout.state.figures = root
      _Handout.state.notebook = "nb"
      _Handout.state.figureCounts = [:]
    }
    defer { _Handout.state.lock.withLock { _Handout.state.figures = nil } }
    _ = _Handout.takeRecordedEvents()
    _Handout.beginBlock(4, id: "demo", pageOnly: pageOnly, slidesOnly: slidesOnly)
    body()
    _Handout.endBlock(4)
    // As `finish()` does at the program's end: the download files are drawn after `show` returns.
    _Handout.background.waitForAll()
    return (root, _Handout.takeRecordedEvents())
  }

  static func figures(_ events: [RuntimeEvent]) -> [RuntimeEvent.Figure] {
    events.compactMap { if case .figure(let f) = $0 { f } else { nil } }
  }

  static func boundary(after epochs: Int) -> Figure {
    let figure = Figure(width: 640, height: 480)
    figure.axes.line(x: [0, 1, 2], y: [0, Double(epochs) / 10, 1], label: "epoch \(epochs)")
    figure.axes.xLabel = "x"
    return figure
  }

  func testAFigureIsDrawnForThePageAndForTheSlide() throws {
    let (folder, events) = try showing { show(Self.boundary(after: 1), caption: "c") }
    let figure = try XCTUnwrap(Self.figures(events).first)
    XCTAssertEqual(
      figure.files,
      [
        "svg": "nb/demo-1.svg", "png": "nb/demo-1.png", "pdf": "nb/demo-1.pdf",
        "slide-svg": "nb/demo-1.slide.svg", "phone-svg": "nb/demo-1.phone.svg",
      ])
    XCTAssertEqual(figure.slideWidth, 889)
    XCTAssertEqual(figure.slideHeight, 500)
    // And for a phone's column: 360 px wide, its text at the page's 10 px.
    XCTAssertEqual(figure.phoneWidth, 360)
    XCTAssertEqual(figure.phoneHeight, 270)
    let phone = try String(contentsOf: folder.appendingPathComponent("nb/demo-1.phone.svg"), encoding: .utf8)
    XCTAssertTrue(phone.contains("width=\"360\""), String(phone.prefix(300)))
    let slide = try String(contentsOf: folder.appendingPathComponent("nb/demo-1.slide.svg"), encoding: .utf8)
    XCTAssertTrue(slide.contains("width=\"889\""), String(slide.prefix(300)))
    let page = try String(contentsOf: folder.appendingPathComponent("nb/demo-1.svg"), encoding: .utf8)
    XCTAssertTrue(page.contains("width=\"640\""), String(page.prefix(300)))
    XCTAssertNotEqual(page, slide)
  }

  func testTheDownloadFilesAreDrawnFromTheFigureAsShownWhileTheNotebookGoesOn() throws {
    let reference = try showing { show(Self.boundary(after: 1), caption: "c") }.folder
    let changed = Self.boundary(after: 1)
    var pageWasThere = false
    let (folder, events) = try showing {
      // Nothing is drawn in the background until the figure has changed.
      _Handout.background.queue.suspend()
      defer { _Handout.background.queue.resume() }
      show(changed, caption: "c")
      let root = _Handout.state.lock.withLock { _Handout.state.figures }
      pageWasThere = root.map { FileManager.default.fileExists(atPath: $0.path + "/nb/demo-1.svg") } ?? false
      // The notebook changes its figure right after showing it, while the other files are drawn.
      changed.title = "changed"
      changed.axes.line(x: [0, 2], y: [1, 0], label: "later")
    }
    XCTAssertTrue(pageWasThere, "the page's SVG is written before show returns")
    XCTAssertEqual(Self.figures(events).count, 1)
    for file in ["demo-1.svg", "demo-1.png", "demo-1.pdf", "demo-1.slide.svg", "demo-1.phone.svg"] {
      XCTAssertEqual(
        try Data(contentsOf: folder.appendingPathComponent("nb/\(file)")),
        try Data(contentsOf: reference.appendingPathComponent("nb/\(file)")),
        "\(file) shows the figure as shown")
    }
  }

  func testADownloadFileThatCannotBeWrittenIsAnErrorAtItsShowBeforeFinish() throws {
    let (folder, events) = try showing {
      show(Self.boundary(after: 1), caption: "c", file: "nb.md", line: 7, column: 1)
    }
    // Block the PNG's path with a folder: the page's SVG is written, the PNG cannot be.
    let blocked = folder.appendingPathComponent("nb/demo-2.png")
    try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
    _Handout.state.lock.withLock {
      _Handout.state.figures = folder
      _Handout.state.figureCounts = ["4/demo": 1]
    }
    defer { _Handout.state.lock.withLock { _Handout.state.figures = nil } }
    _Handout.beginBlock(4, id: "demo")
    show(Self.boundary(after: 2), caption: "c", file: "nb.md", line: 9, column: 3)
    _Handout.endBlock(4)
    _Handout.finish()
    let later = _Handout.takeRecordedEvents()
    XCTAssertEqual(Self.figures(events).count, 1)
    let failures = later.compactMap { if case .figureError(let e) = $0 { e } else { nil } }
    XCTAssertEqual(failures.map(\.line), [9], "\(later)")
    XCTAssertTrue(failures.first?.text.hasPrefix("figure demo-2 could not be written") == true, "\(failures)")
    guard let errorAt = later.firstIndex(where: { if case .figureError = $0 { true } else { false } }),
      let finishAt = later.firstIndex(where: { if case .finish = $0 { true } else { false } })
    else { return XCTFail("\(later)") }
    XCTAssertLessThan(errorAt, finishAt, "the failure comes before finish")
  }

  func testSlideAndPageSizesKeepTheTextRule() {
    let paper = Figure(width: 640, height: 480)
    let slide = FigureSize.slide(for: paper)
    XCTAssertEqual(slide.width, 889)
    XCTAssertEqual(slide.height, 500)
    XCTAssertGreaterThanOrEqual(FigureStyle.smallestText * slide.style.scale, FigureSize.slideText)
    XCTAssertEqual(FigureSize.page(for: paper), paper.size, "a figure that fits the column is drawn as it is")
    XCTAssertGreaterThanOrEqual(FigureStyle.smallestText, FigureSize.pageText)
    // A wide figure is shrunk by the page: its text is drawn larger by as much.
    let wide = Figure(size: .slide)
    let page = FigureSize.page(for: wide)
    XCTAssertEqual(page.width, 1280)
    let shown = FigureStyle.smallestText * page.style.scale * FigureSize.pageColumn / wide.width
    XCTAssertGreaterThanOrEqual(shown, FigureSize.pageText - 1e-9)
    // A very wide strip keeps its aspect on the slide.
    let strip = FigureSize.slide(for: Figure(width: 900, height: 300))
    XCTAssertEqual(strip.width / strip.height, 3, accuracy: 0.01)
  }

  func testAnAnimationWritesEveryFrameTheSameWayTwice() throws {
    func animation() -> Animation {
      let a = Animation()
      for e in [0, 5, 10] { a.append(Self.boundary(after: e), label: "epoch \(e)") }
      return a
    }
    let (first, events) = try showing { show(animation: animation(), caption: "forming") }
    let (second, _) = try showing { show(animation: animation(), caption: "forming") }
    let figure = try XCTUnwrap(Self.figures(events).first)
    let frames = try XCTUnwrap(figure.frames)
    XCTAssertEqual(frames.count, 3)
    XCTAssertEqual(figure.frameLabels, ["epoch 0", "epoch 5", "epoch 10"])
    XCTAssertEqual(
      frames[1],
      [
        "svg": "nb/demo-1.f1.svg", "slide-svg": "nb/demo-1.f1.slide.svg",
        "phone-svg": "nb/demo-1.f1.phone.svg",
      ])
    // One phone size for every frame (they stack in one box).
    XCTAssertEqual(figure.phoneWidth, 360)
    XCTAssertNotNil(figure.phoneHeight)
    var seen = Set<Data>()
    for file in frames.flatMap(\.values) + figure.files.values {
      let a = try Data(contentsOf: first.appendingPathComponent(file))
      let b = try Data(contentsOf: second.appendingPathComponent(file))
      XCTAssertEqual(a, b, "\(file) is deterministic")
      seen.insert(a)
    }
    XCTAssertEqual(seen.count, 3 * 3 + 2, "frames differ from each other; the poster is the last frame")
    // The poster's SVGs are the last frame's files themselves, not copies; only its PNG and PDF are its own.
    XCTAssertEqual(figure.files["svg"], frames[2]["svg"])
    XCTAssertEqual(figure.files["slide-svg"], frames[2]["slide-svg"])
    XCTAssertEqual(figure.files["phone-svg"], frames[2]["phone-svg"])
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: first.appendingPathComponent("nb").path).sorted(),
      [
        "demo-1.f0.phone.svg", "demo-1.f0.slide.svg", "demo-1.f0.svg", "demo-1.f1.phone.svg",
        "demo-1.f1.slide.svg", "demo-1.f1.svg", "demo-1.f2.phone.svg", "demo-1.f2.slide.svg", "demo-1.f2.svg",
        "demo-1.pdf", "demo-1.png",
      ])
  }

  func testRecordTrainsInPiecesAndDrawsAFramePerChosenEpoch() throws {
    var rng = SeededRandom(seed: 5)
    let data = Dataset.moons(n: 40, noise: 0.2, rng: &rng)
    var initRNG = SeededRandom(seed: 6)
    let start = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &initRNG)
    var whole = start
    var gd = GradientDescent(gamma: 0.5)
    let reference = try whole.train(
      on: data, loss: .binaryCrossEntropy, optimizer: &gd, options: .init(epochs: 20))
    var pieces = start
    var gd2 = GradientDescent(gamma: 0.5)
    let animation = Animation()
    var seenEpochs: [Int] = []
    let history = try animation.record(
      training: &pieces, on: data, loss: .binaryCrossEntropy, optimizer: &gd2, epochs: [0, 5, 20]
    ) { _, epoch in
      seenEpochs.append(epoch)
      return Self.boundary(after: epoch)
    }
    XCTAssertEqual(animation.count, 3)
    XCTAssertEqual(animation.labels, ["epoch 0", "epoch 5", "epoch 20"])
    XCTAssertEqual(seenEpochs, [0, 5, 20])
    XCTAssertEqual(history.losses, reference.losses, "training in pieces is training at once (full batch)")
    XCTAssertEqual(history.epochs.map(\.epoch), Array(1...20))
  }

  /// A block inside `::: handout` is on the page only: no deck shows its figures, so none gets a
  /// slide variant (file, event entry or size); the next block's figures get theirs again.
  func testAFigureOnThePageOnlyHasNoSlideVariant() throws {
    let (folder, events) = try showing(pageOnly: true) {
      show(Self.boundary(after: 1), caption: "c")
      let a = Animation()
      for e in [0, 5] { a.append(Self.boundary(after: e), label: "epoch \(e)") }
      show(animation: a, caption: "forming")
    }
    let figures = Self.figures(events)
    XCTAssertEqual(figures.count, 2)
    XCTAssertEqual(
      figures[0].files,
      [
        "svg": "nb/demo-1.svg", "png": "nb/demo-1.png", "pdf": "nb/demo-1.pdf",
        "phone-svg": "nb/demo-1.phone.svg",
      ])
    XCTAssertNil(figures[0].slideWidth)
    XCTAssertNil(figures[0].slideHeight)
    XCTAssertEqual(figures[1].frames?[1], ["svg": "nb/demo-2.f1.svg", "phone-svg": "nb/demo-2.f1.phone.svg"])
    XCTAssertNil(figures[1].files["slide-svg"])
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("nb").path).sorted(),
      [
        "demo-1.pdf", "demo-1.phone.svg", "demo-1.png", "demo-1.svg", "demo-2.f0.phone.svg", "demo-2.f0.svg",
        "demo-2.f1.phone.svg", "demo-2.f1.svg", "demo-2.pdf", "demo-2.png",
      ])
    XCTAssertEqual(_Handout.state.lock.withLock { _Handout.state.placement }, .both, "it ends with its block")
  }

  /// A block inside `::: slides` (or speaker notes) is on the deck only: no page shows or links
  /// its figures, so each gets only its slide variant (the page's SVG, PNG and PDF were 6 of the
  /// 31 files of notebook 02's figures), the same bytes as when it is shown on both.
  func testAFigureOnTheSlidesOnlyHasOnlyItsSlideVariant() throws {
    func draw() {
      show(Self.boundary(after: 1), caption: "c")
      let a = Animation()
      for e in [0, 5] { a.append(Self.boundary(after: e), label: "epoch \(e)") }
      show(animation: a, caption: "forming")
    }
    let (folder, events) = try showing(slidesOnly: true, draw)
    let figures = Self.figures(events)
    XCTAssertEqual(figures.count, 2)
    XCTAssertEqual(figures[0].files, ["slide-svg": "nb/demo-1.slide.svg"])
    XCTAssertNotNil(figures[0].slideWidth)
    XCTAssertEqual(figures[1].frames?[1], ["slide-svg": "nb/demo-2.f1.slide.svg"])
    XCTAssertEqual(figures[1].files, ["slide-svg": "nb/demo-2.f1.slide.svg"])
    let nb = folder.appendingPathComponent("nb")
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: nb.path).sorted(),
      ["demo-1.slide.svg", "demo-2.f0.slide.svg", "demo-2.f1.slide.svg"])
    XCTAssertEqual(_Handout.state.lock.withLock { _Handout.state.placement }, .both, "it ends with its block")
    let (both, bothEvents) = try showing(draw)
    XCTAssertEqual(Self.figures(bothEvents).map(\.slideWidth), figures.map(\.slideWidth))
    XCTAssertEqual(Self.figures(bothEvents).map(\.slidePanel), figures.map(\.slidePanel))
    for file in ["demo-1.slide.svg", "demo-2.f0.slide.svg", "demo-2.f1.slide.svg"] {
      XCTAssertEqual(
        try Data(contentsOf: nb.appendingPathComponent(file)),
        try Data(contentsOf: both.appendingPathComponent("nb/\(file)")), file)
    }
  }
}
