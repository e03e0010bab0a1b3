import Foundation
import XCTest

@testable import Literate

/// The index's links to a handout's slides and PDF are things a student taps on a phone: each at
/// least 44 px tall and wide at 390 px (WCAG 2.5.5, Apple's and Google's 44/48), at least 24 px
/// at 1280 (WCAG 2.5.8), and none overlapping another. They were 20 px tall words.
final class IndexTargetsTests: XCTestCase {
  func testTheSlidesAndPDFLinksAreTapTargets() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    var entries = [
      IndexEntry(notebook: WeaveFixture.notebook(), run: WeaveFixture.run(), href: "a.html"),
      IndexEntry(notebook: WeaveFixture.notebook(), run: WeaveFixture.run(), href: "b.html"),
    ]
    entries[1].title = "A second handout whose title is long enough to wrap on a phone's narrow screen"
    for k in entries.indices {
      entries[k].slidesHref = "\(k).slides.html"
      entries[k].pdfHref = "\(k).pdf"
    }
    let options = WeaveFixture.options()
    try Support.installAssets(into: dir, options: options)
    try Support.write(
      try Weave.index(entries: entries, options: options), to: dir.appendingPathComponent("index.html"))
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body>
      <iframe id="wide" src="index.html" width="1280" height="800"></iframe>
      <iframe id="phone" src="index.html" width="390" height="800"></iframe>
      <pre id="log"></pre><script>
      var loaded = 0;
      function measure(id) {
        var d = document.getElementById(id).contentDocument;
        return id + " " + Array.prototype.map.call(d.querySelectorAll(".handout-slides, .handout-pdf"), function (a) {
          var r = a.getBoundingClientRect();
          return [r.left, r.top, r.width, r.height].map(Math.round).join(",");
        }).join(" ");
      }
      ["wide", "phone"].forEach(function (id) {
        document.getElementById(id).addEventListener("load", function () {
          if (++loaded === 2) setTimeout(function () {
            document.getElementById("log").textContent = measure("wide") + "\\n" + measure("phone");
          }, 200);
        });
      });
      </script></body></html>
      """, at: dir.appendingPathComponent("harness.html"), chromium: chromium)
    let rows = log.split(separator: "\n")
    XCTAssertEqual(rows.count, 2, log)
    for (row, least) in zip(rows, [24.0, 44.0]) {
      let boxes = row.split(separator: " ").dropFirst().map {
        $0.split(separator: ",").compactMap { Double($0) }
      }
      XCTAssertEqual(boxes.count, 4, String(row))
      for box in boxes {
        XCTAssertGreaterThanOrEqual(box[3], least, "a link \(box[3]) px tall: \(row)")
        XCTAssertGreaterThanOrEqual(box[2], least, "a link \(box[2]) px wide: \(row)")
      }
      for (i, a) in boxes.enumerated() {
        for b in boxes[(i + 1)...] {
          let apart = a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0] || a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1]
          XCTAssertTrue(apart, "links overlap: \(row)")
        }
      }
    }
  }
}
