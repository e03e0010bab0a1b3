import Foundation
import XCTest

@testable import Literate

/// The course's PDFs have page breaks a typesetter would accept (issue 22), measured on what
/// Chromium printed: the course is rendered through the real `handout render --pdf` (instructor and
/// student editions), every page rasterised by `pdftoppm` and read back by `pdftotext`.
final class PrintLayoutTests: XCTestCase {
  /// A4 at 30 dpi: the text area of `handout.css`'s `@page` (18 mm top, 20 mm bottom margin).
  static let dpi = 30.0
  static let textTop = Int((18 / 25.4 * dpi).rounded())
  static let textBottom = Int((277 / 25.4 * dpi).rounded())
  /// The most of a page's text area that may stay empty below its last line (but the last page's).
  static let maxEmpty = 0.35

  /// Each page's empty share of the text area below its lowest inked row (1 when nothing is there),
  /// from `pdftoppm -gray -r 30`.
  static func emptyShares(_ pdf: URL, in dir: URL) throws -> [Double] {
    let prefix = dir.appendingPathComponent("page").path
    _ = try PDFTests.poppler("pdftoppm", ["-gray", "-r", "\(Int(dpi))", pdf.path, prefix])
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
      .filter { $0.hasPrefix("page") && $0.hasSuffix(".pgm") }.sorted()
    return try files.map { file in
      let (width, pixels) = try pgm(dir.appendingPathComponent(file))
      var lowest: Int? = nil
      for y in textTop..<textBottom
      where pixels[(y * width)..<((y + 1) * width)].contains(where: { $0 < 235 }) {
        lowest = y
      }
      guard let lowest else { return 1 }
      return Double(textBottom - 1 - lowest) / Double(textBottom - textTop)
    }
  }

  /// A binary PGM (P5, 8 bits): its width and its pixels, row after row.
  static func pgm(_ url: URL) throws -> (width: Int, pixels: [UInt8]) {
    let data = [UInt8](try Data(contentsOf: url))
    var fields: [String] = []
    var i = 0
    while fields.count < 4 {
      while i < data.count, data[i] == 0x20 || data[i] == 0x0A || data[i] == 0x0D || data[i] == 0x09 {
        i += 1
      }
      var field = ""
      while i < data.count, ![0x20, 0x0A, 0x0D, 0x09].contains(data[i]) {
        field.append(Character(UnicodeScalar(data[i])))
        i += 1
      }
      fields.append(field)
    }
    let width = try XCTUnwrap(Int(fields[1]))
    return (width, Array(data[(i + 1)...]))
  }

  /// The text lines of `page` above its footer ("n / N"), trimmed, without empty ones.
  static func lines(_ pdf: URL, page: Int) throws -> [String] {
    var lines = try PDFTests.text(pdf, page: page).split(separator: "\n")
      .map { $0.trimmingCharacters(in: CharacterSet.whitespaces.union(["\u{0C}"])) }.filter { !$0.isEmpty }
    if let last = lines.last, last.range(of: #"^\d+\s*/\s*\d+$"#, options: .regularExpression) != nil {
      lines.removeLast()
    }
    return lines
  }

  /// The headings of a woven page (h1–h6, exercise heads, solution labels), as text, plus the
  /// labels set above code and outputs.
  static func headings(ofPage html: String) -> Set<String> {
    var found: Set<String> = ["OUTPUT", "PUBLISHED OUTPUT", "VALUE", "SWIFT", "SOLUTION"]
    let pattern = #"<(h[1-6]|summary|p class="exercise-head")[^>]*>(.*?)</(h[1-6]|summary|p)>"#
    let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
    let range = NSRange(html.startIndex..., in: html)
    for match in regex?.matches(in: html, range: range) ?? [] {
      guard let inner = Range(match.range(at: 2), in: html) else { continue }
      let text = String(html[inner]).replacingOccurrences(
        of: "<[^>]+>", with: "", options: .regularExpression
      )
      .replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespacesAndNewlines)
      if !text.isEmpty { found.insert(text) }
    }
    return found
  }

  /// Where the first figure caption ("Figure N") of `page` starts, as a share of the text area from
  /// its top; nil when the page has none (`pdftotext -bbox`, in points).
  static func firstCaption(_ pdf: URL, page: Int) throws -> Double? {
    let xml = try PDFTests.poppler("pdftotext", ["-bbox", "-f", "\(page)", "-l", "\(page)", pdf.path, "-"])
    let regex = try NSRegularExpression(pattern: #"yMin="([0-9.]+)"[^>]*>Figure</word>\s*<word[^>]*>\d"#)
    guard let match = regex.firstMatch(in: xml, range: NSRange(xml.startIndex..., in: xml)),
      let range = Range(match.range(at: 1), in: xml), let y = Double(xml[range])
    else { return nil }
    let top = 18 / 25.4 * 72
    let height = 259 / 25.4 * 72
    return (y - top) / height
  }

  /// What is wrong with the page breaks of `pdf` (the handout `html` was printed from).
  static func problems(_ pdf: URL, html: String, scratch: URL) throws -> [String] {
    let name = pdf.lastPathComponent
    let shares = try emptyShares(pdf, in: scratch)
    let headings = headings(ofPage: html)
    var problems: [String] = []
    for (k, empty) in shares.enumerated() {
      let page = k + 1
      let lines = try lines(pdf, page: page)
      if lines.isEmpty || empty >= 0.999 {
        problems.append("\(name) page \(page) holds only its header and footer")
      }
      if let last = lines.last,
        headings.contains(last) || headings.contains(where: { $0.hasSuffix(last) && last.count > 12 })
      {
        problems.append("\(name) page \(page) ends with the heading \"\(last)\"")
      }
      guard page < shares.count, empty > maxEmpty else { continue }
      // Allowed only before a figure taller than the hole (it could not be scaled into it), which
      // opens the next page (no heading above it).
      let next = try Self.lines(pdf, page: page + 1)
      let opensWithHeading = next.first.map { headings.contains($0) } ?? false
      if let caption = try firstCaption(pdf, page: page + 1), caption > empty, !opensWithHeading { continue }
      problems.append("\(name) page \(page) of \(shares.count) is \(Int((empty * 100).rounded())) % empty")
    }
    return problems
  }

  /// The measure itself: a page left half empty and a heading forced to a page's foot are seen.
  func testTheMeasureSeesAHoleAndAHeadingAtAPagesFoot() throws {
    let chromium = try PDFTests.tool("chromium")
    _ = try PDFTests.tool("pdftoppm")
    let dir = try Support.temporaryDirectory(self)
    let prose = String(repeating: "<p>The gradient moves each weight against its slope.</p>\n", count: 14)
    let html = """
      <!DOCTYPE html><html><head><meta charset="utf-8"><style>
      @page { size: A4; margin: 18mm 16mm 20mm; @bottom-center { content: counter(page) " / " counter(pages); } }
      body { margin: 0; font: 11pt serif; }
      </style></head><body>
      \(prose)<h2 style="break-after: page">A stranded heading</h2>
      \(prose)\(prose)\(prose)<p>The end.</p></body></html>
      """
    let pdf = dir.appendingPathComponent("holes.pdf")
    try PDFPrinter(chromium: chromium).print(page: html, to: pdf)
    let problems = try Self.problems(pdf, html: html, scratch: dir)
    XCTAssertTrue(
      problems.contains("holes.pdf page 1 ends with the heading \"A stranded heading\""), "\(problems)")
    XCTAssertTrue(
      problems.contains { $0.hasPrefix("holes.pdf page 1 of") && $0.hasSuffix("% empty") }, "\(problems)")
  }

  /// The height of `word`'s box on page 1 of `pdf` (`pdftotext -bbox`, in points).
  static func wordHeight(_ word: String, in pdf: URL) throws -> Double {
    let xml = try PDFTests.poppler("pdftotext", ["-bbox", "-f", "1", "-l", "1", pdf.path, "-"])
    let regex = try NSRegularExpression(
      pattern: #"yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">"# + word + "</word>")
    let match = try XCTUnwrap(regex.firstMatch(in: xml, range: NSRange(xml.startIndex..., in: xml)), word)
    let top = try XCTUnwrap(Range(match.range(at: 1), in: xml).flatMap { Double(xml[$0]) })
    let bottom = try XCTUnwrap(Range(match.range(at: 2), in: xml).flatMap { Double(xml[$0]) })
    return bottom - top
  }

  func testThePrintedAbstractIsSetNoLargerThanTheBody() throws {
    _ = try PDFTests.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let source = """
      ---
      title: Sizes
      abstract: An abstract with Abstractword in it.
      ---

      A paragraph with Bodyword in it.
      """
    _ = try Support.write(source, "sizes.md", in: dir)
    let result = try Support.handout(["render", "sizes.md", "-o", "out", "--pdf"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let pdf = dir.appendingPathComponent("out/sizes.pdf")
    let abstract = try Self.wordHeight("Abstractword", in: pdf)
    let body = try Self.wordHeight("Bodyword", in: pdf)
    XCTAssertLessThanOrEqual(abstract, body, "abstract \(abstract) pt, body \(body) pt")
  }

  /// A figure that does not fit in the space before it even at 70 % (an animation's grid of six
  /// tall frames, scaled all together) opens the next page with the sentence that introduces it:
  /// a lead-in ending with a colon is never left alone at the foot of the page before (05's Adam
  /// grid, issue 22).
  func testAFigureThatDoesNotFitEvenAt70PercentTakesItsLeadInAlong() throws {
    _ = try PDFTests.tool("chromium")
    _ = try PDFTests.tool("pdftoppm")
    let dir = try Support.temporaryDirectory(self)
    let prose = String(
      repeating: "The gradient moves each weight against its slope, a little at a time, and the loss falls. ",
      count: 4)
    let frames = (0..<6).map { "animation.append(frame(\($0)), label: \"step \($0)\")" }
    let source = """
      ---
      title: A grid after its lead-in
      ---

      \(Array(repeating: prose, count: 5).joined(separator: "\n\n"))

      The six frames of the grid follow:

      ```swift echo=false
      func frame(_ k: Int) -> Figure {
        let figure = Figure(width: 300, height: 400)
        figure.axes.line(x: [0, 1, 2, 3], y: [0, Double(k), 1, Double(k * k)], label: "step")
        return figure
      }
      let animation = Animation()
      \(frames.joined(separator: "\n"))
      show(animation: animation, caption: "Six frames too tall for the space left on page 1.")
      ```

      The end.
      """
    _ = try Support.write(source, "lead.md", in: dir)
    let result = try Support.handout(["render", "lead.md", "-o", "out", "--pdf"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let pdf = dir.appendingPathComponent("out/lead.pdf")
    let scratch = dir.appendingPathComponent("pages", isDirectory: true)
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    // The case itself: page 1 ends over 35 % empty, before a grid that could not be scaled into it.
    let shares = try Self.emptyShares(pdf, in: scratch)
    XCTAssertEqual(shares.count, 2, "pages")
    XCTAssertGreaterThan(shares.first ?? 0, Self.maxEmpty, "page 1 has no hole: the case is not made")
    let leadIn = "The six frames of the grid follow:"
    let first = try Self.lines(pdf, page: 1)
    XCTAssertFalse(first.contains(leadIn), "the lead-in is left at the foot of page 1: \(first.suffix(2))")
    let second = try Self.lines(pdf, page: 2)
    XCTAssertTrue(second.contains(leadIn), "the lead-in is not on the grid's page: \(second.prefix(3))")
    XCTAssertTrue(second.contains { $0.hasPrefix("Figure 1") }, "\(second)")
  }

  func testEveryCoursePDFBreaksItsPagesAsATypesetterWould() throws {
    _ = try PDFTests.tool("chromium")
    _ = try PDFTests.tool("pdftoppm")
    let dir = try Support.temporaryDirectory(self)
    let root = CourseTests.notebooks.deletingLastPathComponent()
    var problems: [String] = []
    for profile in ["instructor", "student"] {
      let out = dir.appendingPathComponent(profile, isDirectory: true)
      let result = try Support.handout(
        ["render", "notebooks", "--out", out.path, "--pdf", "--profile", profile], in: root)
      XCTAssertEqual(result.status, 0, result.output)
      let pdfs = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".pdf") }
      XCTAssertGreaterThanOrEqual(pdfs.count, 5, "\(profile): \(pdfs)")
      for pdf in pdfs.sorted() {
        let scratch = dir.appendingPathComponent("\(profile)-\(pdf)-pages", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let html = try String(
          contentsOf: out.appendingPathComponent(String(pdf.dropLast(4)) + ".html"), encoding: .utf8)
        problems += try Self.problems(out.appendingPathComponent(pdf), html: html, scratch: scratch)
          .map { "\(profile): \($0)" }
      }
    }
    XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
  }
}
