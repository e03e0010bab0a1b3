import XCTest

@testable import Literate

/// Real compile-and-run of small notebooks through swiftc and libHandoutRuntime.
final class RunTests: XCTestCase {
  static let feature = """
    ---
    title: Features
    ---
    # Features

    ```swift id=first
    let answer = 6 * 7
    print("hello")
    FileHandle.standardError.write(Data("to stderr\\n".utf8))
    [0.04742587, 0.05752359]
    ```

    ```output
    hello
    to stderr
    [1] 0.04742587 0.05752359
    ```

    The answer is `swift answer`, the mean `swift [1.5, 2.5].reduce(0, +) / 2`.

    ```swift
    print("published wrong")
    ```

    ```output
    published right
    ```

    ```swift
    expect(Double(answer), equals: 42)
    expect(Double(answer), equals: 41, tolerance: 0.5)
    print("<script>alert(1)</script>")
    progress("epoch 1 of 1")
    let figure = Figure(width: 120, height: 90)
    show(figure, caption: "An empty figure")
    ```
    """

  /// 1-based line of the feature notebook that starts with `prefix`.
  func line(_ prefix: String) -> Int {
    (Self.feature.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(prefix) }
      ?? -1) + 1
  }

  /// The feature notebook's run, made once for every test that looks at it.
  nonisolated(unsafe) static var featureRun: (Notebook, RunResult)?

  func feature() throws -> (Notebook, RunResult) {
    if let r = Self.featureRun { return r }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "handout-feature-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = try Support.write(Self.feature, "feature.md", in: dir)
    let r = try Support.run(Self.feature, path: path, options: try Support.options())
    Self.featureRun = r
    return r
  }

  func testBlocksPrintDisplayAndInlineValues() throws {
    let (notebook, run) = try feature()
    // Its figure is empty on purpose: a warning, not an error.
    XCTAssertEqual(
      run.diagnostics.map(\.description),
      [
        "\(notebook.path):\(line("show(figure")):1: warning: figure block2-1 draws no data (no line, point or bar)"
      ])
    XCTAssertEqual(run.inlineValues, [0: "42", 1: "2"])
    let first = try XCTUnwrap(run.blocks[0])
    XCTAssertEqual(first.text, "hello\nto stderr\n")
    XCTAssertEqual(first.value, "[1] 0.04742587 0.05752359")
    XCTAssertNil(first.failure)
    XCTAssertEqual(first.checks.map(\.passed), [true])
    XCTAssertEqual(notebook.blocks.count, 3)
  }

  func testPublishedOutputThatDiffersFailsAtItsLine() throws {
    let (_, run) = try feature()
    let check = try XCTUnwrap(run.blocks[1]?.checks.first)
    XCTAssertEqual(check.kind, .publishedOutput)
    XCTAssertFalse(check.passed)
    XCTAssertEqual(check.location.line, line("published right"))
    XCTAssertEqual(check.actual, "published wrong\n")
    XCTAssertEqual(check.difference, "line 1 differs: published `published right`, printed `published wrong`")
    XCTAssertTrue(run.failed)
  }

  func testExpectationsCarryTheirNotebookLine() throws {
    let (notebook, run) = try feature()
    let checks = try XCTUnwrap(run.blocks[2]?.checks)
    XCTAssertEqual(checks.map(\.passed), [true, false])
    XCTAssertEqual(
      checks[1].location,
      SourceLocation(file: notebook.path, line: line("expect(Double(answer), equals: 41"), column: 1))
    XCTAssertEqual(checks[1].expected, "41.0")
    XCTAssertEqual(checks[1].actual, "42.0")
    XCTAssertEqual(checks[1].difference, "|Δ| = 1 > tolerance 0.5")
    XCTAssertEqual(checks[1].replacement, "42.0")
    XCTAssertEqual(run.blocks[2]?.text, "<script>alert(1)</script>\n")
  }

  func testFiguresAreWrittenWithStableNames() throws {
    let (notebook, run) = try feature()
    let figure = try XCTUnwrap(run.blocks[2]?.figures.first)
    XCTAssertEqual(figure.name, "block2-1")
    XCTAssertEqual(figure.caption, "An empty figure")
    XCTAssertEqual(
      figure.files,
      [
        "svg": "feature/block2-1.svg", "png": "feature/block2-1.png", "pdf": "feature/block2-1.pdf",
        "slide-svg": "feature/block2-1.slide.svg",
      ])
    XCTAssertEqual(figure.width, 120)
    // The files travel as the run's artifacts (here from the cache entry the first run made).
    let root = try XCTUnwrap(try Runner.run(notebook, options: try Support.options()).artifacts?.figures.path)
    for file in figure.files.values {
      XCTAssertTrue(FileManager.default.fileExists(atPath: "\(root)/\(file)"), file)
    }
  }

  func testCompileErrorAtTheNotebookLineAndColumn() throws {
    let dir = try Support.temporaryDirectory(self)
    let source =
      "# Types\n\n```swift\nlet a = 1\n```\n\nText.\n\n```swift\nprint(a)\nlet b: String = a\n```\n"
    let path = try Support.write(source, "bad.md", in: dir)
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    let error = try XCTUnwrap(run.diagnostics.first)
    XCTAssertEqual(error.location, SourceLocation(file: path, line: 11, column: 17))
    XCTAssertTrue(
      error.message.contains("cannot convert value of type 'Int' to specified type 'String'"), error.message)
    XCTAssertTrue(run.blocks.isEmpty)
    XCTAssertTrue(run.failed)
  }

  func testTrapIsReportedInItsBlockAndLaterBlocksDoNotRun() throws {
    let dir = try Support.temporaryDirectory(self)
    let source =
      "```swift\nlet xs = [1, 2, 3]\nprint(\"before\")\n```\n\n```swift\nlet i = xs.count + 2\nprint(\"in\")\nprint(xs[i])\n```\n\n```swift\nprint(\"never\")\n```\n"
    let path = try Support.write(source, "trap.md", in: dir)
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertEqual(run.blocks[0]?.text, "before\n")
    XCTAssertNil(run.blocks[0]?.failure)
    let failure = try XCTUnwrap(run.blocks[1]?.failure)
    XCTAssertTrue(failure.message.hasPrefix("Fatal error: Index out of range"), failure.message)
    XCTAssertEqual(failure.location?.file, path)
    XCTAssertEqual(failure.location?.line, 9)
    XCTAssertEqual(run.blocks[1]?.text, "in\n", "the backtrace is not part of the block's output")
    XCTAssertNil(run.blocks[2])
    XCTAssertTrue(run.failed)
  }

  func testExitInsideABlockFailsThatBlock() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = "```swift\nprint(\"a\")\nexit(3)\n```\n\n```swift\nprint(\"b\")\n```\n"
    let path = try Support.write(source, "exit.md", in: dir)
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertEqual(run.blocks[0]?.text, "a\n")
    XCTAssertEqual(run.blocks[0]?.failure?.message, "the program exited with status 3 before it finished")
    XCTAssertEqual(run.blocks[0]?.failure?.location?.line, 1)
    XCTAssertNil(run.blocks[1])
  }

  func testTimeoutStopsTheBlock() throws {
    let dir = try Support.temporaryDirectory(self)
    let source =
      "```swift\nprint(\"quick\")\n```\n\n```swift timeout=1\nprint(\"start\")\nvar n = 0\nwhile n >= 0 { n = (n &+ 1) % 1000 }\n```\n"
    let path = try Support.write(source, "slow.md", in: dir)
    let start = Date()
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertLessThan(Date().timeIntervalSince(start), 60)
    XCTAssertNil(run.blocks[0]?.failure)
    let failure = try XCTUnwrap(run.blocks[1]?.failure)
    XCTAssertTrue(failure.message.contains("timed out after 1 s (block timeout=1)"), failure.message)
    XCTAssertEqual(failure.location?.line, 5)
    XCTAssertEqual(run.blocks[1]?.text, "start\n")
  }

  func testCacheHitMissAndMovedLines() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let source = "# C\n\n```swift\nlet v = 0.5\nexpect(v, equals: 0.25)\n```\n"
    let path = try Support.write(source, "c.md", in: dir)
    let (_, first) = try Support.run(source, path: path, options: try Support.options(cache: cache))
    XCTAssertFalse(first.cached)
    XCTAssertEqual(first.blocks[0]?.checks.first?.location.line, 5)

    let (_, second) = try Support.run(source, path: path, options: try Support.options(cache: cache))
    XCTAssertTrue(second.cached)
    XCTAssertEqual(second.blocks[0]?.checks, first.blocks[0]?.checks)

    // Prose only, moving the code down two lines: still cached, locations follow the code.
    let moved = "# C\n\nMore prose,\non two lines.\n```swift\nlet v = 0.5\nexpect(v, equals: 0.25)\n```\n"
    let (_, third) = try Support.run(moved, path: path, options: try Support.options(cache: cache))
    XCTAssertTrue(third.cached)
    XCTAssertEqual(third.blocks[0]?.checks.first?.location.line, 7)

    // --fresh ignores the cache.
    let (_, fresh) = try Support.run(
      source, path: path, options: try Support.options(cache: cache, useCache: false))
    XCTAssertFalse(fresh.cached)

    // Changed code: a miss.
    let changed = source.replacingOccurrences(of: "0.5", with: "0.25")
    let (_, fourth) = try Support.run(changed, path: path, options: try Support.options(cache: cache))
    XCTAssertFalse(fourth.cached)
    XCTAssertEqual(fourth.blocks[0]?.checks.first?.passed, true)
  }
}

/// The example notebook in README.md is a real notebook that passes its own checks.
final class DocumentationExampleTests: XCTestCase {
  func testTheDocumentedExampleRunsGreen() throws {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let start = try XCTUnwrap(text.range(of: "````markdown\n"))
    let end = try XCTUnwrap(text.range(of: "````\n", range: start.upperBound..<text.endIndex))
    let example = String(text[start.upperBound..<end.lowerBound])
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(example, "example.md", in: dir)
    let (_, run) = try Support.run(example, path: path, options: try Support.options())
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertEqual(run.checks.count, 3)
    XCTAssertEqual(run.inlineValues[0], "0.8807971")
    XCTAssertEqual(run.blocks[2]?.figures.first?.name, "block2-1")
  }
}
