// The slide deck: the same notebook and run as the page, cut into 16:9 slides. The slide chrome,
// navigation and speaker view are `templates/slides.mustache` and `slides.css`; every cell, output,
// figure and prose block is made by `PageBuilder`, exactly as on the page.
import Foundation

/// One slide of a deck (after the title slide): its content and its speaker notes, both HTML.
struct Slide: Equatable {
  var html = ""
  var notes = ""
  /// The notebook line of its first content, and its title's text (its first heading), for
  /// warnings; its estimated height (`SlideEstimate`).
  var line = 0
  var title: String?
  var estimate = SlideEstimate()

  /// Nothing but white space.
  var isEmpty: Bool { html.allSatisfy(\.isWhitespace) }
}

/// Cuts a notebook's nodes into slides, rendering each node through a `PageBuilder`.
///
/// Rules: a slide starts at each top-level `#` or `##` heading of the prose and at each `---`
/// (the rule itself is not shown); content before the first heading is a slide of its own when
/// there is any. A `::: notes` division's content goes to the notes of the slide it stands in.
/// Inside an exercise or solution a heading or `---` does not cut (a division stays on one slide,
/// so its HTML stays whole). What `::: handout` holds is not on the slides (`Medium.nodes(of:)`).
struct SlideBuilder {
  var page: PageBuilder
  /// The slides after the title slide, in order.
  private(set) var slides: [Slide] = []
  /// Notes written before anything else: they belong to the title slide.
  private(set) var titleNotes = ""

  init(notebook: Notebook, run: RunResult, options: WeaveOptions) {
    page = PageBuilder(notebook: notebook, run: run, options: options)
    page.medium = .slide
    page.prose.onDeck = true
  }

  mutating func build() {
    var current = Slide()
    var open: [Division.Kind] = []
    let published = Set(
      page.notebook.nodes.compactMap { if case .published(let p) = $0 { p.blockIndex } else { nil } })
    func cut() {
      if !current.isEmpty {
        slides.append(current)
      } else if slides.isEmpty {
        titleNotes += current.notes
      } else {
        slides[slides.count - 1].notes += current.notes
      }
      current = Slide()
    }
    for node in Medium.slides.nodes(of: page.notebook) {
      let inNotes = open.contains(.notes)
      if !inNotes, !open.contains(.solution) {
        estimate(node, inDivision: !open.isEmpty, published: published, into: &current)
      }
      switch node {
      case .open(let division):
        open.append(division.kind)
        if !inNotes, division.kind != .notes { current.html += page.html(for: node) }
      case .close(let division):
        if !open.isEmpty { open.removeLast() }
        if !inNotes, division.kind != .notes { current.html += page.html(for: node) }
      case .prose(let prose) where open.isEmpty:
        for block in page.prose.renderBlocks(prose) {
          if case .heading(let level) = block.kind, level <= 2 { cut() }
          if case .thematicBreak = block.kind { cut() }
          current.estimate.prose(block.kind, html: block.html, opensSlide: current.isEmpty)
          if current.line == 0, block.kind != .thematicBreak { current.line = prose.line + block.line - 1 }
          if current.title == nil, case .heading = block.kind { current.title = Self.plainText(block.html) }
          if block.kind != .thematicBreak { current.html += block.html }
        }
        current.html += "\n"
      default:
        // Speaker notes are the instructor's: the student edition has none (their blocks still ran).
        if inNotes, !page.options.instructorsOwn { continue }
        let html = page.html(for: node) + "\n"
        if inNotes { current.notes += html } else { current.html += html }
      }
    }
    cut()
  }
}

extension SlideBuilder {
  /// Adds what `node` shows on a slide to `slide`'s estimate (prose is estimated block by block,
  /// where it is cut), and gives the slide its first line.
  private func estimate(_ node: Node, inDivision: Bool, published: Set<Int>, into slide: inout Slide) {
    switch node {
    case .prose(let prose) where inDivision:
      // Inside an exercise nothing cuts: its prose is estimated here, block by block, as woven
      // (a copy of the page's prose renderer: the page's own ids and contents stay as they are).
      var scratch = page.prose
      for block in scratch.renderBlocks(prose) {
        slide.estimate.prose(block.kind, html: block.html, opensSlide: false)
      }
      if slide.line == 0 { slide.line = prose.line }
    case .open(let division):
      slide.estimate.division(division.kind)
      if slide.line == 0, division.kind != .notes { slide.line = division.location.line }
    case .block(let block):
      slide.estimate.block(
        block, result: page.run.blocks[block.index], published: published.contains(block.index),
        details: page.options.verificationDetails)
      if slide.line == 0 { slide.line = block.fence.line }
    case .published(let published):
      slide.estimate.published(published, details: page.options.verificationDetails)
    case .prose, .close:
      break
    }
  }

  /// A heading's text as a warning quotes it: tags dropped, white space folded.
  static func plainText(_ html: String) -> String {
    let text = html.replacing(#/<[^>]*>/#, with: "").replacingOccurrences(of: "&amp;", with: "&")
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"")
    return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}

extension Weave {
  /// The slide deck of one notebook, from the same run as its page (never a second run): a title
  /// slide from the front matter (course, title, subtitle, author, date), then one
  /// `<section class="slide">` per `#`/`##` heading or `---` (rules at `SlideBuilder`), with
  /// speaker notes, keyboard navigation, a counter and a print layout of one slide per page, through
  /// `slides.mustache` (and `slides.css` after `handout.css`).
  /// - Throws: `WeaveError` as `page`.
  public static func slides(notebook: Notebook, run: RunResult, options: WeaveOptions) throws -> String {
    let templates = TemplateSet(options: options)
    let template = try templates.template(named: "slides.mustache")
    let partials = try templates.partials()
    // Projected to a class: no per-block verification badges (issue 22).
    var quiet = options
    quiet.verificationDetails = false
    var builder = SlideBuilder(notebook: notebook, run: run.shown(for: notebook), options: quiet)
    builder.build()
    let fm = notebook.frontMatter
    let slides = builder.slides.enumerated().map { k, slide in
      DeckContext.Slide(
        number: k + 2, html: slide.html, notes: slide.notes,
        hasNotes: !slide.notes.allSatisfy(\.isWhitespace),
        line: slide.line, showsLine: options.instructorsOwn, estimate: Int(slide.estimate.height.rounded()))
    }
    let passed = run.checks.filter(\.passed).count
    let context = DeckContext(
      titleBlock: TitleBlock(
        frontMatter: fm, title: fm.title ?? builder.page.prose.firstH1 ?? notebook.name,
        byline: .dateOnItsOwnLine),
      slides: slides, count: slides.count + 1, titleNotes: builder.titleNotes,
      hasTitleNotes: !builder.titleNotes.allSatisfy(\.isWhitespace), statusFailed: run.failed,
      statusText: statusText(passed: passed, failed: run.checks.count - passed, broken: run.failed),
      notebookPath: notebook.shownPath, name: notebook.name, generator: options.generator,
      styles: try styles(
        options: options, templates: templates, katex: true, sheets: ["handout.css", "slides.css"]),
      scripts: try scripts(options: options))
    return template.render(TemplateValue(context), library: partials)
  }
}

extension Weave {
  /// A warning for each slide of `notebook`'s deck whose content, by `SlideEstimate`, would need to
  /// shrink below `SlideMetrics.minimumScale` to fit its frame: `file:line: slide "…" of the deck
  /// (render --slides) overflows by N px; split it with ---`, at the slide's first line (N in px of
  /// the unscaled slide); and for each slide showing a figure whose panels its slide variant draws
  /// smaller than `SlideMetrics.readablePanel` on a side: `slide "…" of the deck (render --slides)
  /// shows figure panels only N px across; show fewer panels in one figure`.
  public static func slideOverflows(notebook: Notebook, run: RunResult, options: WeaveOptions) -> [Diagnostic]
  {
    // The deck as `slides` weaves it: without per-block verification badges.
    var quiet = options
    quiet.verificationDetails = false
    var builder = SlideBuilder(notebook: notebook, run: run, options: quiet)
    builder.build()
    // `check` makes no deck: each line says which format it is about.
    let deck = "of the deck (render --slides)"
    return builder.slides.enumerated().flatMap { k, slide in
      // An untitled slide (cut by ---) by its number in the deck.
      let name = slide.title.map { "\"\($0)\"" } ?? "\(k + 2)"
      let at = SourceLocation(file: notebook.path, line: max(1, slide.line))
      var found: [Diagnostic] = []
      let overflow = slide.estimate.overflow
      if overflow > 0 {
        found.append(
          Diagnostic(
            .warning, "slide \(name) \(deck) overflows by \(overflow) px; split it with ---", at: at))
      }
      if let panel = slide.estimate.smallestPanel, panel < SlideMetrics.readablePanel {
        found.append(
          Diagnostic(
            .warning,
            "slide \(name) \(deck) shows figure panels only \(Int(panel)) px across (readable from "
              + "\(Int(SlideMetrics.readablePanel)) px); show fewer panels in one figure", at: at))
      }
      return found
    }
  }
}
