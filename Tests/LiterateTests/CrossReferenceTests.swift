import Foundation
import XCTest

@testable import Literate

/// Callouts (GitHub's alerts) and cross-references: labels on figures, equations and tables, and
/// `@label` in prose, through real notebooks that compile and run.
final class CrossReferenceTests: XCTestCase {
  // MARK: Callouts

  func testEachCalloutKindRendersAsItsBoxAndAnUnknownMarkerDoesNot() {
    for (marker, kind, title) in [
      ("NOTE", "note", "Note"), ("tip", "tip", "Tip"), ("Important", "important", "Important"),
      ("WARNING", "warning", "Warning"), ("CAUTION", "caution", "Caution"),
    ] {
      var prose = ProseRenderer(inlineValues: [0: "0.25"])
      let html = prose.render(
        notebookProse: "> [!\(marker)]\n> The rate $\\eta$ is `swift rate`.\n>\n> Second.\n")
      XCTAssertTrue(html.contains("<div class=\"callout callout-\(kind)\" role=\""), html)
      XCTAssertTrue(html.contains("</svg>\(title)</p>"), html)
      XCTAssertFalse(html.contains("[!"), html)
      XCTAssertFalse(html.contains("<blockquote>"), html)
      // Math and inline values inside a callout still work.
      XCTAssertTrue(html.contains("<span class=\"math inline\">\\(\\eta\\)</span>"), html)
      XCTAssertTrue(html.contains("<span class=\"inline-value\">0.25</span>"), html)
      XCTAssertTrue(html.contains("<p>Second.</p>"), html)
    }
    var prose = ProseRenderer()
    // An unknown marker, text after the marker, and a marker not on the first line: blockquotes.
    for source in ["> [!FOO]\n> Text.\n", "> [!NOTE] Text.\n", "> Text.\n> [!NOTE]\n"] {
      let html = prose.render(source)
      XCTAssertTrue(html.contains("<blockquote>"), html)
      XCTAssertFalse(html.contains("callout"), html)
    }
    // The marker alone: the box holds the paragraphs that follow it.
    let alone = prose.render("> [!WARNING]\n>\n> Far away.\n")
    XCTAssertTrue(alone.contains("role=\"alert\""), alone)
    XCTAssertTrue(alone.contains("Warning</p>\n<p>Far away.</p>\n</div>"), alone)
  }

  // MARK: Figures

  static let figures = """
    # Two figures

    The second one, @fig-second, follows @fig-first; mail me@fig-first.org.

    ```swift id=fig-first
    show(Figure(width: 120, height: 90), caption: "First")
    ```

    Between them.

    ```swift
    let f = Figure(width: 100, height: 80)
    show(f, caption: "Second", label: "fig-second")
    ```
    """

  func testAReferenceReadsItsFigureNumberAndLinksToIt() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.figures, "figures.md", in: dir)
    let (notebook, checked) = try Support.run(Self.figures, path: path, options: try Support.options())
    let run = CrossReferences.apply(notebook, to: checked)
    XCTAssertEqual(run.errors, [])
    XCTAssertEqual(run.blocks[1]?.figures.first?.label, "fig-second")
    let html = try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
    XCTAssertTrue(html.contains("The second one, <a class=\"xref\" href=\"#fig-second\">Figure 2</a>,"), html)
    XCTAssertTrue(html.contains("follows <a class=\"xref\" href=\"#fig-first\">Figure 1</a>;"), html)
    // An e-mail address stays one (GitHub's autolink), not a reference.
    XCTAssertTrue(html.contains("mail <a href=\"mailto:me@fig-first.org\">me@fig-first.org</a>."), html)
    // The targets carry the ids, and their captions the same numbers.
    let second = try XCTUnwrap(html.range(of: "<figure class=\"figure\" id=\"fig-second\">"))
    XCTAssertTrue(html[second.upperBound...].contains("<span class=\"fig-number\">Figure 2</span>: Second"))
    XCTAssertTrue(html.contains("<figure class=\"figure\" id=\"fig-first\">"), html)
  }

  func testTheLabelSurvivesTheCache() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache", isDirectory: true)
    let path = try Support.write(Self.figures, "figures.md", in: dir)
    let notebook = try Notebook.parse(source: Self.figures, path: path)
    let first = try Runner.run(notebook, options: try Support.options(cache: cache)).result
    XCTAssertFalse(first.cached)
    let again = try Runner.run(notebook, options: try Support.options(cache: cache)).result
    XCTAssertTrue(again.cached)
    XCTAssertEqual(again.blocks[1]?.figures.first?.label, "fig-second")
    let run = CrossReferences.apply(notebook, to: Checker.check(notebook, again))
    XCTAssertEqual(run.errors, [])
    let html = try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
    XCTAssertTrue(html.contains("<a class=\"xref\" href=\"#fig-second\">Figure 2</a>"), html)
  }

  // MARK: Equations and tables

  func testEquationsAndTablesAreNumberedAmongTheLabelledOnes() throws {
    let source = """
      # Losses

      $$L = \\frac{1}{2}(y - d)^2$$ {#eq-squared}

      An unlabelled one: $$a = b$$

      $$
      L = -\\sum d \\log y
      $$ {#eq-cross}

      Minimise @eq-cross, not @eq-squared; the errors are in @tbl-errors.

      | model | error |
      | --- | --- |
      | OLS | 0.5 |

      Table: Errors of $n = 3$ models {#tbl-errors}

      | a |
      | --- |
      | 1 |

      Table: Without a label
      """
    let notebook = try Notebook.parse(
      source: source + "\n\n## Details\n\n## More on @eq-cross\n", path: "notebooks/losses.md")
    let references = CrossReferences.resolve(notebook, RunResult())
    XCTAssertEqual(references.diagnostics, [])
    XCTAssertEqual(references.targets["eq-cross"]?.number, 2)
    XCTAssertEqual(
      references.targets["tbl-errors"]?.location,
      SourceLocation(file: "notebooks/losses.md", line: 17, column: 33))
    let html = try Weave.page(notebook: notebook, run: RunResult(), options: WeaveFixture.options())
    XCTAssertTrue(
      html.contains(
        "Minimise <a class=\"xref\" href=\"#eq-cross\">Equation (2)</a>, not "
          + "<a class=\"xref\" href=\"#eq-squared\">Equation (1)</a>; the errors are in "
          + "<a class=\"xref\" href=\"#tbl-errors\">Table 1</a>."), html)
    XCTAssertTrue(
      html.contains(
        "<div class=\"equation\" id=\"eq-squared\"><span class=\"math display\">\\[L = \\frac{1}{2}(y - d)^2\\]"
          + "</span><span class=\"eq-number\">(1)</span></div>"), html)
    XCTAssertTrue(html.contains("id=\"eq-cross\""), html)
    XCTAssertFalse(html.contains("{#"), html)
    XCTAssertTrue(
      html.contains(
        "<figure class=\"table-figure\" id=\"tbl-errors\">\n<figcaption><span class=\"tbl-number\">Table 1"
          + "</span>: Errors of <span class=\"math inline\">\\(n = 3\\)</span> models</figcaption>\n<table>"),
      html)
    XCTAssertTrue(
      html.contains("<figure class=\"table-figure\">\n<figcaption>Without a label</figcaption>"), html)
    XCTAssertTrue(html.contains("</table>\n</figure>"), html)
    XCTAssertFalse(html.contains("Table:"), html)
    // In a heading: a link there, plain text in the contents (whose entries are links), and the
    // number in the heading's id.
    XCTAssertTrue(
      html.contains(
        "<h2 id=\"more-on-equation-2\">More on <a class=\"xref\" href=\"#eq-cross\">Equation (2)</a></h2>"),
      html)
    XCTAssertTrue(html.contains("More on <span class=\"xref\">Equation (2)</span></a>"), html)
  }

  // MARK: Errors

  func testAnUnknownLabelIsAnErrorAtItsLineAndColumnAndFailsCheck() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks", isDirectory: true)
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    _ = try Support.write(
      """
      # Typo

      $$x = 1$$ {#eq-one}

      See `swift 1 + 1` and @fig-boundry, then @tbl-nope.

      ```swift id=fig-boundary
      show(Figure(width: 100, height: 80))
      ```
      """, "x.md", in: notebooks)
    let (status, output) = try Support.handout(["check", "notebooks/"], in: dir)
    XCTAssertNotEqual(status, 0, output)
    XCTAssertTrue(
      output.contains(
        "notebooks/x.md:5:23: error: unknown reference @fig-boundry; did you mean @fig-boundary?"), output)
    XCTAssertTrue(
      output.contains("notebooks/x.md:5:42: error: unknown reference @tbl-nope: no table has this label"),
      output)
  }

  func testADuplicateLabelIsAnErrorAtTheSecond() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # Twice

      ```swift id=fig-twice
      show(Figure(width: 100, height: 80))
      ```

      ```swift
      show(Figure(width: 100, height: 80), label: "fig-twice")
      show(Figure(width: 100, height: 80), label: "twice")
      ```

      $$a$$ {#eq-a}

      $$b$$  {#eq-a}
      """
    let path = try Support.write(source, "twice.md", in: dir)
    let (notebook, checked) = try Support.run(source, path: path, options: try Support.options())
    let run = CrossReferences.apply(notebook, to: checked)
    XCTAssertTrue(run.failed)
    XCTAssertEqual(
      run.errors.map(\.description),
      [
        "\(path):8:45: error: duplicate label 'fig-twice': already used at \(path):3:1",
        "\(path):9:45: error: figure label 'twice' must start with `fig-` followed by letters, digits, `-` or `_`",
        "\(path):14:8: error: duplicate label 'eq-a': already used at \(path):12:7",
      ])
  }

  func testAReferenceFromOutsideASolutionIntoItIsAnError() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # Solved

      ::: exercise Draw it
      Draw a figure.

      ::: solution
      ```swift
      show(Figure(width: 100, height: 80), label: "fig-answer")
      ```

      As @fig-answer shows, it works.

      $$x$$ {#eq-inside}
      :::
      :::

      Compare @fig-answer with @eq-inside.
      """
    let path = try Support.write(source, "solved.md", in: dir)
    let (notebook, checked) = try Support.run(source, path: path, options: try Support.options())
    let run = CrossReferences.apply(notebook, to: checked)
    XCTAssertEqual(
      run.errors.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0)" }, ["17:9", "17:26"],
      "\(run.diagnostics)")
    XCTAssertTrue(run.errors.allSatisfy { $0.message.contains("inside a solution") }, "\(run.diagnostics)")
    XCTAssertTrue(run.errors.first?.message.hasPrefix("@fig-answer refers to Figure 1") == true)
  }

  func testALabelledCaptionWithoutItsTableIsAnError() throws {
    let source =
      "# T\n\nSome text.\n\nTable: Alone {#tbl-alone}\n\n| a |\n| - |\n| 1 |\nTable: Too close {#tbl-close}\n"
    let notebook = try Notebook.parse(source: source, path: "n.md")
    XCTAssertEqual(
      CrossReferences.resolve(notebook, RunResult()).diagnostics.map(\.description),
      [
        "n.md:5:1: error: the caption of table 'tbl-alone' must follow its table, after one blank line "
          + "(`| a | b |` … then `Table: caption {#tbl-alone}`)",
        "n.md:10:1: error: the caption of table 'tbl-close' must follow its table, after one blank line "
          + "(`| a | b |` … then `Table: caption {#tbl-close}`)",
      ])
  }

  func testAFigureTheRunNeverReachedIsNotReportedUnknown() throws {
    let source = """
      See @fig-late and @eq-none.

      ```swift
      show(Figure(width: 100, height: 80), label: "fig-late")
      ```
      """
    let notebook = try Notebook.parse(source: source, path: "n.md")
    // The program did not compile, or stopped before the block: only the equation is unknown.
    XCTAssertEqual(
      CrossReferences.resolve(notebook, RunResult()).diagnostics.map(\.description),
      ["n.md:1:19: error: unknown reference @eq-none: no equation has this label"])
    let ran = RunResult(blocks: [
      0: BlockResult(
        blockIndex: 0,
        figures: [FigureOutput(name: "block0-1", files: [:], caption: nil, alt: "", width: 1, height: 1)])
    ])
    XCTAssertEqual(
      CrossReferences.resolve(notebook, ran).diagnostics.map(\.description),
      [
        "n.md:1:5: error: unknown reference @fig-late: no figure has this label",
        "n.md:1:19: error: unknown reference @eq-none: no equation has this label",
      ])
  }

  func testAtSignsInCodeMailAndSwiftAttributesAreLeftAlone() throws {
    let source = """
      # Not references

      Write `@fig-a` or ``x @eq-b``; mail a@fig-a.org; mark it @MainActor; \\@fig-a is escaped.

      ```text
      @fig-a inside a fence
      ```

          @tbl-c indented code
      """
    let notebook = try Notebook.parse(source: source, path: "n.md")
    XCTAssertEqual(CrossReferences.resolve(notebook, RunResult()).diagnostics, [])
    var prose = ProseRenderer()
    let html = notebook.nodes.map { node in
      if case .prose(let tree) = node { prose.render(tree.blocks) } else { "" }
    }.joined()
    XCTAssertTrue(html.contains("<code>@fig-a</code>"), html)
    XCTAssertTrue(html.contains("<code>x @eq-b</code>"), html)
    XCTAssertTrue(html.contains("a@fig-a.org"), html)
    XCTAssertTrue(html.contains("@MainActor"), html)
    XCTAssertTrue(html.contains("@tbl-c indented code"), html)
    XCTAssertFalse(html.contains("xref"), html)
  }
}

extension RunResult {
  /// Its error diagnostics: the figures these notebooks show draw no data, each a warning.
  var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}
