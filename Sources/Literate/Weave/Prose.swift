// Prose Markdown to HTML: math protected around cmark, inline values substituted, headings given
// stable ids and collected for the table of contents; `@label` references, equation labels and
// table captions (`CrossReferences`) swapped for placeholders around cmark, like math.
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
  private(set) var firstH1: String?
  /// The page's numbering: what `@label` reads and links to, and the numbers of labelled
  /// equations and tables. A reference to a label not in it is shown marked, unresolved.
  var references = CrossReferences()
  /// For the markdown being rendered: the label of each `HANDOUTREFkX`, the label of each labelled
  /// display span by span index, and the label (if any) of each `HANDOUTTBLkX` caption.
  private var referenceLabels: [String] = []
  private var equationLabels: [Int: String] = [:]
  private var tableCaptions: [String?] = []

  init(inlineValues: [Int: String] = [:], inlines: [InlineExpression] = []) {
    self.inlineValues = inlineValues
    self.inlines = inlines
  }

  /// Lists `entry` in the contents after the headings seen so far (an exercise's box).
  mutating func addToContents(_ entry: TOCEntry) { toc.append(entry) }

  /// HTML for `markdown`. With `headings: true`, headings get ids and h2/h3 join the TOC;
  /// the abstract is rendered with `headings: false`.
  /// With `escapeHTML: true` (text that came from program code, like figure captions) `<` and `>`
  /// outside math are shown as text, never parsed as tags.
  mutating func render(_ markdown: String, headings: Bool = true, escapeHTML: Bool = false) -> String {
    var (protected, spans) = MathProtector.protect(markdown)
    protected = markReferences(protected, spans: spans)
    if escapeHTML {
      protected = protected.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
        of: ">", with: "&gt;")
    }
    var html = CommonMark.html(protected)
    if !tableCaptions.isEmpty { html = captionTables(html) }
    if headings { html = addHeadingIDs(html, spans: spans) }
    return substitute(html, spans: spans)
  }

  /// Swaps what `ReferenceScanner` finds for placeholders: `@label` → `HANDOUTREFkX`, an
  /// equation's `{#eq-x}` → nothing (its span remembers the label), a caption's `Table:` →
  /// `HANDOUTTBLkX` and its `{#tbl-x}` → nothing.
  private mutating func markReferences(_ protected: String, spans: [MathSpan]) -> String {
    referenceLabels = []
    equationLabels = [:]
    tableCaptions = []
    let marks = ReferenceScanner.scan(protected, spans: spans)
    guard !marks.isEmpty else { return protected }
    var edits: [(range: Range<Int>, text: String)] = []
    for mark in marks {
      switch mark.kind {
      case .reference(let label):
        edits.append((mark.range, "HANDOUTREF\(referenceLabels.count)X"))
        referenceLabels.append(label)
      case .equationLabel(let label, let span):
        equationLabels[span] = label
        edits.append((mark.range, ""))
      case .tableCaption(let label, let labelRange):
        edits.append((mark.range, "HANDOUTTBL\(tableCaptions.count)X "))
        if let labelRange { edits.append((labelRange, "")) }
        tableCaptions.append(label)
      }
    }
    var chars = Array(protected)
    for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
      chars.replaceSubrange(edit.range, with: Array(edit.text))
    }
    return String(chars)
  }

  /// A caption paragraph (`<p>HANDOUTTBLkX text</p>`) right after a `</table>` becomes that
  /// table's caption ("Table n: text" when labelled): the table and the caption go into a
  /// `<figure class="table-figure">` with the label as its `id` (a `<caption>` would be as wide as
  /// a narrow table, and tables are `display: block` to scroll). One anywhere else reads
  /// "Table: text" again (`substitute`).
  private func captionTables(_ html: String) -> String {
    var html = html
    for (k, label) in tableCaptions.enumerated().reversed() {
      guard let start = html.range(of: "<p>HANDOUTTBL\(k)X"),
        let end = html.range(of: "</p>\n", range: start.upperBound..<html.endIndex)
      else { continue }
      let before = html[..<start.lowerBound]
      guard before.hasSuffix("</table>\n"), let open = before.range(of: "<table>", options: .backwards) else {
        continue
      }
      var caption = String(html[start.upperBound..<end.lowerBound])
      while caption.first == " " { caption.removeFirst() }
      var head = "<figure class=\"table-figure\"" + (label.map { " id=\"\(HTML.escape($0))\"" } ?? "")
      head += ">\n<figcaption>"
      if let label, let target = references.targets[label] {
        head += "<span class=\"tbl-number\">\(target.text)</span>" + (caption.isEmpty ? "" : ": ")
      }
      head += caption + "</figcaption>\n"
      html.replaceSubrange(start.lowerBound..<end.upperBound, with: "</figure>\n")
      html.insert(contentsOf: head, at: open.lowerBound)
    }
    return html
  }

  /// The top-level blocks of `markdown`, each rendered as `render` renders it (heading ids, math,
  /// inline values, references, callouts, a table with its caption as one block), with what kind
  /// of block it is: a slide starts at each `#`/`##` heading (`kind` holds the written level,
  /// before `headingShift`) and at each `---`.
  mutating func renderBlocks(_ markdown: String) -> [(kind: CommonMark.TopLevelKind, html: String, line: Int)]
  {
    var (protected, spans) = MathProtector.protect(markdown)
    protected = markReferences(protected, spans: spans)
    var blocks: [(kind: CommonMark.TopLevelKind, html: String, line: Int)] = []
    for block in CommonMark.topLevelBlocks(protected) {
      // A table's caption is a paragraph of its own to cmark; it stays with its table.
      if block.html.hasPrefix("<p>HANDOUTTBL"), let last = blocks.last, last.html.hasSuffix("</table>\n") {
        blocks[blocks.count - 1].html += block.html
      } else {
        blocks.append(block)
      }
    }
    return blocks.map { block in
      let html = tableCaptions.isEmpty ? block.html : captionTables(block.html)
      return (block.kind, substitute(addHeadingIDs(html, spans: spans), spans: spans), block.line)
    }
  }

  /// `<hN>inner</hN>` → `<hN id="slug">inner</hN>`; records h2/h3 in `toc`.
  ///
  /// A heading is `<hN>` closed by the next `</hN>` on the same line (what cmark writes), N in 1…6.
  /// - Complexity: linear in the HTML's length. (It was quadratic: each match copied the rest of
  ///   the page, and 40 000 headings took a minute.)
  private mutating func addHeadingIDs(_ html: String, spans: [MathSpan]) -> String {
    let bytes = Array(html.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 16)
    var copied = 0
    var lineStart = 0
    while lineStart < bytes.count {
      let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      // Where each `</hN>` of the line starts, in order; a cursor per level only moves forward.
      var closes = [[Int]](repeating: [], count: 7)
      var p = lineStart
      while p + 4 < lineEnd {
        if bytes[p] == UInt8(ascii: "<"), bytes[p + 1] == UInt8(ascii: "/"),
          bytes[p + 2] == UInt8(ascii: "h"),
          (49...54).contains(bytes[p + 3]), bytes[p + 4] == UInt8(ascii: ">")
        {
          closes[Int(bytes[p + 3] - 48)].append(p)
        }
        p += 1
      }
      var cursor = [Int](repeating: 0, count: 7)
      p = lineStart
      while p + 3 < lineEnd {
        guard bytes[p] == UInt8(ascii: "<"), bytes[p + 1] == UInt8(ascii: "h"),
          (49...54).contains(bytes[p + 2]),
          bytes[p + 3] == UInt8(ascii: ">")
        else {
          p += 1
          continue
        }
        let written = Int(bytes[p + 2] - 48)
        let innerStart = p + 4
        while cursor[written] < closes[written].count, closes[written][cursor[written]] < innerStart {
          cursor[written] += 1
        }
        guard cursor[written] < closes[written].count else {
          p += 1
          continue
        }
        let close = closes[written][cursor[written]]
        out += bytes[copied..<p]
        let level = min(6, written + headingShift)
        let inner = String(decoding: bytes[innerStart..<close], as: UTF8.self)
        let id = uniqueID(slug(inner, spans: spans))
        out += Array("<h\(level) id=\"\(id)\">\(inner)</h\(level)>".utf8)
        if level == 2 || level == 3 {
          toc.append(TOCEntry(level: level, id: id, html: substitute(inner, spans: spans, links: false)))
        }
        if written == 1, firstH1 == nil {
          firstH1 = HTML.plainText(substitute(inner, spans: spans, plain: true))
        }
        p = close + 5
        copied = p
      }
      lineStart = lineEnd + 1
    }
    out += bytes[copied...]
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether `markdown` has a level-1 heading (ATX `# x` or a setext `===` underline). A line-based
  /// look, fenced code excluded; a false positive only shifts heading levels.
  static func hasH1(_ markdown: String) -> Bool {
    var inFence = false
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.drop { $0 == " " }
      if line.count - trimmed.count > 3 { continue }
      if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); continue }
      if inFence { continue }
      if trimmed == "#" || trimmed.hasPrefix("# ") || trimmed.hasPrefix("#\t") { return true }
      if !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "=" || $0 == " " }), trimmed.first == "=" {
        return true
      }
    }
    return false
  }

  /// GitHub-style slug: lowercased letters and digits, runs of anything else become one `-`.
  /// Math contributes its TeX letters (`$\eta$` → "eta"); empty slugs become "section".
  private func slug(_ inner: String, spans: [MathSpan]) -> String {
    let text = HTML.plainText(substitute(inner, spans: spans, plain: true)).lowercased()
    var out = ""
    var dash = false
    for ch in text.unicodeScalars {
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

  /// The next suffix to try for a base: 50 000 headings named alike (a 10 MB notebook) took
  /// minutes when every one counted up from 2 again.
  private var nextSuffix: [String: Int] = [:]

  private mutating func uniqueID(_ base: String) -> String {
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

  // Built once: a regex literal in a function body is parsed again on every call (perf: 7% of a
  // warm render).
  nonisolated(unsafe) static let displayPlaceholder = #/<p>HANDOUTMATH(\d+)X</p>/#
  nonisolated(unsafe) static let placeholder = #/HANDOUT(MATH|INLINE|REF|TBL)(\d+)X/#

  /// Replaces math and inline-value placeholders. A display span alone in a paragraph becomes a
  /// `<div>` (a `<div>` inside `<p>` is invalid HTML). `plain: true` gives text for slugs/titles;
  /// `links: false` writes references without their link (the contents' entries are links already).
  func substitute(_ html: String, spans: [MathSpan], plain: Bool = false, links: Bool = true) -> String {
    // Most headings and many paragraphs have no placeholder at all.
    guard html.contains("HANDOUT") else { return html }
    var html = html
    if !plain {
      html = html.replacing(Self.displayPlaceholder) { m in
        guard let k = Int(m.output.1), k < spans.count, spans[k].display else { return String(m.output.0) }
        if let label = equationLabels[k] { return equation(spans[k], label: label, asBlock: true) }
        return MathProtector.html(spans[k], asBlock: true)
      }
    }
    return html.replacing(Self.placeholder) { m in
      guard let k = Int(m.output.2) else { return String(m.output.0) }
      switch m.output.1 {
      case "MATH":
        guard k < spans.count else { return String(m.output.0) }
        if plain { return HTML.escape(spans[k].tex) }
        if let label = equationLabels[k] { return equation(spans[k], label: label, asBlock: false) }
        return MathProtector.html(spans[k])
      case "REF":
        guard k < referenceLabels.count else { return String(m.output.0) }
        return reference(referenceLabels[k], plain: plain, link: links)
      case "TBL":
        return "Table:"
      default:
        break
      }
      if let value = inlineValues[k] {
        return plain ? HTML.escape(value) : "<span class=\"inline-value\">\(HTML.escape(value))</span>"
      }
      let expression = inlines.first { $0.index == k }?.expression ?? "#\(k)"
      if plain { return HTML.escape(expression) }
      return "<span class=\"inline-missing\" title=\"this inline expression produced no value\">"
        + "⚠ <code>\(HTML.escape(expression))</code> (no value)</span>"
    }
  }

  /// `@label` as the page reads it: a link "Figure 2" to the target; a label the page does not
  /// know stays `@label`, marked (its error is among the page's problems).
  private func reference(_ label: String, plain: Bool, link: Bool = true) -> String {
    guard let target = references.targets[label] else {
      if plain { return "@" + HTML.escape(label) }
      return "<span class=\"xref-missing\" title=\"unknown reference\">@\(HTML.escape(label))</span>"
    }
    if plain { return HTML.escape(target.text) }
    if !link { return "<span class=\"xref\">\(HTML.escape(target.text))</span>" }
    return "<a class=\"xref\" href=\"#\(HTML.escape(label))\">\(HTML.escape(target.text))</a>"
  }

  /// A labelled display equation: the math, then its number "(n)" at the right, under the
  /// label's `id` (a `<div>` when the equation is a paragraph of its own).
  private func equation(_ span: MathSpan, label: String, asBlock: Bool) -> String {
    let tag = asBlock ? "div" : "span"
    let number = references.targets[label].map { "<span class=\"eq-number\">(\($0.number))</span>" } ?? ""
    return
      "<\(tag) class=\"equation\" id=\"\(HTML.escape(label))\">\(MathProtector.html(span))\(number)</\(tag)>"
  }
}
