import Foundation
import XCTest

@testable import Literate

/// Which `@label` is a reference is decided by the prose tree, not by a guess at the lines: an
/// `@fig-x` in code (indented, fenced, a span), in a link's address or an e-mail address is text;
/// in a list item (its second paragraph too), a table cell or a callout it is a reference.
final class ReferenceTreeTests: XCTestCase {
  static let source = """
    Not references:

        @fig-x in indented code

    > ```text
    > @fig-x in a fence (in a quote: prose, not a notebook block)
    > ```

    A code span `@fig-x`, a link [here](@fig-x), an autolink <https://example.org/?see=@fig-x>, a
    bare one https://example.org/?see=@fig-x, mail me@example.org and <me@fig-x.org>.

    References:

    - a list item, @tbl-t

        its second paragraph, @eq-e

    | a | b |
    | --- | --- |
    | @tbl-t | 2 |

    Table: T {#tbl-t}

    > [!NOTE]
    > A callout, @eq-e.

    $$x$$ {#eq-e}
    """

  func testCodeLinksAndMailAreTextContainersHoldReferences() throws {
    let notebook = try Notebook.parse(source: Self.source, path: "n.md")
    let references = notebook.nodes.flatMap { node -> [String] in
      guard case .prose(let prose) = node else { return [] }
      return prose.allInlines.compactMap { if case .reference(let label, _) = $0 { label } else { nil } }
    }
    XCTAssertEqual(references, ["tbl-t", "eq-e", "tbl-t", "eq-e"])
    let run = CrossReferences.apply(notebook, to: RunResult())
    XCTAssertEqual(run.diagnostics, [], "no unknown reference")
    var prose = ProseRenderer()
    prose.references = run.references ?? CrossReferences()
    let html = notebook.nodes.map { node in
      if case .prose(let tree) = node { prose.render(tree.blocks) } else { "" }
    }.joined()
    for text in [
      "<pre><code>@fig-x in indented code\n", "<pre lang=\"text\"><code>@fig-x in a fence (in a quote",
      "<code>@fig-x</code>",
      "<a href=\"@fig-x\">here</a>",
      "<a href=\"https://example.org/?see=@fig-x\">https://example.org/?see=@fig-x</a>, a\nbare one "
        + "<a href=\"https://example.org/?see=@fig-x\">https://example.org/?see=@fig-x</a>, mail "
        + "<a href=\"mailto:me@example.org\">me@example.org</a> and "
        + "<a href=\"mailto:me@fig-x.org\">me@fig-x.org</a>.",
    ] {
      XCTAssertTrue(html.contains(text), "not text as written: \(text)\n\(html)")
    }
    XCTAssertFalse(html.contains("xref-missing"), html)
    XCTAssertTrue(
      html.contains("<li>\n<p>a list item, <a class=\"xref\" href=\"#tbl-t\">Table 1</a></p>"), html)
    XCTAssertTrue(
      html.contains("<p>its second paragraph, <a class=\"xref\" href=\"#eq-e\">Equation (1)</a>"), html)
    XCTAssertTrue(html.contains("<td><a class=\"xref\" href=\"#tbl-t\">Table 1</a></td>"), html)
    XCTAssertTrue(html.contains("A callout, <a class=\"xref\" href=\"#eq-e\">Equation (1)</a>."), html)
  }
}
