import Foundation
import XCTest

@testable import Literate

/// A display formula on a phone (390 px, laid out by Chromium): one wider than the column is set
/// smaller until it fits, down to 60 % of its size, and one wider still scrolls with a shade on its
/// cut edge. Before, 05's Adam block ran 180 px past the column and scrolled with nothing to say so.
final class PhoneFormulaTests: XCTestCase {
  func testAWideFormulaFitsAPhoneAndAWiderOneShowsItScrolls() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(
      #"""
      ---
      title: Wide formulas
      ---
      # Formulas

      A short one stays at its size:

      $$E = mc^2$$

      The update rule, wider than a phone's column:

      $$W_{t+1} = W_t - \gamma \nabla_{W_t} \mathcal{L}_{W_t}(X_t, y_t) + \beta (W_t - W_{t-1}) - \lambda \gamma W_t$$

      A sum far wider than any phone:

      $$S = a_1 + a_2 + a_3 + a_4 + a_5 + a_6 + a_7 + a_8 + a_9 + a_{10} + a_{11} + a_{12} + a_{13} + a_{14} + a_{15} + a_{16} + a_{17} + a_{18} + a_{19} + a_{20} + a_{21} + a_{22}$$
      """#, "wide.md", in: dir)
    let render = try Support.handout(["render", "wide.md", "-o", "out"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body style="margin:0"><iframe src="wide.html" width="390" height="1500"></iframe>
      <pre id="log"></pre><script>
      window.addEventListener("load", function () { setTimeout(function () {
        var d = document.querySelector("iframe").contentDocument, w = d.defaultView, rows = [];
        d.querySelectorAll(".math.display").forEach(function (e) {
          var k = e.querySelector(".katex-display"), s = w.getComputedStyle(e);
          rows.push([e.scrollWidth, e.clientWidth,
            (parseFloat(w.getComputedStyle(k).fontSize) / parseFloat(s.fontSize)).toFixed(3),
            e.classList.contains("scrolls") ? "scrolls" : "still", s.backgroundImage === "none" ? "plain" : "shaded"].join(","));
        });
        document.getElementById("log").textContent = rows.join(" ");
      }, 500); });
      </script></body></html>
      """, at: dir.appendingPathComponent("out/wide-sizes.html"), chromium: chromium)
    let rows = log.split(separator: " ").map { $0.split(separator: ",").map(String.init) }
    XCTAssertEqual(rows.count, 3, log)
    guard rows.count == 3, rows.allSatisfy({ $0.count == 5 }) else { return }
    let short = rows[0]
    let wide = rows[1]
    let wider = rows[2]
    XCTAssertEqual(short[2], "1.000", "a formula that fits keeps its size: \(log)")
    XCTAssertLessThanOrEqual(
      Int(wide[0]) ?? 0, (Int(wide[1]) ?? 0) + 1, "the update rule fits the column: \(log)")
    XCTAssertGreaterThanOrEqual(Double(wide[2]) ?? 0, 0.6, "not under 60 %: \(log)")
    XCTAssertLessThan(Double(wide[2]) ?? 1, 1, "the update rule is set smaller: \(log)")
    XCTAssertEqual(Double(wider[2]) ?? 0, 0.6, accuracy: 0.005, "the sum stops at 60 %: \(log)")
    XCTAssertEqual(Array(wider[3...]), ["scrolls", "shaded"], "the sum says it scrolls: \(log)")
    XCTAssertEqual(Array(short[3...]), ["still", "plain"], log)
  }
}
