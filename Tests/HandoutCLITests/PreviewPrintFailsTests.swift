import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// Preview over the folder `render --slides --pdf` wrote, where a print cannot be made.
final class PreviewPrintFailsTests: XCTestCase {
  /// A notebook edited while Chromium fails (a wrapper that exits 1): preview kept the whole old
  /// handout, page, deck and PDF, as `render --pdf` does, so the instructor never saw the edit.
  /// Now the page and deck show it, the stale PDF goes (it would pass for the handout as it now
  /// is), and an error says why.
  func testPreviewWhosePrintFailsShowsTheEditAndWithholdsTheStalePDF() throws {
    for tool in ["/usr/bin/chromium", "/usr/bin/pdftotext"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      throw XCTSkip("\(tool) is not installed (chromium, poppler-utils)")
    }
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("kept.md")
    try "# Kept\n\nThe old words.\n".write(to: notebook, atomically: true, encoding: .utf8)
    let render = try HandoutCLI.run(["render", "notebooks", "--slides", "--pdf", "-o", "output"], in: dir)
    XCTAssertEqual(render.status, 0, render.stderr)
    let out = dir.appendingPathComponent("output")

    let failing = dir.appendingPathComponent("failing-chromium")
    try "#!/bin/sh\necho 'this Chromium fails' >&2\nexit 1\n".write(
      to: failing, atomically: true, encoding: .utf8)
    chmod(failing.path, 0o755)
    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "-o", "output"], in: dir,
      environment: ["HANDOUT_CHROMIUM": failing.path])
    defer { preview.stop() }
    let port = try preview.port()
    try String(contentsOf: notebook, encoding: .utf8).replacingOccurrences(of: "The old", with: "The new")
      .write(to: notebook, atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/kept.html", containing: "The new words", seconds: 300)
    // The index is written, and the error printed, after the page is swapped in.
    preview.waitForStderr(containing: "kept.pdf was removed")
    let page = try String(contentsOf: out.appendingPathComponent("kept.html"), encoding: .utf8)
    XCTAssertTrue(page.contains("The new words"), "the folder keeps the old page: \(preview.stderr)")
    let deck = try String(contentsOf: out.appendingPathComponent("kept.slides.html"), encoding: .utf8)
    XCTAssertTrue(deck.contains("The new words"), deck)
    var info = stat()
    XCTAssertNotEqual(lstat(out.appendingPathComponent("kept.pdf").path, &info), 0, preview.stderr)
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: out.appendingPathComponent("kept/.handout.pdf").path))
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertFalse(index.contains("href=\"kept.pdf\""), index)
    XCTAssertTrue(
      preview.stderr.contains("kept.pdf was removed: Chromium could not print this page"), preview.stderr)
    preview.stop()
  }

  /// Preview's first render, without Chromium, over a folder `render --pdf` wrote with another
  /// parameter: nothing was edited, yet the warning said the PDF "was printed from the page before
  /// this edit". It now says what differs.
  func testPreviewsFirstRenderOverOtherOptionsSaysNoEdit() throws {
    for tool in ["/usr/bin/chromium", "/usr/bin/pdftotext"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      throw XCTSkip("\(tool) is not installed (chromium, poppler-utils)")
    }
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    try "---\nparams:\n  word: plain\n---\n# Kept\n\nThe word is `swift (param(\"word\") as String)`.\n"
      .write(to: notebooks.appendingPathComponent("kept.md"), atomically: true, encoding: .utf8)
    let render = try HandoutCLI.run(
      ["render", "notebooks", "--pdf", "--param", "word=fancy", "-o", "output"], in: dir)
    XCTAssertEqual(render.status, 0, render.stderr)
    let empty = dir.appendingPathComponent("empty-path")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "-o", "output"], in: dir,
      environment: [
        "PATH": empty.path, "HANDOUT_CHROMIUM": dir.appendingPathComponent("no/chromium").path,
        "HANDOUT_SWIFTC": try PreviewKeepsProductsTests.onPath("swiftc"),
      ])
    defer { preview.stop() }
    let port = try preview.port()
    try preview.waitForPage(port: port, path: "/kept.html", containing: "inline-value\">plain<", seconds: 300)
    preview.waitForStderr(containing: "kept.pdf was removed")
    XCTAssertFalse(preview.stderr.contains("before this edit"), preview.stderr)
    XCTAssertTrue(
      preview.stderr.contains(
        "kept.pdf was removed: it was printed from the page as rendered before (with other options, or before an edit"
      ),
      preview.stderr)
    preview.stop()
  }
}
