import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// `handout preview` into the folder `render --slides --pdf` wrote (both default to `output/`):
/// the decks and PDFs there stay, are linked from the index, and follow the notebook's edits.
final class PreviewKeepsProductsTests: XCTestCase {
  static let notebook = "# Kept\n\n```swift\nprint(\"number \\(4200 + 42)\")\n```\n"

  func testPreviewKeepsAndUpdatesTheDecksAndPDFsRenderWrote() throws {
    for tool in ["/usr/bin/chromium", "/usr/bin/pdftotext"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      throw XCTSkip("\(tool) is not installed (chromium, poppler-utils)")
    }
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("kept.md")
    try Self.notebook.write(to: notebook, atomically: true, encoding: .utf8)
    let render = try HandoutCLI.run(["render", "notebooks", "--slides", "--pdf", "-o", "output"], in: dir)
    XCTAssertEqual(render.status, 0, render.stderr)
    let out = dir.appendingPathComponent("output")
    func products() throws -> (deck: String, pdf: String, index: String) {
      (
        try String(contentsOf: out.appendingPathComponent("kept.slides.html"), encoding: .utf8),
        try Self.pdftotext(out.appendingPathComponent("kept.pdf")),
        try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
      )
    }
    let rendered = try products()
    XCTAssertTrue(rendered.deck.contains("number 4242") && rendered.pdf.contains("number 4242"))

    // Preview without --slides, on the same folder: once it serves, nothing render made is gone.
    let preview = try PreviewProcess(["preview", "notebooks", "--port", "0", "-o", "output"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    let kept = try products()
    XCTAssertTrue(kept.deck.contains("number 4242"), kept.deck)
    XCTAssertTrue(kept.pdf.contains("number 4242"), kept.pdf)
    XCTAssertTrue(kept.index.contains("href=\"kept.slides.html\""), kept.index)
    XCTAssertTrue(kept.index.contains("href=\"kept.pdf\""), kept.index)

    // An edit: the page, the deck and the PDF all follow it (none is left stale).
    try Self.notebook.replacingOccurrences(of: "4200 + 42", with: "4300 + 43")
      .write(to: notebook, atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/kept.html", containing: "number 4343")
    let edited = try products()
    XCTAssertTrue(edited.deck.contains("number 4343"), edited.deck)
    XCTAssertTrue(edited.pdf.contains("number 4343"), edited.pdf)
    XCTAssertTrue(
      edited.index.contains("href=\"kept.slides.html\"") && edited.index.contains("href=\"kept.pdf\""))
    preview.stop()
  }

  /// Preview where Chromium is not (a laptop, after `render --pdf` on a machine that has it): an
  /// edit put its page and deck beside the PDF printed from the page before it, and the index
  /// linked that PDF as the handout's. The edited handout's PDF now goes (a render without `--pdf`
  /// removes it too), and a warning says why; one whose page did not change keeps its PDF.
  func testPreviewWithoutChromiumRemovesThePDFOfAnEditedPage() throws {
    for tool in ["/usr/bin/chromium", "/usr/bin/pdftotext"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      throw XCTSkip("\(tool) is not installed (chromium, poppler-utils)")
    }
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("kept.md")
    try "# Kept\n\nThe old words.\n\n\(Self.notebook.dropFirst(8))".write(
      to: notebook, atomically: true, encoding: .utf8)
    try "# Other\n\nUntouched.\n".write(
      to: notebooks.appendingPathComponent("other.md"), atomically: true, encoding: .utf8)
    let render = try HandoutCLI.run(["render", "notebooks", "--slides", "--pdf", "-o", "output"], in: dir)
    XCTAssertEqual(render.status, 0, render.stderr)
    let out = dir.appendingPathComponent("output")
    let otherPDF = try Data(contentsOf: out.appendingPathComponent("other.pdf"))

    let empty = dir.appendingPathComponent("empty-path")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let swiftc = try Self.onPath("swiftc")
    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "-o", "output"], in: dir,
      environment: [
        "PATH": empty.path, "HANDOUT_CHROMIUM": dir.appendingPathComponent("no/chromium").path,
        "HANDOUT_SWIFTC": swiftc,
      ])
    defer { preview.stop() }
    let port = try preview.port()
    // Nothing changed yet: both PDFs stay, linked.
    var index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertTrue(index.contains("href=\"kept.pdf\"") && index.contains("href=\"other.pdf\""), index)
    XCTAssertTrue(try Self.pdftotext(out.appendingPathComponent("kept.pdf")).contains("The old words"))

    try String(contentsOf: notebook, encoding: .utf8).replacingOccurrences(of: "The old", with: "The new")
      .write(to: notebook, atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/kept.html", containing: "The new words")
    // The index is written, and the warning printed, after the page is swapped in.
    preview.waitForStderr(containing: "kept.pdf was removed")
    let deck = try String(contentsOf: out.appendingPathComponent("kept.slides.html"), encoding: .utf8)
    XCTAssertTrue(deck.contains("The new words"), deck)
    var info = stat()
    XCTAssertNotEqual(lstat(out.appendingPathComponent("kept.pdf").path, &info), 0, preview.stderr)
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: out.appendingPathComponent("kept/.handout.pdf").path))
    index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertFalse(index.contains("href=\"kept.pdf\""), index)
    XCTAssertTrue(
      preview.stderr.contains("kept.pdf was removed: it was printed from the page before this edit"),
      preview.stderr)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("other.pdf")), otherPDF)
    XCTAssertTrue(index.contains("href=\"other.pdf\""), index)
    preview.stop()
  }

  /// The first `name` on this process's `PATH`.
  static func onPath(_ name: String) throws -> String {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
      return "\(folder)/\(name)"
    }
    throw XCTSkip("\(name) is not on PATH")
  }

  static func pdftotext(_ pdf: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
    process.arguments = [pdf.path, "-"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
