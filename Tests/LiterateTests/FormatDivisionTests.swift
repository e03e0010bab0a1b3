import Foundation
import XCTest

@testable import Literate

/// Content per format: `::: slides` on the deck only, `::: handout` on the page (and PDF) only,
/// the rest on both; Quarto's `content-visible` spelling reads the same.
final class FormatDivisionTests: XCTestCase {
  static let source = """
    ---
    title: Per format
    ---

    # Shared heading

    Shared paragraph.

    ::: slides
    - terse slide bullet
    :::

    ::: handout
    A long handout-only paragraph with every detail.
    :::

    ::: {.content-visible when-format="revealjs"}
    Quarto slide line.
    :::

    ::: {.content-visible unless-format="revealjs"}
    Quarto page line.
    :::

    ::: {.content-visible when-format="html"}
    Quarto html line.
    :::

    ## Second shared

    Closing words.
    """

  func testPageAndDeckEachShowTheirOwnAndBothTheShared() throws {
    let (deck, page, notebook) = try SlidesTests.deck(Self.source)
    let kinds = notebook.nodes.compactMap { if case .open(let d) = $0 { d.kind } else { nil } }
    XCTAssertEqual(kinds, [.slides, .handout, .slides, .handout, .handout])
    for shared in ["Shared paragraph.", "Closing words.", "Second shared"] {
      XCTAssertTrue(page.contains(shared), shared)
      XCTAssertTrue(deck.contains(shared), shared)
    }
    for slidesOnly in ["terse slide bullet", "Quarto slide line."] {
      XCTAssertFalse(page.contains(slidesOnly), "the page shows \(slidesOnly)")
      XCTAssertTrue(deck.contains(slidesOnly), slidesOnly)
    }
    for handoutOnly in ["handout-only paragraph", "Quarto page line.", "Quarto html line."] {
      XCTAssertTrue(page.contains(handoutOnly), handoutOnly)
      XCTAssertFalse(deck.contains(handoutOnly), "the deck shows \(handoutOnly)")
    }
    // The divisions leave no trace of their own (no <details>, no box) on either.
    for html in [page, deck] {
      XCTAssertFalse(html.contains("<details class=\"solution"))
      XCTAssertFalse(html.contains("<section class=\"exercise"))
    }
    // The slides-only bullet is on the first heading's slide, as if it were written there.
    let slides = SlidesTests.slides(deck)
    XCTAssertTrue(slides[1].contains("Shared heading") && slides[1].contains("terse slide bullet"))
  }

  /// A slide-only break: `---` inside `::: slides` cuts the deck and leaves nothing on the page,
  /// where a `---` in prose is a rule (`<hr>`) on the page as well as a cut.
  func testARuleInSlidesCutsTheDeckOnly() throws {
    let source = """
      # Long slide

      Before the break.

      ::: slides

      ---

      :::

      After the break.

      ---

      After the rule.
      """
    let (deck, page, _) = try SlidesTests.deck(source)
    let slides = SlidesTests.slides(deck)
    XCTAssertEqual(slides.count, 4, "title, then one slide per cut: \(slides)")
    guard slides.count == 4 else { return }
    XCTAssertTrue(slides[1].contains("Before the break.") && !slides[1].contains("After the break."))
    XCTAssertTrue(slides[2].contains("After the break.") && !slides[2].contains("After the rule."))
    XCTAssertFalse(deck.contains("<hr"))
    XCTAssertEqual(page.components(separatedBy: "<hr").count - 1, 1, "only the prose rule is on the page")
    let before = try XCTUnwrap(page.range(of: "Before the break."))
    let after = try XCTUnwrap(page.range(of: "After the break."))
    XCTAssertFalse(page[before.upperBound..<after.lowerBound].contains("<hr"), "no rule where the deck cuts")
  }

  func testMisplacedFormatDivisionsAreErrors() {
    let inNotes = errors("::: notes\n::: slides\nx\n:::\n:::\n")
    XCTAssertTrue(inNotes.first?.message.contains("cannot stand inside a ::: notes") == true, "\(inNotes)")
    let nested = errors("::: handout\n::: slides\nx\n:::\n:::\n")
    XCTAssertEqual(nested.first?.location?.line, 2)
    let notesInHandout = errors("::: handout\n::: notes\nx\n:::\n:::\n")
    XCTAssertTrue(notesInHandout.first?.message.contains("never on the slides") == true, "\(notesInHandout)")
    let otherFormat = errors("::: {.content-visible when-format=\"pdf\"}\nx\n:::\n")
    XCTAssertTrue(otherFormat.first?.message.contains("unknown division") == true, "\(otherFormat)")
  }

  /// A block inside `::: slides` is part of the one program: it runs once, before the blocks after
  /// it, whichever format is woven; its code and output are on the deck only.
  func testAnExecutedBlockInSlidesRunsOnceAndShowsOnTheDeckOnly() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # Counting

      ```swift
      var runs = 0
      ```

      ::: slides
      ```swift
      runs += 1
      print("slide block ran")
      ```
      :::

      ```swift
      print("runs: \\(runs)")
      ```
      """
    let path = try Support.write(source, "count.md", in: dir)
    let (notebook, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertFalse(run.failed, "\(run.diagnostics)")
    let options = WeaveFixture.options()
    let page = try Weave.page(notebook: notebook, run: run, options: options)
    let deck = try Weave.slides(notebook: notebook, run: run, options: options)
    XCTAssertTrue(page.contains("runs: 1"), "ran once, before the page's next block")
    XCTAssertTrue(deck.contains("runs: 1"))
    XCTAssertFalse(page.contains("slide block ran"))
    XCTAssertFalse(page.contains("runs += 1"))
    XCTAssertTrue(deck.contains("slide block ran"))
  }
}
