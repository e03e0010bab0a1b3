import Foundation
import XCTest

/// `handout preview` sees a notebook renamed only in Unicode normalization (`café.md` with é as one
/// code point → `e` and a combining accent, as a copy through another system can do) and refuses
/// it as `render` does, keeping the handout in place. Swift's `==` holds the two lists of paths
/// for one, so preview never saw the rename: it rendered the old name, which no longer existed,
/// and said only that it could not be read, for ever after.
final class PreviewRenameTests: XCTestCase {
  func testANotebookRenamedOnlyInNormalizationIsRefusedAsRenderRefusesIt() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    let output = dir.appendingPathComponent("output")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
    try "# Cafe\n\nWords.\n".write(
      to: notebooks.appendingPathComponent("\(composed).md"), atomically: true, encoding: .utf8)
    let preview = try PreviewProcess(["preview", "notebooks", "--port", "0", "-o", "output"], in: dir)
    defer { preview.stop() }
    _ = try preview.port()
    let expected = Self.sorted(["assets", composed, "\(composed).html", "index.html"])
    XCTAssertEqual(Self.names(in: output), expected)

    try FileManager.default.moveItem(
      at: notebooks.appendingPathComponent("\(composed).md"),
      to: notebooks.appendingPathComponent("\(decomposed).md"))
    let said = "only in how its accents are encoded"
    let deadline = Date().addingTimeInterval(120)
    func told() -> Bool { (preview.stdout + preview.stderr).contains(said) }
    while !told(), preview.isRunning, Date() < deadline { usleep(100_000) }
    XCTAssertTrue(told(), preview.stderr)
    // The handout in place is kept, and nothing is written under the new name.
    XCTAssertEqual(Self.names(in: output), expected)
    preview.stop()
  }

  /// The names in `folder` but Handout's hidden ones, by their bytes, sorted.
  static func names(in folder: URL) -> [[UInt8]] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return sorted(names.filter { !$0.hasPrefix(".") })
  }

  /// `names` by their bytes, sorted.
  static func sorted(_ names: [String]) -> [[UInt8]] {
    names.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
  }
}
