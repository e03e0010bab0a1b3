import Foundation
import XCTest

@testable import Literate

/// A handout and the course index read on a laptop set to dark (Chromium's `--force-dark-mode`,
/// which sets `prefers-color-scheme: dark`): a dark page, every text colour at least 4.5:1 on what
/// it stands on (the fixture that uses every feature, with a callout of each kind), and figures on
/// a light card. The same walk holds the light page to 4.5:1 too. Before, the page stayed white.
final class DarkModeTests: XCTestCase {
  /// What each walk reports: the page's background luminance, the figures' background luminance
  /// (the lowest), how many text boxes were measured, then every one under 4.5:1.
  struct Walk {
    var page: Double
    var figures: Double
    var measured: Int
    var failures: [String]
  }

  func testHandoutAndIndexAreDarkAndReadableInDarkMode() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let out = try renderCourse()
    for page in ["everything.html", "index.html"] {
      let walk = try contrast(of: page, in: out, chromium: chromium, dark: true)
      XCTAssertLessThan(walk.page, 0.05, "\(page): the page is dark in dark mode")
      XCTAssertGreaterThan(walk.measured, page == "index.html" ? 3 : 60, "\(page): text measured")
      XCTAssertEqual(walk.failures, [], "\(page): text under 4.5:1 in dark mode")
      if page == "everything.html" {
        XCTAssertGreaterThan(walk.figures, 0.9, "a figure stands on a light card in dark mode")
      }
    }
  }

  func testTheLightPageKeepsItsContrast() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let out = try renderCourse()
    for page in ["everything.html", "index.html"] {
      let walk = try contrast(of: page, in: out, chromium: chromium, dark: false)
      XCTAssertGreaterThan(walk.page, 0.95, "\(page): the page is white")
      XCTAssertEqual(walk.failures, [], "\(page): text under 4.5:1 on the light page")
    }
  }

  /// The fixture that uses every feature and a callout of each kind, rendered as a course folder
  /// (its page and the index).
  func renderCourse() throws -> URL {
    let dir = try Support.temporaryDirectory(self)
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures")
    let course = dir.appendingPathComponent("course")
    try FileManager.default.createDirectory(at: course, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: fixtures.appendingPathComponent("data"), to: course.appendingPathComponent("data"))
    let callouts = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"].map {
      "> [!\($0)]\n> A \($0.lowercased()) with `code` and a [link](#title).\n"
    }
    let text = try Support.text(fixtures.appendingPathComponent("everything.md"))
    try Support.write(
      text + "\n" + callouts.joined(separator: "\n"), to: course.appendingPathComponent("everything.md"))
    let render = try Support.handout(["render", "course", "-o", "out"], in: dir)
    XCTAssertEqual(render.status, 0, render.output)
    return dir.appendingPathComponent("out")
  }

  func contrast(of page: String, in out: URL, chromium: String, dark: Bool) throws -> Walk {
    let harness = out.appendingPathComponent("contrast-\(dark ? "dark" : "light")-\(page)")
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body><iframe src="\(page)" width="1280" height="900"></iframe>
      <pre id="log"></pre><script>\(Self.walker)</script></body></html>
      """, at: harness, chromium: chromium, arguments: dark ? ["--force-dark-mode"] : [])
    let fields = log.components(separatedBy: "|")
    XCTAssertGreaterThanOrEqual(fields.count, 3, log)
    guard fields.count >= 3 else { return Walk(page: -1, figures: -1, measured: 0, failures: [log]) }
    return Walk(
      page: Double(fields[0]) ?? -1, figures: Double(fields[1]) ?? -1, measured: Int(fields[2]) ?? 0,
      failures: fields.dropFirst(3).filter { !$0.isEmpty })
  }

  /// Walks every element that holds text of its own and is drawn (not in a closed `<details>`,
  /// not KaTeX's MathML for screen readers, not a deliberately faded block that was not run):
  /// its colour over its background (the element's and its ancestors', alpha blended), WCAG's
  /// contrast ratio.
  static let walker = """
    function rgba(c) {
      var p = c.match(/[\\d.]+/g).map(parseFloat);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    function over(top, under) {
      var a = top[3];
      return [0, 1, 2].map(function (i) { return top[i] * a + under[i] * (1 - a); }).concat([1]);
    }
    function lum(c) {
      var l = [0, 1, 2].map(function (i) { var v = c[i] / 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
      return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    }
    function background(w, e) {
      var layers = [];
      for (var n = e; n && n.nodeType === 1; n = n.parentElement) {
        var c = rgba(w.getComputedStyle(n).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      var base = [255, 255, 255, 1];
      for (var i = layers.length - 1; i >= 0; i--) base = over(layers[i], base);
      return base;
    }
    window.addEventListener("load", function () { setTimeout(function () {
      var d = document.querySelector("iframe").contentDocument, w = d.defaultView;
      var out = [lum(background(w, d.body)).toFixed(3)], figures = 1, measured = 0;
      d.querySelectorAll(".figure img").forEach(function (img) {
        figures = Math.min(figures, lum(background(w, img)));
      });
      out.push(figures.toFixed(3));
      var failures = [];
      d.body.querySelectorAll("*").forEach(function (e) {
        var own = Array.prototype.some.call(e.childNodes, function (n) {
          return n.nodeType === 3 && n.textContent.trim() !== "";
        });
        if (!own || !e.getClientRects().length || e.closest(".katex-mathml, .not-run, script, style")) return;
        var s = w.getComputedStyle(e);
        if (s.visibility !== "visible") return;
        var bg = background(w, e), fg = over(rgba(s.color), bg);
        var a = lum(fg), b = lum(bg), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        measured += 1;
        if (ratio < 4.5) failures.push((e.className || e.tagName) + " " + s.color + " on " + bg.slice(0, 3).join(",") + " " + ratio.toFixed(2) + ": " + e.textContent.trim().slice(0, 30));
      });
      out.push(String(measured));
      document.getElementById("log").textContent = out.concat(failures).join("|");
    }, 700); });
    """
}
