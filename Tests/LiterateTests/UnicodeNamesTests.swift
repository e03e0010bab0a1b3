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
