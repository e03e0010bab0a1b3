import XCTest

@testable import Literate

/// The student edition holds no trace of a solution in any file: not its text, and not its shape
/// (how many blocks it has, how many lines it takes) nor the instructor's speaker notes. Its names
/// and ids are those of the notebook with the solutions removed, rendered on its own.
final class StudentTracesTests: XCTestCase {
  static let solutions = [
    """
    ::: solution
    ```swift
    let pangolinA = 424200
    let pangolinB = 42
    print("PANGOLIN \\(pangolinA + pangolinB)")
    show(Figure(width: 100, height: 80), caption: "PANGOLIN figure")
    ```
    PANGOLIN prose.
    :::

    """,
    """
    ::: solution
    ```swift
    print("PANGOLIN two")
    ```

    ```r
    print("PANGOLIN in R")
    ```
    :::

    """,
  ]

  /// The notebook, with its two solutions or without them.
  static func notebook(withSolutions: Bool) -> String {
    let (one, two) = withSolutions ? (solutions[0], solutions[1]) : ("", "")
    return """
      # Traces

      ```swift
      var shared = 1
      show(Figure(width: 100, height: 80), caption: "Public first", label: "fig-public")
      ```

      ::: notes
      SPEAKERNOTE the answer is 424242.
      :::

      ::: exercise One
      Do it.

      \(one):::

      ## Second

      ```swift
      show(Figure(width: 120, height: 90), alt: "a plot like @fig-public")
      ```

      ::: exercise Two
      Again.

      \(two):::

      ## Third

      ```swift
      show(Figure(width: 90, height: 90))
      print("end \\(shared)")
      ```

      """
  }

  func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  /// The `cell-…` and `fig-…` ids of a page or deck, in order.
  func ids(_ html: String) -> [String] {
    html.matches(of: #/ id="((?:cell|fig)-[^"]*)"/#).map { String($0.1) }
  }

  func testTheStudentEditionIsTheNotebookWithoutItsSolutions() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
      if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("pdftotext is not installed") }
      throw XCTSkip("pdftotext is not installed")
    }
    let dir = try Support.temporaryDirectory(self)
    try write(Self.notebook(withSolutions: true), to: dir.appendingPathComponent("nb/traces.md"))
    try write(Self.notebook(withSolutions: false), to: dir.appendingPathComponent("bare/traces.md"))
    let student = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student", "--slides", "--pdf"], in: dir)
    XCTAssertEqual(student.status, 0, student.output)
    let bare = try Support.handout(["render", "bare", "--out", "bare-out", "--slides"], in: dir)
    XCTAssertEqual(bare.status, 0, bare.output)
    let instructor = try Support.handout(["render", "nb", "--out", "instructor", "--slides"], in: dir)
    XCTAssertEqual(instructor.status, 0, instructor.output)

    let files = try Support.contents(under: dir.appendingPathComponent("student"))
    let bareFiles = try Support.contents(under: dir.appendingPathComponent("bare-out"))
    let page = try XCTUnwrap(files["traces/.page.html"], "\(files.keys.sorted())")
    let deck = try XCTUnwrap(files["traces/.slides.html"])
    let instructorFiles = try Support.contents(under: dir.appendingPathComponent("instructor"))
    let instructorDeck = try XCTUnwrap(instructorFiles["traces/.slides.html"])

    // 1. Figure files and ids: those of the notebook without its solutions.
    func figureFiles(_ files: [String: String]) -> [String] {
      files.keys.filter { $0.hasPrefix("traces/") && !$0.hasPrefix("traces/.") }.sorted()
    }
    XCTAssertEqual(figureFiles(files), figureFiles(bareFiles))
    XCTAssertTrue(figureFiles(files).contains("traces/block2-1.svg"), "\(figureFiles(files))")
    XCTAssertEqual(ids(page), ids(try XCTUnwrap(bareFiles["traces/.page.html"])))
    XCTAssertEqual(ids(deck), ids(try XCTUnwrap(bareFiles["traces/.slides.html"])))
    XCTAssertTrue(ids(page).contains("cell-2"), "\(ids(page))")
    // The instructor's own names are unchanged: block indexes count every block.
    XCTAssertNotNil(instructorFiles["traces/block5-1.svg"], "\(instructorFiles.keys.sorted())")

    // 2. No source line numbers in the student deck (the instructor's has them).
    XCTAssertFalse(deck.contains("data-line"), deck)
    XCTAssertTrue(instructorDeck.contains("data-line=\""), instructorDeck)

    // 3. No speaker notes in anything the student gets (the instructor's deck has them).
    XCTAssertTrue(instructorDeck.contains("SPEAKERNOTE"))
    XCTAssertFalse(deck.contains("class=\"notes\""), deck)

    // 4. A reference in an alt text given in code reads as the figure it names, in both editions.
    XCTAssertTrue(page.contains("alt=\"a plot like Figure 1\""), page)
    XCTAssertTrue(
      try XCTUnwrap(instructorFiles["traces/.page.html"]).contains("alt=\"a plot like Figure 1\""))

    // Nothing of the solutions, their number, their blocks or their lines, in any file.
    for (path, text) in files {
      for mark in ["PANGOLIN", "424242", "SPEAKERNOTE", "data-line", "block3", "block4", "block5"] {
        XCTAssertFalse(text.contains(mark), "\(mark) in \(path)")
        XCTAssertFalse(path.contains(mark), "\(mark) in the name \(path)")
      }
      for mark in ["cell-3", "cell-4", "cell-5"] { XCTAssertFalse(text.contains(mark), "\(mark) in \(path)") }
    }
  }

  func testTheReferencesOfAPlainTextFollowTheProseRule() {
    let text = "see @fig-a, me@fig-b.org, @fig-c_ and @eq-x. @fig-a@fig-d @nope"
    XCTAssertEqual(
      ReferencePlaces.references(inPlainText: text).map(\.label), ["fig-a", "fig-c", "eq-x", "fig-a"])
    XCTAssertEqual(
      ReferencePlaces.resolvingReferences(in: "see @fig-a and @fig-z.") { $0 == "fig-a" ? "Figure 1" : nil },
      "see Figure 1 and @fig-z.")
  }

  /// `show(…, alt: "… @fig-x")`: an unknown label in an alt text is an error at the call, as in a
  /// caption; the alt text is plain text, the reference its figure's number.
  func testAnUnknownReferenceInAnAltTextIsAnErrorAtTheCall() throws {
    let dir = try Support.temporaryDirectory(self)
    try write(
      """
      # Alt

      ```swift id=fig-one
      show(Figure(width: 100, height: 80))
      ```

      ```swift
      let f = Figure(width: 100, height: 80)
      show(f, alt: "like @fig-on, or mail me@fig-one.org")
      ```

      """, to: dir.appendingPathComponent("nb/alt.md"))
    let result = try Support.handout(["render", "nb", "--out", "out"], in: dir)
    XCTAssertEqual(result.status, 1, result.output)
    XCTAssertTrue(
      result.output.contains("nb/alt.md:9:20: error: unknown reference @fig-on; did you mean @fig-one?"),
      result.output)
    // An e-mail address is not a reference: one error only.
    XCTAssertEqual(result.output.components(separatedBy: "error: unknown reference").count, 2, result.output)
  }

  /// A failing student page (`--publish-failures`) names the lines of the student's notebook (the
  /// notebook without its solutions), never the instructor's: those would tell where the solutions
  /// are and how many lines they take. Searched in every file of the render.
  func testAFailingStudentPageNamesTheStudentsOwnLines() throws {
    let padding = (1...60).map { "Padding line \($0) of the solution." }.joined(separator: "\n")
    let top = """
      # Lines

      ```swift
      var x = 1
      ```

      ::: exercise One
      Do it.

      """
    let solution = """
      ::: solution
      \(padding)

      ```swift
      let answer = 42
      ```
      :::

      """
    let bottom = """
      :::

      ## After

      ```swift
      expect(x + 1, equals: 3, "x plus one")
      ```

      ```swift
      print(x)
      ```

      ```output
      2
      ```

      ```swift
      let empty: [Int] = []
      print(empty[x])
      ```

      """
    let instructorText = top + solution + bottom
    let studentText = top + bottom
    func lineNumber(of text: String, in notebook: String) throws -> Int {
      let lines = notebook.components(separatedBy: "\n")
      return try XCTUnwrap(lines.firstIndex { $0.contains(text) }, text) + 1
    }
    let dir = try Support.temporaryDirectory(self)
    try write(instructorText, to: dir.appendingPathComponent("nb/lines.md"))
    let result = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student", "--publish-failures", "--slides"], in: dir)
    XCTAssertEqual(result.status, 1, result.output)
    let files = try Support.contents(under: dir.appendingPathComponent("student"))
    let page = try XCTUnwrap(files["lines/.page.html"], "\(files.keys.sorted())")
    // The failures are on the page, at the student's lines.
    for mark in ["x plus one", "print(empty[x])", "Index out of range"] {
      XCTAssertTrue(page.contains(mark), "\(mark) not on the page")
    }
    var instructorLines: [Int] = []
    for mark in ["expect(x + 1", "```output", "print(empty[x])", "let empty"] {
      let (i, s) = (try lineNumber(of: mark, in: instructorText), try lineNumber(of: mark, in: studentText))
      XCTAssertNotEqual(i, s)
      instructorLines.append(i)
    }
    let expectLine = try lineNumber(of: "expect(x + 1", in: studentText)
    XCTAssertTrue(page.contains("lines.md:\(expectLine):"), page)
    let trapLine = try lineNumber(of: "print(empty[x])", in: studentText)
    XCTAssertTrue(page.contains("lines.md:\(trapLine):") || page.contains("line \(trapLine)"), page)
    for (path, text) in files {
      for line in instructorLines {
        for mark in [":\(line):", "line \(line)", "data-line=\"\(line)\"", "L\(line)"] {
          XCTAssertFalse(text.contains(mark), "the instructor's \(mark) in \(path)")
        }
      }
    }
  }
}
