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
