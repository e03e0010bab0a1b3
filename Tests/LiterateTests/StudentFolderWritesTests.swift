import XCTest

@testable import Literate

/// Nothing that holds a solution is written into a student edition's folder by another command:
/// `check --junit student/report.xml` wrote a failing solution's value (`actual: 42`) there, and
/// `check --cache student/cache` every notebook's program, solutions included; both were published
/// with the student's site. `render` refused only a cache inside its own output folder.
final class StudentFolderWritesTests: XCTestCase {
  static let exercise = """
    # Ex

    ::: exercise The secret
    Compute the secret.

    ::: solution
    ```swift
    let secretAnswer = 41 + 1
    expect(secretAnswer, equals: 43)
    ```
    :::
    :::

    """

  func testCheckWritesNoReportNorCacheIntoAStudentEdition() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    try Support.write(Self.exercise, to: dir.appendingPathComponent("nb/ex.md"))
    let student = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student"], in: dir, cache: cache)
    XCTAssertEqual(student.status, 1, student.output)
    let site = dir.appendingPathComponent("student")
    let before = try FileManager.default.contentsOfDirectory(atPath: site.path).sorted()

    let report = try Support.handout(["check", "nb", "--junit", "student/report.xml"], in: dir, cache: cache)
    XCTAssertEqual(report.status, 2, report.output)
    XCTAssertTrue(report.output.contains("a student edition (render --profile student)"), report.output)
    for cacheInside in ["student/cache", "student/ex/cache"] {
      let checked = try Support.handout(
        ["check", "nb"], in: dir, cache: dir.appendingPathComponent(cacheInside))
      XCTAssertEqual(checked.status, 2, checked.output)
      XCTAssertTrue(checked.output.contains("a student edition"), checked.output)
      let rendered = try Support.handout(
        ["render", "nb", "--out", "instructor"], in: dir, cache: dir.appendingPathComponent(cacheInside))
      XCTAssertEqual(rendered.status, 2, rendered.output)
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: site.path).sorted(), before)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("ex").path).filter {
        $0.contains("cache")
      }, [])

    // Elsewhere, the report is written as before.
    let elsewhere = try Support.handout(["check", "nb", "--junit", "report.xml"], in: dir, cache: cache)
    XCTAssertEqual(elsewhere.status, 1, elsewhere.output)
    XCTAssertTrue(try Support.text(dir.appendingPathComponent("report.xml")).contains("actual:   42"))
  }
}
