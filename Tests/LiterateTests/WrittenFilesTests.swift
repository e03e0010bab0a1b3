import Mustache
import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// Publish knows the files it writes by the bytes it wrote (issue 25: a cold render hashed every
/// figure twice and read each staged file back), and files read ahead are used only while their
/// stamp holds: what the manifest records is still what is on disk.
final class WrittenFilesTests: XCTestCase {
  /// A staged folder's file written by publish is taken as written while its stamp holds: its
  /// recorded hash is not read back (a made-up hash shows that), and a file changed after the
  /// write is read and hashed again.
  func testAFileWrittenIsRecordedAsWrittenWhileItsStampHolds() throws {
    let dir = try Support.temporaryDirectory(self)
    let staged = dir.appendingPathComponent("staged")
    let page = try Files.writeOwned(Data("<p>page</p>".utf8), to: staged.appendingPathComponent(".page.html"))
    let figure = try Files.writeOwned(Data("<svg>1</svg>".utf8), to: staged.appendingPathComponent("f-1.svg"))
    XCTAssertEqual(page.sha256, SHA256.hex(Data("<p>page</p>".utf8)))
    XCTAssertNotNil(page.stamp)
    let madeUp = String(repeating: "a", count: 64)
    var written = [".page.html": page, "f-1.svg": figure]
    written[".page.html"]?.sha256 = madeUp
    var ownership = Ownership()
    ownership.expectFolder(staged, as: "h", written: written)
    XCTAssertEqual(ownership.pending["h/.page.html"]?.sha256, madeUp, "taken as written, not read back")
    XCTAssertEqual(ownership.pending["h/f-1.svg"]?.sha256, SHA256.hex(Data("<svg>1</svg>".utf8)))

    // Changed after the write, the same size: its stamp no longer holds, so it is read again.
    try Files.write(Data("<svg>2</svg>".utf8), to: staged.appendingPathComponent("f-1.svg"))
    var stamp = written["f-1.svg"]
    stamp?.sha256 = madeUp
    ownership = Ownership()
    ownership.expectFolder(staged, as: "h", written: ["f-1.svg": try XCTUnwrap(stamp)])
    XCTAssertEqual(ownership.pending["h/f-1.svg"]?.sha256, SHA256.hex(Data("<svg>2</svg>".utf8)))
    // Files not written by publish are read, as before.
    XCTAssertEqual(ownership.pending["h/.page.html"]?.sha256, SHA256.hex(Data("<p>page</p>".utf8)))
  }

  /// A figure copied into a handout's folder keeps its bytes and permission bits, and its hash is
  /// the source's, learned for the next render's comparison.
  func testAFigureCopyIsHashedOnTheWay() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = dir.appendingPathComponent("cache/figure.png")
    try Files.write(Data((0..<5000).map { UInt8($0 % 251) }), to: source)
    XCTAssertEqual(chmod(source.path, 0o640), 0)
    Thread.sleep(forTimeInterval: 0.05)
    let known = KnownHashes()
    let destination = dir.appendingPathComponent("staged/sub/figure.png")
    let copied = try known.copy(source, to: destination)
    XCTAssertEqual(try Data(contentsOf: destination), try Data(contentsOf: source))
    XCTAssertEqual(copied.sha256, SHA256.hex(try Data(contentsOf: source)))
    var info = stat()
    XCTAssertEqual(lstat(destination.path, &info), 0)
    XCTAssertEqual(info.st_mode & 0o7777, 0o640)
    XCTAssertEqual(copied.stamp, OwnedFile.stampOf(info))
    XCTAssertEqual(known.entries[source.path]?.sha256, copied.sha256, "an old enough source is learned")
  }

  /// A file read ahead is handed out once, and only while its stamp is the one it had when read: a
  /// file changed since is read again where it is copied.
  func testAFileReadAheadIsUsedOnlyWhileItsStampHolds() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = dir.appendingPathComponent("katex/font.woff2")
    try Files.write(Data("old font".utf8), to: source)
    Thread.sleep(forTimeInterval: 0.05)
    let ahead = ReadAhead()
    ahead.prefetch(source.path)
    XCTAssertEqual(ahead.take(source.path)?.data, Data("old font".utf8))
    XCTAssertNil(ahead.take(source.path), "handed out once")

    ahead.prefetch(source.path)
    try Files.write(Data("new font".utf8), to: source)
    XCTAssertNil(ahead.take(source.path), "changed since it was read")

    // Too young to be trusted (changed within the clock's grain of the read): not kept. Whether
    // the read came within two ticks of the write is up to the scheduler (a loaded machine holds
    // this thread longer): a try counts only when the clock after the read says it did, and one
    // must count.
    let young = dir.appendingPathComponent("katex/young.css")
    var tries = 0
    var judged = false
    while !judged && tries < 100 {
      tries += 1
      try Files.write(Data("x \(tries)".utf8), to: young)
      ahead.prefetch(young.path)
      let read = OwnedStamps.nanoseconds(OwnedStamps.now())
      var info = stat()
      XCTAssertEqual(lstat(young.path, &info), 0)
      let changed = OwnedStamps.nanoseconds(info.st_ctim)
      // The read began before `read`; a change less than two ticks before that is too young.
      judged = changed >= read - 2 * OwnedStamps.tick
      if judged {
        XCTAssertEqual(ahead.count, 0, "a file read within two ticks of its change was kept")
      } else {
        ahead.clear()
      }
    }
    XCTAssertTrue(judged, "no read came within two ticks of its write (\(tries) tries)")
  }

  /// Installing the assets takes a file read ahead instead of reading it again, and records it as
  /// written.
  func testAssetCopiesTakeWhatWasReadAhead() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = dir.appendingPathComponent("katex/katex.min.css")
    try Files.write(Data(".katex{}".utf8), to: source)
    Thread.sleep(forTimeInterval: 0.05)
    ReadAhead.shared.prefetch(source.path)
    defer { ReadAhead.shared.clear() }
    let staged = dir.appendingPathComponent("assets")
    let written = try Files.install(
      [AssetFile(path: "katex.min.css", content: .copy(of: source))], into: staged)
    XCTAssertNil(ReadAhead.shared.take(source.path), "taken by the copy")
    XCTAssertEqual(
      try Data(contentsOf: staged.appendingPathComponent("katex.min.css")), Data(".katex{}".utf8))
    XCTAssertEqual(written["katex.min.css"]?.sha256, SHA256.hex(Data(".katex{}".utf8)))
    XCTAssertEqual(
      FileStamp(staged.appendingPathComponent("katex.min.css").path)?.sameSizeAndTime(
        as: try XCTUnwrap(FileStamp(source.path))), true)
  }

  /// Templates are parsed once per text: an edited template (preview) is parsed again, and one
  /// with a syntax error is still an error, every time.
  func testAnEditedTemplateIsParsedAgain() throws {
    let dir = try Support.temporaryDirectory(self)
    let file = dir.appendingPathComponent("index.mustache")
    let templates = TemplateSet(
      options: WeaveOptions(templatesDirectory: dir, fallbackTemplatesDirectory: nil))
    try Support.write("one {{title}}", to: file)
    XCTAssertEqual(try templates.template(named: "index.mustache").render(["title": "A"]), "one A")
    XCTAssertEqual(try templates.template(named: "index.mustache").render(["title": "B"]), "one B")
    try Support.write("two {{title}}", to: file)
    XCTAssertEqual(try templates.template(named: "index.mustache").render(["title": "A"]), "two A")
    try Support.write("{{#open}} never closed", to: file)
    for _ in 0..<2 {
      XCTAssertThrowsError(try templates.template(named: "index.mustache")) { error in
        guard case .templateSyntax = error as? WeaveError else { return XCTFail("\(error)") }
      }
    }
  }

  /// What a render does for publishing beside the compile starts when a notebook is about to be
  /// compiled, once, and not when its run comes from the cache. The run just stored carries its
  /// figures' hashes (taken while they were recorded for the cache), so publish need not hash them.
  func testWillCompileIsCalledOnlyForACompile() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let source =
      "# Ahead\n\n```swift\nlet figure = Figure(width: 120, height: 90)\nshow(figure, caption: \"Empty\")\n"
      // Its PNG, PDF and slide SVG are drawn on other threads: the program waits until the four
      // files are in its figures folder (in the cache), then long enough for them to be old enough,
      // when stored, for their stamps to stand for their bytes (`OwnedStamps.trusted`). A bare
      // 0.1 s sleep assumed they were drawn within it, which a loaded machine need not do.
      + "var drawn = 0\nlet deadline = Date().addingTimeInterval(120)\n"
      + "while drawn < 4 && Date() < deadline {\n"
      + "  drawn = (FileManager.default.subpaths(atPath: \"\(cache.path)\") ?? []).filter { path in\n"
      + "    path.contains(\"figures/\") && [\".svg\", \".png\", \".pdf\"].contains { path.hasSuffix($0) }\n"
      + "  }.count\n"
      + "  usleep(10_000)\n"
      + "}\n"
      + "Thread.sleep(forTimeInterval: 0.1)\n```\n"
    let notebook = try Notebook.parse(source: source, path: dir.appendingPathComponent("ahead.md").path)
    let calls = CallCount()
    var options = try Support.options(cache: cache)
    options.willCompile = { calls.increment() }
    let stored = try XCTUnwrap(try Runner.run(notebook, options: options).artifacts)
    XCTAssertEqual(calls.value, 1, "called before the compile")
    XCTAssertEqual(stored.hashes.count, 4, "svg, png, pdf, slide svg: \(stored.hashes.keys.sorted())")
    for (relative, entry) in stored.hashes {
      let path = stored.figures.appendingPathComponent(relative).path
      XCTAssertEqual(entry.sha256, SHA256.hex(try XCTUnwrap(FileManager.default.contents(atPath: path))))
      var info = stat()
      XCTAssertEqual(lstat(path, &info), 0)
      XCTAssertEqual(entry.stamp, OwnedFile.stampOf(info), "the stamp holds after the entry's move")
    }
    _ = try Runner.run(notebook, options: options)
    XCTAssertEqual(calls.value, 1, "not for a cached run")
    let once = Once { calls.increment() }
    once.fire()
    once.fire()
    XCTAssertEqual(calls.value, 2, "Once fires once")
  }
}

private final class CallCount: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
