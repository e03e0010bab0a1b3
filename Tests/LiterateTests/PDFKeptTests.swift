import XCTest

@testable import Literate

/// A render that cannot write the handout's PDF in full (a full disk, `ulimit -f`) keeps the last
/// good handout, PDF and all. The previous PDF, carried over into the new folder when no new one
/// could be printed, was cut at the limit and swapped in all the same: `k.pdf` became a 16 KiB
/// stump that no reader opens, recorded as Handout's, and the good PDF was gone.
final class PDFKeptTests: XCTestCase {
  func testAPDFThatCannotBeWrittenWholeNeverReplacesTheLastGoodOne() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let notebook = dir.appendingPathComponent("nb/k.md")
    let out = dir.appendingPathComponent("out")
    try Support.write("# K\n\nWords $x^2$.\n\n```swift\nprint(1)\n```\n", to: notebook)
    let good = try Support.handout(["render", "nb", "--out", "out", "--pdf"], in: dir, cache: cache)
    XCTAssertEqual(good.status, 0, good.output)
    let pdf = try Data(contentsOf: out.appendingPathComponent("k.pdf"))
    let page = try Data(contentsOf: out.appendingPathComponent("k.html"))
    XCTAssertGreaterThan(pdf.count, 20 * 1024, "the test needs a PDF larger than the limit")

    // Prose only: the run comes from the cache, nothing is compiled under the limit.
    try Support.write("# K\n\nEdited words $x^2$.\n\n```swift\nprint(1)\n```\n", to: notebook)
    let limited = try Support.handout(
      ["render", "nb", "--out", "out", "--pdf"], in: dir, cache: cache, fileSizeLimit: 16)
    XCTAssertNotEqual(limited.status, 0, limited.output)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("k.pdf")), pdf, limited.output)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("k.html")), page, limited.output)
    XCTAssertTrue(limited.output.contains("the previous one is kept"), limited.output)

    // Without the limit, the edit is published, its PDF whole.
    let next = try Support.handout(["render", "nb", "--out", "out", "--pdf"], in: dir, cache: cache)
    XCTAssertEqual(next.status, 0, next.output)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("k.html")).contains("Edited words"))
    let printed = try Data(contentsOf: out.appendingPathComponent("k.pdf"))
    XCTAssertTrue(printed.starts(with: Data("%PDF-".utf8)) && printed.count > 20 * 1024, "\(printed.count)")
  }
}
