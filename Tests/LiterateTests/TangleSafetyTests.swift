import Foundation
import XCTest

@testable import Literate

/// Code that used to trap the tangler or escape its block (issue 12, section 4): a lone carriage
/// return, a `#sourceLocation` of the author's, an unterminated `/*`, a bracket left open.
final class TangleSafetyTests: XCTestCase {

  /// A notebook of one swift block holding `code`, built in code (no parser checks), at `path`.
  func handBuilt(_ code: String, path: String, prose: Bool = false) -> Notebook {
    let block = Block(index: 0, language: "swift", code: code, fence: SourceLocation(file: path, line: 3))
    let next = Block(
      index: 1, language: "swift", code: "print(\"after\")", fence: SourceLocation(file: path, line: 20))
    return Notebook(
      path: path, name: "x", frontMatter: FrontMatter(), nodes: [.block(block), .block(next)], inlines: [],
      warnings: [])
  }

  func testLoneCarriageReturnIsALocatedErrorNotATrap() throws {
    // The last line is a displayed expression: swift-syntax counts the CR as a line break, the
    // tangler's split on "\n" did not, and indexing the lines trapped (SIGILL in `handout`).
    let text = "# CR\n\n```swift\nlet a = 1\rlet b = 2\nprint(a + b)\na\r\n```\n\nText.\n"
    let e = errors(text)
    XCTAssertEqual(e.map(\.location), [SourceLocation(file: "nb/x.md", line: 4, column: 10)])
    XCTAssertTrue(e.first?.message.contains("carriage return") == true, "\(e)")
    // CRLF line endings stay fine, and so does a LINE SEPARATOR inside a string.
    let crlf = try Notebook.parse(
      source: "# ok\r\n\r\n```swift\r\nlet s = \"a\u{2028}b\"\r\ns.count\r\n```\r\n", path: "nb/x.md")
    XCTAssertEqual(crlf.tangle().displayedBlocks, [0])

    // A notebook built in code reaches the tangler with its CRs: no trap, and the lines swiftc
    // counts are the notebook's.
    for code in ["let a = 1\rlet b = 2\nprint(a + b)\na\r", "a\r", "\r\r\n\r", "x\r\ny"] {
      let program = handBuilt(code, path: "nb/x.md").tangle()
      XCTAssertFalse(program.source.contains("\r"), code)
    }
  }

  func testCarriageReturnInHandBuiltCodeKeepsSwiftcsLinesTheNotebooks() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = dir.appendingPathComponent("cr.md").path
    // Line 4 holds a CR inside a string; the type error is on notebook line 6, column 19.
    let notebook = handBuilt("let s = \"a\rb\"\nprint(s)\nlet bad: String = 1\ns", path: path)
    let run = try Runner.run(notebook, options: try Support.options()).result
    let error = try XCTUnwrap(run.diagnostics.first { $0.severity == .error }, "\(run.diagnostics)")
    XCTAssertEqual(error.location, SourceLocation(file: path, line: 6, column: 19), error.message)
  }

  func testSourceLocationInABlockIsALocatedError() throws {
    let text =
      "# SL\n\n```swift\nlet a = 1\n  #sourceLocation(file: \"x.swift\", line: 900)\nlet b: String = a\n```\n"
    let e = errors(text)
    XCTAssertEqual(e.map(\.location), [SourceLocation(file: "nb/x.md", line: 5, column: 3)])
    XCTAssertTrue(e.first?.message.contains("#sourceLocation is not allowed in a block") == true, "\(e)")
    // Inside a string it is just text.
    XCTAssertNoThrow(
      try Notebook.parse(source: "```swift\nprint(\"#sourceLocation()\")\n```\n", path: "x.md"))
  }

  func testSourceLocationInHandBuiltCodeIsReportedAtItsPlaceAndNeutralised() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = dir.appendingPathComponent("sl.md").path
    let notebook = handBuilt(
      "let a = 1\n#sourceLocation(file: \"x.swift\", line: 900)\nlet b: String = a", path: path)
    let run = try Runner.run(notebook, options: try Support.options()).result
    let errors = run.diagnostics.filter { $0.severity == .error }
    XCTAssertEqual(
      Set(errors.compactMap(\.location)),
      [SourceLocation(file: path, line: 5, column: 1), SourceLocation(file: path, line: 6, column: 17)],
      "\(errors)")
  }

  func testUnterminatedCommentIsLocatedAndDoesNotSwallowTheNextBlock() throws {
    let text =
      "# C\n\n```swift\nlet a = 1\n  /* open /* nested */\nlet b = 2\n```\n\n```swift\nprint(a)\n```\n"
    let e = errors(text)
    XCTAssertEqual(e.map(\.location), [SourceLocation(file: "nb/x.md", line: 5, column: 3)])
    XCTAssertTrue(e.first?.message.contains("/* comment is never closed") == true, "\(e)")
    // Closed comments, nested ones and `/*` in strings are fine.
    XCTAssertNoThrow(
      try Notebook.parse(source: "```swift\n/* a /* b */ c */\nprint(\"/*\")\n```\n", path: "x.md"))

    let dir = try Support.temporaryDirectory(self)
    let path = dir.appendingPathComponent("comment.md").path
    let run = try Runner.run(
      handBuilt("let a = 1\n/* open\nlet b = 2", path: path), options: try Support.options()
    ).result
    let errors = run.diagnostics.filter { $0.severity == .error }
    XCTAssertEqual(
      errors.compactMap(\.location), [SourceLocation(file: path, line: 5, column: 1)], "\(errors)")
  }

  func testBracketsLeftOpenAreLocatedAtTheirOpener() throws {
    let e = errors(
      "# B\n\n```swift\nfunc f() {\n  print(1)\n```\n\n```swift\nlet xs = [1,\n  2\n```\n\nSee `swift xs.count /* x`.\n"
    )
    XCTAssertEqual(
      e.map(\.location),
      [
        SourceLocation(file: "nb/x.md", line: 4, column: 10),
        SourceLocation(file: "nb/x.md", line: 9, column: 10),
        SourceLocation(file: "nb/x.md", line: 13, column: 21),
      ], "\(e)")

    let dir = try Support.temporaryDirectory(self)
    let path = dir.appendingPathComponent("brace.md").path
    let run = try Runner.run(handBuilt("func f() {\n  print(1)", path: path), options: try Support.options())
      .result
    let errors = run.diagnostics.filter { $0.severity == .error }
    XCTAssertEqual(
      errors.compactMap(\.location), [SourceLocation(file: path, line: 4, column: 10)], "\(errors)")
  }

  func testDeeplyNestedBracketsAreAnErrorNotAHang() throws {
    // swift-syntax's lookahead is exponential in the `[` open at once: 22 took a minute, these 40
    // would never end (found by the tangle fuzzer).
    let brackets = String(repeating: "[", count: 40)
    let e = errors("```swift\nlet x = \(brackets)\n```\n")
    XCTAssertEqual(e.map(\.location), [SourceLocation(file: "nb/x.md", line: 2, column: 17)])
    XCTAssertTrue(e.first?.message.contains("more than 8 '[' open at once") == true, "\(e)")
    // Shown only, the block is still highlighted and woven in full.
    let shown = try Notebook.parse(source: "```swift eval=false\nlet x = \(brackets)\n```\n", path: "x.md")
    let html = try Weave.page(notebook: shown, run: RunResult(), options: WeaveFixture.options())
    XCTAssertTrue(html.contains(brackets))
    // Eight deep is fine.
    XCTAssertNoThrow(
      try Notebook.parse(
        source:
          "```swift\nlet x = \(String(repeating: "[", count: 8))1\(String(repeating: "]", count: 8))\n```\n",
        path: "x.md"))
  }

  /// swiftc names a `#sourceLocation` file by its literal as written (`c\\d.md` for `c\d.md`):
  /// a failed `expect` and a trap in a notebook whose name holds a backslash, a quote or a newline
  /// are still at the notebook's own path, line and column, as in a plainly named one.
  func testExpectAndTrapInANotebookNamedWithEscapesAreAtItsLines() throws {
    let dir = try Support.temporaryDirectory(self)
    let text = "# T\n\n```swift\nexpect(1, equals: 2)\n```\n\n```swift\nlet a = [1]\nprint(a[3])\n```\n"
    for name in ["plain", "c\\d", "q\"x", "a\nb"] {
      let path = try Support.write(text, "\(name).md", in: dir)
      let run = try XCTUnwrap(Pipeline.process(path: path, options: try Support.options()).run, name)
      XCTAssertEqual(run.checks.map(\.location), [SourceLocation(file: path, line: 4, column: 1)], name)
      XCTAssertEqual(
        run.blocks[1]?.failure?.location, SourceLocation(file: path, line: 9, column: 8),
        "\(name): \(String(describing: run.blocks[1]?.failure))")
    }
  }

  /// A compile error in a notebook whose name holds a backslash, a quote, a tab or a newline is an
  /// error at the notebook's line and column: swiftc prints the escaped `#sourceLocation` name.
  func testCompileErrorInANotebookNamedWithEscapesIsAtItsLine() throws {
    let dir = try Support.temporaryDirectory(self)
    let text = "# E\n\n```swift\nlet v: Int = \"x\"\n```\n"
    for name in ["plain", "c\\d", "q\"x", "t\tb", "a\nb"] {
      let path = try Support.write(text, "\(name).md", in: dir)
      let run = try XCTUnwrap(Pipeline.process(path: path, options: try Support.options()).run, name)
      let errors = run.diagnostics.filter { $0.severity == .error }
      XCTAssertEqual(
        errors.map(\.location), [SourceLocation(file: path, line: 4, column: 14)], "\(name): \(errors)")
    }
  }
}
