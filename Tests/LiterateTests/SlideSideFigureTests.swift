import Foundation
import XCTest

@testable import Literate

/// A square figure (an input plane) on a slide: its slide variant is drawn full height
/// (`FigureSize.slideSideHeight`) and stands at the left, its caption beside it (issue 22).
extension FigureMediaWeaveTests {
  /// A deck of one slide, "A decision boundary", holding one figure whose slide variant is
  /// `slide` px (its SVG a blue rectangle) under a two-line caption; the deck's file.
  func deckWithOneFigure(slide: (width: Int, height: Int)) throws -> URL {
    let dir = try Support.temporaryDirectory(self)
    let media = dir.appendingPathComponent("media")
    try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
    for (name, w, h) in [("plane-1.svg", 600, 480), ("plane-1.slide.svg", slide.width, slide.height)] {
      try Data(
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(w)px" height="\(h)px" viewBox="0 0 \(w) \(h)">\
        <rect width="\(w)" height="\(h)" fill="#0072B2"/></svg>
        """.utf8
      ).write(to: media.appendingPathComponent(name))
    }
    let notebook = Notebook(
      path: "notebooks/media.md", name: "media", frontMatter: FrontMatter(title: "Media"),
      nodes: [
        .prose(markdown: "# A decision boundary", line: 5),
        .block(WeaveFixture.block(0, "show(plane)", line: 7, id: "plane", echo: false)),
      ])
    var run = RunResult()
    let caption =
      "Score s of the network trained with the hinge loss on the 100 two-moons points. The dark line is "
      + "the decision s = 0, the dashed lines the margin's edges s = ±1."
    run.blocks[0] = BlockResult(
      blockIndex: 0,
      figures: [
        FigureOutput(
          name: "plane-1", files: ["svg": "media/plane-1.svg", "slide-svg": "media/plane-1.slide.svg"],
          caption: caption, alt: "plane", width: 600, height: 480, slideWidth: Double(slide.width),
          slideHeight: Double(slide.height))
      ])
    let options = WeaveFixture.options()
    try Support.installAssets(into: dir, options: options)
    let deck = dir.appendingPathComponent("media.slides.html")
    try Data(try Weave.slides(notebook: notebook, run: run, options: options).utf8).write(to: deck)
    return deck
  }

  func testASquareFiguresSlideVariantStandsBesideItsCaption() throws {
    let deck = try deckWithOneFigure(slide: (760, 560))
    let html = try String(contentsOf: deck, encoding: .utf8)
    XCTAssertTrue(
      html.contains("<img class=\"slide-variant slide-side\" src=\"media/plane-1.slide.svg\""), html)
    let log = try drive(
      deck, size: (1280, 720),
      script: """
        f.contentWindow.location.hash = "#/2";
        f.contentWindow.dispatchEvent(new HashChangeEvent("hashchange"));
        var slide = d.querySelector(".slide.current"), img = slide.querySelector("figure img");
        var cap = slide.querySelector("figcaption").getBoundingClientRect(), r = img.getBoundingClientRect();
        var frame = slide.getBoundingClientRect();
        out.push([r.left, r.right, r.top, r.bottom, cap.left, cap.right, cap.top, cap.bottom,
          frame.right, frame.bottom, slide.dataset.shrink || "1"].map(function (v) { return Math.round(v); }).join(","));
        """)
    let v = log.split(separator: ",").compactMap { Double($0) }
    XCTAssertEqual(v.count, 11, log)
    guard v.count == 11 else { return }
    let (left, right, top, bottom) = (v[0], v[1], v[2], v[3])
    let (capLeft, capRight, capTop, capBottom) = (v[4], v[5], v[6], v[7])
    XCTAssertGreaterThanOrEqual(bottom - top, 540, "the figure is shown at (nearly) its full height: \(log)")
    XCTAssertLessThan(left, 100, "the figure stands at the left: \(log)")
    XCTAssertGreaterThanOrEqual(capLeft, right + 16, "the caption is beside the figure, clear of it: \(log)")
    XCTAssertLessThanOrEqual(capRight, v[8], "the caption stays on the slide: \(log)")
    XCTAssertGreaterThan(capBottom, capTop)
    XCTAssertLessThanOrEqual(bottom, v[9], "the figure stays on the slide: \(log)")
  }

  /// The slide-fit estimate of a slide holding one figure's slide variant is the height Chromium
  /// lays its content out at: a square one beside its caption (560 px, not a 480 px figure and a
  /// caption under it), and one of the 1152×500 box with its caption under it.
  func testTheSlideFitEstimateOfAFigureSlideIsWhatChromiumMeasures() throws {
    for size in [(760, 560), (1152, 500)] {
      let deck = try deckWithOneFigure(slide: size)
      let log = try drive(
        deck, size: (1280, 720),
        script: """
          var slide = d.querySelector(".slide[data-line='5']");
          out.push(slide.dataset.contentHeight + "," + slide.dataset.estimate);
          """)
      let v = log.split(separator: ",").compactMap { Double($0) }
      XCTAssertEqual(v.count, 2, log)
      guard v.count == 2 else { continue }
      XCTAssertEqual(
        v[1], v[0], accuracy: 4, "slide variant \(size): estimate against Chromium's height (\(log))")
    }
  }
}
