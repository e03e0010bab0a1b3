// The slide deck: the same notebook and run as the page, cut into 16:9 slides. The slide chrome,
// navigation and speaker view are `templates/slides.mustache` and `slides.css`; every cell, output,
// figure and prose block is made by `PageBuilder`, exactly as on the page.
import Foundation

/// One slide of a deck (after the title slide): its content and its speaker notes, both HTML.
struct Slide: Equatable {
  var html = ""
  var notes = ""

  /// Nothing but white space.
  var isEmpty: Bool { html.allSatisfy(\.isWhitespace) }
}

/// Cuts a notebook's nodes into slides, rendering each node through a `PageBuilder`.
///
/// Rules: a slide starts at each top-level `#` or `##` heading of the prose and at each `---`
/// (the rule itself is not shown); content before the first heading is a slide of its own when
/// there is any. A `::: notes` division's content goes to the notes of the slide it stands in.
/// Inside an exercise or solution a heading or `---` does not cut (a division stays on one slide,
/// so its HTML stays whole).
struct SlideBuilder {
  var page: PageBuilder
  /// The slides after the title slide, in order.
  private(set) var slides: [Slide] = []
  /// Notes written before anything else: they belong to the title slide.
  private(set) var titleNotes = ""

  init(notebook: Notebook, run: RunResult, options: WeaveOptions) {
    page = PageBuilder(notebook: notebook, run: run, options: options)
  }

  mutating func build() {
    var current = Slide()
    var open: [Division.Kind] = []
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
    for node in page.notebook.nodes {
      let inNotes = open.contains(.notes)
      switch node {
      case .open(let division):
        open.append(division.kind)
        if !inNotes, division.kind != .notes { current.html += page.html(for: node) }
      case .close(let division):
        if !open.isEmpty { open.removeLast() }
        if !inNotes, division.kind != .notes { current.html += page.html(for: node) }
      case .prose(let prose) where open.isEmpty:
        for block in page.prose.renderBlocks(prose.blocks) {
          switch block.kind {
          case .heading(let level) where level <= 2:
            cut()
            current.html += block.html
          case .thematicBreak: cut()
          default: current.html += block.html
          }
        }
        current.html += "\n"
      default:
        let html = page.html(for: node) + "\n"
        if inNotes { current.notes += html } else { current.html += html }
      }
    }
    cut()
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
    var builder = SlideBuilder(notebook: notebook, run: run, options: options)
    builder.build()
    let fm = notebook.frontMatter
    let slides: [[String: Any]] = builder.slides.enumerated().map { k, slide in
      [
        "number": k + 2, "html": slide.html, "notes": slide.notes,
        "hasNotes": !slide.notes.allSatisfy(\.isWhitespace),
      ]
    }
    let checks = run.checks
    let passed = checks.filter(\.passed).count
    var context: [String: Any] = [
      "lang": "en",
      "title": fm.title ?? builder.page.prose.firstH1 ?? notebook.name,
      "slides": slides,
      "count": slides.count + 1,
      "titleNotes": builder.titleNotes,
      "hasTitleNotes": !builder.titleNotes.allSatisfy(\.isWhitespace),
      "statusFailed": run.failed,
      "statusText": statusText(passed: passed, failed: checks.count - passed, broken: run.failed),
      "notebookPath": notebook.path,
      "name": notebook.name,
      "generator": options.generator,
      "styles": try styles(
        options: options, templates: templates, katex: true, sheets: ["handout.css", "slides.css"]),
      "scripts": try scripts(options: options),
    ]
    if let v = fm.subtitle { context["subtitle"] = v }
    if let v = fm.author { context["author"] = v }
    if let v = fm.date { context["date"] = v }
    if let v = fm.course { context["course"] = v }
    return template.render(context)
  }
}
