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
}
