import XCTest

@testable import Literate

/// `#line` in notebook code is the line the code stands at in the notebook the reader has: in the
/// student edition, the notebook without its solutions (the instructor's line would tell how long
/// the solutions above are), and after a prose edit that moved the code, the line it stands at now
/// (a cached run printed the old one).
final class LineLiteralTests: XCTestCase {
  static let solution = """
    ::: solution
    ```swift
    let answer = 42
    let padding = [1, 2, 3]
    print(answer, padding)
    ```
    :::

    """

  static func notebook(withSolution: Bool) -> String {
    """
    # Lines

    ::: exercise One
    Do it.

    \(withSolution ? solution : ""):::

    ```swift
    print("LINE", #line)
    func here(_ line: Int = #line) -> Int { line }
    print("CALLED", here())
    expect(#line, equals: 0)
    ```

    """
  }

  /// The printed lines and the failing check's line of the page at `page`.
  func lines(_ page: String) -> [String] {
    page.matches(of: #/(LINE|CALLED) (\d+)|lines\.md:(\d+)/#).map { String($0.0) }
  }

  func testTheStudentProgramSeesTheStudentsOwnLines() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(Self.notebook(withSolution: true), to: dir.appendingPathComponent("nb/lines.md"))
    try Support.write(Self.notebook(withSolution: false), to: dir.appendingPathComponent("bare/lines.md"))
    let student = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student", "--publish-failures"], in: dir)
    XCTAssertEqual(student.status, 1, student.output)
    let bare = try Support.handout(["render", "bare", "--out", "bare-out", "--publish-failures"], in: dir)
    XCTAssertEqual(bare.status, 1, bare.output)
    let page = try Support.text(dir.appendingPathComponent("student/lines.html"))
    let barePage = try Support.text(dir.appendingPathComponent("bare-out/lines.html"))
    XCTAssertEqual(lines(barePage).prefix(2), ["LINE 9", "CALLED 11"], barePage)
    XCTAssertEqual(lines(page), lines(barePage), page)
    // The failing check is at the student's line 12 (the instructor's 19) on the student's page.
    XCTAssertTrue(page.contains("nb/lines.md:12:1"), page)
    XCTAssertFalse(page.contains("LINE 16") || page.contains("CALLED 18"), page)
    // The instructor's edition: its own lines, and the public code needs nothing of the solution.
    let instructor = try Support.handout(["check", "nb"], in: dir)
    XCTAssertEqual(instructor.status, 1, instructor.output)
    XCTAssertTrue(instructor.output.contains("nb/lines.md:19:1: error"), instructor.output)
    XCTAssertFalse(instructor.output.contains("depends on the solution"), instructor.output)
  }

  func testProseMovingCodeThatReadsItsLineRunsItAgain() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let source = "# Moved\n\n```swift\nprint(\"LINE\", #line)\n```\n\n```swift\nprint(\"NOLINE\")\n```\n"
    try Support.write(source, to: dir.appendingPathComponent("nb/moved.md"))
    let first = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
    XCTAssertEqual(first.status, 0, first.output)
    let page = dir.appendingPathComponent("out/moved.html")
    XCTAssertTrue(try Support.text(page).contains("LINE 4"))
    // Prose above the code: a fresh run prints the line the code stands at now.
    try Support.write(
      source.replacingOccurrences(of: "# Moved\n", with: "# Moved\n\nMore.\n\nAnd more.\n"),
      to: dir.appendingPathComponent("nb/moved.md"))
    let second = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
    XCTAssertEqual(second.status, 0, second.output)
    let moved = try Support.text(page)
    XCTAssertTrue(moved.contains("LINE 8"), moved)
    XCTAssertFalse(second.output.contains("cached"), second.output)
    // The same edit to a notebook whose code does not read its line is still a cache hit.
    try Support.write(
      source.replacingOccurrences(of: "#line", with: "4"), to: dir.appendingPathComponent("nb/moved.md"))
    XCTAssertEqual(try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache).status, 0)
    try Support.write(
      source.replacingOccurrences(of: "#line", with: "4").replacingOccurrences(
        of: "# Moved\n", with: "# Moved\n\nMore.\n"),
      to: dir.appendingPathComponent("nb/moved.md"))
    let third = try Support.handout(["render", "nb", "--out", "out"], in: dir, cache: cache)
    XCTAssertTrue(third.output.contains("cached"), third.output)
  }
}
