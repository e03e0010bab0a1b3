import XCTest

/// A handout published again only for its links (a notebook rendered alone changed its
/// neighbours) keeps the PDF it has: it must be the PDF a fresh print of its new page gives, not
/// one that names the old neighbours. It is, because the printed page has no links to the course
/// index or the neighbours (they are the screen's); this holds that.
final class RelinkedPDFTests: XCTestCase {
  func testTheKeptPDFOfARelinkedHandoutIsTheOneAFreshPrintGives() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
      throw XCTSkip("/usr/bin/chromium is not installed (chromium)")
    }
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    // One date in both prints: every print of one page is then the same bytes.
    let date = ["SOURCE_DATE_EPOCH": "1700000000"]
    try Support.write("# Alpha\n\nFirst words.\n", to: dir.appendingPathComponent("nb/a.md"))
    try Support.write("# Gamma\n\nLast words.\n", to: dir.appendingPathComponent("nb/c.md"))
    let first = try Support.handout(
      ["render", "nb", "--out", "out", "--pdf"], in: dir, cache: cache, environment: date)
    XCTAssertEqual(first.status, 0, first.output)
    let out = dir.appendingPathComponent("out")
    let page = try Support.text(out.appendingPathComponent("a.html"))
    let pdf = try Data(contentsOf: out.appendingPathComponent("a.pdf"))

    // A new notebook between them, rendered alone and without --pdf: a and c get new links.
    try Support.write("# Beta\n\nMiddle words.\n", to: dir.appendingPathComponent("nb/b.md"))
    let alone = try Support.handout(
      ["render", "nb/b.md", "--out", "out"], in: dir, cache: cache, environment: date)
    XCTAssertEqual(alone.status, 0, alone.output)
    XCTAssertTrue(alone.output.contains("links to their neighbours updated in a.html"), alone.output)
    let relinked = try Support.text(out.appendingPathComponent("a.html"))
    XCTAssertNotEqual(relinked, page)
    XCTAssertTrue(relinked.contains("b.html"), relinked)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("a.pdf")), pdf, alone.output)

    // The whole course printed afresh into another folder: a's PDF is the one kept.
    let fresh = try Support.handout(
      ["render", "nb", "--out", "fresh", "--pdf"], in: dir, cache: cache, environment: date)
    XCTAssertEqual(fresh.status, 0, fresh.output)
    XCTAssertEqual(try Support.text(dir.appendingPathComponent("fresh/a.html")), relinked)
    XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("fresh/a.pdf")), pdf)
  }
}
