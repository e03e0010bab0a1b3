import XCTest

@testable import Literate

/// File names are bytes: two notebooks whose names differ only in Unicode normalization (`é` as
/// one code point or as `e` and a combining accent) are two files, which Swift's `String` equality
/// holds for one. The second was dropped from the folder's notebooks without a word: never run,
/// and `check` said "all 1 notebook passed" while it failed. Handout's paths are `String`s
/// throughout, so two such names are refused before anything runs (exit 2).
final class UnicodeNamesTests: XCTestCase {
  func testNotebooksWhoseNamesDifferOnlyInNormalizationAreRefused() throws {
    let dir = try Support.temporaryDirectory(self)
    let composed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    XCTAssertEqual(composed, decomposed, "Swift holds them equal")
    XCTAssertNotEqual(Array(composed.utf8), Array(decomposed.utf8))
    try Support.write(
      "# One\n\n```swift\nprint(1)\n```\n", to: dir.appendingPathComponent("nb/\(composed).md"))
    try Support.write(
      "# Two\n\n```swift\nexpect(1, equals: 2)\n```\n", to: dir.appendingPathComponent("nb/\(decomposed).md"))
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("nb").path)
    XCTAssertEqual(names.count, 2, "the file system keeps two files")

    XCTAssertThrowsError(try Pipeline.notebookPaths([dir.appendingPathComponent("nb").path]))
    for command in [["check", "nb"], ["render", "nb", "--out", "out"]] {
      let result = try Support.handout(command, in: dir, cache: dir.appendingPathComponent("cache"))
      XCTAssertEqual(result.status, 2, result.output)
      XCTAssertTrue(result.output.contains("only in how its accents are encoded"), result.output)
      XCTAssertFalse(result.output.contains("passed"), result.output)
    }
  }
}

/// The same across renders: a notebook renamed from `café.md` (é one code point) to `café.md` (e
/// and a combining accent), as a copy through another system can do. The manifest's records are
/// keyed by `String`, which holds the two names for one: the second render wrote the new handout
/// beside the old one, which no render removed, and the third refused the new one as the user's
/// ("not a file Handout wrote") for ever after.
final class UnicodeRenameTests: XCTestCase {
  func testANotebookRenamedOnlyInNormalizationIsRefusedBeforeItRunsAndTheOldHandoutKept() throws {
    let dir = try Support.temporaryDirectory(self)
    let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
    let source = "# C\n\n```swift\nprint(1)\n```\n"
    try Support.write(source, to: dir.appendingPathComponent("nb/\(composed).md"))
    let cache = dir.appendingPathComponent("cache")
    let first = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
    XCTAssertEqual(first.status, 0, first.output)
    try FileManager.default.moveItem(
      at: dir.appendingPathComponent("nb/\(composed).md"),
      to: dir.appendingPathComponent("nb/\(decomposed).md"))
    for _ in 0..<2 {
      let again = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
      XCTAssertEqual(again.status, 2, again.output)
      XCTAssertTrue(again.output.contains("only in how its accents are encoded"), again.output)
      XCTAssertFalse(again.output.contains("not a file Handout wrote"), again.output)
    }
    let out = dir.appendingPathComponent("out")
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }
    XCTAssertEqual(
      Set(names.map { Array($0.utf8) }),
      Set(["assets", "index.html", "\(composed).html", composed].map { Array($0.utf8) }),
      "no second handout beside the first: \(names)")
    // Renamed back, it renders as before.
    try FileManager.default.moveItem(
      at: dir.appendingPathComponent("nb/\(decomposed).md"),
      to: dir.appendingPathComponent("nb/\(composed).md"))
    let back = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
    XCTAssertEqual(back.status, 0, back.output)
  }
}

/// Two notebook folders whose names differ only in normalization (`lectures-é/` made on one
/// system, `lectures-é/` on another) are two folders. A render of one has that folder whole, and
/// drops the handouts of notebooks gone from it; Swift's `Set<String>` held the other folder for
/// the same, so its handouts, whose notebooks are all there, were removed from the output folder.
final class UnicodeFoldersTests: XCTestCase {
  func testARenderOfOneFolderKeepsTheHandoutsOfAFolderNamedAlikeInAnotherNormalization() throws {
    let dir = try Support.temporaryDirectory(self)
    let (composed, decomposed) = ("lectures-caf\u{E9}", "lectures-cafe\u{301}")
    try Support.write("# A\n\nWords.\n", to: dir.appendingPathComponent("\(composed)/a.md"))
    try Support.write("# B\n\nWords.\n", to: dir.appendingPathComponent("\(decomposed)/b.md"))
    let cache = dir.appendingPathComponent("cache")
    for folder in [composed, decomposed, composed] {
      let result = try Support.handout(["render", folder, "--out", "out"], in: dir, cache: cache)
      XCTAssertEqual(result.status, 0, result.output)
    }
    let out = dir.appendingPathComponent("out")
    for name in ["a.html", "b.html"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
    }
    let index = try Support.text(out.appendingPathComponent("index.html"))
    XCTAssertTrue(index.contains("a.html") && index.contains("b.html"), index)
  }
}

/// Two data files whose names differ only in normalization are two inputs of the run. The run
/// cache recorded the files a program read as a `Set<String>`, which kept one of them: an edit of
/// the other replayed the old run, and the page showed what a fresh run no longer gives.
final class UnicodeDataFilesTests: XCTestCase {
  func testAnEditOfEitherOfTwoDataFilesNamedAlikeRunsTheNotebookAgain() throws {
    let dir = try Support.temporaryDirectory(self)
    let nb = dir.appendingPathComponent("nb")
    let (composed, decomposed) = ("caf\u{E9}.txt", "cafe\u{301}.txt")
    try Support.write(
      """
      # D

      ```swift
      let a = try! String(contentsOf: dataFile("\(composed)"), encoding: .utf8)
      let b = try! String(contentsOf: dataFile("\(decomposed)"), encoding: .utf8)
      print("values:", a, b)
      ```

      """, to: nb.appendingPathComponent("d.md"))
    let cache = dir.appendingPathComponent("cache")
    try Support.write("zeroth", to: nb.appendingPathComponent(decomposed))
    let edits = [(composed, "first"), (decomposed, "second"), (composed, "third"), (decomposed, "fourth")]
    for (file, value) in edits {
      try Support.write(value, to: nb.appendingPathComponent(file))
      let result = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
      XCTAssertEqual(result.status, 0, result.output)
      let page = try Support.text(dir.appendingPathComponent("out/d.html"))
      XCTAssertTrue(page.contains(value), "\(file) = \(value): \(result.output)")
    }
  }
}

/// A notebook whose name has a character that joins the dot after it (`x\u{600}.md`: U+0600, an
/// Arabic number sign, is a prepended mark): `hasSuffix(".md")` is false for it, so it was left out
/// of its folder, and `check` said "all 1 notebook passed" while it fails.
final class JoiningCharacterNamesTests: XCTestCase {
  func testANotebookWhoseNameJoinsItsDotIsCheckedAsAnyOther() throws {
    let dir = try Support.temporaryDirectory(self)
    let name = "x\u{600}.md"
    XCTAssertFalse(name.hasSuffix(".md"), "Swift's characters join the mark and the dot")
    try Support.write(
      "# A\n\n```swift\nexpect(1, equals: 2)\n```\n", to: dir.appendingPathComponent("nb/\(name)"))
    try Support.write("# B\n\n```swift\nprint(2)\n```\n", to: dir.appendingPathComponent("nb/b.md"))
    let result = try Support.handout(["check", "nb"], in: dir, cache: dir.appendingPathComponent("cache"))
    XCTAssertNotEqual(result.status, 0, result.output)
    XCTAssertFalse(result.output.contains("all 1 notebook passed"), result.output)
  }
}

/// Names whose mark joins the dot (U+0600 before `.html`, `.md`): `x\u{600}.md` was named
/// `x\u{600}.md` (its `.md` not seen), and `x\u{600}.html.md`, whose folder `x\u{600}.html/` is
/// the page of `x\u{600}.md`, passed the check that refuses `x.html.md`: suffixes are their bytes.
final class JoiningCharacterOutputNamesTests: XCTestCase {
  func testANameEndingInHTMLBeforeAJoiningMarkIsRefusedAsAnother() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let x = "x\u{600}"
    try Support.write("# X\n\nThe x words.\n", to: dir.appendingPathComponent("nb/\(x).md"))
    let good = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
    XCTAssertEqual(good.status, 0, good.output)
    let out = dir.appendingPathComponent("out")
    XCTAssertTrue(
      try Support.text(out.appendingPathComponent("\(x).html")).contains("The x words."), good.output)
    let page = try Data(contentsOf: out.appendingPathComponent("\(x).html"))

    // Rendered again (its page a link Handout wrote, known as its own), after an edit.
    try Support.write("# X\n\nThe edited x words.\n", to: dir.appendingPathComponent("nb/\(x).md"))
    let again = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
    XCTAssertEqual(again.status, 0, again.output)
    let edited = try Data(contentsOf: out.appendingPathComponent("\(x).html"))
    XCTAssertTrue(String(decoding: edited, as: UTF8.self).contains("The edited x words."), again.output)
    XCTAssertNotEqual(edited, page)

    for name in ["\(x).html.md", "\(x).SLIDES.md", "\(x).pdf.md", "\(x).failed.md"] {
      let path = try Support.write("# Clash\n", name, in: dir.appendingPathComponent("nb"))
      let refused = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
      XCTAssertEqual(refused.status, 2, "\(name): \(refused.output)")
      XCTAssertTrue(refused.output.contains("nb/\(name):1:1: error:"), refused.output)
      XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("\(x).html")), edited, name)
      try FileManager.default.removeItem(atPath: path)
    }
  }
}
