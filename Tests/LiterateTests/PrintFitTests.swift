import Foundation
import XCTest

@testable import Literate

/// A figure that does not fit into the hole at the foot of the page before even at 70 % moves up
/// when the figures of that page give up some of their height too (`print.js`; the course's 04
/// prints on 11 pages instead of 12).
/// Measured on what Chromium printed, read back by `pdftotext`.
final class PrintFitTests: XCTestCase {
  func testAFigureMovesUpWhenTheFigureBeforeItGivesUpHeightToo() throws {
    _ = try PDFTests.tool("chromium")
    _ = try PDFTests.tool("pdftotext")
    let dir = try Support.temporaryDirectory(self)
    // With the spacer, the second figure and its lead-in miss page 1's hole even at 70 %, and
    // fit when the first figure is scaled down with it.
    let spacers = [20, 25]
    for height in spacers {
      _ = try Support.write(
        """
        ---
        title: Two figures
        ---

        <div style="height: \(height)mm"></div>

        ```swift echo=false
        func curve(_ k: Double) -> Figure {
          let figure = Figure(width: 560, height: 420)
          figure.axes.line(x: [0, 1, 2, 3], y: [0, k, 1, k * k], label: "k")
          return figure
        }
        show(curve(1), caption: "The first figure.")
        ```

        The second figure, introduced by a sentence ending with a colon, so that it cannot let go of it:

        ```swift echo=false
        show(curve(2), caption: "The second figure.")
        ```

        The end.
        """, "fit\(height).md", in: dir)
    }
    let result = try Support.handout(["render", ".", "-o", "out", "--pdf"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    for height in spacers {
      let pdf = dir.appendingPathComponent("out/fit\(height).pdf")
      let first = try PDFTests.text(pdf, page: 1)
      XCTAssertTrue(first.contains("The first figure."), "fit\(height).pdf page 1: \(first)")
      XCTAssertTrue(
        first.contains("The second figure."), "fit\(height).pdf: the second figure left page 1: \(first)")
    }
  }
}
