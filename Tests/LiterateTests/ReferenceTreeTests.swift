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

/// References outside the prose runs: the abstract, an exercise's title, a figure's caption. They
/// resolve with the page's numbering, and an unknown one is an error where it is written.
final class ReferencesOutsideProseTests: XCTestCase {
  static let source = """
    ---
    title: Refs
    abstract: |
      The abstract reads @tbl-t and @fig-plot, and @tbl-nope.
    ---

    # Section

    ::: exercise Compare  @tbl-t with @eq-nope
    Do it.
    :::

    | a | b |
    | --- | --- |
    | 1 | 2 |

    Table: T {#tbl-t}
    """

  func testTheAbstractAndTitlesResolveAndAnUnknownOneIsLocated() throws {
    let notebook = try Notebook.parse(source: Self.source, path: "n.md")
    let run = CrossReferences.apply(notebook, to: RunResult())
    XCTAssertEqual(
      run.diagnostics.map(\.description),
      [
        "n.md:4:33: error: unknown reference @fig-plot: no figure has this label",
        "n.md:4:48: error: unknown reference @tbl-nope: no table has this label",
        "n.md:9:35: error: unknown reference @eq-nope: no equation has this label",
      ])
    let html = try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
    XCTAssertTrue(html.contains("The abstract reads <a class=\"xref\" href=\"#tbl-t\">Table 1</a> and"), html)
    XCTAssertTrue(
      html.contains(
        "<span class=\"exercise-title\">: Compare <a class=\"xref\" href=\"#tbl-t\">Table 1</a> with "
          + "<span class=\"xref-missing\" title=\"unknown reference\">@eq-nope</span></span>"), html)
    // The contents' entry is a link already: the title's reference is its text there.
    XCTAssertTrue(html.contains(": Compare <span class=\"xref\">Table 1</span> with"), html)
  }

  /// The abstract numbers nothing (the slides leave it out): a labelled equation or table in it is
  /// an error where its label is written, and a reference to one says why it resolves to nothing.
  /// The body's numbering starts at (1) as if the abstract had no label.
  func testALabelInTheAbstractIsALocatedError() throws {
    let source = """
      ---
      title: T
      abstract: |
        The update rule

        $$w \\leftarrow w - \\eta g$$ {#eq-rule}

        is @eq-rule.

        | a |
        | - |
        | 1 |

        Table: A {#tbl-a}
      ---

      # Body

      $$a = b$$ {#eq-body}

      See @eq-rule and @eq-body.
      """
    let notebook = try Notebook.parse(source: source, path: "n.md")
    let run = CrossReferences.apply(notebook, to: RunResult())
    func cannot(_ kind: String, _ label: String) -> String {
      "error: the abstract cannot hold a numbered \(kind) (the slides leave the abstract out): move the "
        + "\(kind) labelled '\(label)' into the text, or drop its `{#\(label)}` to show it unnumbered"
    }
    let unknown = "error: unknown reference @eq-rule: its equation is in the abstract, which numbers nothing"
    XCTAssertEqual(
      run.diagnostics.map(\.description),
      [
        "n.md:6:31: " + cannot("equation", "eq-rule"), "n.md:8:6: " + unknown,
        "n.md:14:12: " + cannot("table", "tbl-a"), "n.md:21:5: " + unknown,
      ])
    XCTAssertEqual(run.references?.targets["eq-body"]?.number, 1)
    let html = try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
    XCTAssertTrue(html.contains("<a class=\"xref\" href=\"#eq-body\">Equation (1)</a>"), html)
  }

  /// Folded or quoted, the abstract's references are where the YAML writes them (one in a code
  /// span is text, and is skipped).
  func testAnAbstractReferenceIsWhereTheYAMLWritesIt() throws {
    for (source, expected) in [
      ("---\nabstract: >\n  Folded, `@tbl-nope` in code\n  and @tbl-nope here.\n---\n\nText.\n", "n.md:4:7"),
      ("---\ntitle: T\nabstract: \"See `@tbl-nope`, @tbl-nope.\"\n---\n\nText.\n", "n.md:3:29"),
    ] {
      let notebook = try Notebook.parse(source: source, path: "n.md")
      XCTAssertEqual(
        CrossReferences.apply(notebook, to: RunResult()).diagnostics.map(\.description),
        ["\(expected): error: unknown reference @tbl-nope: no table has this label"], source)
    }
  }

  func testACaptionResolvesAndAnUnknownOneIsWhereTheCodeWritesIt() throws {
    let source =
      Self.source + "\n\n```swift\nlet f = Figure(width: 120, height: 90)\n"
      + "show(f, caption: \"From @tbl-t, not @fig-nope\", label: \"fig-plot\")\n```\n"
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "n.md", in: dir)
    let (notebook, checked) = try Support.run(source, path: path, options: try Support.options())
    let run = CrossReferences.apply(notebook, to: checked)
    XCTAssertEqual(
      run.errors.map(\.description),
      [
        "\(path):4:48: error: unknown reference @tbl-nope: no table has this label",
        "\(path):9:35: error: unknown reference @eq-nope: no equation has this label",
        "\(path):21:36: error: unknown reference @fig-nope: no figure has this label",
      ])
    let html = try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
    XCTAssertTrue(
      html.contains(
        "<span class=\"fig-number\">Figure 1</span>: From <a class=\"xref\" href=\"#tbl-t\">Table 1</a>, not "
          + "<span class=\"xref-missing\""), html)
    XCTAssertTrue(html.contains("and <a class=\"xref\" href=\"#fig-plot\">Figure 1</a>, and"), html)
  }

  /// In an image's `alt` and inside a link's text a reference is its text: no tag in an attribute,
  /// no link inside a link.
  func testInAltTextAndLinkTextAReferenceIsItsText() throws {
    let source = """
      ![see @tbl-t](a.png) and [read *@tbl-t*](https://example.org).

      | a | b |
      | --- | --- |
      | 1 | 2 |

      Table: T {#tbl-t}
      """
    let notebook = try Notebook.parse(source: source, path: "n.md")
    var prose = ProseRenderer()
    prose.references = CrossReferences.apply(notebook, to: RunResult()).references ?? CrossReferences()
    guard case .prose(let tree) = notebook.nodes.first else { return XCTFail("\(notebook.nodes)") }
    XCTAssertEqual(
      prose.render([tree.blocks[0]]),
      "<p><img src=\"a.png\" alt=\"see Table 1\" /> and <a href=\"https://example.org\">read "
        + "<em><span class=\"xref\">Table 1</span></em></a>.</p>\n")
  }

  /// An image's `alt` is plain text: math is its TeX source and an inline value its text (the
  /// expression when the run gave none), never the HTML the page shows for them.
  func testInAltTextMathIsItsTeXAndAnInlineValueItsText() throws {
    let source = "![loss $L(w) = \\frac{1}{2}w^2$ at `swift 1 + 1` and `swift 2 + 2`](a.png)\n"
    let notebook = try Notebook.parse(source: source, path: "n.md")
    guard case .prose(let tree) = notebook.nodes.first else { return XCTFail("\(notebook.nodes)") }
    var prose = ProseRenderer(inlineValues: [0: "2 < 3"], inlines: notebook.inlines)
    XCTAssertEqual(
      prose.render([tree.blocks[0]]),
      "<p><img src=\"a.png\" alt=\"loss L(w) = \\frac{1}{2}w^2 at 2 &lt; 3 and 2 + 2\" /></p>\n")
  }
}
