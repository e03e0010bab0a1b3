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
          + "(known: title, subtitle, author, date, course, timeout, abstract, env, data, params, execute)"
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
}
