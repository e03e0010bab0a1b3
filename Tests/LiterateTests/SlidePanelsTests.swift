import Foundation
import XCTest

@testable import Literate

/// A figure of several panels on a slide (issue 22): its slide variant lays the panels out in the
/// grid that gives them the most room in the frame, measured here in Chromium at 1280×720 from the
/// panel frames the SVG draws; a slide whose panels stay smaller than readable is a warning.
final class SlidePanelsTests: XCTestCase {
  static func notebook(columns: Int, count: Int) -> String {
    """
    ---
    title: Panels
    ---

    # Activation functions

    ```swift id=activations echo=false
    show(
      activationCurves(
        Array(defaultActivations.prefix(\(count))), columns: \(columns),
        title: "Activation functions (solid) and their derivatives (dashed)"),
      caption: "The activation functions and their derivatives.")
    ```
    """
  }

  /// Renders the notebook with `--slides` and measures, in Chromium at 1280×720, the plot frames
  /// of its figure as the deck shows it: each frame's width and height in px of the frame.
  func panels(of source: String) throws -> (frames: [(width: Double, height: Double)], output: String) {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    _ = try Support.write(source, "nb/panels.md", in: dir)
    let render = try Support.handout(["render", "nb", "-o", "out", "--slides"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    let harness = dir.appendingPathComponent("out/harness.html")
    // The panel frames: the closed paths stroked in the frame colour (#4D4D4D) around an area (the
    // ticks are open paths), scaled from the inline SVG to the image on the slide.
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body><iframe id="f" src="panels.slides.html#/2" width="1280" height="720"></iframe>
      <div id="svg"></div><pre id="log"></pre><script>
      var f = document.getElementById("f");
      f.addEventListener("load", function () { setTimeout(function () {
        var d = f.contentDocument, out = [];
        var img = d.querySelector(".slide.current img.slide-variant"), r = img.getBoundingClientRect();
        var x = new XMLHttpRequest();
        x.open("GET", img.src, false);
        x.send();
        document.getElementById("svg").innerHTML = x.responseText;
        var svg = document.querySelector("#svg svg"), k = r.height / svg.getBoundingClientRect().height;
        svg.querySelectorAll("path").forEach(function (p) {
          var s = getComputedStyle(p), b = p.getBoundingClientRect(), d = p.getAttribute("d") || "";
          if (s.stroke === "rgb(77, 77, 77)" && d.indexOf("Z") >= 0 && b.width > 20 && b.height > 20)
            out.push((b.width * k).toFixed(1) + "x" + (b.height * k).toFixed(1));
        });
        document.getElementById("log").textContent = out.join(",");
      }, 300); });
      </script></body></html>
      """, at: harness, chromium: chromium, arguments: ["--window-size=1400,900"])
    let frames = log.split(separator: ",").compactMap { pair -> (width: Double, height: Double)? in
      let v = pair.split(separator: "x").compactMap { Double($0) }
      return v.count == 2 ? (v[0], v[1]) : nil
    }
    return (frames, render.output)
  }

  /// Notebook 04's six activation panels: no grid of the 1152×500 box gives them 200 px with the
  /// text at 20 px (2×3 is the best: about 76 px tall), so the deck says so at the slide's heading,
  /// with the size Chromium shows them at.
  func testSixActivationPanelsTooSmallToReadAreAWarning() throws {
    let (frames, output) = try panels(of: Self.notebook(columns: 3, count: 6))
    XCTAssertEqual(frames.count, 6, "\(frames)")
    let smallest = frames.map { min($0.width, $0.height) }.min() ?? 0
    XCTAssertLessThan(smallest, 200, "\(frames)")
    let warning = try XCTUnwrap(
      output.firstMatch(
        of:
          #/nb/panels.md:5:1: warning: slide "Activation functions" of the deck \(render --slides\) shows figure panels only (\d+) px across/#
      ),
      output)
    XCTAssertEqual(Double(warning.output.1) ?? 0, smallest, accuracy: 3, "\(frames)")
  }

  /// Two panels have room: side by side, each well over 200 px on both sides, and no warning.
  func testTwoPanelsAreReadableAndNotWarned() throws {
    let (frames, output) = try panels(of: Self.notebook(columns: 1, count: 2))
    XCTAssertEqual(frames.count, 2, "\(frames)")
    for frame in frames {
      XCTAssertGreaterThanOrEqual(min(frame.width, frame.height), 250, "\(frames)")
    }
    XCTAssertFalse(output.contains("shows figure panels only"), output)
  }
}
