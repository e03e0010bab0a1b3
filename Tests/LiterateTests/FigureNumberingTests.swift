import Foundation
import XCTest

@testable import Literate

/// One figure numbering for page and deck: a figure's number is its number in the handout (the
/// page). The deck shows the page's numbers, a figure shown only on the slides has none, and a
/// reference to one is an error.
final class FigureNumberingTests: XCTestCase {
  static let source = """
    ---
    title: Numbering
    ---

    # Figures

    ```swift
    show(Figure(), label: "fig-a")
    ```

    ::: handout
    ```swift
    show(Figure())
    ```
    :::

    ::: slides
    ```swift
    show(Figure())
    show(Figure())
    ```
    :::

    ```swift
    show(Figure(), label: "fig-b")
    ```

    See @fig-b here.
    """

  /// The notebook, and a run in which each block showed its figures (made by hand: only the
  /// numbering is under test).
  static func notebookAndRun(_ source: String = source) throws -> (Notebook, RunResult) {
    let notebook = try Notebook.parse(source: source, path: "notebooks/numbering.md")
    var run = RunResult()
    for block in notebook.blocks {
      let labels = block.code.components(separatedBy: "\n").filter { $0.hasPrefix("show(") }.map {
        $0.components(separatedBy: "\"").dropFirst().first
      }
      run.blocks[block.index] = BlockResult(
        blockIndex: block.index,
        figures: labels.enumerated().map { k, label in
          FigureOutput(
            name: "b\(block.index)-\(k)", files: ["svg": "b\(block.index)-\(k).svg"],
            caption: "Cap \(block.index)-\(k)",
            alt: "", width: 10, height: 10, label: label)
        })
    }
    return (notebook, CrossReferences.apply(notebook, to: run))
  }

  /// The figure captions' texts in order, tags stripped ("Figure 1: Cap 0-0").
  static func captions(_ html: String) -> [String] {
    html.components(separatedBy: "<figcaption>").dropFirst().map {
      ($0.components(separatedBy: "</figcaption>").first ?? "")
        .replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
    }
  }

  /// What `@fig-b` reads as: the text between "See " and " here".
  static func reference(_ html: String) -> String {
    let after = html.components(separatedBy: "See ").dropFirst().first ?? ""
    return (after.components(separatedBy: " here").first ?? "")
      .replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
  }

  func testPageAndDeckShowTheHandoutsNumbersInCaptionsAndReferences() throws {
    let (notebook, run) = try Self.notebookAndRun()
    XCTAssertEqual(run.diagnostics.filter { $0.severity == .error }, [])
    let options = WeaveFixture.options()
    let page = try Weave.page(notebook: notebook, run: run, options: options)
    let deck = try Weave.slides(notebook: notebook, run: run, options: options)
    XCTAssertEqual(Self.captions(page), ["Figure 1: Cap 0-0", "Figure 2: Cap 1-0", "Figure 3: Cap 3-0"])
    XCTAssertEqual(Self.reference(page), "Figure 3")
    // The deck excerpts the handout: its numbers are the page's (1, then 3), the slides' own
    // figures have none.
    XCTAssertEqual(Self.captions(deck), ["Figure 1: Cap 0-0", "Cap 2-0", "Cap 2-1", "Figure 3: Cap 3-0"])
    XCTAssertEqual(Self.reference(deck), "Figure 3")
  }

  func testAReferenceToAFigureShownOnlyOnTheSlidesIsAnErrorWhereItIsWritten() throws {
    let source = Self.source.replacingOccurrences(
      of: "show(Figure())\nshow(Figure())", with: "show(Figure(), label: \"fig-s\")"
    )
    .replacingOccurrences(of: "See @fig-b here.", with: "See @fig-b here.\n\nAnd @fig-s.")
    XCTAssertTrue(source.contains("label: \"fig-s\")") && source.contains("And @fig-s."))
    let (_, run) = try Self.notebookAndRun(source)
    let errors = run.diagnostics.filter { $0.severity == .error }
    XCTAssertEqual(errors.count, 1, "\(errors)")
    XCTAssertTrue(errors.first?.message.contains("@fig-s") == true, "\(errors)")
    XCTAssertTrue(errors.first?.message.contains("shown only on the slides") == true, "\(errors)")
    XCTAssertEqual(
      errors.first?.location?.line,
      source.components(separatedBy: "\n").firstIndex(of: "And @fig-s.").map { $0 + 1 })
  }
}
