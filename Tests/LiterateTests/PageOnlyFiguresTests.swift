import Foundation
import XCTest

@testable import Literate

/// A figure inside `::: handout` is on the page only: the program is told so (the tangle), draws
/// no slide variant of it, and the run cache's key holds where the block stands; a cached run of
/// the page still serves a later `--slides` render, whose deck shows the other figures' slide
/// variants.
final class PageOnlyFiguresTests: XCTestCase {
  static let source = """
    ---
    title: Page only
    ---

    # Both

    ```swift id=both
    show(Figure(width: 400, height: 300), caption: "On both.")
    ```

    ::: handout
    ```swift id=page
    show(Figure(width: 400, height: 300), caption: "On the page.")
    ```
    :::
    """

  func testTheProgramIsToldWhichBlocksAreOnThePageOnly() throws {
    let notebook = try Notebook.parse(source: Self.source, path: "notebooks/page.md")
    XCTAssertEqual(notebook.pageOnlyBlocks, [1])
    let program = notebook.tangle().source
    XCTAssertTrue(program.contains("_Handout.beginBlock(0, id: \"both\")\n"), program)
    XCTAssertTrue(program.contains("_Handout.beginBlock(1, id: \"page\", pageOnly: true)\n"), program)
  }

  /// The same code outside the division (a prose edit only) must not be served the run that drew
  /// no slide variant: the key differs.
  func testTheRunCachesKeyHoldsWhereTheBlockStands() throws {
    let options = try Support.options()
    let cache = RunCache(root: options.cacheDirectory)
    let inside = try Notebook.parse(source: Self.source, path: "notebooks/page.md")
    let outside = try Notebook.parse(
      source: Self.source.replacingOccurrences(of: "::: handout\n", with: "")
        .replacingOccurrences(of: "```\n:::", with: "```"),
      path: "notebooks/page.md")
    XCTAssertEqual(outside.pageOnlyBlocks, [])
    XCTAssertEqual(outside.blocks.map(\.code), inside.blocks.map(\.code))
    XCTAssertNotEqual(
      try cache.key(notebook: inside, options: options), try cache.key(notebook: outside, options: options))
  }

  func testAPageOnlyFigureHasNoSlideFileAndACachedRunServesTheDeck() throws {
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    _ = try Support.write(Self.source, "nb/page.md", in: dir)
    let cache = dir.appendingPathComponent("cache")
    let plain = try Support.handout(["render", "nb", "-o", "out", "--cache", cache.path], in: dir)
    XCTAssertEqual(plain.status, 0, plain.output)
    let slides = try Support.handout(
      ["render", "nb", "-o", "out", "--slides", "--cache", cache.path], in: dir)
    XCTAssertEqual(slides.status, 0, slides.output)
    XCTAssertTrue(slides.output.contains("unchanged, using cached results"), slides.output)
    let files = try FileManager.default.contentsOfDirectory(
      atPath: dir.appendingPathComponent("out/page").path
    )
    .filter { !$0.hasPrefix(".") }.sorted()
    XCTAssertEqual(
      files,
      [
        "both-1.pdf", "both-1.png", "both-1.slide.svg", "both-1.svg", "page-1.pdf", "page-1.png",
        "page-1.svg",
      ])
    let deck = try Support.text(dir.appendingPathComponent("out/page.slides.html"))
    XCTAssertTrue(deck.contains("src=\"page/both-1.slide.svg\""), deck)
    XCTAssertFalse(deck.contains("page-1"), "the page's own figure is not on the deck")
    let page = try Support.text(dir.appendingPathComponent("out/page.html"))
    XCTAssertTrue(page.contains("page/both-1.slide.svg"), "the shared figure links its slide SVG")
    XCTAssertFalse(page.contains("page-1.slide.svg"), "the page-only one has none to link")
  }
}
