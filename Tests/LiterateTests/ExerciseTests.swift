import XCTest

@testable import Literate

/// `::: exercise` boxes and `::: solution`s on the page, and the student profile that leaves every
/// solution out of what it writes.
final class ExerciseTests: XCTestCase {
  // MARK: The page

  func testExercisesAreNumberedBoxesListedInTheContentsUnderTheirSection() throws {
    let nb = try Notebook.parse(
      source: """
        ---
        title: Exercises
        ---
        # Neurons

        ## Exercise 1

        A heading that reads like an exercise's box.

        ::: exercise Weights of $w_1$
        Find them.

        ::: solution
        They are *zero*.
        :::
        :::

        # Layers

        ::: exercise 2. Widths
        ::: solution A hint <b>first</b>
        Two.
        :::
        :::

        ::: exercise
        No title.
        :::

        ::: notes
        Say the wombatNotes aloud.
        :::
        """, path: "nb/ex.md")
    let html = try Weave.page(notebook: nb, run: RunResult(), options: WeaveFixture.options())

    XCTAssertTrue(
      html.contains(
        "<section class=\"exercise\" id=\"exercise-1\">\n<p class=\"exercise-head\"><span class=\"exercise-number\">Exercise 1</span>"
          + "<span class=\"exercise-title\">: Weights of <span class=\"math inline\">"),
      html)
    XCTAssertTrue(
      html.contains(
        "<section class=\"exercise\" id=\"exercise-3\">\n<p class=\"exercise-head\"><span class=\"exercise-number\">Exercise 3</span></p>"
      ), html)
    XCTAssertTrue(
      html.contains(
        "<details class=\"solution\"><summary>Solution</summary>\n<p>They are <em>zero</em>.</p>"),
      html)
    XCTAssertTrue(
      html.contains(
        "<details class=\"solution\"><summary>Solution: A hint &lt;b&gt;first&lt;/b&gt;</summary>"),
      html)
    XCTAssertTrue(html.contains("<span class=\"exercise-title\">: 2. Widths</span>"), "not a list: \(html)")
    // The heading "Exercise 1" keeps an id of its own: the box's anchor is reserved.
    XCTAssertEqual(html.components(separatedBy: "id=\"exercise-1\"").count, 2, html)
    XCTAssertFalse(html.contains("wombatNotes"), "speaker notes are not on the page")

    // Contents: each exercise under the section it stands in, after the headings before it.
    let toc = try XCTUnwrap(html.range(of: "<nav class=\"toc\"").map { html[$0.lowerBound...] })
    let contents = String(toc[..<(toc.range(of: "</nav>")?.lowerBound ?? toc.endIndex)])
    let order = [
      "href=\"#neurons\"", "href=\"#exercise-1-", "href=\"#exercise-1\"", "href=\"#layers\"",
      "href=\"#exercise-2\"", "href=\"#exercise-3\"",
    ].map { contents.range(of: $0)?.lowerBound }
    XCTAssertFalse(order.contains(nil), contents)
    XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted(), contents)
    XCTAssertTrue(
      contents.contains(
        "<li><a href=\"#layers\">Layers</a><ol><li class=\"toc-exercise\"><a href=\"#exercise-2\">"), contents
    )
  }

  func testAnInstructorsPrintoutHasEverySolutionOpen() throws {
    guard let chromium = BrowserTests.chromium(),
      FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")
    else { throw XCTSkip("Chromium or pdftotext (poppler-utils) is not installed") }
    guard FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js") else {
      throw XCTSkip("KaTeX (libjs-katex) is not installed")
    }
    let nb = try Notebook.parse(
      source:
        "# Print\n\n::: exercise Open in print\nAsked.\n\n::: solution\nThe answer is pangolinText.\n:::\n:::\n",
      path: "nb/print.md")
    let html = try Weave.page(
      notebook: nb, run: RunResult(), options: WeaveFixture.options(selfContained: true))
    XCTAssertTrue(html.contains("<details class=\"solution\"><summary>"), "collapsed on screen")
    let dir = try Support.temporaryDirectory(self)
    let page = dir.appendingPathComponent("print.html")
    try Data(html.utf8).write(to: page)
    let pdf = dir.appendingPathComponent("print.pdf")
    _ = try BrowserTests.runChromium(
      chromium, ["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)"], url: page)
    let text = try PDFTests.poppler("pdftotext", [pdf.path, "-"])
    XCTAssertTrue(text.contains("Exercise 1: Open in print"), text)
    XCTAssertTrue(text.contains("The answer is pangolinText."), "the solution is printed open: \(text)")
  }

  // MARK: The student profile

  /// A notebook whose one solution has code, a printed and published number, an inline value, a
  /// figure and prose, each with a word found nowhere else.
  static let notebook = """
    ---
    title: Exercise profiles
    ---

    # Warm-up

    ```swift id=setup
    let base = 7000.0
    print(base + 1)
    ```

    ```output
    7001.0
    ```

    ::: exercise Scale the base
    Add something to `base`.

    ```swift id=given
    let hint = base / 1000
    ```

    ::: solution
    The xylophoneProse answer is `swift base * 14 + 0.25`.

    ```swift id=quokkafig
    let quokkaScaled = base + 2100.5
    print(quokkaScaled)
    expect(quokkaScaled, equals: 9100.5)
    let figure = Figure(width: 120, height: 90)
    figure.axes.line(x: [0, 1], y: [0, quokkaScaled])
    show(figure, caption: "The marimba line")
    ```

    ```output
    9100.5
    ```
    :::
    :::

    After the exercise, the hint is `swift hint`.
    """

  /// What the solution leaves in a file that holds it: its code, printed output, inline value,
  /// prose, figure file names and caption.
  static let solutionTraces = [
    "quokkaScaled", "9100.5", "98000.25", "xylophoneProse", "quokkafig", "marimba",
  ]

  /// Every file under `folder` (hidden ones too; symlinks read through), with the traces of the
  /// solution found in its name or its bytes.
  func traces(under folder: URL) throws -> [String: [String]] {
    var found: [String: [String]] = [:]
    let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
    var files = 0
    while let relative = enumerator.nextObject() as? String {
      let url = folder.appendingPathComponent(relative)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
        !isDirectory.boolValue
      else { continue }
      files += 1
      // A PDF's text is compressed: read what a reader of it sees.
      let data = relative.hasSuffix(".pdf") ? Data(try PDFTests.text(url).utf8) : try Data(contentsOf: url)
      let hits = Self.solutionTraces.filter { trace in
        relative.contains(trace) || data.range(of: Data(trace.utf8)) != nil
      }
      if !hits.isEmpty { found[relative] = hits }
    }
    XCTAssertGreaterThan(files, 3, "the render wrote its files into \(folder.path)")
    return found
  }

  func testTheStudentProfileLeavesNoTraceOfASolutionInAnythingWritten() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js") else {
      throw XCTSkip("KaTeX (libjs-katex) is not installed")
    }
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    _ = try Support.write(Self.notebook, "nb/ex.md", in: dir)

    // The instructor's edition (the default): every trace there, inside the collapsed solution.
    let instructor = try Support.handout(["render", "nb", "--out", "teacher", "--slides", "--pdf"], in: dir)
    XCTAssertEqual(instructor.status, 0, instructor.output)
    // The search sees into every format: the instructor's deck and PDF hold the solution.
    let everywhere = try traces(under: dir.appendingPathComponent("teacher"))
    for file in ["ex.slides.html", "ex.pdf"] {
      XCTAssertEqual(everywhere[file]?.contains("quokkaScaled"), true, "\(file): \(everywhere)")
    }
    let page = try String(contentsOf: dir.appendingPathComponent("teacher/ex.html"), encoding: .utf8)
    let solution = try XCTUnwrap(
      page.range(of: "<details class=\"solution\"><summary>Solution</summary>").flatMap { start in
        page.range(of: "</details>\n</section>", range: start.upperBound..<page.endIndex).map {
          String(page[start.upperBound..<$0.lowerBound])
        }
      }, page)
    for trace in Self.solutionTraces {
      XCTAssertTrue(solution.contains(trace), "the instructor's solution shows \(trace)")
    }
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: dir.appendingPathComponent("teacher/ex/quokkafig-1.svg").path))
    // The solution's figure has a slide variant too, which the student's search below must not find.
    XCTAssertTrue(
      FileManager.default.fileExists(
        atPath: dir.appendingPathComponent("teacher/ex/quokkafig-1.slide.svg").path))

    // The student's editions, linked and self-contained, from the same run (the cache, no second run).
    for (folder, flags) in [("student", [String]()), ("mailed", ["--self-contained"])] {
      let student = try Support.handout(
        ["render", "nb", "--out", folder, "--profile", "student", "--slides", "--pdf"] + flags, in: dir)
      XCTAssertEqual(student.status, 0, student.output)
      XCTAssertTrue(
        student.output.contains("cached"), "the student's render reuses the run: \(student.output)")
      let out = dir.appendingPathComponent(folder)
      for file in ["ex.slides.html", "ex.pdf"] {
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
      }
      XCTAssertEqual(try traces(under: out), [:], "\(folder): the solution is absent, not hidden")
      let page = try String(contentsOf: out.appendingPathComponent("ex.html"), encoding: .utf8)
      XCTAssertTrue(page.contains("id=\"exercise-1\""), "the exercise itself stays")
      XCTAssertTrue(page.contains("Add something to"), "the exercise's text stays")
      XCTAssertTrue(page.contains("id=\"cell-given\""), "the exercise's given code stays")
      XCTAssertTrue(page.contains("the hint is <span class=\"inline-value\">7</span>"), page)
      XCTAssertTrue(page.contains("7001.0"), "output outside the solution stays")
      XCTAssertFalse(page.contains("class=\"solution\""), page)
      XCTAssertFalse(page.contains("did not build cleanly"), "nothing failed, so nothing is reported")
    }
  }

  func testCheckFailsOnAWrongSolutionAndTheStudentPageSaysOnlyThatItFailed() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js") else {
      throw XCTSkip("KaTeX (libjs-katex) is not installed")
    }
    let dir = try Support.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    let wrong = Self.notebook.replacingOccurrences(
      of: "```output\n9100.5\n```", with: "```output\n9100.75\n```")
    XCTAssertNotEqual(wrong, Self.notebook)
    _ = try Support.write(wrong, "nb/ex.md", in: dir)
    let published =
      try XCTUnwrap(wrong.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(of: "9100.75"))
      + 1

    let check = try Support.handout(["check", "nb"], in: dir)
    XCTAssertEqual(check.status, 1, check.output)
    XCTAssertTrue(
      check.output.contains("nb/ex.md:\(published):"),
      "the failure names the solution's line: \(check.output)")

    let render = try Support.handout(["render", "nb", "--out", "student", "--profile", "student"], in: dir)
    XCTAssertEqual(render.status, 1, render.output)
    let out = dir.appendingPathComponent("student")
    XCTAssertEqual(try traces(under: out), [:])
    for file in ["ex.html", "index.html", ".handout-manifest.json"] {
      let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
      XCTAssertNil(text.range(of: "9100.75"), "\(file) holds the solution's published output")
    }
    let page = try String(contentsOf: out.appendingPathComponent("ex.html"), encoding: .utf8)
    XCTAssertTrue(page.contains("the solution to exercise 1 failed"), page)
    XCTAssertTrue(page.contains("<p class=\"status bad\">"), page)
  }

  func testTheStudentFilterDropsWhatIsLocatedInASolutionAndKeepsTheRest() throws {
    let source = """
      ```swift
      let a = 1
      ```

      ::: exercise
      Value: `swift a`.

      ::: solution
      Answer: `swift a + 1`.

      ```swift
      func secret() { expect(1, equals: 2) }
      print("secret")
      ```
      :::
      :::

      ```swift
      secret()
      ```
      """
    let nb = try Notebook.parse(source: source, path: "nb/f.md")
    XCTAssertEqual(nb.blocks.map(\.index), [0, 1, 2])
    let inSolution = SourceLocation(file: "nb/f.md", line: 12)
    let outside = SourceLocation(file: "nb/f.md", line: 2)
    var run = RunResult(
      blocks: [
        0: BlockResult(
          blockIndex: 0,
          checks: [
            CheckResult(kind: .expectation, location: outside, passed: true, expected: "1", actual: "1")
          ]),
        1: BlockResult(blockIndex: 1, text: "secret\n"),
        2: BlockResult(
          blockIndex: 2,
          checks: [
            CheckResult(kind: .expectation, location: inSolution, passed: false, expected: "2", actual: "1")
          ]),
      ],
      inlineValues: [0: "1", 1: "2"],
      diagnostics: [
        Diagnostic(.warning, "unused secret", at: inSolution),
        {
          var d = Diagnostic(.warning, "kept", at: outside)
          d.notes = [Diagnostic(.note, "declared in the secret", at: inSolution)]
          return d
        }(),
      ])
    run.parameters = ["seed": "1"]

    let (same, sameRun) = Profile.instructor.apply(nb, run)
    XCTAssertEqual(same, nb)
    XCTAssertEqual(sameRun, run)

    let (student, studentRun) = Profile.student.apply(nb, run)
    XCTAssertEqual(student.blocks.map(\.index), [0, 2])
    XCTAssertFalse(
      student.nodes.contains { node in
        if case .open(let d) = node { d.kind == .solution } else { false }
      })
    XCTAssertEqual(student.inlines.map(\.index), [0])
    XCTAssertEqual(studentRun.inlineValues, [0: "1"])
    XCTAssertEqual(studentRun.blocks.keys.sorted(), [0, 2])
    XCTAssertEqual(studentRun.blocks[0]?.checks.count, 1)
    XCTAssertEqual(studentRun.blocks[2]?.checks, [], "a check located in the solution goes")
    XCTAssertEqual(studentRun.parameters, run.parameters)
    XCTAssertTrue(studentRun.failed, "a failure removed from a solution still fails the notebook")
    XCTAssertEqual(
      studentRun.diagnostics.map(\.description),
      [
        "nb/f.md:2:1: warning: kept",
        "nb/f.md:8:1: error: the solution to exercise 1 failed (a check, or its code stopped); "
          + "the instructor edition shows what",
      ])
  }
}
