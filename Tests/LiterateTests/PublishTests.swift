import XCTest

@testable import Literate

/// The final write: handouts, figures, assets, index; atomic; previous handout kept on failure.
final class PublishTests: XCTestCase {
  func testPublishWritesEverythingAndKeepsTheOldHandoutWhenAWriteFails() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js") else {
      throw XCTSkip("KaTeX (libjs-katex) is not installed")
    }
    let dir = try Support.temporaryDirectory(self)
    let source =
      "---\ntitle: Pub\n---\n# Pub\n\n```swift id=fig\nprint(\"<b>bold</b> & </pre>\")\nshow(Figure(width: 50, height: 40))\n```\n"
    let path = try Support.write(source, "pub.md", in: dir)
    let outcome = Pipeline.process(path: path, options: try Support.options())
    XCTAssertFalse(outcome.failed, "\(outcome)")
    let out = dir.appendingPathComponent("out")
    XCTAssertEqual(try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems, [])

    let fm = FileManager.default
    let html = try String(contentsOf: out.appendingPathComponent("pub.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;/pre&gt;"), "printed text is escaped")
    XCTAssertFalse(html.contains("<b>bold</b>"))
    XCTAssertTrue(fm.fileExists(atPath: out.appendingPathComponent("pub/fig-1.svg").path))
    XCTAssertTrue(fm.fileExists(atPath: out.appendingPathComponent("pub/fig-1.png").path))
    XCTAssertTrue(fm.fileExists(atPath: out.appendingPathComponent("index.html").path))
    XCTAssertTrue(fm.fileExists(atPath: out.appendingPathComponent("assets/handout.css").path))
    XCTAssertEqual(
      try fm.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".handout-staging-") }, [],
      "no staging left behind")

    // A broken template: the write fails for this notebook, the previous handout stays as it was.
    let templates = dir.appendingPathComponent("templates")
    try fm.createDirectory(at: templates, withIntermediateDirectories: true)
    try "{{#title}} never closed".write(
      to: templates.appendingPathComponent("handout.mustache"), atomically: true, encoding: .utf8)
    var broken = WeaveOptions()
    broken.templatesDirectory = templates
    let before = try Data(contentsOf: out.appendingPathComponent("pub.html"))
    let problems = try Pipeline.publish([outcome], to: out, weave: broken).problems
    XCTAssertEqual(problems.count, 1)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("pub.html")), before)
    XCTAssertTrue(fm.fileExists(atPath: out.appendingPathComponent("pub/fig-1.svg").path))

    // A notebook that no longer parses keeps its previous handout too.
    let unparsable = NotebookOutcome(
      path: path, notebook: nil, run: nil, error: .notebook([Diagnostic(.error, "bad", at: nil)]))
    _ = try Pipeline.publish([unparsable], to: out, weave: WeaveOptions()).problems
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("pub.html")), before)
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertTrue(index.contains("pub"))
  }

  func testAssetsInPlaceAreLeftAloneAndStaleOnesAreReplaced() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js") else {
      throw XCTSkip("KaTeX (libjs-katex) is not installed")
    }
    let fm = FileManager.default
    let out = try Support.temporaryDirectory(self).appendingPathComponent("out")
    let options = WeaveOptions()
    XCTAssertFalse(Support.assetsAreCurrent(in: out, options: options))
    _ = try Pipeline.publish([], to: out, weave: options).problems
    XCTAssertTrue(Support.assetsAreCurrent(in: out, options: options))
    let js = out.appendingPathComponent("assets/katex/katex.min.js")
    let fonts = try fm.contentsOfDirectory(atPath: out.appendingPathComponent("assets/katex/fonts").path)
    XCTAssertTrue(fonts.contains { $0.hasSuffix(".woff2") }, "\(fonts)")

    // Current: the second render does not replace the folder (its inode stays).
    func inode(_ url: URL) throws -> Int {
      try XCTUnwrap(fm.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int)
    }
    let assetsInode = try inode(out.appendingPathComponent("assets"))
    _ = try Pipeline.publish([], to: out, weave: options).problems
    XCTAssertEqual(try inode(out.appendingPathComponent("assets")), assetsInode)

    // A file the user edited or added is theirs: the folder is not replaced (that would delete
    // it), and the error names it; once it is gone, the folder is written again as it should be.
    try Data("edited".utf8).write(to: js)
    XCTAssertFalse(Support.assetsAreCurrent(in: out, options: options))
    let edited = try Pipeline.publish([], to: out, weave: options).problems
    XCTAssertTrue(
      edited.contains { $0.message.contains("katex.min.js is not a file Handout wrote") }, "\(edited)")
    XCTAssertEqual(try Data(contentsOf: js), Data("edited".utf8))
    try fm.removeItem(at: js)
    XCTAssertEqual(try Pipeline.publish([], to: out, weave: options).problems, [])
    XCTAssertTrue(Support.assetsAreCurrent(in: out, options: options))
    try Data("mine".utf8).write(to: out.appendingPathComponent("assets/stray.txt"))
    XCTAssertFalse(Support.assetsAreCurrent(in: out, options: options))
    _ = try Pipeline.publish([], to: out, weave: options).problems
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("assets/stray.txt")), Data("mine".utf8))
  }

  func testTheIndexLinksTheAPIReferenceWhenMakeDocsWroteIt() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let outcome = NotebookOutcome(
      path: "a.md", notebook: try Notebook.parse(source: "# A\n", path: "a.md"), run: RunResult(), error: nil)
    _ = try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems
    let link = "<a href=\"api/index.html\">API reference</a>"
    XCTAssertFalse(
      try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8).contains(link))
    try FileManager.default.createDirectory(
      at: out.appendingPathComponent("api"), withIntermediateDirectories: true)
    try "<html></html>".write(
      to: out.appendingPathComponent("api/index.html"), atomically: true, encoding: .utf8)
    _ = try Pipeline.publish([outcome], to: out, weave: WeaveOptions()).problems
    XCTAssertTrue(
      try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8).contains(link))
  }
}
