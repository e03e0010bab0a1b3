import XCTest

/// The cache holds the instructor's programs and runs, solutions and all (`<key>/program.swift`):
/// public code that read the instructor's tangled program there (its path written into the code
/// after an instructor's render) put a solution's code on the student's page. Like a notebook with
/// solutions, a file of the cache read by the student program is an error, and no student page
/// is written from it.
final class StudentReadsCacheTests: XCTestCase {
  static func notebook(_ publicCode: String) -> String {
    """
    # Cache

    ::: exercise The answer
    Find it.

    ::: solution
    ```swift
    let answer = "WOMBAT-ANSWER-9"
    print(answer)
    ```
    :::
    :::

    ```swift
    \(publicCode)
    ```

    """
  }

  func testPublicCodeThatReadsTheInstructorsProgramInTheCacheGetsNoStudentPage() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let notebook = dir.appendingPathComponent("nb/c.md")
    try Support.write(Self.notebook("print(\"public\")"), to: notebook)
    let instructor = try Support.handout(["render", "nb", "--out", "inst"], in: dir, cache: cache)
    XCTAssertEqual(instructor.status, 0, instructor.output)
    let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
    let program = try XCTUnwrap(
      entries.map { cache.appendingPathComponent("\($0)/program.swift").path }.first {
        (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("WOMBAT-ANSWER") == true
      }, "no instructor's program in the cache: \(entries)")

    try Support.write(
      Self.notebook(
        """
        import Foundation
        let text = (try? String(contentsOfFile: "\(program)", encoding: .utf8)) ?? ""
        print("cache:", text.split(separator: "\\n").first { $0.contains("WOM" + "BAT") } ?? "none")
        """), to: notebook)
    let student = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student"], in: dir, cache: cache)
    XCTAssertNotEqual(student.status, 0, student.output)
    XCTAssertTrue(
      student.output.contains(
        "nb/c.md:1:1: error: this notebook's code reads program.swift, a file of Handout's cache"),
      student.output)
    for (path, text) in try Support.contents(under: dir.appendingPathComponent("student")) {
      XCTAssertFalse(text.contains("WOMBAT-ANSWER"), "\(path): \(text)")
    }
  }
}
