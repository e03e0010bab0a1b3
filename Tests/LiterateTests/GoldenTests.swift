import HandoutProtocol
import XCTest

@testable import Literate

/// The fixture notebook that uses every feature (`Tests/Fixtures/everything.md`): its tangled
/// program and the event stream its program sends (the stages' own values), and what `render`
/// writes of it (through `Pipeline.render`, as `handout render --slides` runs it: cache,
/// references, profile, `Publisher`): the page, the deck, the index, and the student edition's
/// page. Each is compared whole with the committed file in `Tests/Fixtures/everything.expected/`;
/// a difference fails with the first line that differs.
///
/// Re-record after an intended change with `HANDOUT_RECORD_GOLDEN=1 swift test --filter GoldenTests`
/// (or `make golden`), and read the diff of the expected files before committing it.
final class GoldenTests: XCTestCase {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")
  static let notebookPath = fixtures.appendingPathComponent("everything.md").path
  static let expected = fixtures.appendingPathComponent("everything.expected")
  static let recording = ProcessInfo.processInfo.environment["HANDOUT_RECORD_GOLDEN"] == "1"

  /// Paths that differ between machines and runs, replaced by stable words.
  func redact(_ text: String) -> String {
    var text = text.replacingOccurrences(of: Self.fixtures.path, with: "<fixtures>")
    if let out = Self.rendered?.out {
      text = text.replacingOccurrences(of: out.path, with: "<out>")
    }
    return text
  }

  /// Compares `actual` with the expected file `name` (or records it), failing with the first lines
  /// that differ.
  func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let url = Self.expected.appendingPathComponent(name)
    let actual = redact(actual)
    if Self.recording {
      try FileManager.default.createDirectory(at: Self.expected, withIntermediateDirectories: true)
      try actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      return XCTFail("\(name) is not recorded; run with HANDOUT_RECORD_GOLDEN=1", file: file, line: line)
    }
    guard actual != expected else { return }
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let first = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
    XCTFail(
      """
      \(name) differs from the recorded file at line \(first + 1) (re-record with HANDOUT_RECORD_GOLDEN=1 and read the diff):
        expected: \(first < e.count ? String(e[first]) : "<end of file>")
        actual:   \(first < a.count ? String(a[first]) : "<end of file>")
      """, file: file, line: line)
  }

  /// Tangle, compile and execute of the fixture, once for both comparisons: the stages' own values,
  /// which `render` does not write.
  nonisolated(unsafe) static var made: (program: TangledProgram, events: String)?

  func make() throws -> (program: TangledProgram, events: String) {
    if let made = Self.made { return made }
    let notebook = try Notebook.load(path: Self.notebookPath)
    var options = try Support.options()
    options.environment = ["HOME": "/nonexistent"]
    let program = notebook.tangle()
    let work = try Support.temporaryDirectory(self)
    let binary = work.appendingPathComponent("program")
    let compilation = try Compiler.compile(
      program, notebook: notebook, runtime: options.runtime, options: options.compile, output: binary)
    XCTAssertEqual(compilation.errors, [])
    let parameters = try options.parameterValues(for: notebook)
    let execution = try Runner.execute(
      binary: binary, notebook: notebook, figures: work.appendingPathComponent("figures"), options: options,
      parameters: parameters)
    XCTAssertTrue(execution.complete, "\(execution.result)")
    // The files the program loaded are the machine's (library versions, font paths): one line stands
    // for them. Of the files it opened and wrote, only the fixtures' are kept (fontconfig's are the
    // machine's, its figures in a folder of the test's).
    let events = try String(contentsOf: work.appendingPathComponent("events.jsonl"), encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasPrefix(#"{"event":"loaded","files":["#) ? #"{"event":"loaded","files":[…]}"# : $0 }
      .compactMap { line -> String? in
        guard line.hasPrefix(#"{"event":"opened""#),
          case .opened(let files, let written)? = RuntimeEvent.decodeLines(Data(line.utf8)).first
        else { return String(line) }
        let own = { (paths: [String]) in paths.filter { $0.hasPrefix(Self.fixtures.path + "/") } }
        guard !own(files).isEmpty || !own(written).isEmpty,
          let kept = try? RuntimeEvent.opened(files: own(files), written: own(written)).jsonLine()
        else { return nil }
        return String(decoding: kept.dropLast(), as: UTF8.self)
      }
      .joined(separator: "\n")
    Self.made = (program, events)
    return (program, events)
  }

  func testTangledProgram() throws {
    try assertGolden(try make().program.source, "tangled.swift.txt")
  }

  func testEventStream() throws {
    try assertGolden(try make().events, "events.jsonl")
  }

  /// What `render` wrote: page, deck and index of the instructor's edition, page of the student's.
  struct Rendered {
    var out: URL
    var page: String
    var deck: String
    var index: String
    var studentPage: String
  }
  nonisolated(unsafe) static var rendered: Rendered?

  /// Renders the fixture twice through the entry `handout render` uses, into folders kept for the
  /// whole test run: `--slides` for the instructor, then `--profile student`.
  func render() throws -> Rendered {
    if let rendered = Self.rendered { return rendered }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent(
      "handout-golden-\(UUID().uuidString)")
    var options = try Support.options()
    options.environment = ["HOME": "/nonexistent"]
    func render(_ profile: Profile, into folder: URL) throws -> RenderReport {
      var run = options
      run.studentEdition = profile == .student
      var request = RenderRequest(paths: [Self.notebookPath]) { run }
      request.publication = Publication(
        out: folder, weave: WeaveOptions(generator: "handout (golden)"),
        options: PublishOptions(slides: profile == .instructor, profile: profile))
      let report = try Pipeline.render(request)
      XCTAssertEqual(report.problems, [])
      XCTAssertEqual(report.outcomes.map(\.failed), [false], "\(report.outcomes.map(\.problems))")
      return report
    }
    _ = try render(.instructor, into: out.appendingPathComponent("instructor"))
    _ = try render(.student, into: out.appendingPathComponent("student"))
    func read(_ path: String) throws -> String {
      try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)
    }
    let rendered = Rendered(
      out: out, page: try read("instructor/everything.html"),
      deck: try read("instructor/everything.slides.html"),
      index: try read("instructor/index.html"), studentPage: try read("student/everything.html"))
    Self.rendered = rendered
    return rendered
  }

  override class func tearDown() {
    if let out = rendered?.out { try? FileManager.default.removeItem(at: out) }
    super.tearDown()
  }

  func testRenderedPage() throws {
    try assertGolden(try render().page, "page.html")
  }

  func testRenderedDeck() throws {
    try assertGolden(try render().deck, "deck.html")
  }

  func testRenderedIndex() throws {
    try assertGolden(try render().index, "index.html")
  }

  func testRenderedStudentPage() throws {
    let page = try render().studentPage
    XCTAssertFalse(page.contains("solved 3"), "the student page holds no solution")
    try assertGolden(page, "student.html")
  }

  /// The comparison itself: one character changed in the recorded output fails it.
  func testAOneCharacterChangeFails() throws {
    guard !Self.recording else { return }
    let page = try render().page
    let expected = try String(contentsOf: Self.expected.appendingPathComponent("page.html"), encoding: .utf8)
    XCTAssertEqual(redact(page), expected)
    let changed = redact(page).replacingOccurrences(of: "seed 3, rate 0.5", with: "seed 4, rate 0.5")
    XCTAssertNotEqual(changed, expected, "the fixture's output must appear in the page")
  }
}
