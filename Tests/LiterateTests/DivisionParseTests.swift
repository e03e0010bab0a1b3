import XCTest

@testable import Literate

/// `::: exercise` … `:::` fenced divisions: what the parser builds, and the errors it gives.
final class DivisionParseTests: XCTestCase {

  func testExerciseWithSolutionNests() throws {
    let nb = try Notebook.parse(
      source: """
        Intro.

        ::: exercise Train a wider network
        Try three hidden units.

        ::: {.solution}
        ```swift
        let h = 3
        ```
        :::
        :::

        ::: notes
        Say why.
        :::
        """, path: "nb/x.md")
    let shape: [String] = nb.nodes.map { node in
      switch node {
      case .prose(let prose): "prose:\(prose.markdown)"
      case .block(let b): "block:\(b.code)"
      case .published: "published"
      case .open(let d): "open:\(d.kind.rawValue):\(d.title ?? "-"):\(d.location.line)-\(d.closingLine)"
      case .close(let d): "close:\(d.kind.rawValue):\(d.closingLine)"
      }
    }
    XCTAssertEqual(
      shape,
      [
        "prose:Intro.", "open:exercise:Train a wider network:3-11", "prose:Try three hidden units.",
        "open:solution:-:6-10", "block:let h = 3", "close:solution:10", "close:exercise:11",
        "open:notes:-:13-15", "prose:Say why.", "close:notes:15",
      ])
    XCTAssertEqual(nb.blocks.count, 1)
  }

  func testColonsInsideACodeBlockAreCode() throws {
    let nb = try Notebook.parse(source: "```text\n:::\n::: exercise\n```\n", path: "nb/x.md")
    XCTAssertEqual(nb.blocks.first?.code, ":::\n::: exercise")
    XCTAssertFalse(nb.nodes.contains { if case .open = $0 { true } else { false } })
  }

  func testUnknownKindIsAnErrorAtTheWord() {
    let e = errors("text\n\n::: warning\nx\n:::\n")
    XCTAssertEqual(e.count, 1, "\(e)")
    XCTAssertEqual(e.first?.location, SourceLocation(file: "nb/x.md", line: 3, column: 5))
    XCTAssertTrue(e.first?.message.contains("unknown division 'warning'") == true, "\(e)")
  }

  func testUnclosedAndStrayFences() {
    let unclosed = errors("::: exercise\ntext\n")
    XCTAssertEqual(unclosed.map(\.location?.line), [1])
    XCTAssertTrue(unclosed.first?.message.contains("never closed") == true)
    let stray = errors("text\n:::\n")
    XCTAssertEqual(stray.map(\.location?.line), [2])
    XCTAssertTrue(stray.first?.message.contains("closes no division") == true)
  }

  func testSolutionOutsideAnExerciseIsRefused() {
    let e = errors("::: solution\nx\n:::\n")
    XCTAssertEqual(e.map(\.location?.line), [1], "one error, not a second for its closing line")
    XCTAssertTrue(e.first?.message.contains("inside the ::: exercise") == true)
    let nested = errors("::: exercise\n::: exercise\n:::\n:::\n")
    XCTAssertEqual(nested.map(\.location?.line), [2])
  }
}
