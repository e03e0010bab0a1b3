import XCTest

@testable import Literate

/// `check --update` and the terminal report, without running anything: no false green
/// (issue 12, sections 2 and 5).
final class UpdateTests: XCTestCase {
  /// A failed expectation at `line` of `path` that `--update` would rewrite to `replacement`.
  func failed(_ path: String, _ line: Int, _ expected: String, _ replacement: String, column: Int = 1)
    -> CheckResult
  {
    var c = CheckResult(
      kind: .expectation, location: SourceLocation(file: path, line: line, column: column), passed: false,
      expected: expected, actual: replacement)
    c.replacement = replacement
    return c
  }

  func testUpdateRewritesOnlyLiteralExpectedValues() throws {
    // An expected side that is an expression states how the value is made; replacing it with a
    // number would empty the check. Only literals are records of a number.
    let source = """
      ```swift
      let y = 2.0
      expect(y * 2, equals: y)
      expect(y * 2, equals: 2 * y + 1)
      expect("\\(y)", equals: "\\(y + 1)")
      expect(y, equals: -1.5)
      expect([y, -y], equals: [1, -2.5])
      expect(Int(y), equals: 3)
      expect("\\(y)", equals: "two")
      ```

      """
    let nb = try Notebook.parse(source: source, path: "l.md")
    let run = RunResult(blocks: [
      0: BlockResult(
        blockIndex: 0,
        checks: [
          failed("l.md", 3, "2.0", "4.0"), failed("l.md", 4, "5.0", "4.0"),
          failed("l.md", 5, "3.0", "\"2.0\""), failed("l.md", 6, "-1.5", "2.0"),
          failed("l.md", 7, "[1.0, -2.5]", "[2.0, -2.0]"), failed("l.md", 8, "3", "2"),
          failed("l.md", 9, "two", "\"2.0\""),
        ])
    ])
    let result = Updater.rewrite(source: source, notebook: nb, run: Checker.check(nb, run))
    XCTAssertEqual(
      result.source,
      """
      ```swift
      let y = 2.0
      expect(y * 2, equals: y)
      expect(y * 2, equals: 2 * y + 1)
      expect("\\(y)", equals: "\\(y + 1)")
      expect(y, equals: 2.0)
      expect([y, -y], equals: [2.0, -2.0])
      expect(Int(y), equals: 2)
      expect("\\(y)", equals: "2.0")
      ```

      """)
    XCTAssertEqual(result.changes.map(\.location.line), [6, 7, 8, 9])
    XCTAssertEqual(result.unresolved.map(\.location.line), [3, 4, 5], "expressions stay, and stay failing")
  }

  func testUpdateWritesOnlyReplacementsThatAreLiterals() throws {
    // `String(describing:)` of a struct or an optional is no Swift literal.
    let source = "```swift\nexpect(p, equals: 1)\nexpect(q, equals: 2)\n```\n"
    let nb = try Notebook.parse(source: source, path: "r.md")
    let run = RunResult(blocks: [
      0: BlockResult(
        blockIndex: 0, checks: [failed("r.md", 2, "1", "Optional(3)"), failed("r.md", 3, "2", "Point(x: 1)")])
    ])
    let result = Updater.rewrite(source: source, notebook: nb, run: Checker.check(nb, run))
    XCTAssertEqual(result.source, source)
    XCTAssertEqual(result.changes, [])
    XCTAssertEqual(result.unresolved.count, 2)
  }

  func testUpdateListsTheChecksItLeavesFailing() throws {
    let source = """
      ```swift
      let e = 0.3
      expect(e < 0.1, equals: true)
      expect(e, equals: 0.2)
      for x in [1.0, 2.0] { expect(x, equals: 1.5) }
      ```
      ```output
      old
      ```

      """
    let nb = try Notebook.parse(source: source, path: "b.md")
    // The loop's one call failed with two different values: no one literal makes it pass.
    let run = RunResult(blocks: [
      0: BlockResult(
        blockIndex: 0, text: "new\n",
        checks: [
          failed("b.md", 3, "true", "false"), failed("b.md", 4, "0.2", "0.3"),
          failed("b.md", 5, "1.5", "1.0", column: 23), failed("b.md", 5, "1.5", "2.0", column: 23),
        ])
    ])
    let result = Updater.rewrite(source: source, notebook: nb, run: Checker.check(nb, run))
    XCTAssertEqual(result.changes.map(\.location.line), [4, 7])
    XCTAssertEqual(result.unresolved.map(\.location.line), [3, 5, 5])
    XCTAssertTrue(result.source.contains("for x in [1.0, 2.0] { expect(x, equals: 1.5) }"), result.source)
    // The old entry point gives the same text.
    XCTAssertEqual(
      Updater.update(source: source, notebook: nb, run: Checker.check(nb, run)).source, result.source)
  }

  func testUpdatedOutputFenceIsLongerThanAnyBacktickRunInTheOutput() throws {
    let source = "# T\n\n```swift\nprint(s)\n```\n\n```output tolerance=0.1\nold\n```\n\nprose\n"
    let nb = try Notebook.parse(source: source, path: "f.md")
    let printed = "a\n```\nswift\n`````x\n~~~\n"
    let run = Checker.check(nb, RunResult(blocks: [0: BlockResult(blockIndex: 0, text: printed)]))
    let result = Updater.rewrite(source: source, notebook: nb, run: run)
    XCTAssertEqual(
      result.source,
      "# T\n\n```swift\nprint(s)\n```\n\n``````output tolerance=0.1\na\n```\nswift\n`````x\n~~~\n``````\n\nprose\n"
    )
    // The notebook stays what it was: one swift block, its output, the prose.
    let reparsed = try Notebook.parse(source: result.source, path: "f.md")
    XCTAssertEqual(reparsed.blocks.count, 1)
    guard
      case .published(let published) = reparsed.nodes.first(where: {
        if case .published = $0 { true } else { false }
      })
    else { return XCTFail("no published output after the update") }
    XCTAssertEqual(published.text, String(printed.dropLast()))
    XCTAssertEqual(published.tolerance, 0.1)
    XCTAssertEqual(reparsed.nodes.count, nb.nodes.count)
    XCTAssertTrue(
      Checker.check(reparsed, RunResult(blocks: [0: BlockResult(blockIndex: 0, text: printed)])).checks[0]
        .passed)

    // Tilde fences only need to outgrow tildes.
    let tilde = "```swift\nprint(s)\n```\n~~~output\nold\n~~~\n"
    let tildeNotebook = try Notebook.parse(source: tilde, path: "t.md")
    let tildeRun = Checker.check(
      tildeNotebook, RunResult(blocks: [0: BlockResult(blockIndex: 0, text: printed)]))
    XCTAssertEqual(
      Updater.rewrite(source: tilde, notebook: tildeNotebook, run: tildeRun).source,
      "```swift\nprint(s)\n```\n~~~~output\na\n```\nswift\n`````x\n~~~\n~~~~\n")
  }

  func testRewrittenExpectShowsItsMessage() throws {
    let source = """
      ```swift
      expect(loss, equals: 0.25, tolerance: 1e-4, "the loss falls below 0.3")
      expect(acc, equals: 0.5)
      ```

      """
    let nb = try Notebook.parse(source: source, path: "m.md")
    let run = RunResult(blocks: [
      0: BlockResult(
        blockIndex: 0, checks: [failed("m.md", 2, "0.25", "0.31234"), failed("m.md", 3, "0.5", "0.75")])
    ])
    let result = Updater.rewrite(source: source, notebook: nb, run: Checker.check(nb, run))
    XCTAssertEqual(
      result.changes.map(\.description),
      [
        "m.md:2:22: updated expected value: 0.25 → 0.31234 (its message: \"the loss falls below 0.3\"; check that the text still holds)",
        "m.md:3:21: updated expected value: 0.5 → 0.75",
      ])
  }

  func testParseDiagnosticsKeepsNotesWithTheirError() throws {
    let source =
      "```swift\nfunc f(network: Int, data: Int) -> Int { 1 }\n```\n\n```swift\nlet b = f(network: 1)\n```\n"
    let nb = try Notebook.parse(source: source, path: "n.md")
    let program = nb.tangle()
    let output = """
      n.md:6:21: error: missing argument for parameter 'data' in call
      let b = f(network: 1)
                          ^
                          , data: <#Int#>
      n.md:2:6: note: 'f(network:data:)' declared here
      func f(network: Int, data: Int) -> Int { 1 }
           ^
      n.md:2:6: note: x.swift:1:1: error: not a header
      /runtime/Modules/HandoutKit.swiftinterface:12:15: note: 'expect(_:equals:)' declared here
      n.md:6:9: error: second error
      let b = f(network: 1)
              ^
      """
    let diagnostics = Compiler.parseDiagnostics(
      output, notebook: nb, program: program, generatedFile: "/tmp/work/program.swift")
    XCTAssertEqual(diagnostics.map(\.severity), [.error, .error])
    XCTAssertEqual(diagnostics[0].location, SourceLocation(file: "n.md", line: 6, column: 21))
    XCTAssertEqual(
      diagnostics[0].notes,
      [
        Diagnostic(
          .note, "'f(network:data:)' declared here", at: SourceLocation(file: "n.md", line: 2, column: 6)),
        Diagnostic(
          .note, "x.swift:1:1: error: not a header", at: SourceLocation(file: "n.md", line: 2, column: 6)),
        Diagnostic(
          .note, "'expect(_:equals:)' declared here",
          at: SourceLocation(file: "/runtime/Modules/HandoutKit.swiftinterface", line: 12, column: 15)),
      ])
    XCTAssertEqual(diagnostics[1].message, "second error")
    XCTAssertEqual(diagnostics[1].notes, [])
  }

  func testTerminalReportShowsTheSourceLineAndACaret() throws {
    let source =
      "```swift\nfunc f(network: Int, data: Int) -> Int { 1 }\n```\n\n```swift\nlet é = f(network: 1)\n```\n"
    let nb = try Notebook.parse(source: source, path: "n.md")
    var error = Diagnostic(
      .error, "missing argument for parameter 'data' in call",
      at: SourceLocation(file: "n.md", line: 6, column: 22))
    error.notes = [
      Diagnostic(
        .note, "'f(network:data:)' declared here", at: SourceLocation(file: "n.md", line: 2, column: 6))
    ]
    let outcome = NotebookOutcome(
      path: "n.md", notebook: nb, run: RunResult(diagnostics: [error]), error: nil, seconds: 1)
    XCTAssertEqual(
      Report.terminal(outcome),
      """
      n.md:6:22: error: missing argument for parameter 'data' in call
          6 | let é = f(network: 1)
            |                     ^
      n.md:2:6: note: 'f(network:data:)' declared here
          2 | func f(network: Int, data: Int) -> Int { 1 }
            |      ^
      FAIL n.md: missing argument for parameter 'data' in call (1.0 s)
      """)
    // Notes also reach JUnit and GitHub (as notices at their own place).
    XCTAssertTrue(
      Report.junit([outcome]).contains("n.md:2:6: note: &apos;f(network:data:)&apos; declared here"))
    XCTAssertEqual(
      Report.githubAnnotations([outcome]),
      [
        "::error file=n.md,line=6,col=22::missing argument for parameter 'data' in call",
        "::notice file=n.md,line=2,col=6::'f(network:data:)' declared here",
      ])
  }

  func testTerminalReportEscapesWorkflowCommands() throws {
    let nb = try Notebook.parse(source: "```swift\nexpect(1, equals: 2)\n```\n", path: "g.md")
    var check = CheckResult(
      kind: .publishedOutput, location: SourceLocation(file: "g.md", line: 2, column: 1), passed: false,
      expected: "a\n::warning::published", actual: "a\n  ::error file=x.md,line=1::forged",
      difference: "ok\n::error file=y.md::forged\n##[error]v1 forged")
    check.replacement = nil
    let run = RunResult(blocks: [0: BlockResult(blockIndex: 0, checks: [check])])
    let outcome = NotebookOutcome(path: "g.md", notebook: nb, run: run, error: nil, seconds: 1)
    let text = Report.terminal(outcome)
    for line in text.split(separator: "\n") {
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      XCTAssertFalse(trimmed.hasPrefix("::"), "a workflow command at a line start: \(line)")
      XCTAssertFalse(line.contains("##["), "a v1 workflow command: \(line)")
    }
    // Escaped, not dropped: the text is still there to read.
    XCTAssertTrue(text.contains("\\::error file=y.md::forged"), text)
    XCTAssertTrue(text.contains("  \\::error file=x.md,line=1::forged"), text)
    XCTAssertEqual(Report.terminalSafe("x ::error y\n::a"), "x ::error y\n\\::a")
    // The intended annotations are unchanged, their data on one line.
    XCTAssertEqual(Report.githubAnnotations([outcome]).count, 1)
    XCTAssertTrue(Report.githubAnnotations([outcome])[0].hasPrefix("::error file=g.md,line=2,col=1::"))
  }
}
