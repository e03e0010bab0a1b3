import XCTest

@testable import Literate

/// Prose nested thousands of levels deep (block quotes, list items, brackets, emphasis) overflowed
/// `handout`'s stack in the walk from cmark's tree (a crash, SIGSEGV, with any such notebook): it
/// is an error at the place it gets too deep, and what lies deeper is left out of the tree.
final class DeepNestingTests: XCTestCase {
  static let deep: [(name: String, prose: String, line: Int, column: Int)] = [
    ("block quotes", String(repeating: ">", count: 5000) + " deep\n", 3, 64),
    ("list items", String(repeating: "- ", count: 3000) + "item", 3, 63),
    ("emphasis", String(repeating: "*", count: 30000) + "x" + String(repeating: "*", count: 30000), 3, 1),
  ]

  func testProseNestedTooDeepIsAnErrorWhereItGetsTooDeep() throws {
    for (name, prose, line, column) in Self.deep {
      let source = "# Deep\n\n" + prose + "\n\nAfter.\n"
      XCTAssertThrowsError(try Notebook.parse(source: source, path: "deep.md"), name) { error in
        guard case HandoutError.notebook(let diagnostics) = error else {
          return XCTFail("\(name): \(error)")
        }
        let errors = diagnostics.filter { $0.severity == .error }
        XCTAssertEqual(errors.count, 1, "\(name): \(errors)")
        XCTAssertTrue(
          errors.first?.message.contains("nested more than 64 levels deep") == true, "\(name): \(errors)")
        XCTAssertEqual(errors.first?.location?.line, line, name)
        XCTAssertEqual(errors.first?.location?.column, column, name)
      }
    }
  }

  func testProseNestedAsDeepAsAHandoutDoesParses() throws {
    let lists = (0..<30).map { String(repeating: "  ", count: $0) + "- *item* [\($0)](u)" }.joined(
      separator: "\n")
    let quotes = String(repeating: "> ", count: 30) + "**deep** quote"
    XCTAssertNoThrow(try Notebook.parse(source: "# Fine\n\n\(lists)\n\n\(quotes)\n", path: "fine.md"))
  }

  /// Markdown a program wrote (a figure caption) is cut the same way, without an error to report,
  /// and woven: as many levels as the limit allows, no more.
  func testMarkdownAProgramWroteNestedTooDeepIsCut() {
    let cases = [
      ("block quotes", String(repeating: "> ", count: 5000) + "deep", "<blockquote>"),
      ("list items", String(repeating: "- ", count: 3000) + "item", "<li>"),
      (
        "emphasis", String(repeating: "*", count: 30000) + "x" + String(repeating: "*", count: 30000),
        "<strong>"
      ),
    ]
    for (name, markdown, tag) in cases {
      XCTAssertFalse(Prose.tree(of: markdown).isEmpty, name)
      var prose = ProseRenderer()
      let html = prose.render(markdown)
      let opened = html.components(separatedBy: tag).count - 1
      XCTAssertGreaterThan(opened, 10, "\(name): \(html.prefix(300))")
      XCTAssertLessThanOrEqual(opened, CommonMark.nestingLimit, name)
    }
  }
}
