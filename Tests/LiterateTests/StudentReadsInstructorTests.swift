import XCTest

/// A student edition whose public code read the instructor's published handout (its page, deck,
/// a figure of its folder, or a copy of its page elsewhere), rendered earlier with solutions,
/// printed the answer on the student's page. Such a read is an error at the notebook, as a read
/// of a notebook with solutions or of Handout's cache is, and no student page is written from it.
final class StudentReadsInstructorTests: XCTestCase {
  static let answered = """
    # Answered

    ::: exercise The answer
    Find it.

    ::: solution
    The answer is QUOKKA-SOLUTION-4417.

    ```swift
    print("QUOKKA-OUTPUT-" + "5523")
    ```
    :::
    :::

    """

  /// A notebook whose public code prints the line of `path` that names the answer; with a
  /// solution of its own (the student program runs) or without (the student edition is the run).
  static func reader(_ path: String, solution: Bool) -> String {
    let exercise =
      solution
      ? """
      ::: exercise Other
      Do it.

      ::: solution
      Done.
      :::
      :::

      """ : ""
    return """
      # Reader

      \(exercise)
      ```swift
      import Foundation
      let data = FileManager.default.contents(atPath: "\(path)") ?? Data()
      let text = String(decoding: data, as: UTF8.self)
      print("read:", text.split(separator: "\\n").first { $0.contains("QUOK" + "KA") } ?? "none")
      ```

      """
  }

  func testPublicCodeThatReadsTheInstructorsHandoutGetsNoStudentPage() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    try Support.write(Self.answered, to: dir.appendingPathComponent("course/a.md"))
    let instructor = try Support.handout(
      ["render", "course", "--out", "inst", "--slides"], in: dir, cache: cache)
    XCTAssertEqual(instructor.status, 0, instructor.output)
    // A copy of the instructor's page somewhere of the user's: no manifest beside it.
    let copy = dir.appendingPathComponent("elsewhere/copy.html")
    try FileManager.default.createDirectory(
      at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: dir.appendingPathComponent("inst/a/.page.html"), to: copy)

    let reads = [
      ("page", dir.appendingPathComponent("inst/a.html").path),
      ("deck", dir.appendingPathComponent("inst/a.slides.html").path),
      ("copy", copy.path),
    ]
    for (what, path) in reads {
      for solution in [true, false] {
        let reader = dir.appendingPathComponent("reader-\(what)-\(solution)")
        try Support.write(Self.reader(path, solution: solution), to: reader.appendingPathComponent("r.md"))
        // An instructor's render first, so a run the student edition could replay is in the cache.
        _ = try Support.handout(
          ["render", reader.lastPathComponent, "--out", "i-\(what)-\(solution)"], in: dir, cache: cache)
        let out = dir.appendingPathComponent("student-\(what)-\(solution)")
        let student = try Support.handout(
          ["render", reader.lastPathComponent, "--out", out.lastPathComponent, "--profile", "student"],
          in: dir, cache: cache)
        XCTAssertNotEqual(student.status, 0, "\(what), solution \(solution): \(student.output)")
        XCTAssertTrue(
          student.output.contains("r.md:1:1: error: this notebook's code reads"), "\(what): \(student.output)"
        )
        XCTAssertFalse(student.output.contains("QUOKKA"), "\(what): \(student.output)")
        for (path, text) in try Support.contents(under: out) {
          XCTAssertFalse(text.contains("QUOKKA"), "\(what), solution \(solution): \(path): \(text)")
        }
      }
    }
  }

  /// A `data:` glob that copies the instructor's page in: the program reads the copy in its own
  /// folder, so only the glob says where it came from.
  func testADataGlobOfTheInstructorsHandoutGetsNoStudentPage() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    try Support.write(Self.answered, to: dir.appendingPathComponent("course/a.md"))
    let instructor = try Support.handout(["render", "course", "--out", "inst"], in: dir, cache: cache)
    XCTAssertEqual(instructor.status, 0, instructor.output)
    let reader = Self.reader("../inst/a/.page.html", solution: false)
    try Support.write(
      "---\ndata: [../inst/a/.page.html]\n---\n" + reader, to: dir.appendingPathComponent("reader/r.md"))
    let student = try Support.handout(
      ["render", "reader", "--out", "out", "--profile", "student"], in: dir, cache: cache)
    XCTAssertNotEqual(student.status, 0, student.output)
    XCTAssertTrue(
      student.output.contains("r.md:1:1: error: this notebook's code reads .page.html"), student.output)
    for (path, text) in try Support.contents(under: dir.appendingPathComponent("out")) {
      XCTAssertFalse(text.contains("QUOKKA"), "\(path): \(text)")
    }
  }

  /// The student's own edition, or an instructor's page of a notebook without solutions or notes,
  /// holds nothing of the instructor's: reading it is no error.
  func testPublicCodeMayReadAStudentEdition() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    try Support.write(Self.answered, to: dir.appendingPathComponent("course/a.md"))
    let first = try Support.handout(
      ["render", "course", "--out", "stud", "--profile", "student"], in: dir, cache: cache)
    XCTAssertEqual(first.status, 0, first.output)
    let reader = dir.appendingPathComponent("reader/r.md")
    try Support.write(Self.reader(dir.appendingPathComponent("stud/a.html").path, solution: true), to: reader)
    let student = try Support.handout(
      ["render", "reader", "--out", "out", "--profile", "student"], in: dir, cache: cache)
    XCTAssertEqual(student.status, 0, student.output)
  }
}
