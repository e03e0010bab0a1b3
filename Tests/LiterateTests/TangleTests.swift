import XCTest

@testable import Literate

final class TangleTests: XCTestCase {
  let notebook = """
    # Title `swift 40 + 2`

    ```swift id=a
    let xs = [1.0, 2.0]
    print(xs.count)
    ```

    ```r
    not run
    ```

    ```swift
    let a = 1; xs.map { $0 * 2 }
      .count // a comment
    ```

    Later `swift xs.count`.

    ```swift eval=false
    nope
    ```
    """

  func testProgramShapeAndSourceMap() throws {
    let nb = try Notebook.parse(source: notebook, path: "nb/t.md")
    let program = nb.tangle()
    let lines = program.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Every mapped line of the program is the notebook line it claims to be.
    let notebookLines = notebook.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    XCTAssertFalse(program.map.segments.isEmpty)
    for segment in program.map.segments {
      for k in 0..<segment.lineCount {
        let generated = lines[segment.generatedLine - 1 + k]
        let original = notebookLines[segment.notebookLine - 1 + k]
        if segment.inlineIndex == nil && !(segment.blockIndex == 2 && k == 0) {
          XCTAssertEqual(generated, original, "generated line \(segment.generatedLine + k)")
        } else {
          // Statements before the expression are blanked: the expression keeps its columns.
          let trimmed = String(generated.drop { $0 == " " })
          let offset = generated.utf8.count - trimmed.utf8.count
          XCTAssertTrue(
            String(decoding: Array(original.utf8).dropFirst(offset), as: UTF8.self).hasPrefix(trimmed),
            "\(generated) vs \(original)")
        }
        XCTAssertEqual(
          program.map.notebookLine(forGeneratedLine: segment.generatedLine + k), segment.notebookLine + k)
      }
      // The line above a segment is the #sourceLocation naming its first notebook line.
      XCTAssertEqual(
        lines[segment.generatedLine - 2], "#sourceLocation(file: \"t.md\", line: \(segment.notebookLine))")
    }
    XCTAssertEqual(program.map.segments.compactMap(\.blockIndex), [0, 2])
    XCTAssertEqual(program.map.segments.compactMap(\.inlineIndex), [0, 1])
    XCTAssertEqual(program.displayedBlocks, [2])
    XCTAssertTrue(program.source.contains("_Handout.beginBlock(0, id: \"a\")"))
    XCTAssertTrue(program.source.contains("let a = 1; \n_Handout.display {"), program.source)
    XCTAssertTrue(
      program.source.contains(
        "\n" + String(repeating: " ", count: 11) + "xs.map { $0 * 2 }\n  .count // a comment\n"),
      program.source)
    XCTAssertFalse(program.source.contains("nope"))
    XCTAssertFalse(program.source.contains("not run"))
    // The inline expression in the title runs before the first block, the later one after block 2.
    let order = [
      "_Handout.inline(0)", "_Handout.beginBlock(0", "_Handout.beginBlock(2)", "_Handout.inline(1)",
      "_Handout.finish()",
    ]
    let positions = order.map { program.source.range(of: $0)?.lowerBound }
    XCTAssertFalse(positions.contains(nil))
    XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted())
    XCTAssertTrue(
      program.source.contains(
        "#sourceLocation(file: \"t.md\", line: 1)\n" + String(repeating: " ", count: 15) + "40 + 2\n"))
  }

  func testDisplayRule() {
    func shown(_ code: String) -> Bool { Display.lastExpression(in: code) != nil }
    XCTAssertTrue(shown("y"))
    XCTAssertTrue(shown("let a = 1\na + 1"))
    XCTAssertTrue(shown("xs.map { $0 }"))
    XCTAssertTrue(shown("model.predict(x)"))
    XCTAssertTrue(shown("try f()"))
    XCTAssertTrue(shown("a == b"))
    XCTAssertFalse(shown("let y = 1"))
    XCTAssertFalse(shown("y = 2"))
    XCTAssertFalse(shown("y += 2"))
    XCTAssertFalse(shown("print(y)"))
    XCTAssertFalse(shown("show(figure, caption: \"c\")"))
    XCTAssertFalse(shown("expect(y, equals: 1)"))
    XCTAssertFalse(shown("try print(y)"))
    XCTAssertFalse(shown("for i in 0..<3 { print(i) }"))
    XCTAssertFalse(shown("if a { 1 } else { 2 }"))
    XCTAssertFalse(shown("func f() -> Int { 1 }"))
    XCTAssertFalse(shown("y +"), "a syntax error is left to swiftc")
    XCTAssertFalse(shown(""))
    XCTAssertEqual(Display.lastExpression(in: "let a = 1\n  a // note"), .init(line: 2, column: 3, text: "a"))
  }
}
