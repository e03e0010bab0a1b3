import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// The corpus notebooks that compile and run (`runCases`, all in one batch, two at a time): a
/// byte-order mark and CRLF run and pass; a compile error, a crash, a time-out, huge output, a bad
/// exit status, diverged training and bad training data each end in a diagnostic a person understands.
extension CorpusTests {
  // MARK: Notebooks that compile and run: all in one batch, two at a time

  static let runCases = [
    "bom.md", "crlf.md", "syntax-error.md", "compile-errors.md", "fatal-error.md", "index-out-of-range.md",
    "overflow.md", "nil-unwrap.md", "infinite-loop.md", "huge-output.md", "exit-3.md", "diverged.md",
    "training-data.md", "escaping.md",
  ]
  nonisolated(unsafe) static var batch: (dir: URL, outcomes: [String: NotebookOutcome])?

  /// The outcome of running corpus notebook `name` (with every other run case, once per test process).
  func outcome(_ name: String) throws -> NotebookOutcome {
    if Self.batch == nil {
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "handout-corpus-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let paths = try Self.runCases.map { name in
        let path = dir.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: path)
        try FileManager.default.copyItem(at: try Self.corpus(name), to: path)
        return path.path
      }
      let outcomes = Pipeline.processAll(paths, jobs: 2, options: try Support.options())
      Self.batch = (
        dir,
        Dictionary(
          uniqueKeysWithValues: outcomes.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
      )
    }
    return try XCTUnwrap(Self.batch?.outcomes[name])
  }

  /// What a person is told about corpus notebook `name`, paths relative to its folder.
  func reported(_ name: String) throws -> [String] {
    let outcome = try outcome(name)
    let dir = try XCTUnwrap(Self.batch?.dir.path)
    return outcome.problems.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
  }

  func run(_ name: String) throws -> RunResult {
    let outcome = try outcome(name)
    XCTAssertNil(outcome.error)
    return try XCTUnwrap(outcome.run)
  }

  func testByteOrderMarkAndCRLFRunAndPass() throws {
    for name in ["bom.md", "crlf.md"] {
      let run = try run(name)
      XCTAssertFalse(run.failed, "\(name): \(run)")
      XCTAssertEqual(run.checks.map(\.passed), [true], name)
    }
    XCTAssertEqual(try outcome("bom.md").notebook?.blocks.first?.fence.line, 3)
    XCTAssertEqual(try outcome("crlf.md").notebook?.frontMatter.title, "CRLF")
    XCTAssertEqual(try run("crlf.md").blocks[0]?.text, "crlf\n")
  }

  func testSyntaxError() throws {
    XCTAssertEqual(
      try reported("syntax-error.md").first, "syntax-error.md:8:15: error: expected ',' separator")
  }

  /// A type error, a name used in the block before the one declaring it (which swiftc accepts and
  /// runs as 0), and an error in the last line of the last block: all reported at once.
  func testTypeErrorLaterNameAndLastLine() throws {
    XCTAssertEqual(
      try reported("compile-errors.md"),
      [
        "compile-errors.md:5:17: error: cannot convert value of type 'Int' to specified type 'String'",
        "compile-errors.md:9:7: error: 'later' is used before its declaration at line 13 has run; top-level code "
          + "would read it uninitialised (as 0 or empty), so move the declaration above this line",
        "compile-errors.md:14:13: error: binary operator '+' cannot be applied to operands of type 'Int' and 'String'"
          + "\ncompile-errors.md:14:13: note: overloads for '+' exist with these partially matching parameter "
          + "lists: (Int, Int), (String, String)",
      ])
    XCTAssertTrue(try run("compile-errors.md").blocks.isEmpty)
  }

  func testFatalError() throws {
    XCTAssertEqual(
      try reported("fatal-error.md"),
      [
        "fatal-error.md:5:1: error: Fatal error: the weights are not initialised "
          + "(the program crashed (SIGILL, a Swift runtime trap))"
      ])
    let run = try run("fatal-error.md")
    XCTAssertEqual(run.blocks[0]?.text, "before\n")
    XCTAssertNil(run.blocks[1], "later blocks do not run")
  }

  func testIndexOutOfRange() throws {
    XCTAssertEqual(
      try reported("index-out-of-range.md"),
      [
        "index-out-of-range.md:5:9: error: Fatal error: Index out of range (the program crashed (SIGILL, a Swift runtime trap))"
      ])
  }

  func testIntegerOverflow() throws {
    XCTAssertEqual(
      try reported("overflow.md"),
      ["overflow.md:6:3: error: the program crashed (SIGILL, a Swift runtime trap) before it finished"])
  }

  func testForceUnwrapOfNil() throws {
    XCTAssertEqual(
      try reported("nil-unwrap.md"),
      [
        "nil-unwrap.md:5:14: error: Fatal error: Unexpectedly found nil while unwrapping an Optional value "
          + "(the program crashed (SIGILL, a Swift runtime trap))"
      ])
  }

  func testInfiniteLoopTimesOut() throws {
    XCTAssertEqual(
      try reported("infinite-loop.md"),
      ["infinite-loop.md:3:1: error: timed out after 1 s (block timeout=1); the program was stopped"])
    XCTAssertEqual(try run("infinite-loop.md").blocks[0]?.text, "start\n")
  }

  /// 100 MB printed: the runner streams it, keeps 1 MB with a note, and the next block (writing to
  /// stderr) still runs.
  func testHundredMegabytesOfOutputAreCappedAndStderrIsKept() throws {
    let run = try run("huge-output.md")
    XCTAssertFalse(run.failed, "\(run)")
    let text = try XCTUnwrap(run.blocks[0]?.text)
    let cap = 1 << 20
    XCTAssertLessThan(text.utf8.count, cap + 200)
    XCTAssertTrue(
      text.hasSuffix(
        "\n[handout: \(100 * cap - cap) more bytes of output were dropped; a block keeps at most \(cap) bytes]\n"
      ),
      String(text.suffix(200)))
    XCTAssertEqual(run.blocks[1]?.text, "warning on stderr\nafter\n")
  }

  func testExitStatus3() throws {
    XCTAssertEqual(
      try reported("exit-3.md"), ["exit-3.md:3:1: error: the program exited with status 3 before it finished"]
    )
    XCTAssertEqual(try run("exit-3.md").blocks[0]?.text, "a\n")
  }

  /// An uncaught `try` at top level is the block's failure with the error's own description (epoch
  /// and learning rate), in the report and in the handout, not a cryptic trap.
  func testDivergedTrainingNamesEpochAndLearningRate() throws {
    let reported = try reported("diverged.md")
    XCTAssertEqual(reported.count, 1)
    let message = try XCTUnwrap(reported.first)
    XCTAssertTrue(message.hasPrefix("diverged.md:3:1: error: training diverged at epoch "), message)
    XCTAssertTrue(
      message.hasSuffix(
        "with learning rate 1000000000000; try a smaller learning rate such as 100000000000 "
          + "(an error thrown here was not caught, so the program stopped)"), message)
    let outcome = try outcome("diverged.md")
    let html = try Weave.page(
      notebook: try XCTUnwrap(outcome.notebook), run: try XCTUnwrap(outcome.run), options: WeaveOptions())
    XCTAssertTrue(html.contains("training diverged at epoch "), "the handout shows the failure")
  }

  func testTrainingDataErrors() throws {
    let run = try run("training-data.md")
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertEqual(
      run.blocks[0]?.text,
      """
      the data has 3 input columns but the network's first layer expects 2 (Dense(2→4, tanh))
      the training data has no samples
      sample 2 has label 2, but the network has 2 classes (labels 0…1)

      """)
  }
}
