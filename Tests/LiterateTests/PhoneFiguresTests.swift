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

  /// Every phone variant of the course (every animation frame has one) is drawn 360 px wide, the
  /// width the page shows it at, with its smallest text at 10 px or more there: 03's fits and 04's activation curves were 600 and
  /// 480 px for their long titles (text shown at 6 and 7.5 px), 04's network diagram 480 px beside
  /// its colour bar and legend. (The page's `<picture>` and the column are held above.)
  func testEveryPhoneFigureOfTheCourseIs360WideWithItsTextAt10Px() throws {
    let dir = try Support.temporaryDirectory(self)
    let render = try Support.handout(["render", CourseTests.notebooks.path, "-o", "out"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    let out = dir.appendingPathComponent("out")
    let all = try XCTUnwrap(FileManager.default.enumerator(atPath: out.path)).compactMap { $0 as? String }
    let files = all.filter { $0.hasSuffix(".phone.svg") }.sorted()
    XCTAssertGreaterThan(files.count, 20, "\(files)")
    // Every animation frame has one too (the page showed them at their own width, scrolling).
    let frames = all.filter { $0.wholeMatch(of: #/.*\.f[0-9]+\.svg/#) != nil }.sorted()
    XCTAssertGreaterThan(frames.count, 10, "\(frames)")
    for frame in frames {
      XCTAssertTrue(files.contains(frame.dropLast(4) + ".phone.svg"), "\(frame) has no phone variant")
    }
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

/// An animation's frames have a phone variant each, all of one size (`MediaSizes.frameSizes`): on
/// a 390 px screen the page showed its 600 px frames at their own width in a box that scrolled
/// sideways (squeezed into the 361 px column their text was at 6 px). A phone shows the frames
/// drawn for its column, and the slider and the play button step through them there.
final class PhoneAnimationTests: XCTestCase {
  func testAPhoneShowsAnAnimationsPhoneFramesAndItsControlsStepThem() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(
      """
      ---
      title: Phone animation
      ---

      ```swift echo=false
      let animation = Animation()
      for k in 1...3 {
        let frame = Figure(width: 600, height: 480)
        frame.axes.line(x: [0, 1, 2], y: [0, Double(k), 4])
        animation.append(frame, label: "frame \\(k)")
      }
      show(animation: animation, caption: "Three frames.")
      ```
      """, "anim.md", in: dir)
    let result = try Support.handout(["render", "anim.md", "-o", "out"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let out = dir.appendingPathComponent("out")
    // Shown: the file, its width on the screen, its own, the frame box's scroll and client widths,
    // the page's scroll width, the label; after the slider's first frame, then a play to the end.
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body>
      <iframe id="phone" src="anim.html" width="390" height="900"></iframe>
      <iframe id="wide" src="anim.html" width="1280" height="900"></iframe>
      <pre id="log"></pre><script>
      var loaded = 0, rows = [];
      function row(id) {
        var d = document.getElementById(id).contentDocument;
        var frames = d.querySelector(".animation .frames");
        var shown = frames.querySelectorAll(":scope > [data-frame]:not([hidden])");
        var img = shown[0].tagName === "IMG" ? shown[0] : shown[0].querySelector("img");
        rows.push([id, shown.length, img.currentSrc.split("/").pop(), img.getBoundingClientRect().width,
          img.naturalWidth, frames.scrollWidth, frames.clientWidth, d.documentElement.scrollWidth,
          d.querySelector(".frame-label").textContent.replace(" ", "_")].join(" "));
      }
      function step() {
        var d = document.getElementById("phone").contentDocument;
        var slider = d.querySelector(".frame-slider");
        row("wide"); row("phone");
        slider.value = "0"; slider.dispatchEvent(new Event("input"));
        setTimeout(function () {
          row("phone");
          d.querySelector(".frame-play").click();
          setTimeout(function () {
            row("phone");
            document.getElementById("log").textContent = rows.join("\\n");
          }, 2000);
        }, 300);
      }
      ["wide", "phone"].forEach(function (id) {
        document.getElementById(id).addEventListener("load", function () {
          if (++loaded === 2) setTimeout(step, 300);
        });
      });
      </script></body></html>
      """, at: out.appendingPathComponent("harness.html"), chromium: chromium)
    let rows = log.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    XCTAssertEqual(rows.count, 4, log)
    guard rows.count == 4, rows.allSatisfy({ $0.count == 9 }) else { return }
    func number(_ r: Int, _ c: Int) -> Double { Double(rows[r][c]) ?? -1 }
    // The desktop: the page's frame at its own size.
    XCTAssertEqual(rows[0][1], "1", log)
    XCTAssertEqual(rows[0][2], "block0-1.f2.svg", log)
    XCTAssertEqual(number(0, 3), 600, accuracy: 0.5, log)
    // The phone: the last frame's phone variant, its 10 px text at 10 px or more, nothing scrolls.
    for (r, frame, label) in [(1, 2, "frame_3"), (2, 0, "frame_1"), (3, 2, "frame_3")] {
      XCTAssertEqual(rows[r][1], "1", "one frame shown: \(log)")
      XCTAssertEqual(rows[r][2], "block0-1.f\(frame).phone.svg", log)
      XCTAssertGreaterThanOrEqual(10 * number(r, 3) / number(r, 4), 9.5, "the phone's smallest text: \(log)")
      XCTAssertLessThanOrEqual(number(r, 5), number(r, 6), "the frame box does not scroll: \(log)")
      XCTAssertLessThanOrEqual(number(r, 7), 390, "nor the page: \(log)")
      XCTAssertEqual(rows[r][8], label, log)
    }
  }
}
