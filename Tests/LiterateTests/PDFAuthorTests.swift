import Foundation
import XCTest

@testable import Literate

/// The printed handout names its author in its document information, as it names its title
/// (Chromium wrote no /Author: `pdfinfo` showed none for any of the course's PDFs).
final class PDFAuthorTests: XCTestCase {
  func testThePDFNamesTheFrontMattersAuthor() throws {
    _ = try PDFTests.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(
      """
      ---
      title: Authored
      author: Åsa Öberg & N. Oskolkov
      ---

      A paragraph.
      """, "authored.md", in: dir)
    _ = try Support.write("---\ntitle: Anonymous\n---\n\nA paragraph.\n", "anonymous.md", in: dir)
    let result = try Support.handout(["render", ".", "-o", "out", "--pdf"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let authored = dir.appendingPathComponent("out/authored.pdf")
    let info = try PDFTests.poppler("pdfinfo", [authored.path])
    XCTAssertTrue(info.contains("Author:          Åsa Öberg & N. Oskolkov\n"), info)
    XCTAssertTrue(info.contains("Title:           Authored\n"), info)
    XCTAssertTrue(try PDFTests.text(authored).contains("A paragraph."))
    try PDFTests.assertQPDFChecks(authored)
    let anonymous = try PDFTests.poppler("pdfinfo", [dir.appendingPathComponent("out/anonymous.pdf").path])
    XCTAssertFalse(anonymous.contains("Author:"), anonymous)
  }

  /// The same PDF and author give the same bytes, and an author already there is replaced.
  func testTheUpdateIsDeterministicAndReplacesAnEarlierAuthor() throws {
    let pdf = Data(
      """
      %PDF-1.4
      1 0 obj
      <</Title (T)
      /Author (Old)>>
      endobj
      xref
      0 2
      0000000000 65535 f 
      0000000009 00000 n 
      trailer
      <</Size 2
      /Root 1 0 R
      /Info 1 0 R>>
      startxref
      47
      %%EOF

      """.utf8)
    let once = PDFPrinter.authored(pdf, by: "Ab")
    XCTAssertEqual(once, PDFPrinter.authored(pdf, by: "Ab"))
    let update = String(decoding: once.dropFirst(pdf.count), as: UTF8.self)
    XCTAssertTrue(update.contains("<</Title (T)\n/Author <FEFF00410062>>>"), update)
    XCTAssertFalse(update.contains("(Old)"), update)
    XCTAssertTrue(update.contains("/Prev 47>>"), update)
    XCTAssertEqual(PDFPrinter.authored(pdf, by: ""), pdf)
  }
}

extension PDFTests {
  /// Asserts that qpdf (installed by `make test` with poppler) finds the PDF at `url` well formed:
  /// its syntax and cross-reference table, an appended update's too.
  static func assertQPDFChecks(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    let check = Process()
    check.executableURL = URL(fileURLWithPath: try onPath("qpdf"))
    check.arguments = ["--check", url.path]
    check.standardOutput = FileHandle.nullDevice
    try check.run()
    check.waitUntilExit()
    XCTAssertEqual(
      check.terminationStatus, 0, "qpdf --check \(url.lastPathComponent)", file: file, line: line)
  }
}
