import XCTest

/// A student edition whose public code starts a process: what the process reads is not seen by the
/// runtime, so `grep` of the instructor's published page put the answer on the student's page past
/// every read check (a notebook with solutions, Handout's cache, the instructor's handouts). A
/// published student edition of such a run is refused; `check`, which publishes nothing, warns.
final class StudentProcessTests: XCTestCase {
  static func reader(_ page: String, solution: Bool) -> String {
    let exercise = solution ? "::: exercise Other\nDo it.\n\n::: solution\nDone.\n:::\n:::\n\n" : ""
    return """
      # Reader

      \(exercise)```swift
      import Foundation
      let grep = Process()
      grep.executableURL = URL(fileURLWithPath: "/bin/grep")
      grep.arguments = ["-o", "QUOK" + "KA-[A-Z]*-[0-9]*", "\(page)"]
      try grep.run()
      grep.waitUntilExit()
      ```

      """
  }

  func testAStudentEditionWhoseCodeStartsAProcessIsNotPublished() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    try Support.write(StudentReadsInstructorTests.answered, to: dir.appendingPathComponent("course/a.md"))
    let instructor = try Support.handout(["render", "course", "--out", "inst"], in: dir, cache: cache)
    XCTAssertEqual(instructor.status, 0, instructor.output)
    let page = dir.appendingPathComponent("inst/a.html").path
    for solution in [true, false] {
      let reader = dir.appendingPathComponent("reader-\(solution)")
      try Support.write(Self.reader(page, solution: solution), to: reader.appendingPathComponent("r.md"))
      let out = dir.appendingPathComponent("student-\(solution)")
      let student = try Support.handout(
        ["render", reader.lastPathComponent, "--out", out.lastPathComponent, "--profile", "student"],
        in: dir, cache: cache)
      XCTAssertNotEqual(student.status, 0, "solution \(solution): \(student.output)")
      XCTAssertTrue(
        student.output.contains("r.md:1:1: error: this notebook's code starts a process (/bin/grep)"),
        "solution \(solution): \(student.output)")
      for (path, text) in try Support.contents(under: out) {
        XCTAssertFalse(text.contains("QUOKKA"), "solution \(solution): \(path): \(text)")
      }
      // `check` publishes nothing: the process is a warning there, as for any run.
      let check = try Support.handout(["check", reader.lastPathComponent], in: dir, cache: cache)
      XCTAssertEqual(check.status, 0, "solution \(solution): \(check.output)")
      XCTAssertTrue(check.output.contains("started a process"), check.output)
    }
  }
}
