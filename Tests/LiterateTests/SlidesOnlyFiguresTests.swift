import Foundation
import XCTest

@testable import Literate

/// A figure inside `::: slides` (or speaker notes) is on the deck only: the program is told so
/// (the tangle) and draws only its slide variant, the run cache's key holds where the block
/// stands, and neither the page nor the deck refers to a file that was not written.
final class SlidesOnlyFiguresTests: XCTestCase {
  static let source = """
    ---
    title: Slides only
    ---

    # Both

    ```swift id=both
    show(Figure(width: 400, height: 300), caption: "On both.")
    ```

    ::: slides
    ```swift id=deck
    show(Figure(width: 400, height: 300), caption: "On the deck.")
    ```
    :::

    ::: notes
    ```swift id=notes
    show(Figure(width: 400, height: 300), caption: "In the notes.")
    ```
    :::

    ::: handout
    ```swift id=page
    show(Figure(width: 400, height: 300), caption: "On the page.")
    ```
    :::
    """

  func testTheProgramIsToldWhichBlocksAreOnTheSlidesOnly() throws {
    let notebook = try Notebook.parse(source: Self.source, path: "notebooks/slides.md")
    XCTAssertEqual(notebook.slidesOnlyBlocks, [1, 2])
    XCTAssertEqual(notebook.pageOnlyBlocks, [3])
    let program = notebook.tangle().source
    XCTAssertTrue(program.contains("_Handout.beginBlock(0, id: \"both\")\n"), program)
    XCTAssertTrue(program.contains("_Handout.beginBlock(1, id: \"deck\", slidesOnly: true)\n"), program)
    XCTAssertTrue(program.contains("_Handout.beginBlock(2, id: \"notes\", slidesOnly: true)\n"), program)
    XCTAssertTrue(program.contains("_Handout.beginBlock(3, id: \"page\", pageOnly: true)\n"), program)
  }

  /// The same code outside the division must not be served the run that drew only slide files.
  func testTheRunCachesKeyHoldsWhereTheBlockStands() throws {
    let options = try Support.options()
    let cache = RunCache(root: options.cacheDirectory)
    let inside = try Notebook.parse(source: Self.source, path: "notebooks/slides.md")
    let outside = try Notebook.parse(
      source: Self.source.replacingOccurrences(of: "::: slides\n", with: "")
        .replacingOccurrences(of: "```\n:::\n\n::: notes", with: "```\n\n::: notes"),
      path: "notebooks/slides.md")
    XCTAssertEqual(outside.slidesOnlyBlocks, [2])
    XCTAssertEqual(outside.blocks.map(\.code), inside.blocks.map(\.code))
    XCTAssertNotEqual(
      try cache.key(notebook: inside, options: options), try cache.key(notebook: outside, options: options))
  }

  func testASlidesOnlyFigureHasOnlyItsSlideFileAndNothingRefersToAMissingOne() throws {
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    _ = try Support.write(Self.source, "nb/slides.md", in: dir)
    let cache = dir.appendingPathComponent("cache")
    let result = try Support.handout(
      ["render", "nb", "-o", "out", "--slides", "--cache", cache.path], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let out = dir.appendingPathComponent("out")
    let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("slides").path)
      .filter { !$0.hasPrefix(".") }.sorted()
    XCTAssertEqual(
      files,
      [
        "both-1.pdf", "both-1.png", "both-1.slide.svg", "both-1.svg", "deck-1.slide.svg", "notes-1.slide.svg",
        "page-1.pdf", "page-1.png", "page-1.svg",
      ])
    let deck = try Support.text(out.appendingPathComponent("slides.slides.html"))
    XCTAssertTrue(deck.contains("src=\"slides/deck-1.slide.svg\""), deck)
    XCTAssertTrue(deck.contains("src=\"slides/notes-1.slide.svg\""), deck)
    let page = try Support.text(out.appendingPathComponent("slides.html"))
    // (Its notes name them: these figures draw no data, each a warning.)
    XCTAssertFalse(page.contains("slides/deck-1") || page.contains("slides/notes-1"), "no page shows them")
    for (name, html) in [("deck", deck), ("page", page)] {
      for file in Self.figureReferences(in: html) {
        XCTAssertTrue(
          FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path),
          "the \(name) refers to \(file), which was not written")
      }
    }
  }

  /// Every `src` and `href` of `html` that names a file in the handout's figure folder.
  static func figureReferences(in html: String) -> [String] {
    let pattern = try? NSRegularExpression(pattern: #"(?:src|href)="(slides/[^"]+)""#)
    let range = NSRange(html.startIndex..., in: html)
    return (pattern?.matches(in: html, range: range) ?? []).compactMap { match in
      Range(match.range(at: 1), in: html).map { String(html[$0]) }
    }
  }
}
