import Foundation
import XCTest

/// `handout preview`'s later renders relink the neighbours as its first render does: an edit that
/// changes a handout's title, or a notebook added to the folder, updates the previous/next links
/// of the handouts around it (woven again from their cached runs), served on 127.0.0.1.
final class PreviewNeighboursTests: XCTestCase {
  static func notebook(_ title: String) -> String {
    "---\ntitle: \(title)\n---\n\n# \(title)\n\nWords.\n"
  }

  func testAnEditedTitleAndANewNotebookRelinkTheNeighboursInPreview() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    for (file, title) in [("01-one.md", "One"), ("02-two.md", "Two"), ("04-four.md", "Four")] {
      try Self.notebook(title).write(
        to: notebooks.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    let preview = try PreviewProcess(["preview", "notebooks", "--port", "0", "-o", "output"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    try preview.waitForPage(
      port: port, path: "/01-one.html", containing: "<span class=\"pager-title\">Two</span>")

    // The title of 02 changes: 01's next link and 04's previous link name the new title.
    try Self.notebook("Two, renamed").write(
      to: notebooks.appendingPathComponent("02-two.md"), atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/02-two.html", containing: "Two, renamed")
    try preview.waitForPage(
      port: port, path: "/01-one.html", containing: "<span class=\"pager-title\">Two, renamed</span>")
    try preview.waitForPage(
      port: port, path: "/04-four.html", containing: "<span class=\"pager-title\">Two, renamed</span>")

    // A notebook added between 02 and 04: both link to it.
    try Self.notebook("Three").write(
      to: notebooks.appendingPathComponent("03-three.md"), atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/03-three.html", containing: "Three")
    try preview.waitForPage(
      port: port, path: "/02-two.html", containing: "rel=\"next\" href=\"03-three.html\"")
    try preview.waitForPage(
      port: port, path: "/04-four.html", containing: "rel=\"prev\" href=\"03-three.html\"")
    preview.stop()
  }

  /// A notebook deleted or renamed while preview runs: its handout goes (page, folder, index
  /// entry), as a fresh render of the folder drops it, its neighbours link past it, and a file of
  /// the user's in the output folder stays.
  func testADeletedOrRenamedNotebooksHandoutGoesInPreview() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    let output = dir.appendingPathComponent("output")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    try "mine".write(to: output.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    for (file, title) in [("01-one.md", "One"), ("02-two.md", "Two"), ("03-three.md", "Three")] {
      try Self.notebook(title).write(
        to: notebooks.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    let preview = try PreviewProcess(["preview", "notebooks", "--port", "0", "-o", "output"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    try preview.waitForPage(port: port, path: "/", containing: "02-two.html")
    func exists(_ name: String) -> Bool {
      FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path)
    }
    XCTAssertTrue(exists("02-two.html") && exists("02-two"))

    // 02 deleted: gone from the index and the folder; 01 and 03 link to each other.
    try FileManager.default.removeItem(at: notebooks.appendingPathComponent("02-two.md"))
    try preview.waitForPage(
      port: port, path: "/01-one.html", containing: "rel=\"next\" href=\"03-three.html\"")
    try preview.waitForPage(
      port: port, path: "/03-three.html", containing: "rel=\"prev\" href=\"01-one.html\"")
    // The index is written after the neighbours are swapped in and 02's handout is removed: the
    // one that lists 03 and not 02 (the old one lists 03 too, and may still be served for a moment).
    let index = try preview.waitForPage(port: port, path: "/", containing: "03-three.html", without: "02-two")
    XCTAssertFalse(index.contains("02-two"), index)
    XCTAssertFalse(exists("02-two.html"), "the page of a deleted notebook stays")
    XCTAssertFalse(exists("02-two"), "the folder of a deleted notebook stays")

    // 03 renamed: its page under the new name only.
    try FileManager.default.moveItem(
      at: notebooks.appendingPathComponent("03-three.md"), to: notebooks.appendingPathComponent("03-drei.md"))
    try preview.waitForPage(
      port: port, path: "/01-one.html", containing: "rel=\"next\" href=\"03-drei.html\"")
    let renamed = try preview.waitForPage(port: port, path: "/", containing: "03-drei.html")
    XCTAssertFalse(renamed.contains("03-three"), renamed)
    XCTAssertFalse(exists("03-three.html"))
    XCTAssertTrue(exists("03-drei.html"))
    // Handout removes only what it wrote.
    XCTAssertEqual(
      try String(contentsOf: output.appendingPathComponent("notes.txt"), encoding: .utf8), "mine")
    preview.stop()
  }
}
