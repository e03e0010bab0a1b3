import Foundation
import XCTest

@testable import Literate

/// The weaver on `WeaveFixture`: math, prose, highlighting, the page, templates and assets.
final class WeaveTests: XCTestCase {
  // MARK: Math

  /// The TeX of each math element in `html`, unescaped.
  func mathTeX(_ html: String) -> [String] {
    html.matches(of: #/class="math (?:inline|display)">\\[(\[](.*?)\\[)\]]</#.dotMatchesNewlines()).map {
      HTML.plainText(String($0.output.1))
    }
  }

  func testLectureFormulasSurviveMarkdownByteForByte() {
    let formulas = [
      WeaveFixture.gradient,
      #"y_i = \alpha + \beta x_i + \epsilon, \quad i = 1 \dots n"#,
      #"E(\alpha, \beta) = \frac{1}{n} \sum_{i=1}^n (y_i - \alpha - \beta x_i)^2"#,
      #"\alpha_{i+1} = \alpha_i - \eta \frac{\partial E(\alpha, \beta)}{\partial \alpha} \Big|_{\alpha=\alpha_i, \beta=\beta_i}"#,
      #"w_{1,2} = w_{1,2} - \mu \frac{\partial E(w_1, w_2)}{\partial w_{1,2}}"#,
      #"\phi(s) = \frac{1}{1 + e^{-s}} - \text{sigmoid}"#,
      #"a < b \;\&\; c > d, \\ x_{*} = **y**"#,
    ]
    for tex in formulas {
      var prose = ProseRenderer()
      let html = prose.render("Before *emph* and $y_i = \\alpha + \\beta x_i$.\n\n$$\(tex)$$\n\nAfter _x_.")
      XCTAssertEqual(mathTeX(html), [#"y_i = \alpha + \beta x_i"#, tex], html)
      XCTAssertTrue(html.contains("<div class=\"math display\">\\[\(HTML.escape(tex))\\]</div>"), html)
      XCTAssertTrue(html.contains("<em>emph</em>") && html.contains("<em>x</em>"), html)
    }
  }

  func testDisplayMathOverSeveralLinesAndInsideAParagraph() {
    var prose = ProseRenderer()
    let html = prose.render("Hence\n$$\na_1 = b_1 \\\\\nc_2 = d_2\n$$\nso done.")
    XCTAssertEqual(mathTeX(html), ["\na_1 = b_1 \\\\\nc_2 = d_2\n"])
    XCTAssertTrue(html.contains("<span class=\"math display\">"), html)
    XCTAssertFalse(html.contains("<div class=\"math"), "a div inside <p> is invalid HTML")
  }

  func testDollarsThatAreNotMath() {
    let cases = [
      "It costs $5 and $10.",
      "Escaped \\$x\\$ stays.",
      "Code `let $x$ = 1` stays.",
      "Spaced $ x $ stays.",
      "Unclosed $$x_1 stays.",
      "```swift\nlet a = \"$x_1$\"\n```",
      "~~~\n$$x$$\n~~~",
      "Two ``code with ` and $a$`` here.",
    ]
    for text in cases {
      var prose = ProseRenderer()
      let html = prose.render(text)
      XCTAssertFalse(html.contains("class=\"math"), "\(text) → \(html)")
    }
    var prose = ProseRenderer()
    XCTAssertEqual(mathTeX(prose.render("Both $a$ and `$b$` and $c\\$d$.")), ["a", "c\\$d"])
  }

  func testMathInsideTableCellsAndPipes() {
    var prose = ProseRenderer()
    let html = prose.render("| $x_1$ | $\\lvert a | b \\rvert$ |\n| --- | --- |\n| **1** | ~~2~~ |\n")
    XCTAssertTrue(html.contains("<table>"), html)
    XCTAssertTrue(html.contains("<th><span class=\"math inline\">\\(x_1\\)</span></th>"), html)
    XCTAssertEqual(mathTeX(html), ["x_1", "\\lvert a | b \\rvert"])
    XCTAssertTrue(html.contains("<strong>1</strong>") && html.contains("<del>2</del>"), html)
  }

  /// A line that starts with a code span is prose, not a fence: its math is typeset (it was
  /// published raw, on page, deck and PDF alike, found porting a public notebook).
  func testMathOnALineThatStartsWithInlineCode() {
    var prose = ProseRenderer()
    for line in ["`decisionBoundary` draws $P(c)$", "``a`b`` and $x_1$", "  `f` at $y$", "~x~ and $z$"] {
      let html = prose.render(line + "\n")
      XCTAssertEqual(mathTeX(html).count, 1, "\(line): \(html)")
      XCTAssertFalse(html.contains("$"), "\(line): \(html)")
    }
    // A real fence still keeps its dollars, and the math after it is typeset.
    let fenced = prose.render("```\n$not math$\n```\n\n`f` gives $y$\n")
    XCTAssertTrue(fenced.contains("$not math$"), fenced)
    XCTAssertEqual(mathTeX(fenced), ["y"])
  }

  // MARK: Prose

  func testInlineValuesAreEscapedAndMissingOnesVisible() {
    let inlines = [
      InlineExpression(
        index: 0, expression: "x", location: SourceLocation(file: "n.md", line: 1), afterBlockCount: 0),
      InlineExpression(
        index: 1, expression: "a < b", location: SourceLocation(file: "n.md", line: 1), afterBlockCount: 0),
    ]
    var prose = ProseRenderer(inlineValues: [0: "<b>1</b>"], inlines: inlines)
    let html = prose.render(notebookProse: "Value `swift x` and `swift a < b`.")
    XCTAssertTrue(html.contains("<span class=\"inline-value\">&lt;b&gt;1&lt;/b&gt;</span>"), html)
    XCTAssertTrue(html.contains("class=\"inline-missing\"") && html.contains("a &lt; b"), html)
  }

  func testHeadingsGetUniqueIDsAndH2H3FormTheTOC() {
    var prose = ProseRenderer()
    let a = prose.render("# Title\n\n## Gradient of $E$\n\n### Step *one*\n\n#### Deep")
    let b = prose.render("## Gradient of $E$\n\n## Contents")
    XCTAssertTrue(
      a.contains("<h2 id=\"gradient-of-e\">Gradient of <span class=\"math inline\">\\(E\\)</span></h2>"), a)
    XCTAssertTrue(a.contains("<h3 id=\"step-one\">"), a)
    XCTAssertTrue(b.contains("<h2 id=\"gradient-of-e-2\">"), b)
    XCTAssertTrue(b.contains("<h2 id=\"contents-2\">"), "template ids are reserved: \(b)")
    XCTAssertEqual(prose.toc.map(\.id), ["gradient-of-e", "step-one", "gradient-of-e-2", "contents-2"])
    XCTAssertEqual(prose.toc.map(\.level), [2, 3, 2, 2])
    XCTAssertEqual(prose.toc[1].html, "Step <em>one</em>")
    XCTAssertEqual(prose.firstH1, "Title")
  }

  func testSectionsWrittenAsH1BecomeH2UnderAFrontMatterTitle() throws {
    var nb = WeaveFixture.notebook()
    nb.nodes = [
      .prose(markdown: "# The problem\n\ntext\n\n## Detail", line: 1),
      .prose(markdown: "Training\n===", line: 9),
    ]
    let html = try Weave.page(notebook: nb, run: RunResult(), options: WeaveFixture.options())
    XCTAssertTrue(html.contains("<h2 id=\"the-problem\">The problem</h2>"), html)
    XCTAssertTrue(html.contains("<h3 id=\"detail\">Detail</h3>"), html)
    XCTAssertTrue(
      html.contains(
        "<li><a href=\"#the-problem\">The problem</a><ol><li><a href=\"#detail\">Detail</a></li></ol></li>"),
      html)
    XCTAssertTrue(html.contains("<li><a href=\"#training\">Training</a></li>"), html)
    XCTAssertEqual(html.components(separatedBy: "<h1").count - 1, 1, "one h1: the title")
    // Without a front-matter title the first h1 is the title, and levels stay as written.
    nb.frontMatter.title = nil
    let untitled = try Weave.page(notebook: nb, run: RunResult(), options: WeaveFixture.options())
    XCTAssertTrue(untitled.contains("<title>The problem · Neural networks from scratch</title>"), untitled)
    XCTAssertTrue(untitled.contains("<h1 id=\"the-problem\">The problem</h1>"), untitled)
    XCTAssertFalse(untitled.contains("<h1 class=\"title\">"), untitled)
  }

  func testRawScriptInProseIsFiltered() {
    var prose = ProseRenderer()
    let html = prose.render("Hi<script>alert(1)</script> and a<br>b")
    XCTAssertFalse(html.contains("<script>"), html)
    XCTAssertTrue(html.contains("<br>"), html)
  }

  // MARK: Highlighting

  func testSwiftHighlightingClassesAndRoundTrip() {
    let code = "@MainActor let x: Double = 1.5 // half\nfunc f(by n: Int) -> String { \"<\\(n)>\" }\nf(by: 2)"
    let html = Highlight.html(code, language: "swift")
    for fragment in [
      "<span class=\"attr\">@MainActor</span>", "<span class=\"kw\">let</span>",
      "<span class=\"ty\">Double</span>", "<span class=\"num\">1.5</span>",
      "<span class=\"com\">// half</span>", "<span class=\"kw\">func</span>", "<span class=\"str\">",
    ] {
      XCTAssertTrue(html.contains(fragment), "\(fragment) in \(html)")
    }
    XCTAssertEqual(HTML.plainText(html), code, "every character shown exactly once")
    XCTAssertFalse(html.contains("\"<\\("), "string contents escaped")
  }

  func testBrokenSwiftStillShownInFull() {
    let code = "let = = ) <tag> ∑ \"unterminated"
    XCTAssertEqual(HTML.plainText(Highlight.html(code, language: "swift")), code)
  }

  func testRAndOtherLanguages() {
    let r = Highlight.html("x <- c(1, 2.5e-3) # <b>\nif (TRUE) print('a<b')", language: "r")
    XCTAssertTrue(r.contains("<span class=\"op\">&lt;-</span>"), r)
    XCTAssertTrue(r.contains("<span class=\"num\">2.5e-3</span>"), r)
    XCTAssertTrue(r.contains("<span class=\"com\"># &lt;b&gt;</span>"), r)
    XCTAssertTrue(r.contains("<span class=\"kw\">TRUE</span>"), r)
    XCTAssertTrue(r.contains("<span class=\"str\">&#39;a&lt;b&#39;</span>"), r)
    XCTAssertEqual(Highlight.html("echo <x> & y", language: "bash"), "echo &lt;x&gt; &amp; y")
  }

  // MARK: The page

  func page(selfContained: Bool = false, figureRoot: URL? = nil) throws -> String {
    try Weave.page(
      notebook: WeaveFixture.notebook(), run: WeaveFixture.run(),
      options: WeaveFixture.options(selfContained: selfContained, figureRoot: figureRoot))
  }

  func testEverythingPrintedIsEscaped() throws {
    let html = try page()
    XCTAssertFalse(html.contains("<script>alert"), "no program text becomes a script")
    XCTAssertFalse(html.contains("</pre>\n") && html.contains("alert(1)</script></pre>"))
    XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;/pre&gt;"))
    XCTAssertTrue(html.contains("[0.5, -0.3] &amp; &lt;/pre&gt;"), "displayed value escaped")
    XCTAssertTrue(html.contains("Fatal error: &lt;Index out of range&gt;"), "failure escaped")
    XCTAssertTrue(html.contains("0.2531&lt;b&gt;"), "check actual escaped")
    XCTAssertTrue(html.contains("alt=\"loss curve &lt;falling&gt;\""), "alt escaped")
    XCTAssertTrue(html.contains("unused variable &#39;x&#39; &lt;here&gt;"), "diagnostic escaped")
    XCTAssertTrue(html.contains("<span class=\"inline-value\">0.0123 &lt;&amp;&gt;</span>"))
  }

  func testTitleBlockTOCAndStatus() throws {
    let html = try page()
    XCTAssertTrue(html.contains("<title>A single neuron · Neural networks from scratch</title>"))
    XCTAssertTrue(html.contains("<h1 class=\"title\">A single neuron</h1>"))
    XCTAssertTrue(html.contains("<p class=\"subtitle\">Gradient descent by hand</p>"))
    XCTAssertTrue(
      html.contains(
        "We train <em>one</em> sigmoid neuron with <span class=\"math inline\">\\(\\eta = 0.5\\)</span>."))
    XCTAssertTrue(
      html.contains(
        "<li><a href=\"#the-model\">The model</a><ol><li><a href=\"#training\">Training</a></li></ol></li>"),
      html)
    XCTAssertTrue(html.contains("1 of 3 checks failed"), "status counts every check")
    XCTAssertTrue(html.contains("Generated by handout test from <code>notebooks/neuron.md</code>"))
    XCTAssertTrue(html.contains("<link rel=\"stylesheet\" href=\"assets/handout.css\">"))
    XCTAssertTrue(html.contains("<script defer src=\"assets/katex/katex.min.js\"></script>"))
    XCTAssertTrue(html.contains("class=\"problems\""), "warnings banner")
    XCTAssertTrue(
      html.contains("<a class=\"where\" href=\"#cell-2\">notebooks/neuron.md:41:5</a>"),
      "a diagnostic inside a block links to it")
    XCTAssertTrue(
      html.contains(
        "<span class=\"badge warn\">⚠ Warning</span> <span class=\"where\">notebooks/neuron.md:41:5</span>"),
      "…and is shown under that block too")
  }

  func testBlockFlags() throws {
    let html = try page()
    XCTAssertTrue(html.contains("<span class=\"kw\">let</span> w"), "echoed swift is highlighted")
    XCTAssertFalse(html.contains("hidden ="), "echo=false hides the code")
    XCTAssertTrue(html.contains("hidden output"), "…but shows its output")
    XCTAssertTrue(html.contains("<span class=\"badge muted\">not run</span>"), "eval=false is marked")
    XCTAssertTrue(html.contains("fatalError"), "eval=false code is shown")
    XCTAssertTrue(html.contains("<span class=\"lang\">R</span>"))
    var nb = WeaveFixture.notebook()
    nb.nodes[5] = .block(WeaveFixture.block(2, "let hidden = 42", line: 40, showOutput: false))
    let quiet = try Weave.page(notebook: nb, run: WeaveFixture.run(), options: WeaveFixture.options())
    XCTAssertFalse(quiet.contains("hidden output"), "output=false hides what it printed")
  }

  func testChecksFailuresAndPublishedOutput() throws {
    let html = try page()
    XCTAssertTrue(
      html.contains("✗ Check failed</span> <span class=\"where\">notebooks/neuron.md:49:1</span>"))
    XCTAssertTrue(html.contains("<dt>expected</dt><dd><pre><code>0.25</code></pre></dd>"))
    XCTAssertTrue(html.contains("<dt>difference</dt><dd>|Δ| = 0.0031 &gt; tolerance 1e-06</dd>"))
    XCTAssertTrue(html.contains("✓ verified</span> 1 check"))
    XCTAssertTrue(html.contains("This block stopped with an error"))
    XCTAssertTrue(html.contains("✓ published output — verified"))
    XCTAssertEqual(
      html.components(separatedBy: "<code>&lt;script&gt;alert(1)").count - 1, 1,
      "a block with published output shows its text once, under the published badge")
    XCTAssertFalse(html.contains("shown by the published output"), "…and not its value either")

    var run = WeaveFixture.run()
    run.blocks[0]?.checks = [
      CheckResult(
        kind: .publishedOutput, location: SourceLocation(file: "notebooks/neuron.md", line: 30),
        passed: false, expected: "a\nb <1>\nc", actual: "a\nb <2>\nc", difference: "line 2 differs")
    ]
    let differs = try Weave.page(notebook: WeaveFixture.notebook(), run: run, options: WeaveFixture.options())
    XCTAssertTrue(differs.contains("✗ published output differs"))
    XCTAssertTrue(
      differs.contains(
        "  a\n<span class=\"del\">- b &lt;1&gt;</span>\n<span class=\"ins\">+ b &lt;2&gt;</span>\n  c"),
      differs)
  }

  func testFiguresAreNumberedSizedAndLinked() throws {
    let html = try page()
    XCTAssertTrue(
      html.contains(
        "<figure class=\"figure\" id=\"fig-train-1\"><img src=\"neuron/train-1.svg\" width=\"320\" height=\"200\""
      ), html)
    XCTAssertTrue(
      html.contains(
        "<span class=\"fig-number\">Figure 1</span>: Loss <span class=\"math inline\">\\(E(w_1, w_2)\\)</span> &lt;per&gt; epoch"
      ), html)
    XCTAssertTrue(html.contains("<a href=\"neuron/train-1.pdf\">PDF</a>"))
  }

  func testSelfContainedEmbedsCSSKaTeXAndFigures() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("weave-sc-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("neuron"), withIntermediateDirectories: true)
    try Data(WeaveFixture.svg.utf8).write(to: dir.appendingPathComponent("neuron/train-1.svg"))
    let html = try page(selfContained: true, figureRoot: dir)
    XCTAssertFalse(html.contains("href=\"assets/"), "nothing linked")
    XCTAssertFalse(html.contains("src=\"assets/"))
    XCTAssertFalse(html.contains("url(fonts/"), "every KaTeX font embedded")
    XCTAssertTrue(html.contains("src:url(data:font/woff2;base64,"))
    XCTAssertTrue(
      html.contains(
        "<img src=\"data:image/svg+xml;base64,\(Data(WeaveFixture.svg.utf8).base64EncodedString())\""))
    XCTAssertTrue(html.contains(".katex"), "KaTeX CSS inlined")
    XCTAssertTrue(html.contains("--code-bg"), "handout.css inlined")
    XCTAssertFalse(html.contains("<a href=\"neuron/"), "no links to figure files")
  }

  func testSelfContainedWithMissingFigureShowsTheProblem() throws {
    let html = try page(
      selfContained: true, figureRoot: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)"))
    XCTAssertTrue(html.contains("figure file missing: neuron/train-1.svg"))
  }

  // MARK: Templates and assets

  func testTemplateSyntaxErrorNamesTheFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("weave-tpl-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try "<html>\n{{#title}}\n<p>unclosed</p>\n".write(
      to: dir.appendingPathComponent("handout.mustache"), atomically: true, encoding: .utf8)
    var options = WeaveFixture.options()
    options.templatesDirectory = dir
    options.fallbackTemplatesDirectory = WeaveFixture.templates
    XCTAssertThrowsError(
      try Weave.page(notebook: WeaveFixture.notebook(), run: RunResult(), options: options)
    ) { error in
      guard case WeaveError.templateSyntax(let file, _, _, _) = error else { return XCTFail("\(error)") }
      XCTAssertEqual(file, dir.appendingPathComponent("handout.mustache").path)
      XCTAssertTrue("\(error)".contains("handout.mustache:"), "\(error)")
    }
    // An override folder may hold only some templates: index.mustache falls back.
    XCTAssertNoThrow(try Weave.index(entries: [], options: options))
    options.fallbackTemplatesDirectory = nil
    XCTAssertThrowsError(try Weave.index(entries: [], options: options)) { error in
      XCTAssertTrue("\(error)".contains("template 'index.mustache' not found"), "\(error)")
    }
  }

  func testMissingKaTeXSaysHowToInstallIt() {
    var options = WeaveFixture.options(selfContained: true)
    options.katexDirectory = URL(fileURLWithPath: "/nonexistent/katex")
    XCTAssertThrowsError(
      try Weave.page(notebook: WeaveFixture.notebook(), run: RunResult(), options: options)
    ) {
      XCTAssertTrue("\($0)".contains("apt-get install libjs-katex fonts-katex"), "\($0)")
    }
    XCTAssertThrowsError(try Weave.assets(options: options)) {
      XCTAssertTrue("\($0)".contains("apt-get install libjs-katex fonts-katex"), "\($0)")
    }
  }

  func testInstallAssetsCopiesRealFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "weave-assets-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try Support.installAssets(into: dir, options: WeaveFixture.options())
    try Support.installAssets(into: dir, options: WeaveFixture.options())  // idempotent
    let fm = FileManager.default
    for path in [
      "assets/handout.css", "assets/katex/katex.min.js", "assets/katex/katex.min.css",
      "assets/katex/fonts/KaTeX_Main-Regular.woff2",
    ] {
      let url = dir.appendingPathComponent(path)
      let attributes = try fm.attributesOfItem(atPath: url.path)
      XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular, path)
      XCTAssertGreaterThan((attributes[.size] as? Int) ?? 0, 100, path)
    }
  }

  func testIndexListsHandoutsWithStatus() throws {
    let good = IndexEntry(notebook: WeaveFixture.notebook(), run: RunResult())
    var badRun = WeaveFixture.run()
    badRun.diagnostics = [Diagnostic(.error, "cannot find 'x' in scope\nmore", at: nil)]
    var bad = IndexEntry(notebook: WeaveFixture.notebook(), run: badRun)
    bad.name = "mlp"
    bad.title = "The <MLP>"
    bad.href = "mlp.html"
    let html = try Weave.index(entries: [good, bad], options: WeaveFixture.options())
    XCTAssertTrue(html.contains("<title>Neural networks from scratch</title>"))
    XCTAssertTrue(html.contains("<a class=\"handout-title\" href=\"neuron.html\">A single neuron</a>"))
    XCTAssertTrue(html.contains("The &lt;MLP&gt;"))
    XCTAssertTrue(html.contains("✗ 1 of 3 checks failed"), html)
    XCTAssertTrue(html.contains("<span class=\"badge muted\">– no checks</span>"), html)
    XCTAssertTrue(
      html.contains("<span class=\"handout-problem\">cannot find &#39;x&#39; in scope</span>"), html)
    XCTAssertTrue(html.contains("1 of 2 handouts failed"))
  }

  func testLineDiff() {
    XCTAssertEqual(
      LineDiff.diff(expected: "a\nb\nc", actual: "a\nx\nc\nd"),
      [.same("a"), .removed("b"), .added("x"), .same("c"), .added("d")])
    XCTAssertEqual(
      LineDiff.diff(expected: "Call:\n  Min  Max", actual: "\nCall: \n  Min  Max  "),
      [.added(""), .same("Call:"), .same("  Min  Max")], "trailing spaces are no difference")
  }
}
