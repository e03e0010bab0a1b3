import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// The bad-input corpus (`Corpus/*.md`): every bad notebook, bad number and broken environment ends
/// in one diagnostic a person understands, at its `file:line:column`, and never costs the handout
/// that was already there.
final class CorpusTests: XCTestCase {
  static func corpus(_ name: String) throws -> URL {
    try XCTUnwrap(Bundle.module.url(forResource: "Corpus", withExtension: nil)).appendingPathComponent(name)
  }

  // MARK: Markdown and front matter: each one rendered over a good handout of the same name

  /// Renders a good notebook to `out/`, then corpus file `name` in its place; returns what was
  /// reported (paths relative to the notebook's folder) and whether the handout stayed the same.
  func renderOverGoodHandout(_ name: String, source: Data? = nil) throws -> (reported: [String], kept: Bool) {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let path = dir.appendingPathComponent(name).path
    let options = try Support.options()
    try "# Good\n\nProse only.\n".write(toFile: path, atomically: true, encoding: .utf8)
    _ = try Pipeline.publish(
      [Pipeline.process(path: path, options: options)], to: out, weave: WeaveOptions()
    ).problems
    let handout = out.appendingPathComponent(Notebook.name(forPath: path) + ".html")
    let before = try Data(contentsOf: handout)

    try (source ?? Data(contentsOf: try Self.corpus(name))).write(to: URL(fileURLWithPath: path))
    let outcome = Pipeline.process(path: path, options: options)
    _ = try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems
    let reported = (outcome.problems + outcome.warnings).map {
      $0.description.replacingOccurrences(of: dir.path + "/", with: "")
    }
    return (reported, try Data(contentsOf: handout) == before)
  }

  func testMalformedYAML() throws {
    let (reported, kept) = try renderOverGoodHandout("malformed-yaml.md")
    XCTAssertEqual(
      reported,
      [
        "malformed-yaml.md:4:1: error: front matter is not valid YAML: did not find expected ',' or ']' "
          + "while parsing a flow sequence that starts at line 3, column 9"
      ])
    XCTAssertTrue(kept)
  }

  /// Found by `make fuzz`: YAML breaks lines at a lone CR too, and put this error at line 103 of
  /// a 5-line file.
  func testLoneCarriageReturnsInFrontMatterKeepTheLine() throws {
    let (reported, kept) = try renderOverGoodHandout("yaml-lone-cr.md")
    XCTAssertEqual(
      reported,
      [
        "yaml-lone-cr.md:3:7: error: front matter is not valid YAML: mapping values are not allowed in this context"
      ])
    XCTAssertTrue(kept)
  }

  func testUnknownFrontMatterKeyIsAWarning() throws {
    let (reported, _) = try renderOverGoodHandout("unknown-key.md")
    XCTAssertEqual(
      reported,
      [
        "unknown-key.md:3:1: warning: unknown front-matter key 'tags' is ignored "
          + "(known: title, subtitle, author, date, course, timeout, abstract, env, data, params)"
      ])
  }

  func testUnclosedFence() throws {
    let (reported, kept) = try renderOverGoodHandout("unclosed-fence.md")
    XCTAssertEqual(
      reported,
      [
        "unclosed-fence.md:3:1: error: code fence ``` is never closed; add a closing ``` line "
          + "(Markdown would silently run it to the end of the file)"
      ])
    XCTAssertTrue(kept)
  }

  func testUnclosedDisplayMath() throws {
    let (reported, kept) = try renderOverGoodHandout("unclosed-math.md")
    XCTAssertEqual(
      reported, ["unclosed-math.md:4:1: error: display math `$$` is never closed; add the closing `$$`"])
    XCTAssertTrue(kept)
  }

  func testUnknownAttributeAndBadValues() throws {
    let (reported, kept) = try renderOverGoodHandout("bad-attribute.md")
    XCTAssertEqual(
      reported,
      [
        "bad-attribute.md:3:10: error: echo=maybe: expected true or false",
        "bad-attribute.md:7:10: error: unknown attribute 'colour' on a ```swift block "
          + "(allowed: id, echo, eval, output, timeout)",
        "bad-attribute.md:11:10: error: timeout=-5: expected a number of seconds > 0, like timeout=60",
      ])
    XCTAssertTrue(kept)
  }

  func testOutputBlockWithoutSwiftBlock() throws {
    let (reported, kept) = try renderOverGoodHandout("orphan-output.md")
    XCTAssertEqual(
      reported,
      [
        "orphan-output.md:5:1: error: an ```output block must come right after the ```swift block "
          + "whose printed output it publishes"
      ])
    XCTAssertTrue(kept)
  }

  func testDuplicateBlockIDs() throws {
    let (reported, kept) = try renderOverGoodHandout("duplicate-id.md")
    XCTAssertEqual(
      reported,
      [
        "duplicate-id.md:7:10: error: duplicate block id 'train' (already used by the block at line 3); "
          + "ids name figure files and must be unique"
      ])
    XCTAssertTrue(kept)
  }

  func testEmptyNotebookIsAWarning() throws {
    let (reported, _) = try renderOverGoodHandout("empty.md")
    XCTAssertEqual(reported, ["empty.md:1:1: warning: the notebook is empty"])
  }

  func testNotUTF8() throws {
    let (reported, kept) = try renderOverGoodHandout("latin1.md")
    XCTAssertEqual(
      reported,
      [
        "latin1.md:3:4: error: not UTF-8 text (byte offset 14); save the notebook as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"
      ]
    )
    XCTAssertTrue(kept)
  }

  /// 10 MB of prose, math and shown code parses and weaves (no compile: nothing runs). Its speed is
  /// a benchmark's business, not a unit test's (a loaded CI machine made a time limit fail).
  func testTenMegabyteNotebook() throws {
    let chunk =
      "## Section\n\nSome prose with $x_i^2$ math and `code`, **bold** and a [link](#a).\n\n$$\nL = \\sum_i x_i\n$$\n\n"
      + "```r\nfit <- lm(y ~ x)\nsummary(fit)\n```\n\n"
    let source = "---\ntitle: Big\n---\n" + String(repeating: chunk, count: 10_000_000 / chunk.utf8.count + 1)
    XCTAssertGreaterThan(source.utf8.count, 10_000_000)
    let notebook = try Notebook.parse(data: Data(source.utf8), path: "big.md")
    XCTAssertEqual(notebook.blocks.count, 10_000_000 / chunk.utf8.count + 1)
    XCTAssertEqual(notebook.blocks.last?.language, "r")
    let html = try Weave.page(notebook: notebook, run: RunResult(), options: WeaveOptions())
    XCTAssertGreaterThan(html.utf8.count, 10_000_000)
    XCTAssertEqual(html.components(separatedBy: "<h2 id=\"section").count - 1, notebook.blocks.count)
  }

  func testBlockIDWithPathIsRejected() throws {
    let (reported, kept) = try renderOverGoodHandout("bad-id.md")
    let advice = "ids name files, so use only letters, digits, '-' and '_' (like id=training-loop)"
    XCTAssertEqual(
      reported,
      ["bad-id.md:3:10: error: id=../../evil: \(advice)", "bad-id.md:7:10: error: id=a/b: \(advice)"])
    XCTAssertTrue(kept)
  }

  // MARK: Notebooks that compile and run: all in one batch, two at a time

  static let runCases = [
    "bom.md", "crlf.md", "syntax-error.md", "compile-errors.md", "fatal-error.md", "index-out-of-range.md",
    "overflow.md", "nil-unwrap.md", "infinite-loop.md", "huge-output.md", "exit-3.md", "diverged.md",
    "training-data.md", "escaping.md",
  ]
  nonisolated(unsafe) static var batch: (dir: URL, outcomes: [String: NotebookOutcome])?

  /// The outcome of running corpus notebook `name` (with every other run case, once per test process).
  func outcome(_ name: String) throws -> NotebookOutcome {
    if Self.batch == nil {
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "handout-corpus-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let paths = try Self.runCases.map { name in
        let path = dir.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: path)
        try FileManager.default.copyItem(at: try Self.corpus(name), to: path)
        return path.path
      }
      let outcomes = Pipeline.processAll(paths, jobs: 2, options: try Support.options())
      Self.batch = (
        dir,
        Dictionary(
          uniqueKeysWithValues: outcomes.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0) })
      )
    }
    return try XCTUnwrap(Self.batch?.outcomes[name])
  }

  /// What a person is told about corpus notebook `name`, paths relative to its folder.
  func reported(_ name: String) throws -> [String] {
    let outcome = try outcome(name)
    let dir = try XCTUnwrap(Self.batch?.dir.path)
    return outcome.problems.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
  }

  func run(_ name: String) throws -> RunResult {
    let outcome = try outcome(name)
    XCTAssertNil(outcome.error)
    return try XCTUnwrap(outcome.run)
  }

  func testByteOrderMarkAndCRLFRunAndPass() throws {
    for name in ["bom.md", "crlf.md"] {
      let run = try run(name)
      XCTAssertFalse(run.failed, "\(name): \(run)")
      XCTAssertEqual(run.checks.map(\.passed), [true], name)
    }
    XCTAssertEqual(try outcome("bom.md").notebook?.blocks.first?.fence.line, 3)
    XCTAssertEqual(try outcome("crlf.md").notebook?.frontMatter.title, "CRLF")
    XCTAssertEqual(try run("crlf.md").blocks[0]?.text, "crlf\n")
  }

  func testSyntaxError() throws {
    XCTAssertEqual(
      try reported("syntax-error.md").first, "syntax-error.md:8:15: error: expected ',' separator")
  }

  /// A type error, a name used in the block before the one declaring it (which swiftc accepts and
  /// runs as 0), and an error in the last line of the last block: all reported at once.
  func testTypeErrorLaterNameAndLastLine() throws {
    XCTAssertEqual(
      try reported("compile-errors.md"),
      [
        "compile-errors.md:5:17: error: cannot convert value of type 'Int' to specified type 'String'",
        "compile-errors.md:9:7: error: 'later' is used before its declaration at line 13 has run; top-level code "
          + "would read it uninitialised (as 0 or empty), so move the declaration above this line",
        "compile-errors.md:14:13: error: binary operator '+' cannot be applied to operands of type 'Int' and 'String'"
          + "\ncompile-errors.md:14:13: note: overloads for '+' exist with these partially matching parameter "
          + "lists: (Int, Int), (String, String)",
      ])
    XCTAssertTrue(try run("compile-errors.md").blocks.isEmpty)
  }

  func testFatalError() throws {
    XCTAssertEqual(
      try reported("fatal-error.md"),
      [
        "fatal-error.md:5:1: error: Fatal error: the weights are not initialised "
          + "(the program crashed (SIGILL, a Swift runtime trap))"
      ])
    let run = try run("fatal-error.md")
    XCTAssertEqual(run.blocks[0]?.text, "before\n")
    XCTAssertNil(run.blocks[1], "later blocks do not run")
  }

  func testIndexOutOfRange() throws {
    XCTAssertEqual(
      try reported("index-out-of-range.md"),
      [
        "index-out-of-range.md:5:9: error: Fatal error: Index out of range (the program crashed (SIGILL, a Swift runtime trap))"
      ])
  }

  func testIntegerOverflow() throws {
    XCTAssertEqual(
      try reported("overflow.md"),
      ["overflow.md:6:3: error: the program crashed (SIGILL, a Swift runtime trap) before it finished"])
  }

  func testForceUnwrapOfNil() throws {
    XCTAssertEqual(
      try reported("nil-unwrap.md"),
      [
        "nil-unwrap.md:5:14: error: Fatal error: Unexpectedly found nil while unwrapping an Optional value "
          + "(the program crashed (SIGILL, a Swift runtime trap))"
      ])
  }

  func testInfiniteLoopTimesOut() throws {
    XCTAssertEqual(
      try reported("infinite-loop.md"),
      ["infinite-loop.md:3:1: error: timed out after 1 s (block timeout=1); the program was stopped"])
    XCTAssertEqual(try run("infinite-loop.md").blocks[0]?.text, "start\n")
  }

  /// 100 MB printed: the runner streams it, keeps 1 MB with a note, and the next block (writing to
  /// stderr) still runs.
  func testHundredMegabytesOfOutputAreCappedAndStderrIsKept() throws {
    let run = try run("huge-output.md")
    XCTAssertFalse(run.failed, "\(run)")
    let text = try XCTUnwrap(run.blocks[0]?.text)
    let cap = 1 << 20
    XCTAssertLessThan(text.utf8.count, cap + 200)
    XCTAssertTrue(
      text.hasSuffix(
        "\n[handout: \(100 * cap - cap) more bytes of output were dropped; a block keeps at most \(cap) bytes]\n"
      ),
      String(text.suffix(200)))
    XCTAssertEqual(run.blocks[1]?.text, "warning on stderr\nafter\n")
  }

  func testExitStatus3() throws {
    XCTAssertEqual(
      try reported("exit-3.md"), ["exit-3.md:3:1: error: the program exited with status 3 before it finished"]
    )
    XCTAssertEqual(try run("exit-3.md").blocks[0]?.text, "a\n")
  }

  /// An uncaught `try` at top level is the block's failure with the error's own description (epoch
  /// and learning rate), in the report and in the handout, not a cryptic trap.
  func testDivergedTrainingNamesEpochAndLearningRate() throws {
    let reported = try reported("diverged.md")
    XCTAssertEqual(reported.count, 1)
    let message = try XCTUnwrap(reported.first)
    XCTAssertTrue(message.hasPrefix("diverged.md:3:1: error: training diverged at epoch "), message)
    XCTAssertTrue(
      message.hasSuffix(
        "with learning rate 1000000000000; try a smaller learning rate such as 100000000000 "
          + "(an error thrown here was not caught, so the program stopped)"), message)
    let outcome = try outcome("diverged.md")
    let html = try Weave.page(
      notebook: try XCTUnwrap(outcome.notebook), run: try XCTUnwrap(outcome.run), options: WeaveOptions())
    XCTAssertTrue(html.contains("training diverged at epoch "), "the handout shows the failure")
  }

  func testTrainingDataErrors() throws {
    let run = try run("training-data.md")
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertEqual(
      run.blocks[0]?.text,
      """
      the data has 3 input columns but the network's first layer expects 2 (Dense(2→4, tanh))
      the training data has no samples
      sample 2 has label 2, but the network has 2 classes (labels 0…1)

      """)
  }

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
        "error: cannot write \(out.path): The operation could not be completed. The volume is read only. "
          + "(the previous handout is unchanged)")
    }
  }

  func testFullDisk() throws {
    let out = try mount("size=64k")
    let dir = try Support.temporaryDirectory(self)
    // The previous handout, written by Handout (only what it wrote is ever replaced).
    let first = try Support.write("# Full\n\nThe previous handout.\n", "full.md", in: dir)
    _ = try Pipeline.publish(
      [Pipeline.process(path: first, options: try Support.options())], to: out, weave: WeaveOptions()
    ).problems
    let previous = try Data(contentsOf: out.appendingPathComponent("full.html"))
    let path = try Support.write("# Full\n\nProse.\n", "full.md", in: dir)
    let outcome = Pipeline.process(path: path, options: try Support.options())
    // Fill the disk, leaving room for the staging folder but not for a handout.
    let filler = out.appendingPathComponent("filler")
    FileManager.default.createFile(atPath: filler.path, contents: nil)
    let handle = try FileHandle(forWritingTo: filler)
    while (try? handle.write(contentsOf: Data(count: 1024))) != nil {}
    try handle.close()
    let problems = try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("full.html")), previous)
    let problem = try XCTUnwrap(problems.first?.description)
    XCTAssertTrue(
      problem.hasPrefix("\(path):1:1: error: the handout was not written (the previous one is kept): "),
      problem)
    XCTAssertTrue(problem.hasSuffix(": No space left on device"), problem)
  }

  // MARK: Environment

  func testSwiftcMissing() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write("```swift\nprint(1)\n```\n", "tool.md", in: dir)
    var options = try Support.options()
    options.compile.swiftc = "no-such-swiftc"
    XCTAssertEqual(
      Pipeline.process(path: path, options: options).error?.description,
      "error: no-such-swiftc was not found on PATH; install the Swift toolchain (swift.org/install) or set HANDOUT_SWIFTC"
    )
    options.compile.swiftc = dir.appendingPathComponent("missing/swiftc").path
    XCTAssertEqual(
      Pipeline.process(path: path, options: options).error?.description,
      "error: the Swift compiler \(dir.path)/missing/swiftc is missing or not executable; "
        + "install the Swift toolchain (swift.org/install) or point HANDOUT_SWIFTC at swiftc")
  }

  func testSwiftcFailsToStart() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write("```swift\nprint(1)\n```\n", "tool.md", in: dir)
    let broken = dir.appendingPathComponent("swiftc")
    try Data("not a program".utf8).write(to: broken)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: broken.path)
    var options = try Support.options()
    options.compile.swiftc = broken.path
    let message = try XCTUnwrap(Pipeline.process(path: path, options: options).error?.description)
    XCTAssertFalse(message.contains("\n"), message)
    XCTAssertTrue(message.hasPrefix("error: \(broken.path) could not start ("), message)
    XCTAssertTrue(
      message.hasSuffix(
        "); reinstall the Swift toolchain (swift.org/install) or point HANDOUT_SWIFTC at a working swiftc"),
      message)
  }

  func testKaTeXMissing() throws {
    let dir = try Support.temporaryDirectory(self)
    let outcome = NotebookOutcome(
      path: "k.md", notebook: try Notebook.parse(source: "# K\n", path: "k.md"), run: RunResult(), error: nil)
    var weave = WeaveOptions()
    weave.katexDirectory = dir.appendingPathComponent("katex")
    XCTAssertEqual(
      try Pipeline.publish([outcome], to: dir.appendingPathComponent("out"), weave: weave).problems.map(
        \.description),
      [
        "error: assets were not installed: KaTeX not found at \(dir.path)/katex/katex.min.js: "
          + "install it with `apt-get install libjs-katex fonts-katex`"
      ])
  }

  func testTemplatesMissingOrBroken() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let outcome = NotebookOutcome(
      path: "t.md", notebook: try Notebook.parse(source: "# T\n", path: "t.md"), run: RunResult(), error: nil)
    var weave = WeaveOptions()
    XCTAssertEqual(try Pipeline.publish([outcome], to: out, weave: weave).problems, [])
    let before = try Data(contentsOf: out.appendingPathComponent("t.html"))

    let missing = dir.appendingPathComponent("no-templates")
    weave.templatesDirectory = missing
    weave.fallbackTemplatesDirectory = nil
    let notFound =
      "not found (looked in: \(missing.path)); restore the package's templates/ folder or pass --templates DIR holding it"
    XCTAssertEqual(
      try Pipeline.publish([outcome], to: out, weave: weave).problems.map(\.description),
      [
        "t.md:1:1: error: the handout was not written (the previous one is kept): template 'handout.mustache' \(notFound)",
        "error: assets were not installed: template 'handout.css' \(notFound)",
        "error: index.html was not written (the previous one is kept): template 'index.mustache' \(notFound)",
      ])
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("t.html")), before)

    let broken = dir.appendingPathComponent("broken")
    try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
    try "<html>\n{{#title}} never closed\n".write(
      to: broken.appendingPathComponent("handout.mustache"), atomically: true, encoding: .utf8)
    weave.templatesDirectory = broken
    weave.fallbackTemplatesDirectory = WeaveOptions.defaultTemplatesDirectory()
    let problems = try Pipeline.publish([outcome], to: out, weave: weave).problems.map(\.description)
    XCTAssertEqual(problems.count, 1)
    XCTAssertTrue(
      problems[0].hasPrefix("\(broken.path)/handout.mustache:"), problems[0])
    XCTAssertTrue(
      problems[0].hasSuffix("; fix the template (the handout was not written (the previous one is kept))"),
      problems[0])
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("t.html")), before)
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
