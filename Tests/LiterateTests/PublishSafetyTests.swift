import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// A good handout survives every failure: a failing run, a partial render, clashing names, odd
/// file names, a killed `handout`, a read-only figures folder (issue 12, section 3).
final class PublishSafetyTests: XCTestCase {
  // MARK: Helpers

  func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

  /// A notebook with one figure `width` points wide and a check that passes when `passes`.
  func figureNotebook(width: Int, passes: Bool) -> String {
    """
    # Figures

    ```swift id=plot
    show(Figure(width: \(width), height: 40), caption: "width \(width)")
    print("drawn at \(width)")
    expect(\(width), equals: \(passes ? width : width + 1))
    ```

    """
  }

  /// The `<img src width>` pairs of a page, `src` percent-decoded.
  func images(_ html: String) -> [(src: String, width: String)] {
    let pattern = #/<img src="([^"]*)" width="([^"]*)"/#
    return html.matches(of: pattern).map {
      (String($0.1).removingPercentEncoding ?? String($0.1), String($0.2))
    }
  }

  /// The `width` an SVG file declares (Cairo writes `width="60px"`).
  func svgWidth(_ url: URL) throws -> String {
    let svg = try Support.text(url)
    let match = try XCTUnwrap(svg.firstMatch(of: #/<svg[^>]*\swidth="([0-9.]+)(px|pt)?"/#), url.path)
    return String(match.1)
  }

  /// Every handout page in `out` shows figures that exist and are the ones it was woven with
  /// (the SVG's width is the `<img>`'s width); returns how many pages were checked.
  @discardableResult
  func assertPagesMatchFigures(
    _ out: URL, names: [String], file: StaticString = #filePath, line: UInt = #line
  ) throws -> Int {
    var pages = 0
    for name in names {
      for page in ["\(name).html", "\(name).failed.html"] {
        let url = out.appendingPathComponent(page)
        guard let html = try? Support.text(url) else { continue }
        pages += 1
        let shown = images(html)
        XCTAssertFalse(shown.isEmpty, "\(page) shows no figure", file: file, line: line)
        for (src, width) in shown {
          let figure = out.appendingPathComponent(src)
          XCTAssertTrue(exists(figure), "\(page): \(src) is missing", file: file, line: line)
          if exists(figure) {
            XCTAssertEqual(try svgWidth(figure), width, "\(page) with \(src)", file: file, line: line)
          }
        }
      }
    }
    return pages
  }

  func dotEntries(_ out: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: out.path).filter {
      $0.hasPrefix(".") && $0 != ".handout-manifest.json"
    }.sorted()
  }

  // MARK: a. The last good handout stays; the failing page goes beside it

  func testAFailingRenderKeepsTheLastGoodHandoutBesideTheFailingPage() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let k = dir.appendingPathComponent("notebooks/k.md")
    try Support.write(figureNotebook(width: 60, passes: true), to: k)
    try Support.write(
      figureNotebook(width: 50, passes: false), to: dir.appendingPathComponent("notebooks/n.md"))

    // 1. k good; n fails and has no earlier good handout: its failing page is n.html.
    let first = try Support.handout(["render", "notebooks", "--out", "out"], in: dir)
    XCTAssertEqual(first.status, 1, first.output)
    let good = try Data(contentsOf: out.appendingPathComponent("k.html"))
    XCTAssertTrue(try Support.text(out.appendingPathComponent("n.html")).contains("Check failed"))
    XCTAssertFalse(exists(out.appendingPathComponent("n.failed.html")))
    try assertPagesMatchFigures(out, names: ["k", "n"])

    // 2. k fails: k.html and k/ stay the good ones, the failing page is k.failed.html with k.failed/.
    try Support.write(figureNotebook(width: 70, passes: false), to: k)
    let failing = try Support.handout(["render", "notebooks", "--out", "out"], in: dir)
    XCTAssertEqual(failing.status, 1, failing.output)
    XCTAssertEqual(
      try Data(contentsOf: out.appendingPathComponent("k.html")), good, "the good handout is kept")
    let failedPage = try Support.text(out.appendingPathComponent("k.failed.html"))
    XCTAssertTrue(failedPage.contains("Check failed"))
    XCTAssertTrue(failedPage.contains("drawn at 70"))
    XCTAssertEqual(try assertPagesMatchFigures(out, names: ["k", "n"]), 3)
    XCTAssertEqual(try svgWidth(out.appendingPathComponent("k/plot-1.svg")), "60")
    XCTAssertEqual(try svgWidth(out.appendingPathComponent("k.failed/plot-1.svg")), "70")
    XCTAssertTrue(failing.output.contains("k.failed.html"), failing.output)
    let index = try Support.text(out.appendingPathComponent("index.html"))
    XCTAssertTrue(index.contains("href=\"k.html\""), index)
    XCTAssertTrue(index.contains("href=\"k.failed.html\""), index)
    let since = try XCTUnwrap(index.firstMatch(of: #/failing since <time datetime="([^"]+)"/#)?.1)

    // 3. Still failing: the index still says since when it first failed.
    Thread.sleep(forTimeInterval: 1.1)
    XCTAssertEqual(try Support.handout(["render", "notebooks", "--out", "out"], in: dir).status, 1)
    let again = try Support.text(out.appendingPathComponent("index.html"))
    XCTAssertEqual(again.firstMatch(of: #/failing since <time datetime="([^"]+)"/#)?.1, since)

    // 4. k good again: its failing page and folder go.
    try Support.write(figureNotebook(width: 60, passes: true), to: k)
    XCTAssertEqual(try Support.handout(["render", "notebooks", "--out", "out"], in: dir).status, 1)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("k.html")), good)
    XCTAssertFalse(exists(out.appendingPathComponent("k.failed.html")))
    XCTAssertFalse(exists(out.appendingPathComponent("k.failed")))
    XCTAssertFalse(try Support.text(out.appendingPathComponent("index.html")).contains("k.failed.html"))

    // 5. For previews, failures can be published in place.
    try Support.write(figureNotebook(width: 70, passes: false), to: k)
    let preview = try Support.handout(["render", "notebooks", "--out", "out", "--publish-failures"], in: dir)
    XCTAssertEqual(preview.status, 1, preview.output)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("k.html")).contains("drawn at 70"))
    XCTAssertFalse(exists(out.appendingPathComponent("k.failed.html")))
    XCTAssertFalse(exists(out.appendingPathComponent("k.failed")))
    try assertPagesMatchFigures(out, names: ["k", "n"])
    XCTAssertEqual(try dotEntries(out), [])
  }

  // MARK: b. The index lists every handout in the folder

  func testIndexListsEveryHandoutUntilAWholeFolderRenderNoLongerHasIt() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    try Support.write("---\ntitle: Alpha\n---\nProse.\n", to: dir.appendingPathComponent("notebooks/a.md"))
    try Support.write("---\ntitle: Beta\n---\nProse.\n", to: dir.appendingPathComponent("notebooks/b.md"))
    XCTAssertEqual(try Support.handout(["render", "notebooks", "--out", "out"], in: dir).status, 0)
    func listed() throws -> [String] {
      try Support.text(out.appendingPathComponent("index.html")).matches(
        of: #/class="handout-title" href="([^"]*)"/#
      )
      .map { String($0.1) }
    }
    XCTAssertEqual(try listed(), ["a.html", "b.html"])

    // One notebook rendered alone: the other stays listed.
    let one = try Support.handout(["render", "notebooks/a.md", "--out", "out"], in: dir)
    XCTAssertEqual(one.status, 0, one.output)
    XCTAssertEqual(try listed(), ["a.html", "b.html"])
    XCTAssertTrue(exists(out.appendingPathComponent(".handout-manifest.json")))

    // Deleted, but its folder was not rendered whole: still listed.
    try FileManager.default.removeItem(at: dir.appendingPathComponent("notebooks/b.md"))
    XCTAssertEqual(try Support.handout(["render", "notebooks/a.md", "--out", "out"], in: dir).status, 0)
    XCTAssertEqual(try listed(), ["a.html", "b.html"])

    // The whole folder rendered without it: dropped, with its handout.
    XCTAssertEqual(try Support.handout(["render", "notebooks", "--out", "out"], in: dir).status, 0)
    XCTAssertEqual(try listed(), ["a.html"])
    XCTAssertFalse(exists(out.appendingPathComponent("b.html")))
    XCTAssertFalse(exists(out.appendingPathComponent("b")))
  }

  // MARK: c. Output names that would collide are refused before anything runs

  func testCollidingOutputNamesAreRefusedBeforeAnythingRuns() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write("# One\n", to: dir.appendingPathComponent("one/x.md"))
    try Support.write("# Two\n", to: dir.appendingPathComponent("two/x.md"))
    let clash = try Support.handout(["render", "one", "two", "--out", "out"], in: dir)
    XCTAssertEqual(clash.status, 2, clash.output)
    XCTAssertTrue(clash.output.contains("one/x.md"), clash.output)
    XCTAssertTrue(clash.output.contains("two/x.md"), clash.output)
    XCTAssertFalse(clash.output.contains("No such file"), clash.output)
    XCTAssertFalse(exists(dir.appendingPathComponent("out")), "refused before anything was written")

    for name in ["index.md", "assets.md", "x.failed.md", ".handout-manifest.json.md", "..md"] {
      let path = dir.appendingPathComponent("reserved/\(name)")
      try Support.write("# Reserved\n", to: path)
      let refused = try Support.handout(["render", "reserved/\(name)", "--out", "out"], in: dir)
      XCTAssertEqual(refused.status, 2, "\(name): \(refused.output)")
      XCTAssertTrue(refused.output.contains("reserved/\(name)"), refused.output)
      XCTAssertFalse(exists(dir.appendingPathComponent("out")), name)
      try FileManager.default.removeItem(at: path)
    }

    XCTAssertThrowsError(try Publisher.checkOutputNames(["a/X.md", "b/x.md"])) { error in
      XCTAssertEqual(
        "\(error)",
        "b/x.md:1:1: error: its handout x.html would overwrite the one of a/X.md (file names that differ only in case are the same on many disks); rename one of them"
      )
    }
    XCTAssertNoThrow(try Publisher.checkOutputNames(["a/x.md", "a/y.md", "b/z.md"]))
    // Published without the command line's check: refused all the same, the index stays the index.
    let index = try Support.write("# Not the index\n", "index.md", in: dir)
    let outcome = NotebookOutcome(
      path: index, notebook: try Notebook.parse(source: "# Not the index\n", path: index), run: RunResult(),
      error: nil)
    let out = dir.appendingPathComponent("direct")
    XCTAssertEqual(
      try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems.map(\.description),
      ["\(index):1:1: error: its handout would overwrite the course index (index.html); rename the file"])
    XCTAssertTrue(try Support.text(out.appendingPathComponent("index.html")).contains("No notebooks yet."))

    // One file named twice is one notebook, not a clash.
    let twice = try Pipeline.notebookPaths([
      dir.appendingPathComponent("one/x.md").path, dir.path + "/two/../one/./x.md",
    ])
    XCTAssertEqual(twice, [dir.appendingPathComponent("one/x.md").path])
  }

  /// A notebook named like a file another handout makes (`x.html.md`: its folder `x.html/` is
  /// x's page; `x.slides.md`: its page `x.slides.html` is x's deck; `index.html.md`) is refused
  /// before anything runs, even when the other handout is only in the folder from an earlier render.
  func testNotebookNamedLikeAnotherHandoutsFileIsRefused() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    try Support.write("# X\n", to: dir.appendingPathComponent("notebooks/x.md"))
    XCTAssertEqual(
      try Support.handout(["render", "notebooks", "--out", "out", "--slides"], in: dir).status, 0)
    let page = try FileManager.default.destinationOfSymbolicLink(
      atPath: out.appendingPathComponent("x.html").path)
    for name in ["x.html.md", "x.slides.md", "index.html.md", "X.PDF.md", "x.failed.html.md"] {
      let path = try Support.write("# Clash\n", name, in: dir.appendingPathComponent("notebooks"))
      for paths in [["notebooks"], ["notebooks/\(name)"]] {
        let refused = try Support.handout(["render"] + paths + ["--out", "out", "--slides"], in: dir)
        XCTAssertEqual(refused.status, 2, "\(name): \(refused.output)")
        XCTAssertTrue(refused.output.contains("notebooks/\(name):1:1: error:"), refused.output)
      }
      try FileManager.default.removeItem(atPath: path)
      XCTAssertEqual(
        try FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("x.html").path),
        page,
        name)
      XCTAssertEqual(
        try FileManager.default.destinationOfSymbolicLink(
          atPath: out.appendingPathComponent("x.slides.html").path),
        "x/.slides.html", name)
      XCTAssertTrue(
        try Support.text(out.appendingPathComponent("index.html")).contains("href=\"x.html\""), name)
    }
  }

  // MARK: d. One output name for every stage

  func testNotebookNamedWithSpacesAndDotsKeepsItsFigures() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(figureNotebook(width: 60, passes: true), "my notes v1.2.md", in: dir)
    let outcome = Pipeline.process(path: path, options: try Support.options())
    XCTAssertEqual(outcome.notebook?.name, "my notes v1.2")
    XCTAssertFalse(outcome.failed, "\(outcome)")
    let out = dir.appendingPathComponent("out")
    XCTAssertEqual(try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems, [])
    let html = try Support.text(out.appendingPathComponent("my notes v1.2.html"))
    XCTAssertTrue(html.contains("src=\"my%20notes%20v1.2/plot-1.svg\""), html)
    XCTAssertEqual(try assertPagesMatchFigures(out, names: ["my notes v1.2"]), 1)
    let index = try Support.text(out.appendingPathComponent("index.html"))
    XCTAssertTrue(index.contains("href=\"my%20notes%20v1.2.html\""), index)
  }
}
