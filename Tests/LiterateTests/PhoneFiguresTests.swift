import Foundation
import XCTest

@testable import Literate

/// A page figure wider than a phone's column has a phone variant (`FigureSize.phone(for:)` in
/// Plot), which a narrow screen gets from a `<picture>`: on a 390 px screen a 640 px figure showed
/// its 10 px tick labels at 5.6 px. Laid out by a real Chromium at 390 and 1280 px; the smallest
/// text a figure shows is its 10 px drawn text times the width it is shown at over the width it was
/// drawn at (the file's own).
final class PhoneFiguresTests: XCTestCase {
  func testAPhoneGetsTheFigureDrawnForItsColumnAndADesktopThePagesOwn() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(
      """
      ---
      title: Phone figures
      ---

      ```swift echo=false
      let wide = Figure(width: 640, height: 480)
      wide.axes.line(x: [0, 1, 2, 3], y: [0, 1, 4, 9], label: "squares")
      wide.axes.xLabel = "x"
      wide.axes.yLabel = "x squared"
      show(wide, caption: "A page-wide figure.")
      let narrow = Figure(width: 320, height: 240)
      narrow.axes.line(x: [0, 1, 2], y: [0, 1, 2])
      show(narrow, caption: "A narrow figure.")
      ```
      """, "phone.md", in: dir)
    let result = try Support.handout(["render", "phone.md", "-o", "out"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let out = dir.appendingPathComponent("out")
    let figures = try FileManager.default.contentsOfDirectory(
      atPath: out.appendingPathComponent("phone").path)
    XCTAssertTrue(figures.contains("block0-1.phone.svg"), "\(figures)")
    XCTAssertFalse(figures.contains("block0-2.phone.svg"), "a narrow figure needs none: \(figures)")
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body>
      <iframe id="wide" src="phone.html" width="1280" height="900"></iframe>
      <iframe id="phone" src="phone.html" width="390" height="900"></iframe>
      <pre id="log"></pre><script>
      var loaded = 0;
      function measure(id) {
        var d = document.getElementById(id).contentDocument;
        return Array.prototype.map.call(d.querySelectorAll("figure.figure img"), function (img) {
          var file = img.currentSrc.split("/").pop();
          return id + " " + file + " " + img.getBoundingClientRect().width + " " + img.naturalWidth;
        }).join("\\n");
      }
      ["wide", "phone"].forEach(function (id) {
        document.getElementById(id).addEventListener("load", function () {
          if (++loaded === 2) setTimeout(function () {
            document.getElementById("log").textContent = measure("wide") + "\\n" + measure("phone");
          }, 300);
        });
      });
      </script></body></html>
      """, at: out.appendingPathComponent("harness.html"), chromium: chromium)
    let rows = log.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    XCTAssertEqual(rows.count, 4, log)
    var shown: [String: (file: String, text: Double)] = [:]
    for row in rows where row.count == 4 {
      let (width, natural) = (Double(row[2]) ?? 0, Double(row[3]) ?? 0)
      shown["\(row[0]) \(row[1].hasPrefix("block0-1") ? "wide" : "narrow")"] = (
        row[1], natural > 0 ? 10 * width / natural : 0
      )
    }
    XCTAssertEqual(shown["wide wide"]?.file, "block0-1.svg", log)
    XCTAssertEqual(shown["wide wide"]?.text ?? 0, 10, accuracy: 0.01, log)
    XCTAssertEqual(shown["phone wide"]?.file, "block0-1.phone.svg", log)
    XCTAssertGreaterThanOrEqual(
      shown["phone wide"]?.text ?? 0, 9.5, "the phone's smallest text, in px: \(log)")
    XCTAssertEqual(shown["phone narrow"]?.file, "block0-2.svg", log)
    XCTAssertGreaterThanOrEqual(shown["phone narrow"]?.text ?? 0, 9.5, log)
  }

  /// Every phone variant of the course is drawn 360 px wide, the width the page shows it at, with
  /// its smallest text at 10 px or more there: 03's fits and 04's activation curves were 600 and
  /// 480 px for their long titles (text shown at 6 and 7.5 px), 04's network diagram 480 px beside
  /// its colour bar and legend. (The page's `<picture>` and the column are held above.)
  func testEveryPhoneFigureOfTheCourseIs360WideWithItsTextAt10Px() throws {
    let dir = try Support.temporaryDirectory(self)
    let render = try Support.handout(["render", CourseTests.notebooks.path, "-o", "out"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    let out = dir.appendingPathComponent("out")
    let files = try XCTUnwrap(FileManager.default.enumerator(atPath: out.path))
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".phone.svg") }.sorted()
    XCTAssertGreaterThan(files.count, 20, "\(files)")
    for file in files {
      let svg = try Support.text(out.appendingPathComponent(file))
      let root = String(svg.prefix(600))
      let width = root.firstMatch(of: #/ width="([0-9.]+)px"/#).flatMap { Double($0.output.1) }
      let text = root.firstMatch(of: #/data-smallest-text="([0-9.]+)"/#).flatMap { Double($0.output.1) }
      XCTAssertEqual(width, 360, "\(file): \(root)")
      XCTAssertGreaterThanOrEqual((text ?? 0) * 361 / (width ?? .infinity), 10, "\(file): \(root)")
    }
  }
}

/// An animation's frames have no phone variant: a phone shows them at their own width in a box
/// that scrolls sideways (they were squeezed into the 361 px column, 600 px frames' text at 6 px),
/// and the page itself still does not scroll sideways.
final class PhoneAnimationTests: XCTestCase {
  func testAPhoneShowsAnAnimationsFramesAtTheirWidthInABoxThatScrolls() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(
      """
      ---
      title: Phone animation
      ---

      ```swift echo=false
      let animation = Animation()
      for k in 1...2 {
        let frame = Figure(width: 600, height: 480)
        frame.axes.line(x: [0, 1, 2], y: [0, Double(k), 4])
        animation.append(frame, label: "frame \\(k)")
      }
      show(animation: animation, caption: "Two frames.")
      ```
      """, "anim.md", in: dir)
    let result = try Support.handout(["render", "anim.md", "-o", "out"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let out = dir.appendingPathComponent("out")
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body>
      <iframe id="phone" src="anim.html" width="390" height="900"></iframe>
      <pre id="log"></pre><script>
      document.getElementById("phone").addEventListener("load", function () { setTimeout(function () {
        var d = document.getElementById("phone").contentDocument;
        var frames = d.querySelector(".animation .frames");
        var img = d.querySelector(".animation .frames > img:not([hidden])");
        document.getElementById("log").textContent = [img.getBoundingClientRect().width, img.naturalWidth,
          frames.scrollWidth, frames.clientWidth, d.documentElement.scrollWidth].join(" ");
      }, 300); });
      </script></body></html>
      """, at: out.appendingPathComponent("harness.html"), chromium: chromium)
    let values = log.split(separator: " ").compactMap {
      Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    XCTAssertEqual(values.count, 5, log)
    guard values.count == 5 else { return }
    XCTAssertEqual(values[0], values[1], accuracy: 0.5, "the frame at its own width, text at 10 px: \(log)")
    XCTAssertGreaterThan(values[2], values[3], "the frame box scrolls: \(log)")
    XCTAssertLessThanOrEqual(values[4], 390, "the page does not: \(log)")
  }
}
