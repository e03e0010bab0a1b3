import Foundation
import XCTest

@testable import Literate

/// Display equations that follow one another (01's update rules for α and β) are printed on one
/// page: the second never opens a page the first ends. Measured on what Chromium printed, read
/// back by `pdftotext`.
final class PrintEquationsTests: XCTestCase {
  func testTwoDisplayEquationsInARowArePrintedOnOnePage() throws {
    _ = try PDFTests.tool("chromium")
    _ = try PDFTests.tool("pdftotext")
    let dir = try Support.temporaryDirectory(self)
    // A block of prose as tall as the spacer puts the pair at the foot of page 1: at 200 and
    // 205 mm the first equation fits there and the second does not.
    let spacers = [195, 200, 205, 210]
    for height in spacers {
      _ = try Support.write(
        """
        ---
        title: Two equations
        ---

        <div style="height: \(height)mm"></div>

        The two updates:

        $$\\mathrm{Alpha} = 1$$

        $$\\mathrm{Beta} = 2$$

        The end.
        """, "eq\(height).md", in: dir)
    }
    let result = try Support.handout(["render", ".", "-o", "out", "--pdf"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    var pages: [Int: (alpha: Int?, beta: Int?)] = [:]
    for height in spacers {
      let pdf = dir.appendingPathComponent("out/eq\(height).pdf")
      var found: (alpha: Int?, beta: Int?) = (nil, nil)
      for page in 1...2 {
        let text = try PDFTests.text(pdf, page: page)
        if text.contains("Alpha") { found.alpha = page }
        if text.contains("Beta") { found.beta = page }
      }
      pages[height] = found
      XCTAssertNotNil(found.alpha, "eq\(height).pdf")
      XCTAssertEqual(found.alpha, found.beta, "eq\(height).pdf: the pair is split across pages")
    }
    // The spacers span the page's foot: the pair is on page 1 with the shortest, on page 2 with the tallest.
    XCTAssertEqual(pages[195]?.beta, 1, "\(pages)")
    XCTAssertEqual(pages[210]?.alpha, 2, "\(pages)")
  }
}
