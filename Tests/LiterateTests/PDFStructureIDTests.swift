import Foundation
import XCTest

@testable import Literate

/// Chromium numbers a table header cell's structure element by its DOM node id, which depends on
/// how many nodes the renderer made before: two prints of one page could differ in those bytes.
/// Handout numbers them again by their place in the file, so two prints are the same bytes.
final class PDFStructureIDTests: XCTestCase {
  /// A page with a table; `extra` hidden nodes before it shift Chromium's node ids but print
  /// nothing.
  static func page(extra: Int) -> String {
    let hidden = String(repeating: "<span hidden>x</span>", count: extra)
    return """
      <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title></head><body>
      <p>Before.</p>\(hidden)
      <table><thead><tr><th>epoch</th><th>loss</th><th>accuracy</th></tr></thead>
      <tbody><tr><td>1</td><td>0.5</td><td>0.7</td></tr><tr><td>2</td><td>0.25</td><td>0.9</td></tr></tbody>
      </table><p>After.</p></body></html>
      """
  }

  /// Real Chromium, two pages that differ only in the node ids: the same PDF, its ids 1, 2, 3.
  func testTwoPrintsWhoseNodeIdsDifferAreTheSameBytes() throws {
    let printer = PDFPrinter(
      chromium: try PDFTests.tool("chromium"), sourceDate: Date(timeIntervalSince1970: 1_700_000_000))
    let one = try printer.printed(page: Self.page(extra: 0))
    let other = try printer.printed(page: Self.page(extra: 40))
    let text = String(decoding: one, as: UTF8.self)
    XCTAssertTrue(text.contains("/ID (node00000001)"), "a tagged PDF with table headers")
    XCTAssertTrue(text.contains("/Limits [(node00000001) (node00000003)]"))
    XCTAssertEqual(one, other)
    // Still a PDF poppler reads whole: its text, and its structure (the table) kept.
    let dir = try Support.temporaryDirectory(self)
    let file = dir.appendingPathComponent("t.pdf")
    try one.write(to: file)
    XCTAssertTrue(try PDFTests.poppler("pdftotext", [file.path, "-"]).contains("accuracy"))
    let structure = try PDFTests.poppler("pdfinfo", ["-struct", file.path])
    XCTAssertTrue(structure.contains("TH"), structure)
    try PDFTests.assertQPDFChecks(file)
  }

  /// The rewrite on its own: ids numbered by their elements' places, references following, the ID
  /// tree's one leaf sorted again; not a byte moved. A tree of two leaves is left as it was.
  func testIdsAreNumberedByPlaceAndTheIDTreeSortedAgain() {
    let pdf = """
      1 0 obj
      <</S /TH
      /ID (node00000138)>>
      2 0 obj
      <</S /TH
      /ID (node00000040)>>
      3 0 obj
      <</S /TD
      /A [<</O /Table /Headers [(node00000138) (node00000040)]>>]>>
      9 0 obj
      <</Limits [(node00000040) (node00000138)]
      /Names [(node00000040) 2 0 R (node00000138) 1 0 R]>>
      endobj
      """
    let expected = """
      1 0 obj
      <</S /TH
      /ID (node00000001)>>
      2 0 obj
      <</S /TH
      /ID (node00000002)>>
      3 0 obj
      <</S /TD
      /A [<</O /Table /Headers [(node00000001) (node00000002)]>>]>>
      9 0 obj
      <</Limits [(node00000001) (node00000002)]
      /Names [(node00000001) 1 0 R (node00000002) 2 0 R]>>
      endobj
      """
    let result = PDFPrinter.renumberingStructureIDs(Data(pdf.utf8))
    XCTAssertEqual(String(decoding: result, as: UTF8.self), expected)
    XCTAssertEqual(result.count, pdf.utf8.count)
    // Nothing to do: the same bytes.
    XCTAssertEqual(
      PDFPrinter.renumberingStructureIDs(Data("%PDF-1.4 (node1)".utf8)), Data("%PDF-1.4 (node1)".utf8))
    let twoLeaves =
      pdf + "\n10 0 obj\n<</Limits [(node00000040) (node00000040)]\n/Names [(node00000040) 2 0 R]>>"
    XCTAssertEqual(PDFPrinter.renumberingStructureIDs(Data(twoLeaves.utf8)), Data(twoLeaves.utf8))
  }
}
