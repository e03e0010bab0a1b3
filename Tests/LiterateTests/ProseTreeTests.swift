import Foundation
import XCTest

@testable import Literate

/// Prose is parsed once, into a tree, and one lexer decides what is math: every position math can
/// stand in is typeset on the page and in the deck, and no `$` that is not math becomes math.
final class ProseTreeTests: XCTestCase {
  /// A notebook with math in every position prose has; each span's TeX is unique (`a_k`).
  static let everywhere = #"""
    ---
    title: Math everywhere
    abstract: The abstract has $a_1$ in it.
    ---

    `decisionBoundary` draws $a_2$ on the plane.

    # Heading with $a_3$

    - item with $a_4$
    - `code` then $a_5$

    | column | $a_6$ |
    | --- | --- |
    | cell $a_7$ | `x` then $a_8$ |

    Table: caption with $a_9$ {#tbl-m}

    > [!NOTE]
    > A callout with $a_10$.

    $$a_{11}$$ {#eq-m}

    See @tbl-m and @eq-m.

    Prices $5 and $10.

    A shell's `$HOME` and $HOME.

    Spaces $ x$ and $y $, a digit $5$10.

    An escaped \$z\$, and code `$a_99$`.

    ```text
    fenced $a_98$ stays code
    ```

    ::: exercise Exercise title with $a_12$
    Do it with $a_13$.
    :::

    ```swift
    let x = 1
    ```
    """#

  func testMathInEveryPositionIsTypesetOnThePageAndInTheDeck() throws {
    let notebook = try Notebook.parse(source: Self.everywhere, path: "nb/math.md")
    var run = RunResult()
    run.blocks[1] = BlockResult(blockIndex: 1)
    run.blocks[1]?.figures = [
      FigureOutput(
        name: "f", files: [:], caption: "A figure caption with $a_14$", alt: "f", width: 10, height: 10)
    ]
    run = CrossReferences.apply(notebook, to: run)
    XCTAssertEqual(run.diagnostics, [])
    let options = WeaveFixture.options()
    let page = try Weave.page(notebook: notebook, run: run, options: options)
    let deck = try Weave.slides(notebook: notebook, run: run, options: options)
    for k in 1...14 {
      let tex = k >= 10 ? "a_{\(k)}" : "a_\(k)"
      let written = k == 11 ? "a_{11}" : k >= 10 ? "a_\(k)" : tex
      let inline = "<span class=\"math inline\">\\(\(written)\\)</span>"
      let display = "<span class=\"math display\">\\[\(written)\\]</span>"
      XCTAssertTrue(page.contains(inline) || page.contains(display), "page: $\(written)$ not typeset")
      XCTAssertFalse(page.contains("$\(written)$"), "page: $\(written)$ left raw")
      if k != 1 {  // the deck's title slide shows no abstract
        XCTAssertTrue(deck.contains(inline) || deck.contains(display), "deck: $\(written)$ not typeset")
        XCTAssertFalse(deck.contains("$\(written)$"), "deck: $\(written)$ left raw")
      }
      _ = tex
    }
    // Numbered: the caption and the equation.
    XCTAssertTrue(page.contains("<span class=\"tbl-number\">Table 1</span>: caption with"), page)
    XCTAssertTrue(page.contains("<span class=\"eq-number\">(1)</span>"), page)
    // Not math: prices, shell variables, spaces inside the dollars, a digit after, escapes, code.
    for text in [
      "Prices $5 and $10.", "<code>$HOME</code> and $HOME.", "$ x$ and $y $", "$5$10", "escaped $z$",
      "<code>$a_99$</code>", "fenced $a_98$ stays code",
    ] {
      XCTAssertTrue(page.contains(text), "page: \(text) is not text")
      XCTAssertTrue(deck.contains(text), "deck: \(text) is not text")
    }
  }

  /// The lexer's rules, on the tree: Pandoc's `tex_math_dollars`.
  func testOneLexerDecidesWhatIsMath() {
    func math(_ markdown: String) -> [MathSpan] {
      guard case .prose(let prose) = Node.prose(markdown: markdown, line: 1) else { return [] }
      return prose.allInlines.compactMap { if case .math(let span) = $0 { span } else { nil } }
    }
    XCTAssertEqual(math("`f` draws $P(c)$"), [MathSpan(tex: "P(c)", display: false)])
    XCTAssertEqual(math("costs $5 and $10"), [])
    XCTAssertEqual(math("$ x$ and $x $ and $5$10 and \\$y\\$"), [])
    XCTAssertEqual(math("`$x$` and\n\n```\n$y$\n```\n"), [])
    XCTAssertEqual(math("$$\nx\n$$"), [MathSpan(tex: "\nx\n", display: true)])
    XCTAssertEqual(math("a $x$\n\nb$"), [MathSpan(tex: "x", display: false)])
    XCTAssertEqual(math("no $x\n\ny$"), [])
  }

  /// A notebook is parsed once and its prose goes through cmark once, whatever the formats: a
  /// student edition with its page, deck and PDF, through the code `handout render` runs.
  func testProseIsParsedAndConvertedOncePerRender() throws {
    let chromium = try XCTUnwrap(BrowserTests.chromium(), "chromium is not installed")
    let dir = try Support.temporaryDirectory(self)
    let source = """
      ---
      title: Counted
      ---

      Some $x$ prose with `swift 1 + 1`.

      ::: exercise
      Try it.

      ::: solution
      The answer.

      ```swift
      let answer = 42
      ```
      :::
      :::

      ## After

      More prose.

      ```swift
      let y = 2
      ```
      """
    let path = try Support.write(source, "counted.md", in: dir)
    var options = try Support.options()
    options.studentEdition = true
    let parses = Notebook.parses.load(ordering: .relaxed)
    let conversions = CommonMark.conversions.load(ordering: .relaxed)
    let outcome = Pipeline.process(path: path, options: options)
    XCTAssertNil(outcome.error)
    let out = dir.appendingPathComponent("out", isDirectory: true)
    let problems = try Pipeline.publish(
      [outcome], to: out, weave: WeaveOptions(),
      options: PublishOptions(
        publishFailures: false, completeFolders: [], slides: true,
        pdf: .print(PDFPrinter(chromium: chromium)), profile: .student)
    ).problems
    XCTAssertEqual(problems.filter { $0.severity == .error }, [])
    for file in ["counted.html", "counted.slides.html", "counted.pdf"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
    }
    let proseNodes = outcome.notebook?.nodes.count { if case .prose = $0 { true } else { false } } ?? 0
    XCTAssertEqual(proseNodes, 4)
    XCTAssertEqual(Notebook.parses.load(ordering: .relaxed) - parses, 1, "parsed once")
    XCTAssertEqual(
      CommonMark.conversions.load(ordering: .relaxed) - conversions, proseNodes,
      "each prose node through cmark once, for page, deck, PDF and both editions")
  }

  /// The notebook of `testCaptionsTitlesAndTheAbstractAreConvertedOnce`: Markdown in every place
  /// outside the prose runs, math `$a_1$` … `$a_6$` in each.
  static let countedPieces = #"""
    ---
    title: Counted pieces
    abstract: The abstract with $a_1$.
    ---

    Prose with `swift 1 + 1`, @fig-curve and @tbl-t.

    | a | b |
    | --- | --- |
    | 1 | 2 |

    Table: A table caption with $a_2$ {#tbl-t}

    > [!TIP]
    > A callout with $a_3$.

    ```swift
    show(Figure(width: 100, height: 80), caption: "A figure caption with $a_4$", label: "fig-curve")
    ```

    ::: exercise The *titled* exercise with $a_5$
    Try it.

    ::: solution The solution's title with $a_6$
    The answer.

    ```swift
    let answer = 42
    ```
    :::
    :::

    ::: notes Notes with a title
    Say it.
    :::
    """#

  /// Markdown outside the prose runs is parsed once too: the abstract, division titles (an
  /// exercise's, a solution's, speaker notes'), a figure caption the run wrote; and a table caption
  /// and a callout are prose. `handout render --slides --pdf` with the student edition, then the
  /// instructor's edition of the same outcome: one cmark conversion per piece, none when woven.
  func testCaptionsTitlesAndTheAbstractAreConvertedOnce() throws {
    let chromium = try XCTUnwrap(BrowserTests.chromium(), "chromium is not installed")
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.countedPieces, "pieces.md", in: dir)
    let options = try Support.options()
    var request = RenderRequest(paths: [path]) {
      var options = options
      options.studentEdition = true
      return options
    }
    let student = dir.appendingPathComponent("student", isDirectory: true)
    request.publication = Publication(
      out: student, weave: WeaveOptions(),
      options: PublishOptions(slides: true, pdf: .print(PDFPrinter(chromium: chromium)), profile: .student))
    let conversions = CommonMark.conversions.load(ordering: .relaxed)
    let parses = Notebook.parses.load(ordering: .relaxed)
    let report = try Pipeline.render(request)
    XCTAssertEqual(report.problems.filter { $0.severity == .error }, [])
    let outcome = try XCTUnwrap(report.outcomes.only)
    XCTAssertNil(outcome.error)
    XCTAssertEqual(outcome.run?.failed, false, "\(outcome.run?.diagnostics ?? [])")
    // 4 prose runs, 1 abstract, 3 division titles, 1 figure caption (the student run shows it too).
    XCTAssertEqual(Notebook.parses.load(ordering: .relaxed) - parses, 1, "parsed once")
    XCTAssertEqual(CommonMark.conversions.load(ordering: .relaxed) - conversions, 9, "each piece once")
    // The instructor's edition of the same outcome: page, deck and PDF woven, nothing converted.
    let instructor = dir.appendingPathComponent("instructor", isDirectory: true)
    let before = CommonMark.conversions.load(ordering: .relaxed)
    let problems = try Pipeline.publish(
      [outcome], to: instructor, weave: WeaveOptions(),
      options: PublishOptions(slides: true, pdf: .print(PDFPrinter(chromium: chromium)))
    ).problems
    XCTAssertEqual(problems.filter { $0.severity == .error }, [])
    XCTAssertEqual(CommonMark.conversions.load(ordering: .relaxed) - before, 0, "woven without cmark")
    // Every piece is on the pages, typeset: the walkers read the trees.
    func read(_ folder: URL, _ file: String) throws -> String {
      try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }
    let math = { (k: Int) in "<span class=\"math inline\">\\(a_\(k)\\)</span>" }
    let page = try read(instructor, "pieces.html")
    for k in 1...6 { XCTAssertTrue(page.contains(math(k)), "instructor page: $a_\(k)$") }
    XCTAssertTrue(page.contains("<em>titled</em> exercise with"), page)
    let studentPage = try read(student, "pieces.html")
    for k in 1...5 { XCTAssertTrue(studentPage.contains(math(k)), "student page: $a_\(k)$") }
    XCTAssertFalse(studentPage.contains("solution's title"), "the solution is not the student's")
    let deck = try read(student, "pieces.slides.html")
    for k in [2, 3, 4, 5] { XCTAssertTrue(deck.contains(math(k)), "student deck: $a_\(k)$") }
    for folder in [student, instructor] {
      let pdf = folder.appendingPathComponent("pieces.pdf")
      XCTAssertTrue(FileManager.default.fileExists(atPath: pdf.path), pdf.path)
    }
  }
}
