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

  /// The last size `print.js` tries is 70 % itself: its 6 px steps from the first guess stopped up
  /// to 6 px above it, and a figure that fits at 70 % stayed on the next page (05's early-stopping
  /// figure, after 38 % of its page). Here the figure's 10 px top margin is not in the height it
  /// measures at the top of its page: it fits the hole at 70.3 % and less, and the steps from
  /// 73.7 % (73.7, 71.7, then 69.7: below the floor) missed it.
  func testTheScriptTriesTheFloorItself() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    let script = try String(
      contentsOf: WeaveOptions.defaultTemplatesDirectory().appendingPathComponent("print.js"), encoding: .utf8
    )
    let square = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='300' height='300'/%3E"
    // A4's text area is 979 px tall (`print.js`); the hole under the spacer is 331 px, a third.
    let page = """
      <!DOCTYPE html><html><body style="margin: 0">
      <div class="page">
      <div style="height: 648px"></div>
      <figure class="figure" style="margin: 10px 0 0; break-inside: avoid">
      <img src="\(square)" width="300" height="300" style="display: block">
      <div style="height: 110px">caption</div>
      </figure>
      </div>
      <script>\(script)</script>
      <pre id="log"></pre>
      <script>
      window.addEventListener("load", function () {
        setTimeout(function () {
          var img = document.querySelector("figure img");
          document.getElementById("log").textContent = (img.dataset.fitted || "none") + " "
            + document.documentElement.dataset.figuresFitted;
        }, 100);
      });
      </script></body></html>
      """
    let log = try BrowserTests.log(page, at: dir.appendingPathComponent("fit.html"), chromium: chromium)
    XCTAssertEqual(log, "70 done", "the figure is scaled to 70 % into the hole")
  }
}
