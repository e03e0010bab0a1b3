import Foundation
import XCTest

@testable import Literate

/// A code line too long for its box wraps under itself, with a hanging indent: its continuation
/// starts right of the line's own first character, never at column 0 where it reads as a new
/// statement (04's PDF, page 3; every page at 390 px). Copying the code gives it back exactly.
/// Laid out by a real Chromium: the page at 390 px and in print, the deck at 1280×720.
final class CodeWrapTests: XCTestCase {
  static let code = """
    func step(_ weights: [Double]) -> [Double] {
      let updated = zip(weights, gradient(weights)).map { weight, slope in weight - learningRate * slope * momentum }
      /* a block comment that runs over
         two lines */
    \tlet tabbed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]

      return updated.map { value in value.isFinite ? value : 0 } + weights.map { $0 * learningRate * 2 }
    }
    let result = step([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6])
    """

  static let rCode =
    "fit <- lm(y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8, "
    + "data = data.frame(x1, x2, x3, x4, x5, x6, x7, x8, y)) # all eight"

  static let notebook = """
    ---
    title: Long lines
    ---

    # Code

    ```swift
    \(code)
    ```

    ```r
    \(rCode)
    ```

    The end.
    """

  /// Per source line of each code block (in order): the left of its first non-blank character and
  /// the leftmost left of any character on a later row (a wrap), or -1 without one; then the
  /// block's selected text (what a copy gives) as JSON.
  static let measure = """
    function measure(d) {
      var out = [];
      d.querySelectorAll(".cell .code pre code").forEach(function (code) {
        var walker = d.createTreeWalker(code, NodeFilter.SHOW_TEXT), node, line = null, lines = [];
        function start() { line = { first: null, top: null, wrapLeft: -1 }; lines.push(line); }
        start();
        while ((node = walker.nextNode())) {
          for (var i = 0; i < node.data.length; i++) {
            var c = node.data[i];
            if (c === "\\n") { start(); continue; }
            if (c === " " || c === "\\t") continue;
            var range = d.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
            var r = range.getBoundingClientRect();
            if (line.first === null) { line.first = r.left; line.top = r.top; }
            else if (r.top > line.top + r.height / 2 && (line.wrapLeft < 0 || r.left < line.wrapLeft)) line.wrapLeft = r.left;
          }
        }
        var range = d.createRange(); range.selectNodeContents(code);
        var sel = d.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        var copied = sel.toString(); sel.removeAllRanges();
        out.push(lines.filter(function (l) { return l.first !== null; })
          .map(function (l) { return Math.round(l.first) + ":" + Math.round(l.wrapLeft); }).join(" ")
          + " " + JSON.stringify(copied).replace(/</g, "\\\\u003c"));
      });
      return out.join("\\n");
    }
    """

  /// The blocks' lines as `measure` logs them, one `(first, wrapLeft)` list per block, and the
  /// copied text of each block.
  static func parse(_ log: String) throws -> [(lines: [(first: Double, wrap: Double)], copied: String)] {
    try log.split(separator: "\n").map { row in
      let space = try XCTUnwrap(row.firstIndex(of: "\""), String(row))
      let lines = row[..<space].split(separator: " ").map { pair in
        let parts = pair.split(separator: ":").compactMap { Double($0) }
        return (first: parts.first ?? 0, wrap: parts.last ?? 0)
      }
      // The DOM dump escapes the log's text.
      var text = String(row[space...])
      for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
        text = text.replacingOccurrences(of: entity, with: character)
      }
      let json = Data(text.utf8)
      return (lines, try JSONDecoder().decode(String.self, from: json))
    }
  }

  /// Each wrapped line goes on right of its own first character, every block wraps somewhere, and
  /// a copy gives the code exactly.
  func assertHanging(_ log: String, context: String, file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let blocks = try Self.parse(log)
    XCTAssertEqual(blocks.count, 2, "\(context): \(log)", file: file, line: line)
    for (block, expected) in zip(blocks, [Self.code, Self.rCode]) {
      XCTAssertEqual(block.copied, expected, "\(context): a copy gives the code back", file: file, line: line)
      let wrapped = block.lines.filter { $0.wrap >= 0 }
      XCTAssertFalse(wrapped.isEmpty, "\(context): nothing wrapped: \(log)", file: file, line: line)
      for source in wrapped {
        XCTAssertGreaterThan(
          source.wrap, source.first + 8,
          "\(context): a continuation starts at \(source.wrap), its line at \(source.first): \(log)",
          file: file, line: line)
      }
    }
  }

  func write(in dir: URL) throws -> (page: URL, deck: URL) {
    let notebook = try Notebook.parse(source: Self.notebook, path: "nb/long.md")
    let options = WeaveFixture.options()
    try Support.installAssets(into: dir, options: options)
    let page = dir.appendingPathComponent("long.html")
    try Support.write(try Weave.page(notebook: notebook, run: RunResult(), options: options), to: page)
    let deck = dir.appendingPathComponent("long.slides.html")
    try Support.write(try Weave.slides(notebook: notebook, run: RunResult(), options: options), to: deck)
    return (page, deck)
  }

  func testAWrappedCodeLineHangsUnderItselfOnAPhoneInPrintAndOnASlide() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let dir = try Support.temporaryDirectory(self)
    let (page, deck) = try write(in: dir)
    let phone = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body>
      <iframe id="phone" src="\(page.lastPathComponent)" width="390" height="900"></iframe>
      <pre id="log"></pre><script>\(Self.measure)
      document.getElementById("phone").addEventListener("load", function () {
        setTimeout(function () {
          document.getElementById("log").textContent = measure(document.getElementById("phone").contentDocument);
        }, 200);
      });
      </script></body></html>
      """, at: dir.appendingPathComponent("phone.html"), chromium: chromium)
    try assertHanging(phone, context: "page at 390 px")
    // The deck's slide (every slide shown, as in print: a hidden one's text is not selectable).
    let script =
      "<style>.slide { visibility: visible !important; }</style><script>\(Self.measure)\n"
      + "addEventListener('load', function () { setTimeout(function () {"
      + " var log = document.createElement('pre'); log.id = 'log'; log.textContent = measure(document);"
      + " document.body.appendChild(log); }, 200); });</script>"
    let html = try String(contentsOf: deck, encoding: .utf8).replacingOccurrences(
      of: "</body>", with: script + "</body>")
    let slide = try BrowserTests.log(
      html, at: dir.appendingPathComponent("probe.slides.html"), chromium: chromium,
      arguments: ["--window-size=1280,720"])
    try assertHanging(slide, context: "slide at 1280x720")
    try assertHangingInPrint(page, chromium: chromium)
  }

  /// The page printed to PDF by Chromium, its words' boxes read back by poppler: each line of the
  /// PDF's code that does not start a source line (a continuation) starts right of the line it
  /// continues.
  func assertHangingInPrint(_ page: URL, chromium: String) throws {
    let pdf = page.deletingPathExtension().appendingPathExtension("pdf")
    _ = try BrowserTests.runChromium(
      chromium, ["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer"], url: page)
    let xml = try PDFTests.poppler("pdftotext", ["-bbox-layout", pdf.path, "-"])
    // Each PDF line: its first word and that word's left edge.
    let lines = xml.matches(of: #/<line [^>]*>\s*<word xMin="([0-9.]+)"[^>]*>([^<]*)</word>/#).map {
      (left: Double($0.output.1) ?? 0, word: String($0.output.2))
    }
    let starts = (Self.code + "\n" + Self.rCode + "\nThe end.").split(separator: "\n").compactMap {
      $0.split(whereSeparator: \.isWhitespace).first.map(String.init)
    }.map { $0.replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "<", with: "&lt;") }
    let first = try XCTUnwrap(lines.firstIndex { $0.word == starts[0] }, xml)
    var next = 0
    var lineLeft = 0.0
    var continuations = 0
    // Up to the paragraph after the code.
    for line in lines[first...] where next < starts.count {
      if line.word == starts[next] {
        lineLeft = line.left
        next += 1
      } else {
        continuations += 1
        XCTAssertGreaterThan(line.left, lineLeft + 6, "in print, \(line) continues a line at \(lineLeft)")
      }
    }
    XCTAssertEqual(next, starts.count, "every source line found in the PDF: \(lines)")
    XCTAssertGreaterThan(continuations, 1, "lines wrap in print: \(lines)")
  }

  /// The markup under the look: one `line` span per source line, its newline inside it, the
  /// line's indent in columns (a tab two), a token over two lines closed and opened again.
  func testEachSourceLineIsASpanWithItsIndent() {
    let html = Highlight.lines("a\n  /* b\n  c */\n\n\td", language: "swift")
    XCTAssertEqual(
      html,
      "<span class=\"line\">a\n</span>"
        + "<span class=\"line\" style=\"--i:2\">  <span class=\"com\">/* b\n</span></span>"
        + "<span class=\"line\" style=\"--i:2\"><span class=\"com\">  c */</span>\n</span>"
        + "<span class=\"line\">\n</span>"
        + "<span class=\"line\" style=\"--i:2\">\td</span>")
    XCTAssertEqual(HTML.plainText(html), "a\n  /* b\n  c */\n\n\td")
    XCTAssertEqual(HTML.plainText(Highlight.lines("x <- 1 # <b>\r\ny", language: "r")), "x <- 1 # <b>\r\ny")
    XCTAssertEqual(Highlight.lines("", language: "text"), "<span class=\"line\"></span>")
  }
}
