import Foundation
import XCTest

@testable import Literate

/// What a reader of a woven page must be able to trust (issue 12, section 5): blocks after a trap
/// are marked "not run", and no link in a page or the index runs script.
final class WeaveSafetyTests: XCTestCase {
  func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

  func testBlocksAfterATrapAreMarkedNotRunAndTheBadgeSaysWhere() throws {
    let dir = try Support.temporaryDirectory(self)
    let source =
      "# Trap\n\n```swift\nlet xs = [1, 2, 3]\nprint(\"before\")\n```\n\n```swift\nlet i = xs.count + 2\n"
      + "print(\"in\")\nprint(xs[i])\n```\n\n```swift\nprint(\"never\")\n```\n\n```swift echo=false\n"
      + "print(\"hidden, never\")\n```\n\n```r\nshown <- 1\n```\n"
    let path = try Support.write(source, "trap.md", in: dir)
    let (notebook, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertNil(run.blocks[2])
    let html = try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
    try html.write(to: dir.appendingPathComponent("trap.html"), atomically: true, encoding: .utf8)
    if let keep = ProcessInfo.processInfo.environment["HANDOUT_KEEP_PAGE"] {
      try? FileManager.default.removeItem(atPath: keep)
      try FileManager.default.copyItem(
        at: dir.appendingPathComponent("trap.html"), to: URL(fileURLWithPath: keep))
    }
    XCTAssertTrue(
      html.contains("did not run to the end — stopped at block 2, line 11</span></a>"), html)
    XCTAssertTrue(html.contains("<a class=\"stopped\" href=\"#cell-1\">"))
    // The two swift blocks after the trap, one of them hidden, say so; the block that ran and the
    // R block do not.
    XCTAssertEqual(count("class=\"cell lang-swift not-run\"", in: html), 2)
    XCTAssertEqual(
      count("Not run: the run stopped earlier, in <a href=\"#cell-1\">block 2, line 11</a>.", in: html), 2)
    XCTAssertTrue(html.contains("<section class=\"cell lang-swift not-run\" id=\"cell-2\">"))
    XCTAssertTrue(html.contains("<section class=\"cell lang-swift\" id=\"cell-0\">"))
    XCTAssertTrue(html.contains("<section class=\"cell lang-r static\" id=\"cell-4\">"))
  }

  func testARunThatEndedNormallyMarksNothing() throws {
    let notebook = WeaveFixture.notebook()
    let html = try Weave.page(notebook: notebook, run: RunResult(), options: WeaveFixture.options())
    XCTAssertFalse(html.contains("not-run"))
    XCTAssertFalse(html.contains("stopped at"))
  }

  func testScriptURLsInProseAndCaptionsAreDropped() throws {
    let prose = """
      [a](javascript:alert(1)) [b](<JaVa\tScRiPt:alert(2)>) <javascript:alert(3)> [c](vbscript:msgbox)
      [d](data:text/html,<script>alert(4)</script>) [e](java&#115;cript:alert(5))
      [ok](https://example.org/x) [rel](other.html#top) ![img](data:image/png;base64,iVBORw0KGgo=)
      <a href="javascript:void(0)">raw HTML stays the author's</a>
      """
    var renderer = ProseRenderer()
    let html = renderer.render(prose)
    XCTAssertEqual(count("href=\"javascript", in: html.lowercased()), 1, "only the raw HTML's: \(html)")
    XCTAssertFalse(
      html.contains("href=\"java\tscript") || html.lowercased().contains("href=\"vbscript"), html)
    XCTAssertFalse(html.contains("href=\"data:"), html)
    XCTAssertEqual(count("<a href=\"\">", in: html), 6, html)
    XCTAssertTrue(html.contains("<a href=\"https://example.org/x\">ok</a>"))
    XCTAssertTrue(html.contains("<a href=\"other.html#top\">rel</a>"))
    XCTAssertTrue(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"img\" />"), html)
    XCTAssertTrue(html.contains("<a href=\"javascript:void(0)\">raw HTML stays"), html)

    // A figure caption is the program's text: the same rule.
    let figure = FigureOutput(
      name: "f-1", files: ["svg": "javascript:alert(1)/f-1.svg", "png": "javascript:alert(1)/f-1.png"],
      caption: "see [x](javascript:alert(1))", alt: "a", width: 10, height: 10)
    let block = WeaveFixture.block(0, "show(1)", line: 1)
    let notebook = Notebook(
      path: "javascript:alert(1).md", name: "javascript:alert(1)", frontMatter: FrontMatter(),
      nodes: [.block(block)], inlines: [], warnings: [])
    let run = RunResult(blocks: [0: BlockResult(blockIndex: 0, figures: [figure])])
    let page = try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
    XCTAssertFalse(page.contains("href=\"javascript:"), page)
    XCTAssertFalse(page.contains("src=\"javascript:"), page)
    XCTAssertTrue(page.contains("src=\"javascript%3Aalert(1)/f-1.svg\""), page)
    XCTAssertTrue(page.contains("see <a href=\"\">x</a>"), page.components(separatedBy: "<figure").last ?? "")
  }

  func testIndexLinksAreEncodedPaths() throws {
    let entries = [
      IndexEntry(
        name: "javascript:alert(1)", title: "x", href: "javascript:alert(1).html", checksPassed: 0,
        checksFailed: 0, failed: false),
      IndexEntry(
        name: "my notes v1.2", title: "y", href: "my notes v1.2.html", checksPassed: 0, checksFailed: 0,
        failed: false),
    ]
    let index = try Weave.index(entries: entries, options: WeaveFixture.options())
    XCTAssertTrue(index.contains("href=\"javascript%3Aalert(1).html\""), index)
    XCTAssertTrue(index.contains("href=\"my%20notes%20v1.2.html\""), index)
    XCTAssertFalse(index.contains("href=\"javascript:"))
  }
}
