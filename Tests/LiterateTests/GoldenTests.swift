import XCTest

@testable import Literate

/// The fixture notebook that uses every feature (`Tests/Fixtures/everything.md`): its tangled
/// program, the event stream its program sends and its woven page, each compared whole with the
/// committed file in `Tests/Fixtures/everything.expected/`. A difference fails with a diff to read.
///
/// Re-record after an intended change with `HANDOUT_RECORD_GOLDEN=1 swift test --filter GoldenTests`
/// (or `make golden`), and read the diff of the expected files before committing it.
final class GoldenTests: XCTestCase {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")
  static let notebookPath = fixtures.appendingPathComponent("everything.md").path
  static let expected = fixtures.appendingPathComponent("everything.expected")
  static let recording = ProcessInfo.processInfo.environment["HANDOUT_RECORD_GOLDEN"] == "1"

  /// Paths that differ between machines, replaced by stable words.
  func redact(_ text: String) -> String {
    text.replacingOccurrences(of: Self.fixtures.path, with: "<fixtures>")
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

  /// Tangle, compile, execute and weave of the fixture, once for all three comparisons.
  nonisolated(unsafe) static var made: (program: TangledProgram, events: String, page: String)?

  func make() throws -> (program: TangledProgram, events: String, page: String) {
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
    let events = try String(contentsOf: work.appendingPathComponent("events.jsonl"), encoding: .utf8)
    var weave = WeaveOptions(generator: "handout (golden)")
    weave.figureRoot = work.appendingPathComponent("figures")
    let run = Checker.check(notebook, execution.result)
    let page = try Weave.page(notebook: notebook, run: run, options: weave)
    Self.made = (program, events, page)
    return (program, events, page)
  }

  func testTangledProgram() throws {
    try assertGolden(try make().program.source, "tangled.swift.txt")
  }

  func testEventStream() throws {
    try assertGolden(try make().events, "events.jsonl")
  }

  func testWovenPage() throws {
    try assertGolden(try make().page, "page.html")
  }

  /// The comparison itself: one character changed in the recorded output fails it.
  func testAOneCharacterChangeFails() throws {
    guard !Self.recording else { return }
    let page = try make().page
    let expected = try String(contentsOf: Self.expected.appendingPathComponent("page.html"), encoding: .utf8)
    XCTAssertEqual(redact(page), expected)
    let changed = redact(page).replacingOccurrences(of: "seed 3, rate 0.5", with: "seed 4, rate 0.5")
    XCTAssertNotEqual(changed, expected, "the fixture's output must appear in the page")
  }
}
