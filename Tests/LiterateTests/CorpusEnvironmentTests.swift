import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// A broken environment: swiftc missing or failing to start, KaTeX missing, templates missing or
/// broken; each is one error that says what to install or fix.
extension CorpusTests {
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
