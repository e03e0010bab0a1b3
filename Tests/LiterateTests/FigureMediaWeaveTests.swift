import Foundation
import XCTest

@testable import Literate

/// Figures woven per medium: the page shows a figure's page file, the deck its slide variant; an
/// animation is a stack of frames with a slider on the page, arrow keys in the deck and a grid
/// in print.
final class FigureMediaWeaveTests: XCTestCase {
  static let frameCount = 8

  static func notebook() -> Notebook {
    Notebook(
      path: "notebooks/media.md", name: "media", frontMatter: FrontMatter(title: "Media"),
      nodes: [
        .prose(markdown: "# A still figure", line: 5),
        .block(WeaveFixture.block(0, "show(still)", line: 7, id: "still")),
        .prose(markdown: "# A moving one", line: 11),
        .block(WeaveFixture.block(1, "show(forming)", line: 13, id: "forming")),
        .prose(markdown: "# After it", line: 17),
      ])
  }

  static func run() -> RunResult {
    var run = RunResult()
    let still = FigureOutput(
      name: "still-1",
      files: [
        "svg": "media/still-1.svg", "slide-svg": "media/still-1.slide.svg",
      ],
      caption: "A still", alt: "still", width: 640, height: 480, slideWidth: 889, slideHeight: 500)
    let frames = (0..<frameCount).map {
      ["svg": "media/forming-1.f\($0).svg", "slide-svg": "media/forming-1.f\($0).slide.svg"]
    }
    let forming = FigureOutput(
      name: "forming-1", files: ["svg": "media/forming-1.svg", "slide-svg": "media/forming-1.slide.svg"],
      caption: "Forming", alt: "boundary", width: 640, height: 480, slideWidth: 889, slideHeight: 500,
      frames: frames, frameLabels: (0..<frameCount).map { "epoch \($0 * 10)" })
    run.blocks[0] = BlockResult(blockIndex: 0, figures: [still])
    run.blocks[1] = BlockResult(blockIndex: 1, figures: [forming])
    return run
  }

  func testThePageShowsThePageFileAndTheDeckTheSlideVariant() throws {
    let options = WeaveFixture.options()
    let page = try Weave.page(notebook: Self.notebook(), run: Self.run(), options: options)
    let deck = try Weave.slides(notebook: Self.notebook(), run: Self.run(), options: options)
    XCTAssertTrue(page.contains("<img src=\"media/still-1.svg\" width=\"640\" height=\"480\""), page)
    XCTAssertFalse(page.contains("src=\"media/still-1.slide.svg\""), "the page shows its own file")
    XCTAssertTrue(
      deck.contains(
        "<img class=\"slide-variant\" src=\"media/still-1.slide.svg\" width=\"889\" height=\"500\""))
    XCTAssertFalse(deck.contains("src=\"media/still-1.svg\""))
    XCTAssertTrue(
      page.contains("<a href=\"media/still-1.slide.svg\">SLIDE SVG</a>"),
      "the slide variant is linked from the page")
  }

  func testAnAnimationIsAStackWithASliderOnThePageAndAGridInPrint() throws {
    let options = WeaveFixture.options()
    let page = try Weave.page(notebook: Self.notebook(), run: Self.run(), options: options)
    let deck = try Weave.slides(notebook: Self.notebook(), run: Self.run(), options: options)
    let stack = try XCTUnwrap(page.components(separatedBy: "<div class=\"frames\"").last)
      .components(separatedBy: "</div>")[0]
    XCTAssertEqual(stack.components(separatedBy: "<img").count - 1, Self.frameCount)
    XCTAssertEqual(
      stack.components(separatedBy: " hidden>").count - 1, Self.frameCount - 1, "one frame shown")
    XCTAssertTrue(stack.contains("src=\"media/forming-1.f7.svg\"") && !stack.contains("slide.svg"))
    XCTAssertTrue(
      page.contains("<input type=\"range\" class=\"frame-slider\" min=\"0\" max=\"7\" step=\"1\" value=\"7\"")
    )
    XCTAssertTrue(page.contains("<button type=\"button\" class=\"frame-play\" aria-label=\"Play\">"))
    let grid = try XCTUnwrap(page.components(separatedBy: "<div class=\"frame-grid\">").last)
    XCTAssertEqual(grid.components(separatedBy: "<figure class=\"frame-cell\">").count - 1, 6)
    XCTAssertEqual(PageBuilder.chosenFrames(count: 8, at: 6), [0, 1, 3, 4, 6, 7])
    // The deck: the slide variants, the first frame shown, no slider (the keys step).
    XCTAssertTrue(
      deck.contains(
        "src=\"media/forming-1.f0.slide.svg\" width=\"889\" height=\"500\" alt=\"boundary (epoch 0)\""))
    XCTAssertFalse(deck.contains("frame-slider"))
    XCTAssertFalse(deck.contains("frame-grid"))
  }
}

/// The animation in a real browser: the slider and the play button on the page, the arrow keys in
/// the deck.
extension FigureMediaWeaveTests {
  /// The notebook's page and deck with real SVG frames (each a different width of bar) in a fresh
  /// folder.
  func writeMedia() throws -> (page: URL, deck: URL) {
    let dir = try Support.temporaryDirectory(self)
    let media = dir.appendingPathComponent("media")
    try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
    func svg(_ k: Int, _ w: Int, _ h: Int) -> Data {
      Data(
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(w)px" height="\(h)px" viewBox="0 0 \(w) \(h)">\
        <rect width="\(w)" height="\(h)" fill="#fff"/><rect width="\(10 + 40 * k)" height="40" fill="#0072B2"/></svg>
        """.utf8)
    }
    for k in 0..<Self.frameCount {
      try svg(k, 640, 480).write(to: media.appendingPathComponent("forming-1.f\(k).svg"))
      try svg(k, 889, 500).write(to: media.appendingPathComponent("forming-1.f\(k).slide.svg"))
    }
    for name in ["forming-1", "still-1"] {
      try svg(1, 640, 480).write(to: media.appendingPathComponent("\(name).svg"))
      try svg(1, 889, 500).write(to: media.appendingPathComponent("\(name).slide.svg"))
    }
    let options = WeaveFixture.options()
    try Support.installAssets(into: dir, options: options)
    let page = dir.appendingPathComponent("media.html")
    let deck = dir.appendingPathComponent("media.slides.html")
    try Data(try Weave.page(notebook: Self.notebook(), run: Self.run(), options: options).utf8).write(
      to: page)
    try Data(try Weave.slides(notebook: Self.notebook(), run: Self.run(), options: options).utf8).write(
      to: deck)
    return (page, deck)
  }

  /// Loads `target` in a frame of a harness page that runs `script` (with `d`, the frame's
  /// document, and `out`, an array of strings) once the frame has loaded; returns `out` joined by `|`.
  func drive(_ target: URL, size: (Int, Int), script: String) throws -> String {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let harness = target.deletingLastPathComponent().appendingPathComponent(
      "harness-\(UUID().uuidString).html")
    return try BrowserTests.log(
      """
      <!DOCTYPE html><html><body><iframe id="f" src="\(target.lastPathComponent)" width="\(size.0)" height="\(size.1)"></iframe>
      <pre id="log"></pre><script>
      var f = document.getElementById("f");
      f.addEventListener("load", function () {
        var d = f.contentDocument, out = [];
        function key(k) { d.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })); }
        function shown() {
          var v = Array.prototype.filter.call(d.querySelectorAll(".current .frames img, .page .frames img"),
            function (i) { return !i.hidden && i.getBoundingClientRect().width > 0; });
          return v.map(function (i) { return i.dataset.frame; }).join(",");
        }
        \(script)
        document.getElementById("log").textContent = out.join("|");
      });
      </script></body></html>
      """, at: harness, chromium: chromium)
  }

  func testTheSliderAndThePlayButtonShowOneFrameAtATime() throws {
    let (page, _) = try writeMedia()
    let log = try drive(
      page, size: (1280, 900),
      script: """
        var s = d.querySelector(".frame-slider"), label = d.querySelector(".frame-label");
        out.push(shown() + "=" + label.textContent);
        s.value = "2"; s.dispatchEvent(new Event("input"));
        out.push(shown() + "=" + label.textContent + "=" + s.getAttribute("aria-valuetext"));
        s.value = "0"; s.dispatchEvent(new Event("input"));
        out.push(shown() + "=" + label.textContent);
        d.querySelector(".frame-play").click();
        out.push(d.querySelector(".frame-play").getAttribute("aria-label"));
        """)
    XCTAssertEqual(log, "7=epoch 70|2=epoch 20=epoch 20|0=epoch 0|Pause")
  }

  func testArrowKeysStepThroughTheFramesBeforeTheSlideChanges() throws {
    let (_, deck) = try writeMedia()
    let log = try drive(
      deck, size: (1280, 720),
      script: """
        f.contentWindow.location.hash = "#/3";
        f.contentWindow.dispatchEvent(new HashChangeEvent("hashchange"));
        var counter = function () { return d.getElementById("counter").textContent; };
        out.push(counter() + ":" + shown());
        for (var i = 0; i < 8; i++) { key("ArrowRight"); out.push(counter() + ":" + shown()); }
        key("ArrowLeft"); out.push(counter() + ":" + shown());
        key("ArrowLeft"); out.push(counter() + ":" + shown());
        """)
    XCTAssertEqual(
      log,
      "3 / 4:0|3 / 4:1|3 / 4:2|3 / 4:3|3 / 4:4|3 / 4:5|3 / 4:6|3 / 4:7|4 / 4:|3 / 4:7|3 / 4:6")
  }
}

/// The text-size rule (`Plot.md`), measured on the course as a reader sees it: every figure of
/// every handout of `notebooks/` in headless Chromium, at 1280 px for the page and in the
/// 1280×720 deck, its SVG's smallest text (`data-smallest-text`) times the width it is displayed
/// at over its own.
extension FigureMediaWeaveTests {
  /// For each figure shown in `target` (a page or a deck) at the window `size`: its file, the
  /// shrink of the slide it stands on (1 on a page), and its smallest text in px as displayed.
  func smallestFigureText(in target: URL, size: (Int, Int)) throws -> [(String, Double, Double)] {
    let log = try drive(
      target, size: size,
      script: """
        d.querySelectorAll("figure img").forEach(function (img) {
          var r = img.getBoundingClientRect();
          if (r.width === 0) return;
          var x = new XMLHttpRequest();
          x.open("GET", img.src, false);
          x.send();
          var m = /data-smallest-text="([0-9.]+)"/.exec(x.responseText);
          var w = /<svg[^>]* width="([0-9.]+)/.exec(x.responseText);
          var px = m && w ? parseFloat(m[1]) * r.width / parseFloat(w[1]) : 0;
          // A deck's slide that is shrunk to fit (slides.mustache's `fit`) shrinks its figure too.
          var slide = img.closest(".slide"), shrink = slide ? parseFloat(slide.dataset.shrink || "1") : 1;
          out.push(img.getAttribute("src") + "=" + shrink.toFixed(3) + "=" + px.toFixed(2));
        });
        """)
    return log.split(separator: "|").compactMap { entry in
      let parts = entry.split(separator: "=")
      guard parts.count == 3, let shrink = Double(parts[1]), let px = Double(parts[2]) else { return nil }
      return (String(parts[0]), shrink, px)
    }
  }

  func testEveryCourseFigureHasReadableTextOnThePageAndOnTheSlide() throws {
    guard BrowserTests.chromium() != nil else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let (status, output) = try Support.handout(
      ["render", CourseTests.notebooks.path, "--out", out.path, "--slides"], in: dir)
    XCTAssertEqual(status, 0, output)
    let names = try FileManager.default.contentsOfDirectory(atPath: CourseTests.notebooks.path)
      .filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    var measured = 0
    var failures: [String] = []
    for name in names {
      for (file, rule, size) in [
        ("\(name).html", 10.0, (1280, 900)), ("\(name).slides.html", 18.0, (1280, 720)),
      ] {
        for (figure, shrink, px) in try smallestFigureText(in: out.appendingPathComponent(file), size: size) {
          measured += 1
          // The rule holds as displayed: a slide too full for its frame is shrunk whole
          // (`slides.mustache`, `data-shrink`), its figure too, so its text must still be 18 px
          // after the shrink (a 20 px talk figure: the slide may shrink to 0.9, no further).
          if px < rule - 0.01 {
            failures.append("\(file): \(figure) \(px) px < \(rule) px (slide shrunk to \(shrink))")
          }
        }
      }
    }
    XCTAssertGreaterThan(measured, 40, "every figure of the course measured")
    XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
  }
}
