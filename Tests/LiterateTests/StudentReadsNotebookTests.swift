import XCTest

@testable import Literate

/// The student program is the notebook without its solutions, but the file it can read is the
/// instructor's: public code that read its own notebook (`dataFile("d.md")`, or a `data:` glob
/// matching it) or another one with solutions showed what it made of their text on the student's
/// page (its length, whether a solution's words are there, the text itself).
final class StudentReadsNotebookTests: XCTestCase {
  private func notebook(reading read: String, frontMatter: String = "") -> String {
    """
    ---
    title: D
    \(frontMatter)
    ---

    # D

    ::: exercise Secret
    Do.

    ::: solution
    ```swift
    let zebraAnswer = 4242
    ```
    :::
    :::

    ```swift
    let text = try! String(contentsOf: \(read), encoding: .utf8)
    print(text.count, text.contains("zebra") ? "SEEN" + "-LEAK" : "clean")
    ```

    """
  }

  func testPublicCodeThatReadsANotebookWithSolutionsGetsNoStudentPage() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    try Support.write(notebook(reading: "dataFile(\"d.md\")"), to: dir.appendingPathComponent("nb/d.md"))
    try Support.write(
      notebook(reading: "URL(fileURLWithPath: \"d.md\")", frontMatter: "data: [d.md]"),
      to: dir.appendingPathComponent("nb/e.md"))
    let render = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student"], in: dir, cache: cache)
    XCTAssertNotEqual(render.status, 0, render.output)
    for name in ["d.md", "e.md"] {
      XCTAssertTrue(
        render.output.contains("nb/\(name):1:1: error: this notebook's code reads"), render.output)
    }
    for (path, text) in try Support.contents(under: dir.appendingPathComponent("student")) {
      XCTAssertFalse(
        text.contains("SEEN-LEAK") || text.contains("zebraAnswer") || text.contains("4242"), path)
    }
    // A notebook without solutions may be read.
    try Support.write("# Plain\n\nNo exercise.\n", to: dir.appendingPathComponent("nb/d.md"))
    try FileManager.default.removeItem(at: dir.appendingPathComponent("nb/e.md"))
    let plain = try Support.handout(
      ["render", "nb", "--out", "student2", "--profile", "student"], in: dir, cache: cache)
    XCTAssertEqual(plain.status, 0, plain.output)
  }

  /// The notebook read under another name: a symlink `notes.txt` to it, a hard link `copy.csv` of
  /// another. Only paths ending in `.md` were looked at, so the student's page showed what the
  /// code made of the instructor's text.
  func testPublicCodeThatReadsANotebookThroughALinkGetsNoStudentPage() throws {
    let dir = try Support.temporaryDirectory(self)
    let nb = dir.appendingPathComponent("nb")
    try Support.write(notebook(reading: "dataFile(\"notes.txt\")"), to: nb.appendingPathComponent("d.md"))
    try FileManager.default.createSymbolicLink(
      atPath: nb.appendingPathComponent("notes.txt").path, withDestinationPath: "d.md")
    try Support.write(notebook(reading: "dataFile(\"copy.csv\")"), to: nb.appendingPathComponent("e.md"))
    let original = nb.appendingPathComponent("e.md").path
    XCTAssertEqual(link(original, nb.appendingPathComponent("copy.csv").path), 0)
    let render = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student"], in: dir,
      cache: dir.appendingPathComponent("cache"))
    XCTAssertNotEqual(render.status, 0, render.output)
    for (name, read) in [("d.md", "notes.txt"), ("e.md", "copy.csv")] {
      XCTAssertTrue(
        render.output.contains("nb/\(name):1:1: error: this notebook's code reads \(read), a notebook"),
        render.output)
    }
    for (path, text) in try Support.contents(under: dir.appendingPathComponent("student")) {
      XCTAssertFalse(text.contains("SEEN-LEAK") || text.contains("zebraAnswer"), path)
    }
  }
}
