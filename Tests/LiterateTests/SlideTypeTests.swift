import Foundation
import XCTest

@testable import Literate

/// Prose on a slide is read from the back of the room: at 1280×720 nothing a class reads is under
/// 24 px (a figure's caption, an animation's frame label, the title slide's course line, a code
/// block's language), laid out by Chromium; and `SlideMetrics` estimates captions at the size the
/// deck sets them.
final class SlideTypeTests: XCTestCase {
  static let floor = 24.0

  func testCaptionsFrameLabelsAndTheCourseLineAreAtLeast24px() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(
      """
      ---
      title: Type
      course: Neural networks from scratch
      ---
      # A figure

      ```r
      plot(E)
      ```

      ```swift echo=false
      show(Figure(), caption: "A caption the back row reads.")
      ```

      # An animation

      ```swift echo=false
      let animation = Animation()
      for k in 0..<2 {
        let figure = Figure(width: 600, height: 300)
        figure.axes.line(x: [0, 1, 2], y: [0, Double(k), 1], label: "step")
        animation.append(figure, label: "epoch \\(k * 10)")
      }
      show(animation: animation, caption: "Two frames.")
      ```
      """, "type.md", in: dir)
    let render = try Support.handout(["render", "type.md", "-o", "out", "--slides"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    let deck = dir.appendingPathComponent("out/type.slides.html")
    let harness = dir.appendingPathComponent("out/type-sizes.html")
    XCTAssertTrue(FileManager.default.fileExists(atPath: deck.path))
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body><iframe src="type.slides.html" width="1280" height="720"></iframe>
      <pre id="log"></pre><script>
      window.addEventListener("load", function () { setTimeout(function () {
        var d = document.querySelector("iframe").contentDocument, rows = [];
        d.querySelectorAll(".slide figcaption, .slide .frame-label, .title-slide .course, .slide .code .lang").forEach(function (e) {
          rows.push(e.className || e.tagName.toLowerCase(), parseFloat(d.defaultView.getComputedStyle(e).fontSize));
        });
        document.getElementById("log").textContent = rows.join(" ");
      }, 500); });
      </script></body></html>
      """, at: harness, chromium: chromium)
    let fields = log.split(separator: " ").map(String.init)
    let sizes = stride(from: 0, to: fields.count - 1, by: 2).map { (fields[$0], Double(fields[$0 + 1]) ?? 0) }
    // Two captions, the frame label, the course line, the language over a code block (what tells
    // the lecture's R from its Swift; it was 16.8 px).
    XCTAssertGreaterThanOrEqual(sizes.filter { $0.0 == "figcaption" }.count, 2, String(log))
    XCTAssertTrue(sizes.contains { $0.0 == "lang" }, String(log))
    XCTAssertTrue(sizes.contains { $0.0 == "frame-label" }, String(log))
    XCTAssertTrue(sizes.contains { $0.0 == "course" }, String(log))
    for (element, size) in sizes {
      XCTAssertGreaterThanOrEqual(size, Self.floor, "\(element) is set at \(size) px on a slide")
    }
  }

  /// A slide the deck shrinks to fit (a paragraph, a figure and its caption) sets its caption
  /// larger by as much: laid out by Chromium, the caption still reads at 24 px (captions on 10 of
  /// the course's slides read at 18.3 to 19.8 px), and the slide still fits.
  func testACaptionOnAShrunkSlideStillReadsAt24px() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    let words = Array(repeating: "A sentence the class reads before the figure it introduces.", count: 2)
    _ = try Support.write(
      """
      ---
      title: Shrunk
      ---
      # A full slide

      \(words.joined(separator: " "))

      ```swift echo=false
      let figure = Figure(width: 640, height: 480)
      figure.axes.line(x: [0, 1, 2], y: [0, 1, 0], label: "tent")
      show(figure, caption: "A caption of two lines, long enough to wrap once on the slide at twenty pixels, as the course's captions do.")
      ```
      """, "shrunk.md", in: dir)
    let render = try Support.handout(["render", "shrunk.md", "-o", "out", "--slides"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    let harness = dir.appendingPathComponent("out/shrunk-sizes.html")
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body><iframe src="shrunk.slides.html" width="1280" height="720"></iframe>
      <pre id="log"></pre><script>
      window.addEventListener("load", function () { setTimeout(function () {
        var d = document.querySelector("iframe").contentDocument, rows = [];
        d.querySelectorAll(".slide figcaption").forEach(function (e) {
          var slide = e.closest(".slide");
          rows.push(slide.dataset.shrink, parseFloat(d.defaultView.getComputedStyle(e).fontSize),
            slide.classList.contains("overflows") ? "over" : "fits");
        });
        document.getElementById("log").textContent = rows.join(" ");
      }, 500); });
      </script></body></html>
      """, at: harness, chromium: chromium)
    let fields = log.split(separator: " ").map(String.init)
    XCTAssertEqual(fields.count, 3, String(log))
    guard fields.count == 3 else { return }
    let shrink = Double(fields[0]) ?? 0
    let size = Double(fields[1]) ?? 0
    XCTAssertLessThan(shrink, 0.95, "the fixture's slide is not shrunk: \(log)")
    XCTAssertGreaterThanOrEqual(shrink, 0.75, String(log))
    XCTAssertGreaterThanOrEqual(
      size * shrink, Self.floor - 0.05, "the caption reads at \(size * shrink) px: \(log)")
    XCTAssertEqual(fields[2], "fits", String(log))
  }

  /// The estimate's caption line is the deck's: 24 px text at line height 1.4.
  func testTheEstimateSetsCaptionsAtTheFloor() {
    XCTAssertEqual(SlideMetrics.captionLine, Self.floor * 1.4, accuracy: 0.01)
    XCTAssertEqual(SlideMetrics.frameLabelLine, Self.floor * 1.4, accuracy: 0.01)
  }
}
