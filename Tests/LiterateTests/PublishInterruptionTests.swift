import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// What is already in the output folder survives: a render killed at any moment leaves whole
/// handouts and, at the next render, no leftovers; files no manifest records are not taken over; a
/// read-only figures folder is reported as it is (issue 12, section 3; issue 20).
extension PublishSafetyTests {
  // MARK: e. A killed render never leaves a page with other figures, nor leftovers

  func testRenderKilledAtRandomMomentsLeavesWholeHandoutsAndNoLeftovers() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let out = dir.appendingPathComponent("out")
    let names = ["p", "q"]
    /// Variant `v`: every notebook draws twelve figures `60 + v` points wide.
    func writeVariant(_ v: Int) throws {
      for name in names {
        var source = "# \(name)\n\n```swift id=plot\n"
        for k in 0..<12 { source += "show(Figure(width: \(60 + v), height: \(30 + k)))\n" }
        source += "print(\"variant \(v)\")\n```\n"
        try Support.write(source, to: dir.appendingPathComponent("notebooks/\(name).md"))
      }
    }
    // Each variant once, whole, so the killed renders find their runs cached and spend their
    // time where it matters: weaving and publishing (about a third of a cached render).
    for v in 0..<3 {
      try writeVariant(v)
      let whole = try Support.handout(["render", "notebooks", "--out", "out"], in: dir, cache: cache)
      XCTAssertEqual(whole.status, 0, whole.output)
    }
    let start = Date()
    XCTAssertEqual(
      try Support.handout(["render", "notebooks", "--out", "out"], in: dir, cache: cache).status, 0)
    let seconds = Date().timeIntervalSince(start)
    var killed = 0
    var interrupted = 0
    for k in 0..<40 {
      try writeVariant(k % 3)
      let process = try Support.handoutProcess(
        ["render", "notebooks", "--out", "out"], in: dir, cache: cache)
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      let left = Set(try dotEntries(out))
      try process.run()
      if k % 4 == 3 {
        // Every fourth kill lands as the render's publish begins (its staging entry appears):
        // some kill interrupts a write even when the machine's speed has changed since `seconds`
        // was measured (a loaded machine's renders take twice as long, or half, from one to the next).
        let deadline = Date().addingTimeInterval(600)
        while process.isRunning, Date() < deadline, try dotEntries(out).allSatisfy(left.contains) {
          usleep(200)
        }
      } else {
        // Moments spread evenly over the render, the same on every run: k·φ mod 1 (golden ratio).
        let moment = (Double(k) * 0.618_033_988_749_895).truncatingRemainder(dividingBy: 1)
        usleep(useconds_t(moment * seconds * 1.1 * 1_000_000))
      }
      if kill(process.processIdentifier, SIGKILL) == 0 { killed += 1 }
      process.waitUntilExit()
      // Right after the kill: every page is whole, none was lost.
      XCTAssertEqual(try assertPagesMatchFigures(out, names: names), names.count)
      if try !dotEntries(out).isEmpty { interrupted += 1 }
    }
    // Some kills must have landed inside a write, or this test proves nothing.
    XCTAssertGreaterThan(interrupted, 0, "no kill interrupted a write (\(killed) killed)")
    XCTAssertGreaterThan(killed, 0)
    let after = try Support.handout(["render", "notebooks", "--out", "out"], in: dir, cache: cache)
    XCTAssertEqual(after.status, 0, after.output)
    XCTAssertEqual(try dotEntries(out), [], "the next render removed every leftover")
    XCTAssertEqual(try assertPagesMatchFigures(out, names: names), names.count)
  }

  /// The moments the random kills above hit only now and then (a CI run failed on it), one after
  /// the other: a render stopped after its swap, before its manifest said so, leaves the new files
  /// recorded only as pending; the next render records its own files as pending and is stopped
  /// before its swap. The files on disk must still be Handout's at the render after, not refused
  /// as a user's (they were: the second record replaced the first).
  func testARenderStoppedBeforeItsSwapAfterOneStoppedAfterItsSwapLeavesFilesTheNextRenderOwns() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let manifestURL = out.appendingPathComponent(Publisher.manifestName)
    let options = try Support.options()
    func publish(width: Int) throws -> PublishReport {
      let path = try Support.write(figureNotebook(width: width, passes: true), "p.md", in: dir)
      return try Pipeline.publish(
        [Pipeline.process(path: path, options: options)], to: out, weave: WeaveOptions())
    }
    XCTAssertEqual(try publish(width: 60).problems, [])
    let first = Manifest.load(from: manifestURL).ownership.files
    XCTAssertEqual(try publish(width: 61).problems, [])
    // Stopped after the swap: the second render's files are on disk, the manifest has them pending.
    var stopped = Manifest.load(from: manifestURL)
    stopped.ownership.pending = stopped.ownership.files.filter { first[$0.key] != $0.value }
    XCTAssertFalse(stopped.ownership.pending.isEmpty)
    stopped.ownership.files = first
    try stopped.encoded().write(to: manifestURL)

    // The next render, as far as its swap: opened, its staged files recorded pending and saved.
    let staged = dir.appendingPathComponent("staged")
    try Support.write("<p>never swapped in</p>\n", to: staged.appendingPathComponent(Publisher.pageName))
    try Support.write("<svg width=\"62px\"></svg>\n", to: staged.appendingPathComponent("plot-1.svg"))
    var folder = OutputFolder.reopened(out, manifest: Manifest.load(from: manifestURL))
    folder.manifest.ownership.expectFolder(staged, as: "p")
    try folder.saveManifest()

    // Every file there is Handout's: the render after replaces them.
    let after = Manifest.load(from: manifestURL).ownership
    XCTAssertNil(after.foreignPath(at: "p", in: out), "pending: \(after.pending.keys.sorted())")
    let report = try publish(width: 63)
    XCTAssertEqual(report.problems, [])
    XCTAssertEqual(report.refused, [])
    XCTAssertEqual(try assertPagesMatchFigures(out, names: ["p"]), 1)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("p.html")).contains("drawn at 63"))
  }

  /// An output folder with a page and figures that no manifest records (an older Handout, or the
  /// user's own): nothing is replaced, and the error says which file stopped it; once the user
  /// has moved them, the handout is written (issue 20: Handout owns only what it wrote).
  func testFilesNoManifestRecordsAreNotTakenOver() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let path = try Support.write(figureNotebook(width: 60, passes: true), "old.md", in: dir)
    try Support.write("<p>the old page</p>\n", to: out.appendingPathComponent("old.html"))
    try Support.write("<svg width=\"10px\"></svg>\n", to: out.appendingPathComponent("old/plot-1.svg"))
    let outcome = Pipeline.process(path: path, options: try Support.options())
    let problems = try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems
    XCTAssertEqual(problems.count, 1, "\(problems)")
    XCTAssertTrue(
      problems.first?.message.contains("is not a file Handout wrote") == true, "\(problems)")
    XCTAssertEqual(try Support.text(out.appendingPathComponent("old.html")), "<p>the old page</p>\n")
    XCTAssertEqual(
      try Support.text(out.appendingPathComponent("old/plot-1.svg")), "<svg width=\"10px\"></svg>\n")
    XCTAssertEqual(try dotEntries(out), [])

    try FileManager.default.removeItem(at: out.appendingPathComponent("old.html"))
    try FileManager.default.removeItem(at: out.appendingPathComponent("old"))
    XCTAssertEqual(try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems, [])
    XCTAssertEqual(
      try FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("old.html").path),
      "old/.page.html")
    XCTAssertEqual(try assertPagesMatchFigures(out, names: ["old"]), 1)

    // Self-contained: a plain file again, figures embedded; the folder keeps the files for slides.
    var weave = WeaveOptions()
    weave.selfContained = true
    XCTAssertEqual(try Pipeline.publish([outcome], to: out, weave: weave).problems, [])
    let page = out.appendingPathComponent("old.html")
    XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: page.path))
    XCTAssertTrue(try Support.text(page).contains("src=\"data:image/svg+xml;base64,"))
    XCTAssertTrue(exists(out.appendingPathComponent("old/plot-1.svg")))
    XCTAssertFalse(exists(out.appendingPathComponent("old/.page.html")))
    // And back to a linked page: the self-contained file is Handout's, so it is replaced.
    XCTAssertEqual(try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems, [])
    XCTAssertEqual(
      try FileManager.default.destinationOfSymbolicLink(atPath: page.path), "old/.page.html")
    XCTAssertEqual(try dotEntries(out), [])
  }

  // MARK: f. A read-only figures folder is reported as it is

  func testReadOnlyFiguresFolderIsReportedAsItIs() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let options = try Support.options()
    let x = try Support.write(figureNotebook(width: 60, passes: true), "x.md", in: dir)
    let y = try Support.write("# Y\n\nProse.\n", "y.md", in: dir)
    _ = try Pipeline.publish(
      [Pipeline.process(path: x, options: options), Pipeline.process(path: y, options: options)], to: out,
      weave: WeaveOptions()
    ).problems
    let before = try Data(contentsOf: out.appendingPathComponent("x.html"))

    // The figures folder read-only: root ignores permissions, so a read-only bind mount of the
    // folder onto itself stands for it (same files, no writes).
    let figures = out.appendingPathComponent("x")
    if getuid() == 0 {
      func mount(_ arguments: [String]) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
      }
      guard try mount(["--bind", figures.path, figures.path]) else { throw XCTSkip("cannot bind-mount") }
      addTeardownBlock {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = ["-l", figures.path]
        try? umount.run()
        umount.waitUntilExit()
      }
      guard try mount(["-o", "remount,ro,bind", figures.path]) else {
        throw XCTSkip("cannot remount read-only")
      }
    } else {
      try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: figures.path)
      addTeardownBlock {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: figures.path)
      }
    }

    try Support.write(figureNotebook(width: 70, passes: true), to: URL(fileURLWithPath: x))
    try Support.write("# Y\n\nOther prose.\n", to: URL(fileURLWithPath: y))
    var reported: [String] = []
    do {
      reported = try Pipeline.publish(
        [Pipeline.process(path: x, options: options), Pipeline.process(path: y, options: options)], to: out,
        weave: WeaveOptions()
      ).problems.map(\.description)
    } catch {
      reported = ["\(error)"]
    }

    let after = try Data(contentsOf: out.appendingPathComponent("x.html"))
    let saysKept = reported.contains { $0.contains("unchanged") || $0.contains("previous one is kept") }
    XCTAssertEqual(saysKept, after == before, "what was reported is what happened: \(reported)")
    if after != before {
      XCTAssertEqual(try assertPagesMatchFigures(out, names: ["x"]), 1)
    }
    // Whatever happened to x, y and the index were written.
    XCTAssertTrue(
      try Support.text(out.appendingPathComponent("y.html")).contains("Other prose."), "\(reported)")
    XCTAssertEqual(try dotEntries(out), [])
  }
}
