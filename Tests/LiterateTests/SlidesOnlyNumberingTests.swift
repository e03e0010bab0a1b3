import Foundation
import XCTest

@testable import Literate

/// Equations and tables follow the figures' rule (`FigureNumberingTests`): the handout's numbering
/// is the one numbering, what only the slides show (`::: slides`, speaker notes) takes no number
/// and cannot be referred to, and what only the page shows (`::: handout`) keeps its number, which
/// the deck reads without a link.
final class SlidesOnlyNumberingTests: XCTestCase {
  static let source = """
    ---
    title: Numbering
    ---

    # Equations

    $$a = b$$ {#eq-a}

    ::: slides
    $$s = t$$ {#eq-s}

    | x | y |
    | --- | --- |
    | 1 | 2 |

    Table: {#tbl-s}

    On the deck: @eq-h, @tbl-h and @fig-h.
    :::

    ::: notes
    $$n = m$$ {#eq-n}
    :::

    ::: handout
    $$h = k$$ {#eq-h}

    | x | y |
    | --- | --- |
    | 5 | 6 |

    Table: Page only {#tbl-h}

    ```swift
    show(Figure(), label: "fig-h")
    ```
    :::

    ::: slides
    ```swift
    show(Figure())
    ```
    :::

    $$c = d$$ {#eq-c}

    | x | y |
    | --- | --- |
    | 3 | 4 |

    Table: Both {#tbl-p}

    See @eq-c here.
    """

  /// The notebook and a run in which each block showed one figure (by hand: only the numbering
  /// and the weave are under test).
  static func notebookAndRun(_ source: String = source) throws -> (Notebook, RunResult) {
    let notebook = try Notebook.parse(source: source, path: "notebooks/numbering.md")
    var run = RunResult()
    for block in notebook.blocks {
      let label = block.code.components(separatedBy: "\"").dropFirst().first
      run.blocks[block.index] = BlockResult(
        blockIndex: block.index,
        figures: [
          FigureOutput(
            name: "b\(block.index)", files: ["svg": "b\(block.index).svg"], caption: nil, alt: "",
            width: 10, height: 10, label: label)
        ])
    }
    return (notebook, CrossReferences.apply(notebook, to: run))
  }

  /// The equations' numbers in order, as "(n)", "-" for an unnumbered one.
  static func equationNumbers(_ html: String) -> [String] {
    html.components(separatedBy: "class=\"equation\"").dropFirst().map {
      let upTo = $0.components(separatedBy: "</div>\n").first ?? ""
      return upTo.firstMatch(of: /eq-number">(\(\d+\))/).map { String($0.1) } ?? "-"
    }
  }

  func testEquationsAndTablesOnTheSlidesOnlyTakeNoNumberAndThePageCountsOnWithoutGaps() throws {
    let (notebook, run) = try Self.notebookAndRun()
    XCTAssertEqual(run.diagnostics.filter { $0.severity == .error }, [])
    let targets = try XCTUnwrap(run.references?.targets)
    XCTAssertEqual(targets["eq-a"]?.number, 1)
    XCTAssertEqual(targets["eq-h"]?.number, 2)
    XCTAssertEqual(targets["eq-c"]?.number, 3, "(1), (2), (3) on the page: no gap for the slides' one")
    XCTAssertEqual(targets["tbl-h"]?.number, 1)
    XCTAssertEqual(targets["tbl-p"]?.number, 2)
    XCTAssertNil(targets["eq-s"])
    XCTAssertNil(targets["eq-n"], "speaker notes are the deck's")
    XCTAssertNil(targets["tbl-s"])
    let options = WeaveFixture.options()
    let page = try Weave.page(notebook: notebook, run: run, options: options)
    let deck = try Weave.slides(notebook: notebook, run: run, options: options)
    XCTAssertEqual(Self.equationNumbers(page), ["(1)", "(2)", "(3)"])
    XCTAssertTrue(page.contains("<a class=\"xref\" href=\"#eq-c\">Equation (3)</a>"), page)
    XCTAssertTrue(page.contains("<span class=\"tbl-number\">Table 2</span>: Both"), page)
    // The deck: the page's numbers, its own equation (and the notes', after the slide) with none.
    XCTAssertEqual(Self.equationNumbers(deck), ["(1)", "-", "(3)", "-"])
    XCTAssertTrue(deck.contains("<span class=\"tbl-number\">Table 2</span>: Both"), deck)
    XCTAssertEqual(deck.components(separatedBy: "tbl-number").count, 2, "the slides' table is unnumbered")
  }

  func testTheDeckReadsAPageOnlyTargetAsItsNumberInTheHandoutWithoutALink() throws {
    let (notebook, run) = try Self.notebookAndRun()
    let deck = try Weave.slides(notebook: notebook, run: run, options: WeaveFixture.options())
    let line = try XCTUnwrap(deck.components(separatedBy: "\n").first { $0.contains("On the deck:") })
    XCTAssertEqual(
      line,
      "<p>On the deck: <span class=\"xref\">Equation (2)</span>, <span class=\"xref\">Table 1</span> and "
        + "<span class=\"xref\">Figure 1</span>.</p>")
    // On the deck, links to targets it shows stay links.
    XCTAssertTrue(deck.contains("<a class=\"xref\" href=\"#eq-c\">Equation (3)</a>"), deck)
  }

  func testNoEmptyCaptionForAnUnnumberedFigureOrTable() throws {
    let (notebook, run) = try Self.notebookAndRun()
    let deck = try Weave.slides(notebook: notebook, run: run, options: WeaveFixture.options())
    XCTAssertFalse(deck.contains("<figcaption></figcaption>"), deck)
    XCTAssertFalse(deck.contains("<figcaption>\n"), deck)
    // The slides' figure (no caption, no number) has no caption box at all; the table keeps its
    // labelled figure, with no caption box.
    let slidesFigure = try XCTUnwrap(
      deck.components(separatedBy: "<figure class=\"figure\" id=\"fig-b").dropFirst().first?
        .components(separatedBy: "</figure>").first)
    XCTAssertFalse(slidesFigure.contains("figcaption"), slidesFigure)
    XCTAssertTrue(deck.contains("<figure class=\"table-figure\" id=\"tbl-s\">\n<table>"), deck)
  }

  /// `@eq-s` (or `@tbl-s`) in the handout's prose: an error at the reference, naming the notebook.
  func testAReferenceToAnEquationOrTableShownOnlyOnTheSlidesIsALocatedError() throws {
    for label in ["eq-s", "tbl-s"] {
      let source = Self.source.replacingOccurrences(of: "See @eq-c here.", with: "See @eq-c and @\(label).")
      let (_, run) = try Self.notebookAndRun(source)
      let errors = run.diagnostics.filter { $0.severity == .error }
      XCTAssertEqual(errors.count, 1, "\(errors)")
      let error = try XCTUnwrap(errors.first)
      XCTAssertTrue(error.message.contains("@\(label)"), error.message)
      XCTAssertTrue(error.message.contains("shown only on the slides"), error.message)
      XCTAssertTrue(
        error.message.contains(label.hasPrefix("eq") ? "its equation" : "its table"), error.message)
      let lines = source.components(separatedBy: "\n")
      let line = try XCTUnwrap(lines.firstIndex(of: "See @eq-c and @\(label).")) + 1
      XCTAssertEqual(error.location, SourceLocation(file: "notebooks/numbering.md", line: line, column: 15))
      XCTAssertEqual(error.description, "notebooks/numbering.md:\(line):15: error: \(error.message)")
    }
  }

  func testASlidesOnlyLabelUsedAgainOnThePageIsADuplicate() throws {
    let source = Self.source.replacingOccurrences(of: "$$c = d$$ {#eq-c}", with: "$$c = d$$ {#eq-s}")
      .replacingOccurrences(of: "See @eq-c here.", with: "")
    let (_, run) = try Self.notebookAndRun(source)
    let errors = run.diagnostics.filter { $0.severity == .error }
    XCTAssertEqual(
      errors.map(\.message).filter { $0.hasPrefix("duplicate label 'eq-s'") }.count, 1, "\(errors)")
  }
}
