import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// What a render writes from the corpus: escaped output and figure names kept inside the notebook's
/// folder, two renders into one folder at once, a read-only output folder and a full disk.
extension CorpusTests {
  // MARK: Output

  /// Printed HTML is escaped; figure names with `../` or `/` land inside the notebook's folder.
  func testPrintedHTMLIsEscapedAndFigureNamesStayInside() throws {
    let outcome = try outcome("escaping.md")
    let run = try XCTUnwrap(outcome.run)
    XCTAssertFalse(run.failed, "\(run)")
    let files = try XCTUnwrap(run.blocks[0]?.figures).flatMap { $0.files.values }
    // Two figures, each svg, png and pdf for the page and svg for the slide.
    XCTAssertEqual(files.count, 8)
    for file in files {
      XCTAssertTrue(file.hasPrefix("escaping/"), file)
      XCTAssertFalse(file.dropFirst("escaping/".count).contains("/"), file)
      XCTAssertFalse(file.contains(".."), file)
    }
    let dir = try Support.temporaryDirectory(self)
    XCTAssertEqual(try Pipeline.publish([outcome], to: dir, weave: WeaveOptions()).problems, [])
    let html = try String(contentsOf: dir.appendingPathComponent("escaping.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; and &lt;/pre&gt; &amp; done"))
    XCTAssertFalse(html.contains("<script>alert(1)"))
    let written = try FileManager.default.subpathsOfDirectory(atPath: dir.path)
    XCTAssertEqual(Set(written.filter { $0.hasSuffix(".svg") }).count, 4)
    let outsideTheHandout = written.filter {
      !$0.hasPrefix("assets")
        && !["escaping.html", "index.html", "escaping", ".handout-manifest.json"].contains($0)
        && !($0.hasPrefix("escaping/") && !$0.dropFirst("escaping/".count).contains("/"))
    }
    XCTAssertEqual(outsideTheHandout, [])
  }

  /// Two renders into the same folder at once: both succeed, and the handout is whole.
  func testConcurrentRendersIntoOneFolder() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write("# Same\n\nProse.\n", "same.md", in: dir)
    let outcome = Pipeline.process(path: path, options: try Support.options())
    let out = dir.appendingPathComponent("out")
    let failures = LockedList()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      for _ in 0..<15 {
        do {
          let problems = try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems
          problems.forEach { failures.append($0.description) }
        } catch {
          failures.append("\(error)")
        }
      }
    }
    XCTAssertEqual(failures.items, [])
    let html = try String(contentsOf: out.appendingPathComponent("same.html"), encoding: .utf8)
    XCTAssertTrue(html.hasSuffix("</html>\n"))
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: out.path).filter {
        $0.hasPrefix(".handout-staging-")
      }, [],
      "no staging left behind")
  }

  /// A small tmpfs (needs root; skipped otherwise), unmounted at the end of the test.
  func mount(_ options: String) throws -> URL {
    let dir = try Support.temporaryDirectory(self)
    let point = dir.appendingPathComponent("mnt")
    try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/mount")
    process.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", point.path]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { throw XCTSkip("cannot run mount") }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw XCTSkip("cannot mount a tmpfs (not root?)") }
    addTeardownBlock {
      let umount = Process()
      umount.executableURL = URL(fileURLWithPath: "/bin/umount")
      umount.arguments = [point.path]
      try? umount.run()
      umount.waitUntilExit()
    }
    return point
  }

  func testReadOnlyOutputFolder() throws {
    let out = try mount("ro,size=64k")
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write("# RO\n\nProse.\n", "ro.md", in: dir)
    let outcome = Pipeline.process(path: path, options: try Support.options())
    XCTAssertThrowsError(try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems) { error in
      XCTAssertEqual(
        "\(error)",
        "error: cannot write \(out.path): Read-only file system "
          + "(the previous handout is unchanged)")
    }
  }

  func testFullDisk() throws {
    // Room for the whole first handout, KaTeX's assets included (~0.5 MB): in 64 KiB the page and
    // the assets, staged on two threads, raced for the space, and the first handout was missing
    // whenever the assets came first.
    let out = try mount("size=2m")
    let dir = try Support.temporaryDirectory(self)
    // The previous handout, written by Handout (only what it wrote is ever replaced).
    let first = try Support.write("# Full\n\nThe previous handout.\n", "full.md", in: dir)
    let written = try Pipeline.publish(
      [Pipeline.process(path: first, options: try Support.options())], to: out, weave: WeaveOptions())
    XCTAssertEqual(written.problems.map(\.description), [], "the first handout fits")
    let previous = try Data(contentsOf: out.appendingPathComponent("full.html"))
    let path = try Support.write("# Full\n\nProse.\n", "full.md", in: dir)
    let outcome = Pipeline.process(path: path, options: try Support.options())
    // Fill the disk, leaving room for the staging folder but not for a handout.
    let filler = out.appendingPathComponent("filler")
    FileManager.default.createFile(atPath: filler.path, contents: nil)
    let handle = try FileHandle(forWritingTo: filler)
    while (try? handle.write(contentsOf: Data(count: 1024))) != nil {}
    try handle.close()
    // Another generator's name: the index has to change too (the kept handout keeps its entry).
    var weave = WeaveOptions()
    weave.generator += " (next)"
    let report = try Pipeline.publish([outcome], to: out, weave: weave)
    let problems = report.problems
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("full.html")), previous)
    // The summary names only what was written: not the index, which the full disk refused.
    XCTAssertFalse(report.index, "\(problems)")
    XCTAssertTrue(problems.contains { $0.message.hasPrefix("index.html was not written") }, "\(problems)")
    XCTAssertEqual(report.summary(out: "out", slides: false, pdf: false), "wrote 0 handouts to out/: 0 pages")
    let problem = try XCTUnwrap(problems.first?.description)
    XCTAssertTrue(
      problem.hasPrefix("\(path):1:1: error: the handout was not written (the previous one is kept): "),
      problem)
    XCTAssertTrue(problem.hasSuffix(": No space left on device"), problem)
  }
}

private final class LockedList: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [String] = []
  func append(_ s: String) {
    lock.lock()
    list.append(s)
    lock.unlock()
  }
  var items: [String] {
    lock.lock()
    defer { lock.unlock() }
    return list
  }
}
