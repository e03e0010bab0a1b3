// The body of a handout: prose, then for each block its code and everything it produced.
// All program output is escaped with `HTML.escape`; only prose Markdown yields raw HTML.
import Foundation

/// Walks a notebook's nodes in order and appends HTML (a walker, like tangle is another).
struct PageBuilder {
  let notebook: Notebook
  let run: RunResult
  let options: WeaveOptions
  var prose: ProseRenderer
  /// The number of each block's first figure, as the handout's page numbers them (the deck shows
  /// the same numbers; a figure shown only on the slides has none): `CrossReferences.figureNumbers`.
  private let figureNumbers: [Int: Int]
  /// Exercises numbered across the page, from 1.
  private var exerciseNumber = 0
  /// Swift blocks followed by a published-output node: their printed text is shown (and checked)
  /// there, not twice.
  private let blocksWithPublished: Set<Int>
  let locator: BlockLocator
  /// Where the run stopped early (a trap, a timeout, `exit`), if it did: later executed blocks
  /// are marked "not run".
  let stop: RunStop?
  /// The medium the figures are drawn for: the deck shows each figure's slide variant.
  var medium = FigureMedium.page
  /// Compile errors and warnings by the block whose lines hold them.
  private let diagnosticsByBlock: [Int: [Diagnostic]]

  init(notebook: Notebook, run: RunResult, options: WeaveOptions) {
    self.notebook = notebook
    self.run = run
    self.options = options
    self.prose = ProseRenderer(inlineValues: run.inlineValues, inlines: notebook.inlines)
    // The numbering the pipeline resolved once (its errors are in `run`); a run woven without it
    // (built by hand, or filtered for the student) is resolved here.
    prose.references = run.references ?? CrossReferences.resolve(notebook, run)
    prose.usedIDs.formUnion(prose.references.targets.keys)
    if notebook.frontMatter.title != nil,
      notebook.nodes.contains(where: {
        if case .prose(let prose) = $0 { prose.hasH1 } else { false }
      })
    {
      prose.headingShift = 1
    }
    // A heading "Exercise 1" must not take the id of the first exercise's box.
    let exercises = notebook.nodes.count { if case .open(let d) = $0 { d.kind == .exercise } else { false } }
    if exercises > 0 { prose.usedIDs.formUnion((1...exercises).map(Self.exerciseAnchor)) }
    self.stop = RunStop(notebook: notebook, run: run)
    self.figureNumbers = CrossReferences.figureNumbers(notebook, run)
    let locator = BlockLocator(notebook)
    self.locator = locator
    self.diagnosticsByBlock = Dictionary(
      grouping: run.diagnostics.filter { locator.block(containing: $0.location) != nil },
      by: { locator.block(containing: $0.location)?.index ?? -1 })
    self.blocksWithPublished = Set(
      notebook.nodes.compactMap { if case .published(let p) = $0 { p.blockIndex } else { nil } })
  }

  /// The page's body: every node in order, except speaker notes (`::: notes`), which belong to
  /// the slides and never appear on the page, and what `::: slides` holds (`Medium.nodes(of:)`).
  mutating func body() -> String {
    var html = ""
    var notesDepth = 0
    for node in Medium.page.nodes(of: notebook) {
      switch node {
      case .open(let division) where division.kind == .notes: notesDepth += 1
      case .close(let division) where division.kind == .notes: notesDepth -= 1
      case _ where notesDepth > 0: continue
      default: html += self.html(for: node) + "\n"
      }
    }
    return html
  }

  /// The HTML of one node as the page shows it (the slides weave calls it for each node too).
  mutating func html(for node: Node) -> String {
    switch node {
    case .prose(let tree): prose.render(tree.blocks)
    case .block(let block): cell(block)
    case .published(let published): publishedOutput(published)
    case .open(let division): open(division)
    case .close(let division): division.kind == .exercise ? "</section>" : "</details>"
    }
  }

  // MARK: Exercises and solutions

  /// The `id` of exercise `number`'s box: `exercise-<number>` (reserved before prose takes ids).
  static func exerciseAnchor(_ number: Int) -> String { "exercise-\(number)" }

  /// The opening of an exercise's box (numbered, with its title, and listed in the contents) or of
  /// a solution, collapsed (`<details>`, "Solution" or "Solution: title"; the stylesheet opens it
  /// in print). Notes never get here.
  private mutating func open(_ division: Division) -> String {
    guard division.kind == .exercise else {
      return "<details class=\"solution\"><summary>Solution\(title(division))</summary>"
    }
    exerciseNumber += 1
    let id = Self.exerciseAnchor(exerciseNumber)
    var head = "<span class=\"exercise-number\">Exercise \(exerciseNumber)</span>"
    var entry = head
    if division.title != nil {
      head += "<span class=\"exercise-title\">\(title(division))</span>"
      // The contents' entry is a link: a reference in the title is its text there.
      entry += "<span class=\"exercise-title\">\(title(division, links: false))</span>"
    }
    prose.addToContents(TOCEntry(level: 3, id: id, html: entry, isExercise: true))
    return "<section class=\"exercise\" id=\"\(id)\">\n<p class=\"exercise-head\">\(head)</p>"
  }

  /// `: ` and the division's title as inline Markdown (math too; HTML shown as text; references
  /// with the page's numbering, linked unless `links` is false), or "". A title that Markdown
  /// reads as a block (`1. Warm-up` is a list) is shown as plain text.
  private func title(_ division: Division, links: Bool = true) -> String {
    guard let title = division.title else { return "" }
    var renderer = ProseRenderer(inlineValues: run.inlineValues, inlines: notebook.inlines)
    renderer.references = prose.references
    renderer.onDeck = prose.onDeck
    guard let inlines = division.titleInlines else { return ": " + HTML.escape(title) }
    return ": " + renderer.inlineHTML(inlines, links: links)
  }

  // MARK: Blocks

  static let languageNames: [String: String] = [
    "swift": "Swift", "r": "R", "python": "Python", "py": "Python", "bash": "Bash", "sh": "Shell",
    "shell": "Shell", "console": "Console", "output": "Output", "text": "Text", "json": "JSON",
    "yaml": "YAML", "c": "C", "cpp": "C++", "js": "JavaScript", "javascript": "JavaScript",
    "tex": "TeX", "latex": "LaTeX", "math": "Math", "markdown": "Markdown", "md": "Markdown",
  ]

  /// The `id` of a block's `<section>`: `cell-<id>`, or `cell-<index>` without an id.
  static func anchor(_ block: Block) -> String {
    "cell-" + (block.id.map { HTML.escape($0) } ?? "\(block.index)")
  }

  private func anchor(_ block: Block) -> String { Self.anchor(block) }

  /// The block whose code lines hold `location` (same notebook file), if any.
  static func block(containing location: SourceLocation?, in notebook: Notebook) -> Block? {
    BlockLocator(notebook).block(containing: location)
  }

  private mutating func cell(_ block: Block) -> String {
    let lang = block.language
    let label = Self.languageNames[lang] ?? (lang.isEmpty ? "Code" : lang)
    var classes = ["cell", "lang-\(HTML.escape(lang.isEmpty ? "text" : lang))"]
    if !block.isExecuted { classes.append("static") }
    let notRun =
      stop.map { block.isExecuted && run.blocks[block.index] == nil && $0.ordinal(of: block) != nil } ?? false
    if notRun { classes.append("not-run") }
    var html = "<section class=\"\(classes.joined(separator: " "))\" id=\"\(anchor(block))\">\n"
    if lang == "output" {
      // An output block that belongs to no swift block: shown as output, never run.
      html += "<div class=\"output\"><pre><code>\(HTML.escape(block.code))</code></pre></div>\n"
      return html + "</section>"
    }
    if block.echo || !block.isExecuted {
      var badges = "<span class=\"lang\">\(HTML.escape(label))</span>"
      if lang == "swift" && !block.eval { badges += "<span class=\"badge muted\">not run</span>" }
      if notRun { badges += "<span class=\"badge muted\">not run</span>" }
      html += "<div class=\"code\"><div class=\"code-head\">\(badges)</div>"
      html += "<pre><code class=\"language-\(HTML.escape(lang))\">"
      html += Highlight.lines(block.code, language: lang, syntax: block.syntax)
      html += "</code></pre></div>\n"
    }
    if notRun, let stop {
      html +=
        "<p class=\"not-run-note\">Not run: the run stopped earlier, in "
        + "<a href=\"#\(stop.anchor)\">\(HTML.escape(stop.summary))</a>.</p>\n"
    }
    if block.isExecuted, let result = run.blocks[block.index] {
      if block.showOutput { html += outputs(result, block: block) }
      // Failed checks and failures are shown even with output=false: they must not hide.
      html += checks(
        result.checks, showPassed: block.showOutput && options.verificationDetails,
        excludePublished: blocksWithPublished.contains(block.index))
      if let failure = result.failure { html += self.failure(failure) }
    }
    // Compile errors and warnings that point into this block, shown where they happened too.
    for diagnostic in diagnosticsByBlock[block.index] ?? [] {
      html += failure(diagnostic, title: "Error in this block")
    }
    return html + "</section>"
  }

  private mutating func outputs(_ result: BlockResult, block: Block) -> String {
    var html = ""
    if !result.text.isEmpty, !blocksWithPublished.contains(block.index) {
      html += "<div class=\"output\"><pre><code>\(HTML.escape(result.text))</code></pre></div>\n"
    }
    // With a published output below, that output stands for what the block printed and showed.
    if let value = result.value, !blocksWithPublished.contains(block.index) {
      html += "<div class=\"output value\"><pre><code>\(HTML.escape(value))</code></pre></div>\n"
    }
    for (position, figure) in result.figures.enumerated() {
      html += self.figure(
        figure, label: CrossReferences.figureLabel(figure, position: position, block: block),
        number: figureNumbers[block.index].map { $0 + position })
    }
    return html
  }

  // MARK: Figures

  static let mimeTypes = ["svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg"]

  /// A figure with its number in the handout (nil, no "Figure N", for one shown only on the
  /// slides); its `id` is its label when it has one (what `@fig-…` links to), else `fig-<name>`.
  private mutating func figure(_ figure: FigureOutput, label: String?, number: Int?) -> String {
    // Its alt text is plain text: a reference in it reads as its target ("Figure 2").
    var figure = figure
    let targets = prose.references.targets
    figure.alt = ReferencePlaces.resolvingReferences(in: figure.alt) { targets[$0]?.text }
    let id = HTML.escape(label ?? "fig-\(figure.name)")
    var caption = number.map { "<span class=\"fig-number\">Figure \($0)</span>" } ?? ""
    if let text = figure.caption, !text.isEmpty {
      var r = ProseRenderer(inlineValues: run.inlineValues, inlines: notebook.inlines)
      r.references = prose.references
      r.onDeck = prose.onDeck
      // Parsed once with the numbering; a run built by hand is parsed here.
      let blocks = run.captionTrees[text] ?? Prose.tree(of: text, escapeHTML: true)
      if !caption.isEmpty { caption += ": " }
      if case .paragraph(let inlines) = blocks.only {
        caption += r.inlineHTML(inlines)
      } else {
        caption += r.render(blocks, headings: false).trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
    // The file drawn for this medium (the deck's slide variant, the page's own).
    guard let shown = figure.shown(on: medium) else {
      return
        "<figure class=\"figure missing\" id=\"\(id)\"><div class=\"problem\">figure has no SVG or PNG file</div>"
        + Self.figcaption(caption) + "</figure>\n"
    }
    guard let src = source(shown.file, ext: shown.ext) else {
      return "<figure class=\"figure missing\" id=\"\(id)\"><div class=\"problem\">figure file missing: "
        + "\(HTML.escape(shown.file))</div>" + Self.figcaption(caption) + "</figure>\n"
    }
    // A figure with neither number nor caption (one shown only on the slides) has no caption.
    if !options.selfContained, !caption.isEmpty {
      // Links to every format: SVG, PNG (2x), PDF, and the slide variant's SVG.
      let others = ["svg", "png", "pdf", "slide-svg"].compactMap { e in
        figure.files[e].map {
          "<a href=\"\(HTML.escape(Self.hrefEncode($0)))\">\(e.uppercased().replacingOccurrences(of: "-", with: " "))</a>"
        }
      }
      if others.count > 1 {
        caption += " <span class=\"fig-files\">\(others.joined(separator: " · "))</span>"
      }
    }
    if figure.frames != nil { return animation(figure, id: id, caption: caption, shown: shown) }
    return "<figure class=\"figure\" id=\"\(id)\">"
      + pageImage(figure, src: src, shown: shown) + Self.figcaption(caption) + "</figure>\n"
  }

  /// `<figcaption>` around `caption`, or nothing when it is empty (never an empty caption box).
  static func figcaption(_ caption: String) -> String {
    caption.isEmpty ? "" : "<figcaption>\(caption)</figcaption>"
  }

  /// The `src` of a figure file: its path, or its bytes as a data URI when the page is
  /// self-contained; nil when those cannot be read.
  func source(_ file: String, ext: String) -> String? {
    guard options.selfContained else { return HTML.escape(Self.hrefEncode(file)) }
    let url = (options.figureRoot ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
      .appendingPathComponent(file)
    guard let data = try? Data(contentsOf: url) else { return nil }
    return "data:\(Self.mimeTypes[ext] ?? "application/octet-stream");base64,\(data.base64EncodedString())"
  }

  static func cssNumber(_ x: Double) -> String {
    guard x.isFinite, x > 0 else { return "0" }
    return x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
  }

  /// Percent-encodes a relative path for `href`/`src` (spaces, `#`, `?`, `:`, non-ASCII), keeping
  /// `/`. A `:` is encoded so that no file name (`javascript:alert(1).md`) reads as a URL scheme.
  static func hrefEncode(_ path: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "?#:")
    return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
  }

  // MARK: Checks and failures

  private func checks(_ checks: [CheckResult], showPassed: Bool, excludePublished: Bool) -> String {
    let shown = checks.filter { !(excludePublished && $0.kind == .publishedOutput) }
    var html = ""
    for check in shown where !check.passed { html += failedCheck(check) }
    let passed = shown.filter(\.passed)
    if showPassed, !passed.isEmpty {
      let what = passed.count == 1 ? "1 check" : "\(passed.count) checks"
      html +=
        "<details class=\"checks-passed\"><summary><span class=\"badge ok\">✓ verified</span> \(what)</summary><ul>"
      for check in passed {
        html +=
          "<li><code>\(HTML.escape(check.expected))</code> <span class=\"where\">line \(check.location.line)</span></li>"
      }
      html += "</ul></details>\n"
    }
    return html
  }

  private func failedCheck(_ check: CheckResult) -> String {
    let what = check.kind == .expectation ? "Check failed" : "Published output differs"
    var html = "<div class=\"check-failed\" role=\"alert\">"
    html += "<p class=\"problem-head\"><span class=\"badge bad\">✗ \(what)</span> "
    html += "<span class=\"where\">\(HTML.escape(check.location.description))</span></p>"
    html += "<dl><dt>expected</dt><dd><pre><code>\(HTML.escape(check.expected))</code></pre></dd>"
    html += "<dt>actual</dt><dd><pre><code>\(HTML.escape(check.actual))</code></pre></dd>"
    if let difference = check.difference {
      html += "<dt>difference</dt><dd>\(HTML.escape(difference))</dd>"
    }
    return html + "</dl></div>\n"
  }

  private func failure(_ diagnostic: Diagnostic, title: String = "This block stopped with an error") -> String
  {
    let isError = diagnostic.severity == .error
    var html = "<div class=\"failure\(isError ? "" : " warning")\" role=\"\(isError ? "alert" : "note")\">"
    html += "<p class=\"problem-head\"><span class=\"badge \(isError ? "bad" : "warn")\">"
    html += "\(isError ? "✗" : "⚠") \(isError ? title : diagnostic.severity.rawValue.capitalized)</span>"
    if let location = diagnostic.location {
      html += " <span class=\"where\">\(HTML.escape(location.description))</span>"
    }
    return html + "</p><pre><code>\(HTML.escape(diagnostic.message))</code></pre></div>\n"
  }

  // MARK: Published output

  private func publishedOutput(_ published: PublishedOutput) -> String {
    let check = run.blocks[published.blockIndex]?.checks.first { $0.kind == .publishedOutput }
    let ran = run.blocks[published.blockIndex] != nil
    var html = "<section class=\"published"
    switch check {
    case .some(let c) where c.passed:
      html += " verified\">"
      if options.verificationDetails {
        html += "<div class=\"published-head\"><span class=\"badge ok\">✓ published output — verified</span>"
        if let tol = published.tolerance {
          html += " <span class=\"where\">within \(HTML.escape(String(tol)))</span>"
        }
        html += "</div>"
      }
      html += "<div class=\"output\"><pre><code>\(HTML.escape(published.text))</code></pre></div>"
    case .some(let c):
      html +=
        " differs\" role=\"alert\"><div class=\"published-head\"><span class=\"badge bad\">✗ published output differs</span>"
      html += " <span class=\"where\">\(HTML.escape(c.location.description))</span>"
      if let d = c.difference { html += " <span class=\"difference\">\(HTML.escape(d))</span>" }
      html += "</div><div class=\"output diff\"><pre><code>"
      html += LineDiff.html(expected: c.expected, actual: c.actual)
      html += "</code></pre><p class=\"diff-legend\"><span class=\"del\">− published</span> "
      html += "<span class=\"ins\">+ the code printed</span></p></div>"
    case .none:
      let label = ran ? "published output — not checked" : "published output — not run"
      html += " unchecked\"><div class=\"published-head\"><span class=\"badge muted\">\(label)</span></div>"
      html += "<div class=\"output\"><pre><code>\(HTML.escape(published.text))</code></pre></div>"
    }
    return html + "</section>"
  }
}
