import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// `handout preview` notices a change of a notebook's or a data file's mode alone: `chmod -r`
/// leaves the size, the modification time and the inode as they were, so the watcher, which
/// compared only those, kept the page of a notebook it could no longer read (and, after
/// `chmod +r`, the error page of one it could). Now the mode and the status-change time count too.
final class PreviewModeTests: XCTestCase {
  static let notebook = #"""
    # Mode

    ```swift
    let word = try String(contentsOf: dataFile("word.txt"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    print("the word is \(word)")
    ```

    """#

  func testAChangeOfModeAloneRendersAgain() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("mode.md")
    let data = notebooks.appendingPathComponent("word.txt")
    try Self.notebook.write(to: notebook, atomically: true, encoding: .utf8)
    try "alpha\n".write(to: data, atomically: true, encoding: .utf8)
    // Started as a user (as root, without the capabilities that read any file): a mode-0200 file
    // cannot be read.
    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "-o", "output"], in: dir, wrapper: HandoutCLI.asAUser)
    defer { preview.stop() }
    let port = try preview.port()
    try preview.waitForPage(port: port, path: "/mode.html", containing: "the word is alpha")

    // The data file made unreadable: the run fails, and the page says why.
    XCTAssertEqual(chmod(data.path, 0o200), 0)
    let failed = try preview.waitForPage(
      port: port, path: "/mode.html", containing: "Permission denied", without: "the word is alpha")
    XCTAssertTrue(failed.contains("word.txt"), failed)
    // Readable again: the page recovers.
    XCTAssertEqual(chmod(data.path, 0o644), 0)
    try preview.waitForPage(port: port, path: "/mode.html", containing: "the word is alpha")

    // The notebook itself made unreadable: the page keeps its last render and says why.
    XCTAssertEqual(chmod(notebook.path, 0o200), 0)
    let unread = try preview.waitForPage(
      port: port, path: "/mode.html", containing: "handout-preview-problem")
    XCTAssertTrue(unread.contains("cannot read notebooks/mode.md: Permission denied"), unread)
    XCTAssertEqual(chmod(notebook.path, 0o644), 0)
    try preview.waitForPage(
      port: port, path: "/mode.html", containing: "the word is alpha", without: "handout-preview-problem")
    XCTAssertTrue(preview.isRunning)
  }
}
