// The prose tree to HTML: a walker that writes what cmark-gfm's HTML renderer writes for the same
// document (its line breaks, escaping, tight lists, tables and tag filter), with math, inline
// values, references, heading ids and table captions written by `ProseRenderer`.
import Foundation

extension ProseRenderer {
  /// Appends a line break unless `out` is empty or already ends with one (cmark's `cr`).
  static func cr(_ out: inout String) {
    if let last = out.utf8.last, last != UInt8(ascii: "\n") { out += "\n" }
  }

  /// Writes `blocks`; `tight` when they are the content of an item of a tight list.
  mutating func write(_ blocks: [MarkdownBlock], into out: inout String, tight: Bool = false, headings: Bool)
  {
    for block in blocks { write(block, into: &out, tight: tight, headings: headings) }
  }

  mutating func write(_ block: MarkdownBlock, into out: inout String, tight: Bool, headings: Bool) {
    switch block {
    case .paragraph(let inlines):
      if tight {
        out += inlineHTML(inlines)
      } else if inlines.count == 1, case .math(let span) = inlines[0], span.display {
        // A display equation alone in its paragraph: a `<div>` (a `<div>` inside `<p>` is invalid).
        Self.cr(&out)
        out += mathHTML(span, asBlock: true) + "\n"
      } else {
        Self.cr(&out)
        out += "<p>" + inlineHTML(inlines) + "</p>\n"
      }
    case .heading(let level, let inlines):
      Self.cr(&out)
      out += headings ? heading(written: level, inlines) : "<h\(level)>\(inlineHTML(inlines))</h\(level)>\n"
    case .thematicBreak:
      Self.cr(&out)
      out += "<hr />\n"
    case .blockQuote(let content):
      Self.cr(&out)
      out += "<blockquote>\n"
      write(content, into: &out, headings: headings)
      Self.cr(&out)
      out += "</blockquote>\n"
    case .callout(let kind, let content):
      Self.cr(&out)
      out += kind.opening
      Self.cr(&out)
      write(content, into: &out, headings: headings)
      Self.cr(&out)
      out += kind.closing
      Self.cr(&out)
    case .list(let list):
      Self.cr(&out)
      out += !list.ordered ? "<ul>\n" : list.start == 1 ? "<ol>\n" : "<ol start=\"\(list.start)\">\n"
      for item in list.items {
        Self.cr(&out)
        out += "<li>"
        write(item, into: &out, tight: list.tight, headings: headings)
        out += "</li>\n"
      }
      out += list.ordered ? "</ol>\n" : "</ul>\n"
    case .code(let info, let literal):
      Self.cr(&out)
      let language = info.prefix { !" \t\n\u{0B}\u{0C}\r".contains($0) }
      out += info.isEmpty ? "<pre><code>" : "<pre lang=\"\(Self.escape(String(language)))\"><code>"
      out += Self.escape(literal) + "</code></pre>\n"
    case .html(let pieces):
      Self.cr(&out)
      for piece in pieces {
        if case .html(let literal) = piece {
          out += Self.filterHTMLBlock(literal)
        } else {
          out += inlineHTML([piece])
        }
      }
      Self.cr(&out)
    case .table(let table):
      write(table, into: &out)
    }
  }

  /// `<hN id="slug">…</hN>` at the written level plus `headingShift`; h2 and h3 join the contents,
  /// the first h1 written names the page when the front matter does not.
  private mutating func heading(written: Int, _ inlines: [MarkdownInline]) -> String {
    let level = min(6, written + headingShift)
    let inner = inlineHTML(inlines)
    let text = plainText(inlines)
    let id = uniqueID(Self.slug(text))
    if level == 2 || level == 3 {
      addToContents(TOCEntry(level: level, id: id, html: inlineHTML(inlines, links: false)))
    }
    if written == 1, firstH1 == nil { firstH1 = text }
    return "<h\(level) id=\"\(id)\">\(inner)</h\(level)>\n"
  }

  /// A table as cmark writes it; with a caption, inside a `<figure class="table-figure">` whose
  /// `id` is its label, the caption reading "Table n: text" when labelled (a `<caption>` would be
  /// as wide as a narrow table, and tables are `display: block` to scroll).
  private func write(_ table: MarkdownTable, into out: inout String) {
    Self.cr(&out)
    if let caption = table.caption {
      var text = inlineHTML(caption.content)
      while text.first == " " { text.removeFirst() }
      out += "<figure class=\"table-figure\"" + (caption.label.map { " id=\"\(HTML.escape($0))\"" } ?? "")
      out += ">\n"
      // Unnumbered (shown only on the slides) and without text: no caption box at all.
      if let label = caption.label, let target = references.targets[label] {
        out += "<figcaption><span class=\"tbl-number\">\(target.text)</span>" + (text.isEmpty ? "" : ": ")
        out += text + "</figcaption>\n"
      } else if !text.isEmpty {
        out += "<figcaption>" + text + "</figcaption>\n"
      }
    }
    out += "<table>"
    func row(_ cells: [[MarkdownInline]], tag: String) {
      Self.cr(&out)
      out += "<tr>"
      for (k, cell) in cells.enumerated() {
        Self.cr(&out)
        let align: String =
          switch k < table.alignments.count ? table.alignments[k] : .none {
          case .none: ""
          case .left: " align=\"left\""
          case .center: " align=\"center\""
          case .right: " align=\"right\""
          }
        out += "<\(tag)\(align)>" + inlineHTML(cell) + "</\(tag)>"
      }
      Self.cr(&out)
      out += "</tr>"
    }
    Self.cr(&out)
    out += "<thead>"
    Self.cr(&out)
    row(table.header, tag: "th")
    Self.cr(&out)
    out += "</thead>"
    for (k, cells) in table.rows.enumerated() {
      if k == 0 {
        Self.cr(&out)
        out += "<tbody>"
        Self.cr(&out)
      }
      row(cells, tag: "td")
    }
    if !table.rows.isEmpty {
      Self.cr(&out)
      out += "</tbody>"
      Self.cr(&out)
    }
    Self.cr(&out)
    out += "</table>"
    Self.cr(&out)
    if table.caption != nil { out += "</figure>\n" }
  }

  /// Inline HTML. `links: false` writes references without their link (the contents' entries are
  /// links already, and so is a link's text).
  func inlineHTML(_ inlines: [MarkdownInline], links: Bool = true) -> String {
    var out = ""
    for inline in inlines {
      switch inline {
      case .text(let text): out += Self.escape(text)
      case .code(let code): out += "<code>" + Self.escape(code) + "</code>"
      case .emphasis(let c): out += "<em>" + inlineHTML(c, links: links) + "</em>"
      case .strong(let c): out += "<strong>" + inlineHTML(c, links: links) + "</strong>"
      case .strikethrough(let c): out += "<del>" + inlineHTML(c, links: links) + "</del>"
      case .link(let destination, let title, let c):
        out += "<a href=\"" + Self.escapeHref(destination)
        if !title.isEmpty { out += "\" title=\"" + Self.escape(title) }
        // A reference inside is its text: no link inside a link.
        out += "\">" + inlineHTML(c, links: false) + "</a>"
      case .image(let source, let title, let c):
        out += "<img src=\"" + Self.escapeHref(source) + "\" alt=\"" + altText(c)
        if !title.isEmpty { out += "\" title=\"" + Self.escape(title) }
        out += "\" />"
      case .html(let literal):
        out += Self.isFilteredTag(Array(literal.utf8)[...]) ? "&lt;" + literal.dropFirst() : literal
      case .softBreak: out += "\n"
      case .lineBreak: out += "<br />\n"
      case .math(let span): out += mathHTML(span, asBlock: false)
      case .inlineValue(let k): out += inlineValue(k)
      case .reference(let label, _): out += reference(label, plain: false, link: links)
      case .captionMarker: out += "Table:"
      }
    }
    return out
  }

  /// An image's `alt`, plain text (a tag cannot stand in an attribute): its text, code and HTML
  /// escaped, line breaks as spaces (as cmark does), math as its TeX source, an inline value as
  /// its text (the expression when the run gave none), a reference as the text it reads ("Figure 2").
  private func altText(_ inlines: [MarkdownInline]) -> String {
    inlines.map { inline in
      switch inline {
      case .text(let t), .code(let t), .html(let t): Self.escape(t)
      case .softBreak, .lineBreak: " "
      case .math(let span): Self.escape(span.tex)
      case .inlineValue(let k): Self.escape(inlineValues[k] ?? expression(k))
      case .reference(let label, _): reference(label, plain: true)
      case .captionMarker: "Table:"
      case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c), .image(_, _, let c):
        altText(c)
      }
    }.joined()
  }

  /// The text a reader sees: for slugs, the page's title and its contents.
  func plainText(_ inlines: [MarkdownInline]) -> String {
    inlines.map { inline in
      switch inline {
      case .text(let t), .code(let t): t
      case .html, .image: ""
      case .softBreak, .lineBreak: "\n"
      case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c): plainText(c)
      case .math(let span): span.tex
      case .inlineValue(let k): inlineValues[k] ?? expression(k)
      case .reference(let label, _): references.targets[label]?.text ?? "@" + label
      case .captionMarker: "Table:"
      }
    }.joined()
  }

  private func expression(_ k: Int) -> String { inlines.first { $0.index == k }?.expression ?? "#\(k)" }

  /// The value of inline expression `k`, or a marked stand-in when the run produced none.
  private func inlineValue(_ k: Int) -> String {
    if let value = inlineValues[k] { return "<span class=\"inline-value\">\(HTML.escape(value))</span>" }
    return "<span class=\"inline-missing\" title=\"this inline expression produced no value\">"
      + "⚠ <code>\(HTML.escape(expression(k)))</code> (no value)</span>"
  }

  /// cmark's escaping of text: `&`, `<`, `>` and `"` (not `'`).
  static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else {
      return text
    }
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 16)
    for byte in text.utf8 {
      switch byte {
      case 0x26: out += "&amp;".utf8
      case 0x3C: out += "&lt;".utf8
      case 0x3E: out += "&gt;".utf8
      case 0x22: out += "&quot;".utf8
      default: out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// cmark's escaping of a URL: safe characters kept, `&` and `'` as entities, the rest `%XX`.
  static func escapeHref(_ url: String) -> String {
    var out: [UInt8] = []
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in url.utf8 {
      let c = Unicode.Scalar(byte)
      let safe =
        byte < 0x80
        && (c.properties.isAlphabetic || ("0"..."9").contains(c)
          || "-_.+!*(),%#@?=;:/$~".unicodeScalars.contains(c))
      if safe {
        out.append(byte)
      } else if byte == UInt8(ascii: "&") {
        out += "&amp;".utf8
      } else if byte == UInt8(ascii: "'") {
        out += "&#x27;".utf8
      } else {
        out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// GFM's tag filter: `<title>`, `<textarea>`, `<style>`, `<xmp>`, `<iframe>`, `<noembed>`,
  /// `<noframes>`, `<script>`, `<plaintext>` (open or close, any case) at the start of `tag`.
  static func isFilteredTag(_ tag: ArraySlice<UInt8>) -> Bool {
    let tag = Array(tag)
    guard tag.count >= 3, tag[0] == UInt8(ascii: "<") else { return false }
    let start = tag[1] == UInt8(ascii: "/") ? 2 : 1
    for name in ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"]
    {
      let n = Array(name.utf8)
      let end = start + n.count
      guard end < tag.count, zip(tag[start..<end], n).allSatisfy({ ($0 | 0x20) == $1 }) else { continue }
      let next = tag[end]
      if [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, UInt8(ascii: ">")].contains(next) { return true }
      if next == UInt8(ascii: "/"), end + 1 < tag.count, tag[end + 1] == UInt8(ascii: ">") { return true }
    }
    return false
  }

  /// An HTML block with every filtered tag's `<` written `&lt;`.
  static func filterHTMLBlock(_ literal: String) -> String {
    let bytes = Array(literal.utf8)
    guard bytes.contains(UInt8(ascii: "<")) else { return literal }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for (k, byte) in bytes.enumerated() {
      if byte == UInt8(ascii: "<"), isFilteredTag(bytes[k..<min(k + 14, bytes.count)]) {
        out += "&lt;".utf8
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
