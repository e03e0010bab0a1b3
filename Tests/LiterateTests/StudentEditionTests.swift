import XCTest

@testable import Literate

/// The student edition is computed from the program a student has, not filtered from the full
/// run (issue 20): each way a solution's values reached the student's page, deck and PDF, through
/// the real `handout render --profile student --slides --pdf`, every file written searched for
/// the solution's marks (PDFs through `pdftotext`).
final class StudentEditionTests: XCTestCase {
  /// Words and numbers that only a solution has.
  static let marks = ["PANGOLIN", "424242", "777999", "SOLUTIONTHREAD"]

  static let start = """
    # Exercises

    ```swift
    var shared = 1
    print("public start")
    ```

    ::: exercise The answer
    Compute it.

    ::: solution
    ```swift
    let answer = 424200 + 42
    shared = 777999
    print("PANGOLIN \\(answer)")
    Thread { Thread.sleep(forTimeInterval: 0.05); print("SOLUTIONTHREAD") }.start()
    Thread.sleep(forTimeInterval: 0.2)
    ```
    PANGOLIN prose.
    :::
    :::

    """

  /// The good notebook: a thread the solution started prints under no public block; a later
  /// public block and an inline value see the student's own values.
  static let good =
    start + """
      ```swift
      Thread.sleep(forTimeInterval: 0.1)
      print("later public \\(shared)")
      ```

      The shared value is `swift shared`.
      """

  /// Each notebook whose public part needs its solution, with the line of the public code.
  static let needing: [(name: String, text: String, line: Int, what: String)] = [
    // 1. A later public block prints the solution's value, its output published.
    (
      "later", start + "```swift\nprint(\"later \\(answer)\")\n```\n\n```output\nlater 424242\n```\n", 23,
      "this code"
    ),
    // 1b. A public variable the solution changed, printed and published by a later block.
    (
      "mutated", start + "```swift\nprint(\"later \\(shared)\")\n```\n\n```output\nlater 777999\n```\n", 27,
      "published output"
    ),
    // 2. An inline value in public prose that reads the solution's variable.
    ("inline", start + "The answer is `swift answer`.\n", 22, "this code"),
  ]

  func requireTools() throws {
    for tool in ["chromium", "pdftotext"]
    where !FileManager.default.isExecutableFile(atPath: "/usr/bin/\(tool)") {
      let message = "\(tool) is not installed (chromium, poppler-utils)"
      if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message) }
      throw XCTSkip(message)
    }
  }

  func testTheStudentEditionHoldsNoTraceOfASolutionInAnyFile() throws {
    try requireTools()
    let dir = try Support.temporaryDirectory(self)
    try Support.write(Self.good, to: dir.appendingPathComponent("nb/good.md"))
    for notebook in Self.needing {
      try Support.write(notebook.text, to: dir.appendingPathComponent("nb/\(notebook.name).md"))
    }
    // 4. A solution inside a callout: Markdown would show it as a quote.
    try Support.write(
      "# Callout\n\n::: exercise In a tip\nAsk.\n\n> [!TIP]\n> ::: solution\n> PANGOLIN 424242\n> :::\n:::\n",
      to: dir.appendingPathComponent("nb/callout.md"))
    let result = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student", "--slides", "--pdf"], in: dir)
    XCTAssertEqual(result.status, 1, result.output)
    for notebook in Self.needing {
      let expected =
        "nb/\(notebook.name).md:\(notebook.line):"
      XCTAssertTrue(
        result.output.split(separator: "\n").contains {
          $0.hasPrefix(expected) && $0.contains("depends on the solution of exercise 1 (line 11)")
        }, "\(notebook.name): \(result.output)")
    }
    XCTAssertTrue(result.output.contains("`answer` is declared there, at line 13"), result.output)
    XCTAssertTrue(
      result.output.contains("nb/callout.md:7:3: error: ::: solution cannot stand inside a blockquote"),
      result.output)

    let files = try Support.contents(under: dir.appendingPathComponent("student"))
    XCTAssertNotNil(files["good/.page.html"], "the good notebook has its page: \(files.keys.sorted())")
    XCTAssertNotNil(files["good/.slides.html"])
    XCTAssertNotNil(files["good/.handout.pdf"])
    XCTAssertTrue(
      try XCTUnwrap(files["good/.page.html"]).contains("later public 1"), "the student's own value")
    for (path, text) in files {
      for mark in Self.marks {
        XCTAssertFalse(text.contains(mark), "\(mark) in \(path)")
      }
    }
    // The student's index says which exercise each needs, not the solution's lines nor its names
    // (the terminal, the instructor's, says both).
    let index = try XCTUnwrap(files["index.html"])
    XCTAssertTrue(
      index.contains("depends on the solution of exercise 1, which the student edition leaves out"), index)
    for mark in ["(line 11)", "at line 13", "`answer`", "&#96;answer&#96;"] {
      XCTAssertFalse(index.contains(mark), "\(mark) in the student's index")
    }

    // `check` runs both programs: the same dependences fail it, and the good notebook passes.
    let check = try Support.handout(["check", "nb"], in: dir)
    XCTAssertEqual(check.status, 1, check.output)
    XCTAssertTrue(check.output.contains("depends on the solution of exercise 1"), check.output)
    XCTAssertEqual(try Support.handout(["check", "nb/good.md"], in: dir).status, 0)
  }

  func testAStudentRenderNeverLeavesTheInstructorsPagesBehind() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(Self.good, to: dir.appendingPathComponent("nb/good.md"))
    XCTAssertEqual(try Support.handout(["render", "nb", "--out", "out"], in: dir).status, 0)
    let page = dir.appendingPathComponent("out/good.html")
    XCTAssertTrue(try String(contentsOf: page, encoding: .utf8).contains("PANGOLIN"))

    // 5. The student edition, failing, into the instructor's folder: refused, nothing replaced.
    try Support.write(Self.needing[0].text, to: dir.appendingPathComponent("nb/later.md"))
    let refused = try Support.handout(["render", "nb", "--out", "out", "--profile", "student"], in: dir)
    XCTAssertEqual(refused.status, 2, refused.output)
    XCTAssertTrue(refused.output.contains("holds the instructor edition"), refused.output)
    XCTAssertFalse(refused.output.contains("compiling"), "refused before anything runs")

    // With --force the instructor's handouts go first, whatever the student render gives.
    let forced = try Support.handout(
      ["render", "nb", "--out", "out", "--profile", "student", "--force"], in: dir)
    XCTAssertEqual(forced.status, 1, forced.output)
    let files = try Support.contents(under: dir.appendingPathComponent("out"))
    XCTAssertFalse(files.isEmpty)
    for (path, text) in files {
      for mark in Self.marks { XCTAssertFalse(text.contains(mark), "\(mark) in \(path)") }
    }
    // And back: the instructor's render refuses the student's folder the same way.
    let back = try Support.handout(["render", "nb/good.md", "--out", "out"], in: dir)
    XCTAssertEqual(back.status, 2, back.output)
    XCTAssertTrue(back.output.contains("holds the student edition"), back.output)
  }

  /// `--force` into the instructor's folder where a file of the user's stands in a handout's
  /// folder: that handout cannot go whole, so its instructor page would stay, linked from the
  /// index of a folder now labelled the student's. Refused before anything runs, nothing changed;
  /// once the file is moved out, the student edition replaces all of it.
  func testForceDoesNotLeaveAnInstructorPageItCannotRemoveWhole() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(Self.good, to: dir.appendingPathComponent("nb/good.md"))
    XCTAssertEqual(try Support.handout(["render", "nb", "--out", "out"], in: dir).status, 0)
    let notes = dir.appendingPathComponent("out/good/notes.txt")
    try Support.write("my notes\n", to: notes)
    let before = try Support.contents(under: dir.appendingPathComponent("out"))
    let forced = try Support.handout(
      ["render", "nb", "--out", "out", "--profile", "student", "--force"], in: dir)
    XCTAssertEqual(forced.status, 2, forced.output)
    XCTAssertTrue(
      forced.output.contains("--force cannot remove it whole: good/notes.txt is not a file Handout wrote"),
      forced.output)
    XCTAssertFalse(forced.output.contains("compiling"), "refused before anything runs")
    XCTAssertEqual(try Support.contents(under: dir.appendingPathComponent("out")), before)

    try FileManager.default.removeItem(at: notes)
    let again = try Support.handout(
      ["render", "nb", "--out", "out", "--profile", "student", "--force"], in: dir)
    XCTAssertEqual(again.status, 0, again.output)
    for (path, text) in try Support.contents(under: dir.appendingPathComponent("out")) {
      for mark in Self.marks { XCTAssertFalse(text.contains(mark), "\(mark) in \(path)") }
    }
  }

  func testAParseErrorInASolutionIsNotQuotedInTheStudentsIndex() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(
      "# Broken\n\n::: exercise E\n::: solution\n::: PANGOLIN\n:::\n:::\n:::\n",
      to: dir.appendingPathComponent("nb/broken.md"))
    let result = try Support.handout(["render", "nb", "--out", "out", "--profile", "student"], in: dir)
    XCTAssertEqual(result.status, 1, result.output)
    XCTAssertTrue(
      result.output.contains("unknown division 'PANGOLIN'"), "the instructor sees it: \(result.output)")
    let files = try Support.contents(under: dir.appendingPathComponent("out"))
    let index = try XCTUnwrap(files["index.html"])
    XCTAssertTrue(index.contains("does not parse"), index)
    for (path, text) in files { XCTAssertFalse(text.contains("PANGOLIN"), "PANGOLIN in \(path)") }
  }

  func testTheCacheIsRefusedInsideTheOutputFolder() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(Self.good, to: dir.appendingPathComponent("nb/good.md"))
    // 7. The cache holds the whole program, solution included: never published with the site.
    // A name that starts with a combining accent: `String`'s `hasPrefix("out/")` is false for
    // `out/\u{301}cache` (the slash and the accent are one character), so it was not seen inside.
    for args in [["--cache", "out/.cache"], ["--cache", "out"], ["--cache", "out/\u{301}cache"]] {
      let result = try Support.handout(["render", "nb", "--out", "out"] + args, in: dir)
      XCTAssertEqual(result.status, 2, result.output)
      XCTAssertTrue(result.output.contains("would be published with the handouts"), result.output)
    }
    let viaEnvironment = try Support.handout(
      ["render", "nb", "--out", "site"], in: dir, environment: ["HANDOUT_CACHE": "site/cache"])
    XCTAssertEqual(viaEnvironment.status, 2, viaEnvironment.output)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))
  }

  func testTheStudentNotebookHasNoSolutionAndItsInlinesRunAfterTheBlocksLeft() throws {
    let notebook = try Notebook.parse(source: Self.good, path: "nb/good.md")
    let student = try XCTUnwrap(notebook.studentEdition())
    // Numbered as the notebook without its solution would number them, and mapped back.
    XCTAssertEqual(student.blocks.map(\.index), [0, 1])
    XCTAssertEqual(notebook.publicBlockIndexes, [0, 2])
    XCTAssertFalse(student.tangle().source.contains("PANGOLIN"))
    XCTAssertEqual(notebook.inlines.map(\.afterBlockCount), [3])
    XCTAssertEqual(student.inlines.map(\.afterBlockCount), [2])
    XCTAssertNil(try Notebook.parse(source: "# No exercise\n", path: "x.md").studentEdition())
  }

  func testADivisionLineInsideAQuoteAListOrIndentedIsAnError() {
    for (text, column) in [
      ("> ::: solution", 3), (">> ::: notes", 4), ("- ::: solution", 3), ("1. ::: exercise", 4),
      ("    ::: solution", 5), ("\t::: solution", 2),
    ] {
      let found = errors("# T\n\n\(text)\nx\n")
      XCTAssertTrue(
        found.contains {
          $0.location?.line == 3 && $0.location?.column == column
            && $0.message.contains("cannot stand inside")
        },
        "\(text): \(found)")
    }
    // Text that only looks like one: not an error.
    XCTAssertNoThrow(try Notebook.parse(source: "# T\n\n> ::: foo\n> a ::: solution\n", path: "x.md"))
  }
}
