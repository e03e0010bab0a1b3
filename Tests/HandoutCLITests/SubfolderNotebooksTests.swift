import Foundation
import XCTest

/// A course kept in weeks (`notebooks/week1/`, `notebooks/week2/`): `check notebooks` checked only
/// the top folder's notebooks and said all passed while a week's notebook failed (a false green),
/// and `render notebooks` left the weeks out. Both take a folder's subfolders in, as Quarto does,
/// leaving out `.` and `_` folders (`_shared/` is shared code).
final class SubfolderNotebooksTests: XCTestCase {
  func course() throws -> URL {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let files = [
      "notebooks/intro.md": "# Intro\n\n```swift\nprint(1)\n```\n",
      "notebooks/week1/a.md": "# A\n\n```swift\nexpect(1 + 1, equals: 3)\n```\n",
      "notebooks/week2/deep/b.md": "# B\n\n```swift\nprint(2)\n```\n",
      "notebooks/_drafts/c.md": "# C\n\n```swift\nlet x =\n```\n",
      "notebooks/.old/d.md": "# D\n\n```swift\nlet y =\n```\n",
      "notebooks/week1/README.md": "Week one: not a notebook.\n",
    ]
    for (path, text) in files {
      let url = dir.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return dir
  }

  func testCheckAndRenderTakeTheSubfoldersNotebooksIn() throws {
    let dir = try course()
    let check = try HandoutCLI.run(["check", "notebooks"], in: dir)
    XCTAssertEqual(check.status, 1, "a week's failing notebook passed unseen: \(check.stdout)\(check.stderr)")
    XCTAssertTrue(check.stdout.contains("notebooks/week1/a.md:4:1: error"), check.stdout)
    XCTAssertTrue(check.stdout.contains("3 notebooks"), check.stdout)
    XCTAssertFalse(check.stdout.contains("c.md") || check.stdout.contains("d.md"), check.stdout)

    try "# A\n\n```swift\nexpect(1 + 1, equals: 2)\n```\n".write(
      to: dir.appendingPathComponent("notebooks/week1/a.md"), atomically: true, encoding: .utf8)
    let render = try HandoutCLI.run(["render", "notebooks", "--out", "site"], in: dir)
    XCTAssertEqual(render.status, 0, render.stderr)
    for page in ["intro", "a", "b"] {
      XCTAssertTrue(
        FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/\(page).html").path),
        "\(page).html not rendered: \(render.stderr)")
    }
    let index = try String(contentsOf: dir.appendingPathComponent("site/index.html"), encoding: .utf8)
    XCTAssertFalse(index.contains("c.html") || index.contains("d.html"), index)

    // A week's notebook removed: its handout goes, as a top notebook's does.
    try FileManager.default.removeItem(at: dir.appendingPathComponent("notebooks/week2/deep/b.md"))
    let again = try HandoutCLI.run(["render", "notebooks", "--out", "site"], in: dir)
    XCTAssertEqual(again.status, 0, again.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/b.html").path))
  }
}
