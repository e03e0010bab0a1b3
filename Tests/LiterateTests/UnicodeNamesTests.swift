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
