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
}
