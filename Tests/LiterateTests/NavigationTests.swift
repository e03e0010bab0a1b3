import Foundation
import XCTest

@testable import Literate

/// A handout you can navigate: a contents column beside the text on wide screens (a fold on
/// phones), the course index, the previous and next handout in the index's order, a copy button
/// on each code block, long code lines wrapped. Laid out by a real Chromium at 1280 and 390 px.
final class NavigationTests: XCTestCase {
  static func notebook(_ title: String, long: Bool = false) -> String {
    """
    ---
    title: \(title)
    course: Navigation course
    ---

    ## First part

    Some words about \(title).

    ```text
    shown code, line one
    \(long ? String(repeating: "a_very_long_identifier + ", count: 12) : "short")
    ```

    ## Second part

    ```python
    print("another block")
    ```

    ### A detail

    \((1...12).map { "Paragraph \($0) of more words, so that the page is taller than its window." }.joined(separator: "\n\n"))
    """
  }

  /// A three-handout course rendered by the real `handout render` into `<dir>/out`.
  func renderCourse() throws -> URL {
    let dir = try Support.temporaryDirectory(self)
    let nb = dir.appendingPathComponent("nb")
    try FileManager.default.createDirectory(at: nb, withIntermediateDirectories: true)
    _ = try Support.write(Self.notebook("Alpha"), "nb/01-alpha.md", in: dir)
    _ = try Support.write(Self.notebook("Beta", long: true), "nb/02-beta.md", in: dir)
    _ = try Support.write(Self.notebook("Gamma"), "nb/03-gamma.md", in: dir)
    let result = try Support.handout(["render", "nb", "-o", "out"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    return dir.appendingPathComponent("out")
  }

  func testPagesLinkTheIndexAndTheirNeighboursInCourseOrder() throws {
    let out = try renderCourse()
    func page(_ name: String) throws -> String {
      try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
    }
    let alpha = try page("01-alpha.html")
    let beta = try page("02-beta.html")
    let gamma = try page("03-gamma.html")
    for html in [alpha, beta, gamma] {
      XCTAssertTrue(html.contains("<a class=\"course-index\" href=\"index.html\">"), html)
      XCTAssertTrue(html.contains("Navigation course: all handouts"))
    }
    XCTAssertTrue(beta.contains("rel=\"prev\" href=\"01-alpha.html\""), beta)
    XCTAssertTrue(beta.contains("rel=\"next\" href=\"03-gamma.html\""), beta)
    XCTAssertFalse(alpha.contains("rel=\"prev\""), "the first handout has no previous one")
    XCTAssertTrue(alpha.contains("rel=\"next\" href=\"02-beta.html\""))
    XCTAssertTrue(gamma.contains("rel=\"prev\" href=\"02-beta.html\""))
    XCTAssertFalse(gamma.contains("rel=\"next\""), "the last handout has no next one")
    XCTAssertTrue(gamma.contains("<span class=\"pager-title\">Beta</span>"), "a neighbour by its title")

    // A page woven alone belongs to no course: no index link, no neighbours.
    let notebook = try Notebook.parse(source: Self.notebook("Alone"), path: "nb/alone.md")
    let alone = try Weave.page(notebook: notebook, run: RunResult(), options: WeaveFixture.options())
    XCTAssertFalse(alone.contains("course-index"))
    XCTAssertFalse(alone.contains("class=\"pager\""))
  }

  /// Lays the middle handout out at 1280 and 390 px in Chromium (one frame each) and reads the
  /// boxes back.
  func testContentsColumnCopyButtonsAndWrappedCodeInChromium() throws {
    guard let chromium = BrowserTests.chromium() else { throw XCTSkip("chromium not installed") }
    let out = try renderCourse()
    let harness = out.appendingPathComponent("layout.html")
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body>
      <iframe id="wide" src="02-beta.html" width="1280" height="800"></iframe>
      <iframe id="phone" src="02-beta.html" width="390" height="800"></iframe>
      <pre id="log"></pre><script>
      var loaded = 0;
      function box(e) { var r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, r.width, r.height].map(Math.round).join(","); }
      function measure(id) {
        var d = document.getElementById(id).contentDocument;
        // Scrolled down into the text: a sticky column is still in view beside it.
        d.defaultView.scrollTo(0, 400);
        var toc = d.querySelector("nav.toc"), main = d.querySelector("main"), list = d.querySelector("nav.toc ol");
        var pres = Array.prototype.slice.call(d.querySelectorAll(".cell .code pre"));
        var clipped = pres.filter(function (p) { return p.scrollWidth > p.clientWidth + 1; }).length;
        return id + " toc=" + box(toc) + " main=" + box(main) + " list=" + (list.checkVisibility() ? 1 : 0)
          + " codes=" + d.querySelectorAll(".cell .code").length + " copy=" + d.querySelectorAll(".cell .code .code-head button.copy").length
          + " clipped=" + clipped;
      }
      ["wide", "phone"].forEach(function (id) {
        document.getElementById(id).addEventListener("load", function () {
          if (++loaded === 2) setTimeout(function () {
            document.getElementById("log").textContent = measure("wide") + "\\n" + measure("phone");
          }, 200);
        });
      });
      </script></body></html>
      """, at: harness, chromium: chromium)
    let lines = log.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 2, String(log))
    func numbers(_ line: String, _ key: String) throws -> [Double] {
      let value = try XCTUnwrap(line.split(separator: " ").first { $0.hasPrefix(key + "=") }, line)
      return value.dropFirst(key.count + 1).split(separator: ",").compactMap { Double($0) }
    }
    // 1280: the contents stand in a column left of the text, open, beside it (overlapping rows).
    let wideTOC = try numbers(lines[0], "toc")
    let wideMain = try numbers(lines[0], "main")
    XCTAssertLessThanOrEqual(wideTOC[2], wideMain[0], "contents left of the text: \(lines[0])")
    XCTAssertGreaterThan(wideTOC[4], 120, "a column, not a sliver: \(lines[0])")
    XCTAssertLessThan(wideMain[1], 0, "scrolled into the text: \(lines[0])")
    XCTAssertGreaterThanOrEqual(wideTOC[1], 0, "the column stays in view (sticky): \(lines[0])")
    XCTAssertLessThan(wideTOC[1], wideMain[3], "beside the text, not above or below it: \(lines[0])")
    XCTAssertGreaterThan(wideTOC[3], wideMain[1], "beside the text: \(lines[0])")
    XCTAssertEqual(try numbers(lines[0], "list")[0], 1, "the list is shown: \(lines[0])")
    // 390: the contents are a closed fold above the text, never over it.
    let phoneTOC = try numbers(lines[1], "toc")
    let phoneMain = try numbers(lines[1], "main")
    XCTAssertLessThanOrEqual(phoneTOC[3], phoneMain[1], "contents above the text: \(lines[1])")
    XCTAssertLessThan(phoneTOC[5], 70, "only the toggle's height: \(lines[1])")
    XCTAssertEqual(try numbers(lines[1], "list")[0], 0, "folded on a phone: \(lines[1])")
    for line in lines {
      let codes = try numbers(line, "codes")[0]
      XCTAssertEqual(codes, 2, line)
      XCTAssertEqual(try numbers(line, "copy")[0], codes, "a copy button per code block: \(line)")
      XCTAssertEqual(try numbers(line, "clipped")[0], 0, "long code lines wrap: \(line)")
    }
    if let dir = ProcessInfo.processInfo.environment["HANDOUT_SCREENSHOTS"] {
      let page = out.appendingPathComponent("02-beta.html")
      for width in [1280, 390] {
        _ = try BrowserTests.runChromium(
          chromium, ["--screenshot=\(dir)/navigation-\(width).png", "--window-size=\(width),900"], url: page)
      }
    }
  }

  /// Notebooks that name two courses in their front matter: the index is titled by the one most of
  /// them name, and a page links it by that name only when it names that course or none; a page of
  /// the other course reads "All handouts", so no page names two courses. Rendering one notebook
  /// alone into the folder gives it the same link. Half and half: every page reads "All handouts".
  func testAPageOfAnotherCourseLinksAllHandouts() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    var courses = [
      "01-a": "course: Course A\n", "02-b": "course: Course B\n", "03-c": "", "04-d": "course: Course A\n",
    ]
    func process(_ name: String) throws -> NotebookOutcome {
      let source = "---\ntitle: \(name)\n\(courses[name] ?? "")---\n\nProse.\n"
      let path = try Support.write(source, "\(name).md", in: dir)
      return Pipeline.process(path: path, options: try Support.options())
    }
    func indexLinks() throws -> [String] {
      try courses.keys.sorted().map { name in
        let html = try String(contentsOf: out.appendingPathComponent("\(name).html"), encoding: .utf8)
        let link = #/<a class="course-index" href="index.html"><span aria-hidden="true">↑</span> ([^<]*)</a>/#
        return try XCTUnwrap(html.firstMatch(of: link), name).output.1.description
      }
    }
    let all = try courses.keys.sorted().map(process)
    XCTAssertEqual(try Pipeline.publish(all, to: out, weave: WeaveOptions()).problems, [])
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertTrue(index.contains("<title>Course A"), index)
    let expected = [
      "Course A: all handouts", "All handouts", "Course A: all handouts", "Course A: all handouts",
    ]
    XCTAssertEqual(try indexLinks(), expected)
    for name in ["02-b", "03-c"] {
      XCTAssertEqual(try Pipeline.publish([try process(name)], to: out, weave: WeaveOptions()).problems, [])
      XCTAssertEqual(try indexLinks(), expected, "after rendering \(name) alone")
    }
    courses["03-c"] = "course: Course B\n"
    let again = try courses.keys.sorted().map(process)
    XCTAssertEqual(try Pipeline.publish(again, to: out, weave: WeaveOptions()).problems, [])
    XCTAssertEqual(try indexLinks(), Array(repeating: "All handouts", count: 4))
    let even = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertTrue(even.contains("<title>Handouts</title>"), even)
  }
}
