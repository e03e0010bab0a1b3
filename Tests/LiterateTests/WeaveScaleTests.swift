import Foundation
import XCTest

@testable import Literate

/// Weave is linear in the notebook's size, whatever its shape (issue 12, section 4). Not timed:
/// each input is large enough that the quadratic code it replaced took minutes on it (noted per
/// shape), while the linear code weaves it in a second or two even in a debug build.
final class WeaveScaleTests: XCTestCase {
  /// Parses `markdown` as a notebook and weaves its page with an empty run.
  func weave(_ markdown: String, run: RunResult = RunResult()) throws -> String {
    let notebook = try Notebook.parse(source: markdown, path: "big.md")
    return try Weave.page(notebook: notebook, run: run, options: WeaveFixture.options())
  }

  func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

  func testManyInlineMathSpans() throws {
    // The protector rebuilt its output on every append: 160 000 spans took 80 s, these 200 000
    // about two minutes.
    let n = 200_000
    let html = try weave("# T\n\n" + (0..<n).map { "$x_{\($0)}$" }.joined(separator: " ") + "\n")
    XCTAssertEqual(count("<span class=\"math inline\">", in: html), n)
    XCTAssertTrue(html.contains("\\(x_{199999}\\)"))
  }

  func testManyHeadings() throws {
    // Each match copied the rest of the page: 40 000 headings took 20 s (68 s in the issue),
    // these 100 000 about two minutes.
    let n = 100_000
    let html = try weave("# T\n\n" + String(repeating: "## Same\n\ntext\n\n", count: n))
    XCTAssertEqual(count("<h2 id=\"same", in: html), n)
    XCTAssertTrue(html.contains("<h2 id=\"same-\(n)\">Same</h2>"))
  }

  func testDollarsThatNeverCloseAndUnclosedBacktickRuns() throws {
    // "$1 $2 …" searched the rest of the paragraph from every dollar; each unclosed backtick run
    // searched the rest of the text (runs of 1…1500 backticks: a minute).
    let dollars = String(repeating: "$1 ", count: 60_000)
    var ticks = ""
    for k in 1...1500 { ticks += String(repeating: "`", count: k) + " a " }
    let html = try weave("# T\n\n" + dollars + "\n\n" + ticks + "\n")
    XCTAssertFalse(html.contains("math inline"))
    XCTAssertEqual(count("$1", in: html), 60_000)
    XCTAssertEqual(count("<code>", in: html), 1, "only the footer's: no backtick run closed")
  }

  func testBlankLinesDisplayMathCodeTablesLinksAndLongLines() throws {
    // Blank lines that begin a prose node (after a block) were dropped one `removeFirst` at a time.
    var md = "# T\n\n```r\nx\n```\n" + String(repeating: "\n", count: 400_000) + "after the blanks\n\n"
    md += String(repeating: "$$a^2$$\n\n", count: 20_000)
    md += (0..<20_000).map { "`c\($0)`" }.joined(separator: " ") + "\n\n"
    md += "| a | b |\n|---|---|\n" + String(repeating: "| 1 | $x$ |\n", count: 20_000) + "\n"
    md += String(repeating: "[l](http://e.org/a) ", count: 20_000) + "\n\n"
    md += String(repeating: "word ", count: 200_000) + "\n"
    let html = try weave(md)
    XCTAssertTrue(html.contains("<p>after the blanks</p>"))
    XCTAssertEqual(count("<div class=\"math display\">", in: html), 20_000)
    // `<code>c` and a digit: the colophon names the notebook's folder in a `<code>` too (a clone
    // in `ci-clone/` made it one more).
    XCTAssertEqual(html.matches(of: #/<code>c\d/#).count, 20_000)
    XCTAssertEqual(count("<tr>", in: html), 20_001)
    XCTAssertEqual(count("<a href=\"http://e.org/a\">", in: html), 20_000)
  }

  func testManyBlocksWithManyDiagnostics() throws {
    // Every block looked through every diagnostic, splitting every block's code each time.
    let n = 3_000
    var md = "# T\n\n"
    for k in 0..<n { md += "```swift\nlet v\(k) = \(k)\n```\n\n" }
    let notebook = try Notebook.parse(source: md, path: "big.md")
    let diagnostics = notebook.blocks.map {
      Diagnostic(
        .error, "bad \($0.index)", at: SourceLocation(file: "big.md", line: $0.firstCodeLine, column: 5))
    }
    let html = try Weave.page(
      notebook: notebook, run: RunResult(diagnostics: diagnostics), options: WeaveFixture.options())
    XCTAssertEqual(count("Error in this block", in: html), n)
    // The page names the notebook by its folder and file name (`Notebook.shownPath`).
    let place = "\(notebook.shownPath):\(4 + 4 * (n - 1)):5"
    XCTAssertTrue(html.contains("<a class=\"where\" href=\"#cell-\(n - 1)\">\(place)</a>"))
  }
}
