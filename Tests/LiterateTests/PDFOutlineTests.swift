import Foundation
import XCTest

@testable import Literate

/// The printed handout has bookmarks: a PDF reader's outline of its title and headings, nested as
/// they are, each opening its page (Chromium wrote none: a 12-page handout could only be paged).
final class PDFOutlineTests: XCTestCase {
  /// One outline entry: its title, the page it opens (from 1) and the entries under it.
  struct Entry: Equatable, CustomStringConvertible {
    var title: String
    var page: Int
    var kids: [Entry]
    var description: String {
      "\(title) p\(page)" + (kids.isEmpty ? "" : " [" + kids.map(\.description).joined(separator: ", ") + "]")
    }
  }

  /// The outline of `pdf`, read by `qpdf --json`.
  static func outline(_ pdf: URL) throws -> [Entry] {
    let qpdf = Process()
    qpdf.executableURL = URL(fileURLWithPath: try PDFTests.onPath("qpdf"))
    qpdf.arguments = ["--json", "--json-key=outlines", pdf.path]
    let out = Pipe()
    qpdf.standardOutput = out
    try qpdf.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    qpdf.waitUntilExit()
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    func entries(_ list: Any?) throws -> [Entry] {
      try (list as? [[String: Any]] ?? []).map { item in
        Entry(
          title: try XCTUnwrap(item["title"] as? String), page: item["destpageposfrom1"] as? Int ?? 0,
          kids: try entries(item["kids"]))
      }
    }
    return try entries(json["outlines"])
  }

  func testThePDFHasAnOutlineOfItsTitleAndHeadings() throws {
    _ = try PDFTests.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let filler = (1...40).map { "Paragraph \($0): the gradient moves each weight against its slope." }
      .joined(separator: "\n\n")
    _ = try Support.write(
      """
      ---
      title: Outlined
      ---

      # First part

      A paragraph.

      ## A detail

      \(filler)

      # Second part

      The end.
      """, "outlined.md", in: dir)
    let result = try Support.handout(["render", "outlined.md", "-o", "out", "--pdf"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let pdf = dir.appendingPathComponent("out/outlined.pdf")
    let outline = try Self.outline(pdf)
    let last = try XCTUnwrap(PDFTests.pages(pdf))
    XCTAssertGreaterThan(last, 1, "the case needs a second page")
    let expected = [
      Entry(
        title: "Outlined", page: 1,
        kids: [
          Entry(title: "First part", page: 1, kids: [Entry(title: "A detail", page: 1, kids: [])]),
          Entry(title: "Second part", page: last, kids: []),
        ])
    ]
    XCTAssertEqual(outline, expected, "\(outline)")
    try PDFTests.assertQPDFChecks(pdf)
  }
}
