import Foundation
import XCTest

@testable import Literate

/// The instructor's web page shows under each block what was verified (a "✓ verified" list of the
/// checks, a "published output — verified" badge); the deck, the PDF and the student page say it
/// once, in one line, and never carry a collapsed triangle (issue 22). Real render, real Chromium.
final class VerificationChromeTests: XCTestCase {
  static let notebook = """
    ---
    title: Verified neuron
    ---

    # Checks

    ```swift
    let w = 2.0
    expect(w * 3, equals: 6)
    expect(w + 1, equals: 3)
    print("w =", w)
    ```
    ```output
    w = 2.0
    ```

    The weight is printed above.

    ::: exercise
    Double it.

    ::: solution
    ```swift
    expect(w * 2, equals: 4)
    print(w * 2)
    ```
    :::
    :::
    """

  /// The per-block verification a class should not see.
  static let chrome = [
    "published output — verified", "✓ verified", "checks-passed", "<details class=\"checks",
  ]

  func testVerificationDetailsAreOnTheInstructorsPageOnly() throws {
    _ = try PDFTests.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(Self.notebook, "neuron.md", in: dir)
    let teacher = try Support.handout(["render", "neuron.md", "-o", "teacher", "--slides", "--pdf"], in: dir)
    XCTAssertEqual(teacher.status, 0, teacher.output)
    let student = try Support.handout(
      ["render", "neuron.md", "-o", "student", "--profile", "student"], in: dir)
    XCTAssertEqual(student.status, 0, student.output)
    func read(_ path: String) throws -> String {
      try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)
    }

    let page = try read("teacher/neuron.html")
    XCTAssertTrue(page.contains("published output — verified"), "the instructor's page keeps its badges")
    XCTAssertTrue(page.contains("<details class=\"checks-passed\">"))

    let deck = try read("teacher/neuron.slides.html")
    let pdfText = try PDFTests.text(dir.appendingPathComponent("teacher/neuron.pdf"))
    let studentPage = try read("student/neuron.html")
    for (what, text) in [("deck", deck), ("PDF", pdfText), ("student page", studentPage)] {
      for mark in Self.chrome {
        XCTAssertFalse(text.contains(mark), "\(what) shows \"\(mark)\"")
      }
      XCTAssertFalse(text.contains("▶") || text.contains("▸"), "\(what) shows a triangle")
      XCTAssertFalse(text.contains("<details class=\"checks"), "\(what) has a collapsed list of checks")
    }
    // One line per handout says it: the PDF's and the student page's status line.
    let summary = #"all \d+ checks verified"#
    for (what, text) in [("PDF", pdfText), ("student page", studentPage)] {
      let count = text.components(separatedBy: "\n").filter {
        $0.range(of: summary, options: .regularExpression) != nil
      }.count
      XCTAssertEqual(count, 1, "\(what): \(text)")
    }
    XCTAssertTrue(pdfText.contains("all 4 checks verified"), pdfText)
    XCTAssertFalse(deck.contains("checks verified"), "at most one line in the deck: none when all passed")
  }
}
