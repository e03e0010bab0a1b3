import XCTest

@testable import Literate

final class ParseTests: XCTestCase {
  func parse(_ text: String, path: String = "nb/x.md") throws -> Notebook {
    try Notebook.parse(source: text, path: path)
  }

  func testFrontMatterKnownAndUnknownKeys() throws {
    let nb = try parse(
      """
      ---
      title: "Single neuron"
      subtitle: Session 3
      author: N. O.
      date: 2026-02-16
      course: ML for CompBio
      timeout: 90
      colour: blue
      abstract: |
        We train *one* neuron.
      ---
      # Hello
      """)
    XCTAssertEqual(nb.frontMatter.title, "Single neuron")
    XCTAssertEqual(nb.frontMatter.subtitle, "Session 3")
    XCTAssertEqual(nb.frontMatter.date, "2026-02-16")
    XCTAssertEqual(nb.frontMatter.course, "ML for CompBio")
    XCTAssertEqual(nb.frontMatter.timeout, 90)
    XCTAssertEqual(nb.frontMatter.abstract, "We train *one* neuron.")
    XCTAssertEqual(nb.warnings.count, 1)
    XCTAssertEqual(nb.warnings.first?.location, SourceLocation(file: "nb/x.md", line: 8, column: 1))
    XCTAssertTrue(nb.warnings.first?.message.contains("colour") == true)
    XCTAssertEqual(nb.name, "x")
    guard case .prose(let prose) = nb.nodes.first else { return XCTFail("no prose") }
    XCTAssertEqual(prose.markdown, "# Hello")
    XCTAssertEqual(prose.line, 12)
    XCTAssertEqual(prose.blocks, [.heading(level: 1, [.text("Hello")])])
  }

  func testMalformedFrontMatterNamesTheLine() {
    let e = errors("---\ntitle: x\ntimeout: [1\n---\ntext\n")
    XCTAssertEqual(e.count, 1)
    XCTAssertEqual(e.first?.location?.line, 4)
    let unclosed = errors("---\ntitle: x\n")
    XCTAssertEqual(unclosed.first?.location?.line, 1)
    let badTimeout = errors("---\ntimeout: soon\n---\n")
    XCTAssertEqual(badTimeout.first?.location, SourceLocation(file: "nb/x.md", line: 2, column: 10))
  }

  func testBlocksAttributesAndPublishedOutput() throws {
    let nb = try parse(
      """
      Intro

      ```swift id=train echo=false timeout=5
      let a = 1
        let b = 2
      ```

      ```output tolerance=1e-6
      [1] 3
      ```

      ~~~~r
      y <- 1
      ```
      ~~~~

      ```swift eval=false output=false
      broken(
      ```
      """)
    let blocks = nb.blocks
    XCTAssertEqual(blocks.count, 3)
    XCTAssertEqual(blocks[0].id, "train")
    XCTAssertFalse(blocks[0].echo)
    XCTAssertEqual(blocks[0].timeout, 5)
    XCTAssertEqual(blocks[0].code, "let a = 1\n  let b = 2")
    XCTAssertEqual(blocks[0].fence, SourceLocation(file: "nb/x.md", line: 3, column: 1))
    XCTAssertEqual(blocks[0].firstCodeLine, 4)
    XCTAssertEqual(blocks[0].attributes.map(\.key), ["id", "echo", "timeout"])
    XCTAssertTrue(blocks[0].isExecuted)
    XCTAssertEqual(blocks[1].language, "r")
    XCTAssertEqual(blocks[1].code, "y <- 1\n```", "a shorter or different fence inside does not close it")
    XCTAssertFalse(blocks[2].eval)
    XCTAssertFalse(blocks[2].showOutput)
    XCTAssertFalse(blocks[2].isExecuted)
    let published = nb.nodes.compactMap { if case .published(let p) = $0 { p } else { nil } }
    XCTAssertEqual(published.count, 1)
    XCTAssertEqual(published[0].blockIndex, 0)
    XCTAssertEqual(published[0].text, "[1] 3")
    XCTAssertEqual(published[0].tolerance, 1e-6)
    XCTAssertEqual(published[0].firstTextLine, 9)
    XCTAssertEqual(published[0].closingLine, 10)
  }

  func testIndentedFenceLosesItsIndentFromCode() throws {
    let nb = try parse("  ```swift\n  let a = 1\n    b\n ```\n")
    XCTAssertEqual(nb.blocks.first?.code, "let a = 1\n  b")
    XCTAssertEqual(nb.blocks.first?.fence.column, 3)
  }

  func testBadAttributesPointAtTheWord() {
    let e = errors("text\n\n```swift id=a colour=red echo=maybe\nx\n```\n")
    XCTAssertEqual(e.map { $0.location?.column }, [15, 26])
    XCTAssertEqual(e.map { $0.location?.line }, [3, 3])
    XCTAssertTrue(e[0].message.contains("unknown attribute 'colour'"), e[0].message)
    XCTAssertTrue(e[1].message.contains("true or false"), e[1].message)

    XCTAssertEqual(errors("```swift timeout=-1\n```\n").first?.location?.column, 10)
    XCTAssertEqual(errors("```swift id=../etc\n```\n").first?.location?.column, 10)
    XCTAssertEqual(errors("```swift echo\n```\n").first?.location?.column, 10)
    XCTAssertEqual(
      errors("```swift\n```\n```output id=x\n```\n").first?.location,
      SourceLocation(file: "nb/x.md", line: 3, column: 11))
    XCTAssertEqual(errors("```r tolerance=1\n```\n").first?.location?.column, 6)
  }

  func testUnclosedFenceIsAnErrorAtTheFence() {
    let e = errors("# T\n\n   ````swift\nlet a = 1\n```\n")
    XCTAssertEqual(e.count, 1)
    XCTAssertEqual(e.first?.location, SourceLocation(file: "nb/x.md", line: 3, column: 4))
    XCTAssertTrue(e.first?.message.contains("never closed") == true)
  }

  func testOutputBlockNeedsASwiftBlockRightBefore() {
    XCTAssertEqual(errors("Text\n```output\n1\n```\n").first?.location?.line, 2)
    XCTAssertEqual(errors("```swift\nx\n```\nSome words.\n```output\n1\n```\n").first?.location?.line, 5)
    XCTAssertEqual(errors("```r\nx\n```\n```output\n1\n```\n").first?.location?.line, 4)
    XCTAssertEqual(errors("```swift eval=false\nx\n```\n```output\n1\n```\n").first?.location?.line, 4)
    XCTAssertEqual(
      errors("```swift\nx\n```\n```output\n1\n```\n```output\n1\n```\n").first?.location?.line, 7)
    // Blank lines between are fine.
    XCTAssertNoThrow(try parse("```swift\nx\n```\n\n\n```output\n1\n```\n"))
  }

  func testDuplicateIDs() {
    let e = errors("```swift id=a\n```\n\n```r id=a\n```\n")
    XCTAssertEqual(e.first?.location, SourceLocation(file: "nb/x.md", line: 4, column: 6))
    XCTAssertTrue(e.first?.message.contains("line 1") == true)
  }

  func testMathAndTablesSurviveExactly() throws {
    let prose = """
      The gradient is
      $$\\frac{\\partial E}{\\partial w_1} = -\\frac{1}{N} \\sum_{i=1}^N (d_i - y_i) * y_i * (1 - y_i) * x_{1i}$$
      and inline $E(w_1, w_2) = \\frac{1}{2N} \\sum_{i=1}^N (d_i - y_i)^2$ with a `code $span` too.

      | $x_1$ | $x_2$ | d |
      |:-----:|:-----:|---|
      | 0 | 1 | 0 — circle |
      """
    let nb = try parse(prose)
    guard case .prose(let tree) = nb.nodes.first else { return XCTFail() }
    XCTAssertEqual(tree.markdown, prose)
    XCTAssertTrue(nb.inlines.isEmpty)
  }

  func testInlineExpressions() throws {
    let nb = try parse(
      """
      Before `swift 1 + 1` and `not swift` and $`swift no`$ and ``swift  x.count``.

      ```swift
      let x = [1]
      ```

      After `swift x.map { $0 * 2 }`.
      """)
    XCTAssertEqual(nb.inlines.map(\.expression), ["1 + 1", "x.count", "x.map { $0 * 2 }"])
    XCTAssertEqual(nb.inlines.map(\.afterBlockCount), [0, 0, 1])
    XCTAssertEqual(nb.inlines[0].location, SourceLocation(file: "nb/x.md", line: 1, column: 15))
    XCTAssertEqual(nb.inlines[1].location.column, 68)
    XCTAssertEqual(nb.inlines[2].location, SourceLocation(file: "nb/x.md", line: 7, column: 14))
    guard case .prose(let first) = nb.nodes[0], case .prose(let last) = nb.nodes[2] else {
      return XCTFail()
    }
    XCTAssertEqual(
      first.blocks,
      [
        .paragraph([
          .text("Before "), .inlineValue(0), .text(" and "), .code("not swift"), .text(" and "),
          .math(MathSpan(tex: "`swift no`", display: false)), .text(" and "), .inlineValue(1), .text("."),
        ])
      ])
    XCTAssertEqual(last.blocks, [.paragraph([.text("After "), .inlineValue(2), .text(".")])])
    XCTAssertEqual(last.line, 7)
  }

  func testUnclosedDisplayMath() {
    XCTAssertEqual(
      errors("a\n$$x = 1\n\nmore").first?.location, SourceLocation(file: "nb/x.md", line: 2, column: 1))
  }

  func testCRLFAndBOM() throws {
    let nb = try parse(
      "\u{FEFF}---\r\ntitle: T\r\n---\r\nHi `swift 2`\r\n\r\n```swift id=a\r\nlet a = 1\r\nlet b = 2\r\n```\r\n"
    )
    XCTAssertEqual(nb.frontMatter.title, "T")
    XCTAssertEqual(nb.blocks.first?.code, "let a = 1\nlet b = 2")
    XCTAssertEqual(nb.blocks.first?.fence.line, 6)
    XCTAssertEqual(nb.inlines.first?.expression, "2")
  }

  func testNotUTF8AndMissingFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("handout-parse-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appendingPathComponent("bad.md")
    try Data([0x61, 0x62, 0xff, 0x63]).write(to: bad)
    XCTAssertThrowsError(try Notebook.load(path: bad.path)) { error in
      XCTAssertEqual(error as? HandoutError, .notUTF8(path: bad.path, line: 1, column: 3, offset: 2))
    }
    XCTAssertThrowsError(try Notebook.load(path: dir.appendingPathComponent("none.md").path))
  }

  func testEmptyNotebookWarns() throws {
    let nb = try parse("")
    XCTAssertTrue(nb.nodes.isEmpty)
    XCTAssertEqual(nb.warnings.first?.message, "the notebook is empty")
  }
}
