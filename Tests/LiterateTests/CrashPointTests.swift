import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// A render stopped at any change it makes leaves whole handouts, loses no file, and the next
/// render succeeds: a real `handout render` is stopped by strace before each change to the output
/// folder (`CrashPoints`), one point after the other, the same points every run.
extension PublishSafetyTests {
  /// A notebook with two figures `width` points wide, "Prose <width>." in its text, and a check
  /// that passes when `passes`.
  func crashNotebook(width: Int, passes: Bool = true) -> String {
    """
    # Stopped

    Prose \(width).

    ```swift id=plot
    show(Figure(width: \(width), height: 40), caption: "width \(width)")
    show(Figure(width: \(width), height: 41))
    print("drawn at \(width)")
    expect(\(width), equals: \(passes ? width : width + 1))
    ```

    """
  }

  /// A folder `dir` with `notebooks/` and `out/`, which `restore` puts back as `saved` found it
  /// (the output folder, and no stamps of it in the cache: every stop starts from the same files).
  struct Scene {
    let dir: URL
    let cache: URL
    var out: URL { dir.appendingPathComponent("out") }
    var notebooks: URL { dir.appendingPathComponent("notebooks") }
    /// Files of the user's in the output folder and beside the notebooks.
    var userFiles: [URL] {
      [
        out.appendingPathComponent("photo.txt"), out.appendingPathComponent("api/index.html"),
        notebooks.appendingPathComponent("data.txt"),
      ]
    }

    func write(_ source: String, _ name: String) throws {
      try Support.write(source, to: notebooks.appendingPathComponent(name))
    }

    func render(_ flags: [String], into folder: String = "out") throws -> (status: Int32, output: String) {
      try Support.handout(["render", "notebooks", "--out", folder] + flags, in: dir, cache: cache)
    }

    /// Keeps the output folder as it is now, with the user's files added.
    func save() throws {
      try Support.write("photo\n", to: userFiles[0])
      try Support.write("<p>api</p>\n", to: userFiles[1])
      try Support.write("data\n", to: userFiles[2])
      try FileManager.default.copyItem(at: out, to: dir.appendingPathComponent("saved"))
    }

    /// The output folder as `save` kept it; returns what its user's files hold now.
    func restore() throws -> [Data] {
      try FileManager.default.removeItem(at: out)
      try FileManager.default.copyItem(at: dir.appendingPathComponent("saved"), to: out)
      try? FileManager.default.removeItem(at: cache.appendingPathComponent("publish-stamps"))
      return try userFileStates()
    }

    /// Each user file's bytes, modification time and mode.
    func userFileStates() throws -> [Data] {
      try userFiles.map { url in
        var info = stat()
        XCTAssertEqual(lstat(url.path, &info), 0, url.path)
        return try Data(contentsOf: url)
          + Data("\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_mode)".utf8)
      }
    }
  }

  /// Every page and deck of `names` in `out` is whole: no link to nothing, every figure it shows
  /// is there (a file, or embedded), and each figure on a page is the one it was woven with and
  /// from the same render as its text. Returns each page's render ("Prose N") by name.
  @discardableResult
  func assertWhole(_ out: URL, _ names: [String], _ moment: String, line: UInt = #line) throws -> [String:
    Int]
  {
    var renders: [String: Int] = [:]
    for name in names.flatMap({ [$0, $0 + ".failed"] }) {
      for page in ["\(name).html", "\(name).slides.html"] {
        let url = out.appendingPathComponent(page)
        var info = stat()
        guard lstat(url.path, &info) == 0 else { continue }
        guard let html = try? Support.text(url) else {
          XCTFail("\(moment): \(page) points at nothing", line: line)
          continue
        }
        let render = html.firstMatch(of: #/Prose (\d+)\./#).flatMap { Int($0.1) }
        if page.hasSuffix(".slides.html") {
          for match in html.matches(of: #/src="([^"]+\.(svg|png))"/#) {
            let figure = String(match.1).removingPercentEncoding ?? String(match.1)
            XCTAssertTrue(
              exists(out.appendingPathComponent(figure)), "\(moment): \(page): \(figure)", line: line)
          }
          continue
        }
        renders[name] = render
        for (src, width) in images(html) {
          let svg: String
          if src.hasPrefix("data:") {
            svg = String(
              decoding: Data(base64Encoded: String(src.split(separator: ",")[1])) ?? Data(), as: UTF8.self)
          } else if let text = try? Support.text(out.appendingPathComponent(src)) {
            svg = text
          } else {
            XCTFail("\(moment): \(page): \(src) is missing", line: line)
            continue
          }
          let drawn = svg.firstMatch(of: #/<svg[^>]*\swidth="([0-9.]+)(px|pt)?"/#).map { String($0.1) }
          XCTAssertEqual(drawn, width, "\(moment): \(page) with \(src)", line: line)
          XCTAssertEqual(
            drawn, render.map(String.init), "\(moment): \(page)'s text and its \(src)", line: line)
        }
      }
    }
    return renders
  }

  /// The strace call to fail at `point` instead of stopping there: a full disk for what writes,
  /// an I/O error for what renames or removes.
  func failure(at point: CrashPoint) -> String {
    ["rename", "renameat2", "unlink", "unlinkat", "rmdir"].contains(point.syscall)
      ? "error=EIO" : "error=ENOSPC"
  }

  /// Re-renders a changed notebook `p` (two figures, its deck with --slides) into `out`, holding its
  /// good handout rendered with `old` flags, with `new` flags, stopped before each change it makes
  /// (every few points it fails that call instead, or is stopped again at another point on the next
  /// render); with `more`, beside a notebook `q` that fails now (its good page must stay, its failing
  /// page goes beside it) and a notebook `r` that is gone (its handout goes). After each stop:
  /// every page whole, none lost, the user's files as they were; after the next full render: no
  /// refusal, no leftover, the new render in place. With `spread`, only that many points: one in
  /// each of `phases`, the rest spread evenly (`CrashPoints.spread`). Returns how many points it
  /// stopped at.
  @discardableResult
  func stopEveryChange(
    old: [String], new: [String], more: Bool, spread: Int = .max, phases: [CrashPoints.Phase] = []
  ) throws -> Int {
    let dir = try Support.temporaryDirectory(self)
    let scene = Scene(dir: dir, cache: dir.appendingPathComponent("cache"))
    let names = more ? ["p", "q", "r"] : ["p"]
    for name in names { try scene.write(crashNotebook(width: 60), "\(name).md") }
    XCTAssertEqual(try scene.render(old).status, 0)
    try scene.save()
    try scene.write(crashNotebook(width: 61), "p.md")
    if more {
      try scene.write(crashNotebook(width: 61, passes: false), "q.md")
      try FileManager.default.removeItem(at: scene.notebooks.appendingPathComponent("r.md"))
    }
    let status: Int32 = more ? 1 : 0
    // The new runs cached, so every render below only weaves and publishes.
    XCTAssertEqual(try scene.render(new, into: "warm").status, status)
    let arguments = ["render", "notebooks", "--out", "out"] + new
    _ = try scene.restore()
    let all = try CrashPoints.points(
      arguments, in: dir, cache: scene.cache,
      under: [scene.out, scene.cache.appendingPathComponent("publish-stamps")])
    // Every point a reader could tell apart; when `spread` is less, one in each of `phases`, the
    // rest spread evenly over the render.
    let points = CrashPoints.spread(CrashPoints.visible(all), count: spread, phases: phases)
    XCTAssertGreaterThan(all.count, 10, "\(all)")
    XCTAssertGreaterThanOrEqual(points.count, min(spread, 6), "\(all)")
    XCTAssertEqual(
      Set(phases).subtracting(points.map(CrashPoints.phase)), [], "phases without a point: \(points)")
    for (i, point) in points.enumerated() {
      let user = try scene.restore()
      let moment = "\(i): \(point)"
      let failing = i % 4 == 3
      try CrashPoints.stop(
        arguments, in: dir, cache: scene.cache, at: point,
        injecting: failing ? failure(at: point) : "signal=SIGKILL")
      var pages = try assertWhole(scene.out, names, "stopped \(moment)")
      XCTAssertNotNil(pages["p"], "stopped \(moment): p.html was lost")
      if more { XCTAssertEqual(pages["q"], 60, "stopped \(moment): q's last good page") }
      XCTAssertEqual(try scene.userFileStates(), user, "stopped \(moment): the user's files")
      if i % 4 == 1 {
        // Two stops in a row: the next render is stopped too, at another point.
        let second = points[(i * 5 + 3) % points.count]
        try CrashPoints.stop(arguments, in: dir, cache: scene.cache, at: second, anyCall: true)
        pages = try assertWhole(scene.out, names, "stopped again \(moment), then \(second)")
        XCTAssertNotNil(pages["p"], "stopped again \(moment), then \(second): p.html was lost")
        if more {
          XCTAssertEqual(pages["q"], 60, "stopped again \(moment), then \(second): q's last good page")
        }
      }
      let next = try scene.render(new)
      XCTAssertEqual(next.status, status, "after \(moment): \(next.output)")
      XCTAssertFalse(next.output.contains("not a file Handout wrote"), "after \(moment): \(next.output)")
      XCTAssertEqual(try dotEntries(scene.out), [], "after \(moment): leftovers")
      let stamps = try FileManager.default.contentsOfDirectory(
        atPath: scene.cache.appendingPathComponent("publish-stamps").path)
      XCTAssertEqual(stamps.filter { $0.hasPrefix(".") }, [], "after \(moment): leftovers in the cache")
      pages = try assertWhole(scene.out, names, "after \(moment)")
      XCTAssertEqual(pages["p"], 61, "after \(moment): the new page")
      if more {
        XCTAssertEqual(pages["q"], 60, "after \(moment): q's last good page")
        XCTAssertEqual(pages["q.failed"], 61, "after \(moment): q's failing page")
        XCTAssertFalse(exists(scene.out.appendingPathComponent("r.html")), "after \(moment): r's page")
        XCTAssertFalse(exists(scene.out.appendingPathComponent("r")), "after \(moment): r's folder")
      }
      XCTAssertEqual(try scene.userFileStates(), user, "after \(moment): the user's files")
    }
    return points.count
  }

  // Each point costs a render under strace and the render after it (two when stopped twice):
  // about 1–2 s on a quiet machine, 11–40 s on a loaded one. The three scenarios stop at 12 points
  // in all, which together cover every phase: staging, swap, links, manifest and cache. Measured
  // (session 13, load about 10 from other builds): 17, 20 and 16 s of wall time, 8, 7 and 5 s of
  // CPU (user + sys, which is what a quiet machine takes, within a second or two).

  /// 6 points (8 s of CPU): a failing page's links beside its last good page, a gone handout
  /// removed, the manifest, the swaps and the publish stamps in the cache.
  func testALinkedRenderStoppedAtEveryChangeLeavesWholeHandouts() throws {
    try stopEveryChange(
      old: ["--slides"], new: ["--slides"], more: true, spread: 6,
      phases: [.links, .other, .swap, .manifest, .cache])
  }

  /// A folder of self-contained handouts rendered linked: the page, a plain file, is hard-linked
  /// into its folder before the swap. A render stopped there left a `p/.page.html` no record owned,
  /// and every render after refused the handout as the user's. 4 points (7 s of CPU): the hard
  /// link among them.
  func testASelfContainedHandoutRenderedLinkedAndStoppedAtEveryChange() throws {
    try stopEveryChange(
      old: ["--self-contained", "--slides"], new: ["--slides"], more: false, spread: 4,
      phases: [.links, .swap, .manifest, .staging])
  }

  /// A self-contained render costs several times a linked one (every figure and KaTeX embedded):
  /// two of its points, a write into the staging folder and a page swapped in place of its link
  /// (5 s of CPU).
  func testALinkedHandoutRenderedSelfContainedAndStoppedAtChangesSpreadOverIt() throws {
    try stopEveryChange(
      old: ["--slides"], new: ["--self-contained", "--slides"], more: false, spread: 2,
      phases: [.swap, .staging])
  }
}
