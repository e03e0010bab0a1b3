// Prose to HTML: a walker over the tree the parse stage made (`Prose`), writing math for KaTeX,
// inline values, `@label` references as links, numbered equations and captioned tables, and giving
// headings stable ids collected for the table of contents. No Markdown is read here.
import Foundation

/// One entry of the table of contents (h2 and h3 headings).
struct TOCEntry: Equatable, Sendable {
  var level: Int
  var id: String
  /// The heading's inner HTML (math and inline values already substituted).
  var html: String
  /// An exercise's box rather than a heading (listed among the headings where it stands).
  var isExercise = false
}

/// Renders the prose nodes of one page, in order. Heading ids are unique across the whole page, so
/// one renderer is used for every prose node of a notebook.
struct ProseRenderer {
  /// Values of inline expressions by index (`RunResult.inlineValues`).
  var inlineValues: [Int: String]
  /// The notebook's inline expressions, for the message when a value is missing.
  var inlines: [InlineExpression]
  /// Added to every heading level (capped at 6). The page sets 1 when the title block already
  /// holds the page's `<h1>` and the prose uses `#` for its sections, so there is one h1 per page
  /// and the sections become h2 (and join the contents).
  var headingShift = 0
  /// Ids already taken on the page (seeded with the template's own ids).
  var usedIDs: Set<String> = ["contents", "problems", "main", "title"]
  /// h2/h3 headings seen so far.
  private(set) var toc: [TOCEntry] = []
  /// Plain text of the first h1 seen, used as the page title when front matter has none.
  var firstH1: String?
  /// The page's numbering: what `@label` reads and links to, and the numbers of labelled
  /// equations and tables. A reference to a label not in it is shown marked, unresolved.
  var references = CrossReferences()
  /// Writing the deck: a reference to a target shown only on the page (`::: handout`) is not a link.
  var onDeck = false
  /// The next suffix to try for a base: 50 000 headings named alike (a 10 MB notebook) took
  /// minutes when every one counted up from 2 again.
  private var nextSuffix: [String: Int] = [:]

  init(inlineValues: [Int: String] = [:], inlines: [InlineExpression] = []) {
    self.inlineValues = inlineValues
    self.inlines = inlines
  }

  /// Lists `entry` in the contents after the headings seen so far (an exercise's box).
  mutating func addToContents(_ entry: TOCEntry) { toc.append(entry) }

  /// HTML for parsed prose. With `headings: true`, headings get ids and h2/h3 join the TOC; the
  /// abstract, captions and titles are rendered with `headings: false`.
  mutating func render(_ blocks: [MarkdownBlock], headings: Bool = true) -> String {
    var out = ""
    write(blocks, into: &out, headings: headings)
    return out
  }

  /// HTML for Markdown that is not notebook prose (a test's text), parsed now as `Prose.tree(of:)`
  /// parses the abstract, titles and captions. Inline `swift` expressions are not read in it.
  /// With `escapeHTML: true`, `<` and `>` outside math are text.
  mutating func render(_ markdown: String, headings: Bool = true, escapeHTML: Bool = false) -> String {
    render(Self.parse(markdown, escapeHTML: escapeHTML), headings: headings)
  }

  /// HTML for `markdown` parsed as notebook prose is (its inline `swift` expressions numbered
  /// from 0).
  mutating func render(notebookProse markdown: String) -> String {
    guard case .prose(let prose) = Node.prose(markdown: markdown, line: 1) else { return "" }
    return render(prose.blocks)
  }

  /// The tree of Markdown that is not notebook prose, for tests: `Prose.tree(of:escapeHTML:)`.
  static func parse(_ markdown: String, escapeHTML: Bool = false) -> [MarkdownBlock] {
    Prose.tree(of: markdown, escapeHTML: escapeHTML)
  }

  /// What a top-level block of prose is, for cutting prose into slides.
  enum TopLevelKind: Equatable {
    /// `#` … `######` (or a setext heading) at this written level.
    case heading(Int)
    /// `---`, `***` or `___` on a line of its own.
    case thematicBreak
    /// Anything else: a paragraph, list, table (with its caption), quote, raw HTML, math.
    case other
  }

  /// The top-level blocks of `prose`, each rendered as `render` renders it, with what kind of
  /// block it is and its 1-based first line in `prose.markdown`: a slide starts at each `#`/`##`
  /// heading (`kind` holds the written level, before `headingShift`) and at each `---`.
  mutating func renderBlocks(_ prose: Prose) -> [(kind: TopLevelKind, html: String, line: Int)] {
    prose.blocks.enumerated().map { k, block in
      var out = ""
      write(block, into: &out, tight: false, headings: true)
      let line = k < prose.blockLines.count ? prose.blockLines[k] : 1
      switch block {
      case .heading(let level, _): return (.heading(level), out, line)
      case .thematicBreak: return (.thematicBreak, out, line)
      default: return (.other, out, line)
      }
    }
  }

  /// GitHub-style slug of a heading's text: lowercased letters and digits, runs of anything else
  /// become one `-`. Math contributes its TeX letters (`$\eta$` → "eta"); empty slugs become
  /// "section".
  static func slug(_ text: String) -> String {
    var out = ""
    var dash = false
    for ch in text.lowercased().unicodeScalars {
      if ch.properties.isAlphabetic || ("0"..."9").contains(ch) {
        if dash, !out.isEmpty { out += "-" }
        out.unicodeScalars.append(ch)
        dash = false
      } else {
        dash = true
      }
    }
    return out.isEmpty ? "section" : out
  }

  mutating func uniqueID(_ base: String) -> String {
    var id = base
    var n = nextSuffix[base] ?? 2
    while usedIDs.contains(id) {
      id = "\(base)-\(n)"
      n += 1
    }
    nextSuffix[base] = n
    usedIDs.insert(id)
    return id
  }

  /// `@label` as the page reads it: a link "Figure 2" to the target; a label the page does not
  /// know stays `@label`, marked (its error is among the page's problems).
  func reference(_ label: String, plain: Bool, link: Bool = true) -> String {
    guard let target = references.targets[label] else {
      if plain { return "@" + HTML.escape(label) }
      return "<span class=\"xref-missing\" title=\"unknown reference\">@\(HTML.escape(label))</span>"
    }
    if plain { return HTML.escape(target.text) }
    // On the deck a target shown only on the page is the handout's number, with no link.
    if !link || (onDeck && target.pageOnly) {
      return "<span class=\"xref\">\(HTML.escape(target.text))</span>"
    }
    return "<a class=\"xref\" href=\"#\(HTML.escape(label))\">\(HTML.escape(target.text))</a>"
  }

  /// A math span for KaTeX; a labelled display equation with its number "(n)" at the right, under
  /// the label's `id` (a `<div>` when the equation is a paragraph of its own).
  func mathHTML(_ span: MathSpan, asBlock: Bool) -> String {
    guard let label = span.label else { return span.html(asBlock: asBlock) }
    let tag = asBlock ? "div" : "span"
    let number = references.targets[label].map { "<span class=\"eq-number\">(\($0.number))</span>" } ?? ""
    return "<\(tag) class=\"equation\" id=\"\(HTML.escape(label))\">\(span.html())\(number)</\(tag)>"
  }
}
