import XCTest

@testable import Literate

/// A handout states only what the code computed (issue "Truth"): an inline value, or top-level
/// code, that would read a global before its declaration has run (Swift zero-initialises it, so
/// the page would say 0) is an error at its line and column, naming the declaration's line.
/// Real notebooks through the real tangle, swiftc and run.
final class TruthTests: XCTestCase {
  func run(_ source: String, _ name: String = "truth.md") throws -> RunResult {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, name, in: dir)
    return try Support.run(source, path: path, options: try Support.options()).1
  }

  func errors(of run: RunResult) -> [String] {
    run.diagnostics.filter { $0.severity == .error }.map { d in
      "\(d.location.map { "\($0.line):\($0.column)" } ?? "-") \(d.message)"
    }
  }

  func testInlineValueOfALaterDeclarationIsAnErrorAtTheInline() throws {
    let result = try run(
      """
      # Answer

      The answer is `swift answer`, computed below.

      ```swift
      let answer = 42
      ```

      """)
    XCTAssertEqual(
      errors(of: result),
      [
        "3:22 'answer' is declared later, at line 6; an inline value sees only the blocks above it"
      ])
    XCTAssertTrue(result.failed)
    XCTAssertTrue(result.inlineValues.isEmpty, "no value published: \(result.inlineValues)")
  }

  /// An inline value (or top-level code) that calls a function reading a later global.
  func testFunctionReadingALaterGlobalIsAnErrorWhereItIsCalled() throws {
    let result = try run(
      """
      ```swift
      func half() -> Int { answer / 2 }
      func quarter() -> Int { half() / 2 }
      print(quarter())
      ```

      Half of it is `swift half()`.

      ```swift
      let answer = 42
      ```

      """)
    XCTAssertEqual(
      errors(of: result),
      [
        "4:7 'quarter' reads 'answer', which is declared later, at line 10; top-level code would read it "
          + "uninitialised (as 0 or empty), so move the declaration above this line",
        "7:22 'half' reads 'answer', which is declared later, at line 10; an inline value sees only the "
          + "blocks above it",
      ])
  }

  /// The same names, used after the declaration has run: no error, the real values.
  func testInlineValueAndCallAfterTheDeclarationAreFine() throws {
    let result = try run(
      """
      ```swift
      func half() -> Int { answer / 2 }
      let answer = 42
      print(half())
      ```

      The answer is `swift answer`, half of it `swift half()`, and `swift [1, 2].map { x in x + answer }`.

      """)
    XCTAssertEqual(errors(of: result), [])
    XCTAssertEqual(result.blocks[0]?.text, "21\n")
    XCTAssertEqual(
      result.inlineValues.keys.sorted().map { result.inlineValues[$0] ?? "" }, ["42", "21", "43, 44"])
  }
}

/// A notebook may be named with any character a file system allows (issue "Names and text").
final class NotebookNameTests: XCTestCase {
  func testNotebooksNamedWithANewlineOrATabCheckAndRender() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let source = """
      # Odd names

      ```swift
      let x = 1.5
      print(x * 2)
      expect(x, equals: 1.5)
      ```

      ```output
      3.0
      ```

      """
    for name in ["a\nb.md", "tab\there.md"] {
      _ = try Support.write(source, "notebooks/\(name)", in: dir)
    }
    let check = try Support.handout(["check"], in: dir)
    XCTAssertEqual(check.status, 0, check.output)
    XCTAssertTrue(check.output.contains("ok   notebooks/a\\u{A}b.md: 2/2 checks passed"), check.output)
    XCTAssertTrue(check.output.contains("ok   notebooks/tab\\u{9}here.md: 2/2 checks passed"), check.output)

    let render = try Support.handout(["render", "--out", "out"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    let out = dir.appendingPathComponent("out")
    for name in ["a\nb", "tab\there"] {
      let page = try String(contentsOf: out.appendingPathComponent("\(name).html"), encoding: .utf8)
      XCTAssertTrue(page.contains("3.0"), page)
    }
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertTrue(index.contains("href=\"a%0Ab.html\""), index)
    XCTAssertTrue(index.contains("href=\"tab%09here.html\""), index)
  }
}
