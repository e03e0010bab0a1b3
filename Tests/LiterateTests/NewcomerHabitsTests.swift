import XCTest

@testable import Literate

/// What someone coming from Jupyter, Quarto or R Markdown writes first: each habit either gives
/// the handout they meant or an error at its line and column that says what to write instead,
/// never a block silently left unrun or a compiler message about something else.
final class NewcomerHabitsTests: XCTestCase {
  func parse(_ text: String) throws -> Notebook { try Notebook.parse(source: text, path: "nb/x.md") }

  /// ```` ```{swift} ```` is Quarto's executable chunk: shown and never run it would publish a
  /// notebook whose code nobody checked, so it is an error naming the spelling Handout runs.
  func testQuartosSwiftChunkIsAnErrorNotAShownBlock() {
    let e = errors("# T\n\n```{swift}\nprint(1)\n```\n\n```{swift echo=false}\nprint(2)\n```\n")
    XCTAssertEqual(e.map(\.location), [3, 7].map { SourceLocation(file: "nb/x.md", line: $0, column: 4) })
    XCTAssertEqual(
      e.first?.message,
      "```{swift} is Quarto's spelling of a code chunk; Handout runs ```swift blocks, attributes as "
        + "words after it (```swift echo=false)")
  }

  /// ```` ```{r} ```` and ```` ```{.python} ```` are shown as `r` and `python` blocks; R
  /// Markdown's chunk options in the braces are one error, at the first, naming the block's language.
  func testBracedLanguagesAreShownUnderTheirOwnName() throws {
    let nb = try parse("```{r}\nmean(x)\n```\n\n```{.python}\nprint(1)\n```\n\n```{ r }\nx\n```\n")
    XCTAssertEqual(nb.blocks.map(\.language), ["r", "python", "r"])
    XCTAssertFalse(nb.blocks.contains(where: \.isExecuted))
    let e = errors("```{r, echo=FALSE}\nx <- 1\n```\n\n```{r setup, include=FALSE}\ny\n```\n")
    XCTAssertEqual(e.map(\.location?.line), [1, 5])
    XCTAssertEqual(e.map(\.location?.column), [8, 7])
    XCTAssertEqual(
      e.first?.message,
      "R Markdown's chunk options ({r, echo=FALSE}) are not read: Handout shows a ```r block as "
        + "written and never runs it (its one attribute is id=name)")
  }

  /// A misspelt ```` ```output ```` fence was shown as a block of language "ouput", its published
  /// output never checked (a false green); a misspelt ```` ```swift ```` never ran. Both are errors
  /// naming the fence meant. Other languages stay shown blocks.
  func testAMisspeltSwiftOrOutputFenceIsAnError() throws {
    let e = errors(
      "```swift\nprint(1)\n```\n\n```ouput\n2\n```\n\n```swfit\nprint(3)\n```\n\n~~~ Swiftt\nx\n~~~\n")
    XCTAssertEqual(e.map(\.location?.line), [5, 9, 13])
    XCTAssertEqual(e.map(\.location?.column), [4, 4, 5])
    XCTAssertEqual(
      e.first?.message,
      "```ouput is no language Handout knows: did you mean ```output? (a block of another language is shown "
        + "as written, never run or checked)")
    XCTAssertEqual(
      e.last?.message.hasPrefix("```swiftt is no language Handout knows: did you mean ```swift?"), true)
    let shown = try parse("```shell\nls\n```\n\n```rust\nx\n```\n\n```outputs-table\nx\n```\n")
    XCTAssertEqual(shown.blocks.map(\.language), ["shell", "rust", "outputs-table"])
  }

  /// A ```` ```swift ```` fence indented by a tab or four spaces, in a list item or in a
  /// blockquote is Markdown's text, not a block: its code ran as an inline expression (a tab) or
  /// failed to compile at a `>`. Each is an error at the fence saying to put it at a line's start.
  func testAnIndentedOrQuotedSwiftFenceIsAnErrorAtTheFence() {
    let e = errors(
      "# T\n\n\t```swift\n\tprint(1)\n\t```\n\n1. A step:\n\n    ```swift\n    print(2)\n    ```\n\n"
        + "> ```swift\n> print(3)\n> ```\n\n- ```output\n  3\n- done\n")
    // The swift fences are `ContainerFenceTests`' (one error each); the output fence is this one's.
    XCTAssertEqual(e.compactMap(\.location?.line).sorted(), [3, 9, 13, 17])
    let output = e.first { $0.message.contains("```output") }
    XCTAssertEqual(output?.location, SourceLocation(file: "nb/x.md", line: 17, column: 3))
    XCTAssertEqual(
      output?.message,
      "this ```output fence is inside a list item or blockquote, or indented: Markdown shows it as text, so "
        + "it would never be checked; put the fence at the start of a line")
    // Shown languages may stand there, as in any Markdown.
    XCTAssertNoThrow(try parse("1. A step:\n\n    ```r\n    x\n    ```\n\n> ```text\n> y\n> ```\n"))
  }

  /// Quarto's cell options (`#| echo: false`) would reach swiftc as "expected a macro identifier";
  /// they are an error at the option that says where Handout's attribute goes.
  func testQuartoCellOptionsNameTheFenceAttribute() {
    let e = errors(
      "```swift\n#| echo: false\n#| label: fig-x\nprint(1)\n```\n\n```swift\n  #|output: false\n```\n")
    XCTAssertEqual(e.map(\.location?.line), [2, 3, 8])
    XCTAssertEqual(e.map(\.location?.column), [1, 1, 3])
    XCTAssertEqual(
      e.map(\.message),
      [
        "'#| echo: false' is a Quarto cell option, which Handout does not read: write it on the fence, "
          + "```swift echo=false",
        "'#| label: fig-x' is a Quarto cell option, which Handout does not read: write it on the fence, "
          + "```swift id=fig-x",
        "'#|output: false' is a Quarto cell option, which Handout does not read: write it on the fence, "
          + "```swift output=false",
      ])
    // Not at the start of a line, or in a block that is not run: nothing to say.
    XCTAssertNoThrow(
      try parse("```swift\nlet s = \"#| echo: false\"\n```\n\n```python\n#| echo: false\n```\n"))
  }

  /// Quarto's callouts (`::: {.callout-note}`) are GitHub's alerts here; the error names the
  /// kind as written and the blockquote to write.
  func testQuartoCalloutsNameTheAlertToWrite() {
    let e = errors(
      "::: {.callout-note}\nA.\n:::\n\n::: {.callout-tip title=\"Tip\"}\nB.\n:::\n\n::: callout-warning\nC.\n:::\n"
    )
    XCTAssertEqual(e.map(\.location?.line), [1, 5, 9])
    XCTAssertEqual(e.map(\.location?.column), [7, 5, 5])
    XCTAssertEqual(
      e.map(\.message),
      [
        "Quarto's callout-note is written as GitHub's alert here: a blockquote whose first line is > [!NOTE]",
        "Quarto's callout-tip is written as GitHub's alert here: a blockquote whose first line is > [!TIP]",
        "Quarto's callout-warning is written as GitHub's alert here: a blockquote whose first line is > [!WARNING]",
      ])
    let other = errors("::: {.column width=\"40%\"}\nA.\n:::\n")
    XCTAssertEqual(
      other.first?.message, "unknown division 'column' (known: exercise, solution, notes, slides, handout)")
  }

  /// Quarto's `author:` list (names, or entries with a `name:`) is the byline's authors, joined.
  func testQuartoAuthorListsAreTheByline() throws {
    let nb = try parse("---\nauthor:\n  - name: Jane Doe\n    affiliation: Uni\n  - John Roe\n---\nText.\n")
    XCTAssertEqual(nb.frontMatter.author, "Jane Doe and John Roe")
    let three = try parse("---\nauthor: [A, B, C]\n---\nText.\n")
    XCTAssertEqual(three.frontMatter.author, "A, B and C")
    let one = try parse("---\nauthor:\n  name: Jane Doe\n  email: jane@example.org\n---\nText.\n")
    XCTAssertEqual(one.frontMatter.author, "Jane Doe")
    let bad = errors("---\nauthor:\n  - affiliation: Uni\n---\nText.\n")
    XCTAssertEqual(bad.first?.location, SourceLocation(file: "nb/x.md", line: 3, column: 5))
    XCTAssertEqual(
      bad.first?.message, "author: expected a name, a list of names, or entries with a name: key")
  }

  /// Quarto's `execute: echo: false` (and `output:`, `eval:`) is every swift block's default; a
  /// block's own attribute wins; another `execute:` option is a warning naming it.
  func testQuartoExecuteOptionsAreTheBlocksDefaults() throws {
    let nb = try parse(
      "---\nexecute:\n  echo: false\n  output: false\n  freeze: auto\n---\n```swift\nprint(1)\n```\n\n"
        + "```swift echo=true\nprint(2)\n```\n\n```r\nx\n```\n")
    XCTAssertEqual(nb.blocks.map(\.echo), [false, true, true])
    XCTAssertEqual(nb.blocks.map(\.showOutput), [false, false, true])
    XCTAssertEqual(nb.warnings.map(\.location?.line), [5])
    XCTAssertEqual(
      nb.warnings.first?.message,
      "execute: freeze is not read (Handout reads echo, eval and output there)")
    let bad = errors("---\nexecute:\n  echo: sometimes\n---\nText.\n")
    XCTAssertEqual(bad.first?.location, SourceLocation(file: "nb/x.md", line: 3, column: 9))
    XCTAssertEqual(bad.first?.message, "execute: echo: expected true or false")
  }

  /// A notebook titled by its first `#` heading (as a Jupyter or R Markdown user writes one) is
  /// listed under that title in the course index and in its neighbours' links, as its page is
  /// titled; not under its file name. A heading only the slides show, or a solution's, is not it.
  func testTheFirstHeadingTitlesTheIndexEntryAndTheNeighboursLinks() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write("# Python *habits*\n\nProse.\n", to: dir.appendingPathComponent("nb/01-first.md"))
    _ = try Support.write(
      "::: slides\n# Deck only\n:::\n\n# Seen `here`\n\nMore.\n", "nb/02-second.md", in: dir)
    try Support.write(
      "---\ntitle: From the front\n---\n# Heading\n", to: dir.appendingPathComponent("nb/03-third.md"))
    try Support.write("Only prose, no heading.\n", to: dir.appendingPathComponent("nb/04-fourth.md"))
    let result = try Support.handout(["render", "nb", "-o", "out"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let out = dir.appendingPathComponent("out")
    let index = try Support.text(out.appendingPathComponent("index.html"))
    for (name, title) in [
      ("01-first", "Python habits"), ("02-second", "Seen here"), ("03-third", "From the front"),
      ("04-fourth", "04-fourth"),
    ] {
      XCTAssertTrue(
        index.contains("<a class=\"handout-title\" href=\"\(name).html\">\(title)</a>"),
        "\(title) in\n\(index)")
    }
    let second = try Support.text(out.appendingPathComponent("02-second.html"))
    XCTAssertTrue(second.contains("<span class=\"pager-title\">Python habits</span>"), second)
    XCTAssertTrue(second.contains("<span class=\"pager-title\">From the front</span>"), second)
    XCTAssertTrue(second.contains("<title>Seen here</title>"), "the page's own title agrees")
  }
}

/// A block that prints more than a block keeps (a training loop printing every epoch, a 10 MB
/// string) is cut, with a note on the page; the terminal says so too, at the block, as a warning.
final class OverlongOutputTests: XCTestCase {
  func testACutOutputIsAWarningAtItsBlock() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # Loud

      ```swift
      print("short")
      ```

      ```swift
      print(String(repeating: "x", count: 3_000_000))
      ```
      """
    let path = try Support.write(source, "loud.md", in: dir)
    let (_, run) = try Support.run(
      source, path: path, options: try Support.options(cache: dir.appendingPathComponent("cache")))
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertTrue(
      run.blocks[1]?.text.hasSuffix("bytes of output were dropped; a block keeps at most 1048576 bytes]\n")
        == true)
    let warnings = run.diagnostics.filter { $0.severity == .warning }
    XCTAssertEqual(warnings.map(\.location), [SourceLocation(file: path, line: 7, column: 1)])
    XCTAssertEqual(
      warnings.first?.message,
      "this block printed 3.0 MB; a block keeps 1 MB of output, so its handout shows the start and says how "
        + "much was dropped (print less: a summary, or every 100th epoch)")
    // What `check` prints: the warning, above the notebook's summary line.
    let outcome = NotebookOutcome(
      path: path, notebook: try Notebook.parse(source: source, path: path), run: run, error: nil)
    XCTAssertTrue(
      Report.terminal(outcome).hasPrefix("\(path):7:1: warning: this block printed 3.0 MB;"),
      Report.terminal(outcome))
  }
}

/// A published output copied with fewer digits than the code prints (`0.3` for
/// `0.30000000000000004`, R's 7 digits for Swift's 17) says that only the numbers differ, and the
/// tolerance that would accept them.
final class RoundedOutputTests: XCTestCase {
  func testOnlyNumbersDifferingNamesTheToleranceThatAcceptsThem() {
    let r = Checker.compare(expected: "0.3", actual: "0.30000000000000004", tolerance: nil)
    XCTAssertEqual(
      r.difference,
      "line 1 differs: published `0.3`, printed `0.30000000000000004` (only the numbers differ, by at most "
        + "5.55e-17: ```output tolerance=1e-16 would accept them)")
    let loss = Checker.compare(
      expected: "loss 0.123 at epoch 10", actual: "loss 0.1234567 at epoch 10", tolerance: nil)
    XCTAssertTrue(
      loss.difference?.hasSuffix("by at most 0.000457: ```output tolerance=0.001 would accept them)") == true,
      "\(loss)")
    XCTAssertEqual(
      Checker.compare(expected: "x 1.0", actual: "x 1.00", tolerance: nil).difference,
      "line 1 differs: published `x 1.0`, printed `x 1.00` (the same numbers, written with other digits)")
    XCTAssertEqual(
      Checker.compare(expected: "loss 0.3", actual: "gain 0.3", tolerance: nil).difference,
      "line 1 differs: published `loss 0.3`, printed `gain 0.3`", "words differ: no hint")
  }
}
