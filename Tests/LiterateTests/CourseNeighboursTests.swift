import Foundation
import XCTest

@testable import Literate

/// Rendering one notebook into a course folder: its neighbours' previous/next links follow the
/// index's order at once, re-woven from their cached runs (their code does not run again), and
/// they keep the decks they have. The summary line says what was written.
final class CourseNeighboursTests: XCTestCase {
  /// A handout whose page shows a number its code draws at random: a second run would show another.
  static func notebook(_ title: String) -> String {
    "---\ntitle: \(title)\n---\n\n# \(title)\n\n```swift\nprint(\"drawn \\(UInt64.random(in: 1...UInt64.max))\")\n```\n"
  }

  func testRenderingOneNotebookFixesItsNeighboursLinksFromTheirCachedRuns() throws {
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    _ = try Support.write(Self.notebook("Two"), "nb/02-two.md", in: dir)
    _ = try Support.write(Self.notebook("Four"), "nb/04-four.md", in: dir)
    let first = try Support.handout(
      ["render", "nb/02-two.md", "nb/04-four.md", "--slides", "-o", "out"], in: dir)
    XCTAssertEqual(first.status, 0, first.output)
    let out = dir.appendingPathComponent("out")
    func page(_ name: String) throws -> String {
      try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
    }
    func drawn(_ html: String) -> String? {
      html.range(of: "drawn [0-9]+", options: .regularExpression).map { String(html[$0]) }
    }
    let two = try page("02-two.html")
    let four = try page("04-four.html")
    XCTAssertTrue(two.contains("rel=\"next\" href=\"04-four.html\""), two)
    XCTAssertNotNil(drawn(two))

    _ = try Support.write(Self.notebook("Three"), "nb/03-three.md", in: dir)
    let third = try Support.handout(["render", "nb/03-three.md", "-o", "out"], in: dir)
    XCTAssertEqual(third.status, 0, third.output)
    XCTAssertTrue(
      third.output.contains(
        "wrote 1 handout to out/: 1 page and index.html; links to their neighbours updated in 02-two.html, 04-four.html"
      ), third.output)
    let twoAfter = try page("02-two.html")
    let fourAfter = try page("04-four.html")
    XCTAssertTrue(twoAfter.contains("rel=\"next\" href=\"03-three.html\""), twoAfter)
    XCTAssertTrue(fourAfter.contains("rel=\"prev\" href=\"03-three.html\""), fourAfter)
    XCTAssertTrue(fourAfter.contains("<span class=\"pager-title\">Three</span>"))
    // From the cache: the numbers their code drew are those of the first render.
    XCTAssertEqual(drawn(twoAfter), drawn(two))
    XCTAssertEqual(drawn(fourAfter), drawn(four))
    // Only the links changed, and the decks render --slides made stay.
    XCTAssertEqual(
      twoAfter.replacingOccurrences(of: "03-three.html", with: "04-four.html")
        .replacingOccurrences(of: ">Three<", with: ">Four<"), two)
    for name in ["02-two.slides.html", "04-four.slides.html"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
    }

    // Nothing to fix: a render of the same notebook again touches no neighbour.
    let again = try Support.handout(["render", "nb/03-three.md", "-o", "out"], in: dir)
    XCTAssertEqual(again.status, 0, again.output)
    XCTAssertFalse(again.output.contains("neighbours"), again.output)
  }

  /// A neighbour whose notebook was edited since it was rendered is not published again for its
  /// links: its page would show an edit nobody rendered, beside the PDF printed from the old page.
  /// It keeps its page, and a note says to render it too; the other neighbour's links are fixed.
  func testANeighbourEditedSinceItWasRenderedKeepsItsPageAndIsNamed() throws {
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    _ = try Support.write(Self.notebook("Two"), "nb/02-two.md", in: dir)
    _ = try Support.write(Self.notebook("Four"), "nb/04-four.md", in: dir)
    let first = try Support.handout(["render", "nb", "-o", "out"], in: dir)
    XCTAssertEqual(first.status, 0, first.output)
    let out = dir.appendingPathComponent("out")
    let two = try Data(contentsOf: out.appendingPathComponent("02-two.html"))
    // Words only: the code, and so the cached run, stay the same.
    _ = try Support.write(Self.notebook("Two") + "\nAn UNRENDERED edit.\n", "nb/02-two.md", in: dir)
    _ = try Support.write(Self.notebook("Three"), "nb/03-three.md", in: dir)
    let third = try Support.handout(["render", "nb/03-three.md", "-o", "out"], in: dir)
    XCTAssertEqual(third.status, 0, third.output)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("02-two.html")), two, third.output)
    XCTAssertTrue(
      third.output.contains(
        "nb/02-two.md:1:1: note: 02-two.html still links to its previous neighbours: its page would change "
          + "beyond its links (its notebook or the render's options changed since it was written; render it "
          + "too to update it)"), third.output)
    XCTAssertTrue(third.output.contains("links to their neighbours updated in 04-four.html\n"), third.output)
    let four = try String(contentsOf: out.appendingPathComponent("04-four.html"), encoding: .utf8)
    XCTAssertTrue(four.contains("rel=\"prev\" href=\"03-three.html\""), four)
  }

  /// A neighbour whose cached run fails its checks now (its published output was edited) keeps its
  /// page; the note says it fails, not that its run is missing from the cache.
  func testANeighbourThatFailsNowIsNamedForWhatItIs() throws {
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    let two = "# Two\n\n```swift\nprint(40 + 2)\n```\n\n```output\n42\n```\n"
    _ = try Support.write(two, "nb/02-two.md", in: dir)
    _ = try Support.write(Self.notebook("Four"), "nb/04-four.md", in: dir)
    XCTAssertEqual(try Support.handout(["render", "nb", "-o", "out"], in: dir).status, 0)
    _ = try Support.write(two.replacingOccurrences(of: "\n42\n", with: "\n43\n"), "nb/02-two.md", in: dir)
    _ = try Support.write(Self.notebook("Three"), "nb/03-three.md", in: dir)
    let third = try Support.handout(["render", "nb/03-three.md", "-o", "out"], in: dir)
    XCTAssertEqual(third.status, 0, third.output)
    XCTAssertTrue(
      third.output.contains(
        "nb/02-two.md:1:1: note: 02-two.html still links to its previous neighbours: it fails now "
          + "(render it too to see why)"), third.output)
  }

  func testTheSummaryCountsDecksAndLeavesOutRefusedHandouts() throws {
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
    _ = try Support.write("# One\n\nWords.\n", "one.md", in: dir)
    _ = try Support.write("# Mine\n\nWords.\n", "mine.md", in: dir)
    try Data("my own slides".utf8).write(to: dir.appendingPathComponent("out/mine.slides.html"))
    let result = try Support.handout(["render", "one.md", "mine.md", "--slides", "-o", "out"], in: dir)
    XCTAssertNotEqual(result.status, 0, result.output)
    XCTAssertTrue(
      result.output.contains(
        "wrote 1 handout to out/: 1 page, 1 deck and index.html; 1 refused (a file of the user's holds its name: mine.html)"
      ), result.output)
    XCTAssertEqual(
      try Data(contentsOf: dir.appendingPathComponent("out/mine.slides.html")), Data("my own slides".utf8))
  }
}
