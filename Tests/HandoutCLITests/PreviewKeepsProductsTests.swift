import Foundation
import XCTest

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
