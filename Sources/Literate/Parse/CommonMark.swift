// The only file that talks to cmark-gfm: Markdown, lexed by `ProseLexer`, to the typed tree of
// `Markdown.swift` (as swift-markdown's `CommonMarkConverter` does). Every C object is freed with
// `defer` in the scope that made it; no C pointer leaves this file.
import CCmark
import Foundation
import Synchronization

/// CommonMark + GitHub extensions (tables, strikethrough, autolinks, tag filter) to Swift values.
enum CommonMark {
  /// Registers the core extensions exactly once per process (Swift global initialisers run once,
  /// thread-safely, so concurrent renders never race on cmark's registry).
  private static let extensionsRegistered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
  }()

  /// The extensions every notebook gets. `tagfilter` (applied when the tree is woven) neutralises
  /// `<script>`, `<iframe>`, `<style>`… written in prose, while still allowing `<br>` or `<sup>`.
  static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter"]

  /// How many times cmark has parsed Markdown in this process (tests read it to see that prose
  /// is parsed once, whatever the formats).
  static let conversions = Atomic<Int>(0)

  private static let options = CMARK_OPT_SMART | CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG

  /// The tree of `markdown`: lexed (math, inline expressions, references), then parsed by cmark
  /// with smart punctuation; links that would run script lose their destination; GitHub's alerts
  /// become callouts; a `Table:` caption after a table joins it.
  /// With `escapeHTML` (text a program wrote, like a figure caption) `<` and `>` outside math are
  /// text, never tags.
  static func convert(_ lexed: LexedProse, escapeHTML: Bool = false) -> [MarkdownBlock] {
    convertWithLines(lexed, escapeHTML: escapeHTML).blocks
  }

  /// `convert`, with the 1-based source line each top-level block starts on.
  static func convertWithLines(_ lexed: LexedProse, escapeHTML: Bool = false) -> (
    blocks: [MarkdownBlock], lines: [Int]
  ) {
    let converted = convertWithNesting(lexed, escapeHTML: escapeHTML)
    return (converted.blocks, converted.lines)
  }

  /// How deep blocks and inlines may sit inside one another (block quotes, list items, emphasis,
  /// links): every walker of the tree recurses, and 3 000 nested list items or 20 000 nested
  /// brackets overflowed `handout`'s stack. No handout nests a tenth of this.
  static let nestingLimit = 64

  /// `convertWithLines`, and where the prose nests deeper than `nestingLimit` (1-based line and
  /// column in `lexed`'s source), or nil: what lies deeper is left out of the tree.
  static func convertWithNesting(_ lexed: LexedProse, escapeHTML: Bool = false) -> (
    blocks: [MarkdownBlock], lines: [Int], tooDeep: (line: Int, column: Int)?
  ) {
    var text = lexed.text
    if escapeHTML {
      text = text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
    _ = extensionsRegistered
    conversions.add(1, ordering: .relaxed)
    guard let parser = cmark_parser_new(options) else { return ([], [], nil) }
    defer { cmark_parser_free(parser) }
    for name in extensionNames {
      if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
    }
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
        cmark_parser_feed(parser, base, buffer.count)
      }
    }
    guard let document = cmark_parser_finish(parser) else { return ([], [], nil) }
    defer { cmark_node_free(document) }
    cmark_consolidate_text_nodes(document)
    let tooDeep = cutNesting(document, below: nestingLimit).map { (lexed.sourceLine($0.line), $0.column) }
    let converter = Converter(marks: lexed.marks, sources: lexed.sources)
    let top = converter.blocksWithLines(document)
    return (top.map { Converter.callout($0.block) }, top.map { lexed.sourceLine($0.line) }, tooDeep)
  }

  /// Frees the children of every node `limit` levels below `document` (found with cmark's own
  /// iterator, which does not recurse; `cmark_node_free` does not either), and returns where the
  /// first of them started, or nil when none is that deep.
  static func cutNesting(_ document: OpaquePointer, below limit: Int) -> (line: Int, column: Int)? {
    guard let iterator = cmark_iter_new(document) else { return nil }
    var deepest: [OpaquePointer] = []
    while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
      guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
        cmark_node_first_child(node) != nil
      else { continue }
      // Its depth, counted up to one past the limit (a node below a cut one is never kept).
      var depth = 0
      var parent = cmark_node_parent(node)
      while let above = parent, depth <= limit {
        depth += 1
        parent = cmark_node_parent(above)
      }
      if depth == limit { deepest.append(node) }
    }
    cmark_iter_free(iterator)
    for node in deepest {
      while let child = cmark_node_first_child(node) {
        cmark_node_unlink(child)
        cmark_node_free(child)
      }
    }
    return deepest.first.map { (Int(cmark_node_get_start_line($0)), Int(cmark_node_get_start_column($0))) }
  }

  /// cmark's own HTML for `markdown` (same options and extensions, no math, callouts or link
  /// filtering): the reference the tree's walker is tested against.
  static func referenceHTML(_ markdown: String) -> String {
    _ = extensionsRegistered
    guard let parser = cmark_parser_new(options) else { return "" }
    defer { cmark_parser_free(parser) }
    for name in extensionNames {
      if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
    }
    cmark_parser_feed(parser, markdown, markdown.utf8.count)
    guard let document = cmark_parser_finish(parser) else { return "" }
    defer { cmark_node_free(document) }
    guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
      return ""
    }
    defer { free(html) }
    return String(cString: html)
  }

  /// Whether a link destination would run script when followed. Browsers ignore ASCII whitespace
  /// and control characters inside a scheme (`java\tscript:`) and its case: so does this.
  /// `data:` is allowed only for images (`data:image/png|gif|jpeg|webp`).
  static func isScriptURL(_ url: String, image: Bool) -> Bool {
    let scheme = String(
      String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }.prefix(40))
    ).lowercased()
    if scheme.hasPrefix("javascript:") || scheme.hasPrefix("vbscript:") || scheme.hasPrefix("file:") {
      return true
    }
    guard scheme.hasPrefix("data:") else { return false }
    return
      !(image
      && ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains {
        scheme.hasPrefix($0)
      })
  }
}

/// Walks a cmark document into `MarkdownBlock`s, putting the lexer's marks back as nodes.
private struct Converter {
  let marks: [LexedProse.Mark]
  let sources: [String]

  func blocks(_ parent: OpaquePointer) -> [MarkdownBlock] { blocksWithLines(parent).map(\.block) }

  /// The blocks in `parent`, each with the line it starts on.
  func blocksWithLines(_ parent: OpaquePointer) -> [(block: MarkdownBlock, line: Int)] {
    var out: [(block: MarkdownBlock, line: Int)] = []
    var child = cmark_node_first_child(parent)
    while let node = child {
      if let block = block(node) {
        // A `Table:` paragraph right after a table is its caption.
        if case .paragraph(let inlines) = block, case .captionMarker(let label, let at, _)? = inlines.first,
          case .table(var table)? = out.last?.block, table.caption == nil
        {
          table.caption = TableCaption(
            label: label, labelLocation: at, content: Self.trimLeadingSpaces(inlines.dropFirst()))
          out[out.count - 1].block = .table(table)
        } else {
          out.append((block, Int(cmark_node_get_start_line(node))))
        }
      }
      child = cmark_node_next(node)
    }
    return out
  }

  private static func trimLeadingSpaces(_ inlines: ArraySlice<MarkdownInline>) -> [MarkdownInline] {
    var inlines = Array(inlines)
    if case .text(let t)? = inlines.first {
      let trimmed = String(t.drop { $0 == " " })
      if trimmed.isEmpty { inlines.removeFirst() } else { inlines[0] = .text(trimmed) }
    }
    return inlines
  }

  private func literal(_ node: OpaquePointer) -> String {
    cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
  }

  private func block(_ node: OpaquePointer) -> MarkdownBlock? {
    switch cmark_node_get_type(node) {
    case CMARK_NODE_PARAGRAPH: return .paragraph(inlines(node))
    case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(node))
    case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
    case CMARK_NODE_BLOCK_QUOTE: return .blockQuote(blocks(node))
    case CMARK_NODE_CODE_BLOCK:
      let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
      return .code(info: restore(info), literal: restore(literal(node)))
    case CMARK_NODE_HTML_BLOCK: return .html(split(literal(node), html: true))
    case CMARK_NODE_LIST:
      var items: [[MarkdownBlock]] = []
      var item = cmark_node_first_child(node)
      while let current = item {
        items.append(blocks(current))
        item = cmark_node_next(current)
      }
      return .list(
        MarkdownList(
          ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
          start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0,
          items: items))
    default:
      let type = cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
      return type == "table" ? .table(table(node)) : nil
    }
  }

  private func table(_ node: OpaquePointer) -> MarkdownTable {
    let columns = Int(cmark_gfm_extensions_get_table_columns(node))
    let raw = cmark_gfm_extensions_get_table_alignments(node)
    let alignments: [MarkdownTable.Alignment] = (0..<columns).map { k in
      switch raw.map({ UInt8($0[k]) }) {
      case UInt8(ascii: "l"): .left
      case UInt8(ascii: "c"): .center
      case UInt8(ascii: "r"): .right
      default: .none
      }
    }
    var table = MarkdownTable(alignments: alignments, header: [], rows: [], caption: nil)
    var row = cmark_node_first_child(node)
    while let current = row {
      var cells: [[MarkdownInline]] = []
      var cell = cmark_node_first_child(current)
      while let c = cell {
        cells.append(inlines(c))
        cell = cmark_node_next(c)
      }
      if cmark_gfm_extensions_get_table_row_is_header(current) != 0 {
        table.header = cells
      } else {
        table.rows.append(cells)
      }
      row = cmark_node_next(current)
    }
    return table
  }

  private func inlines(_ parent: OpaquePointer) -> [MarkdownInline] {
    var out: [MarkdownInline] = []
    var child = cmark_node_first_child(parent)
    while let node = child {
      out += inline(node)
      child = cmark_node_next(node)
    }
    return out
  }

  private func inline(_ node: OpaquePointer) -> [MarkdownInline] {
    switch cmark_node_get_type(node) {
    case CMARK_NODE_TEXT: return split(literal(node), html: false)
    case CMARK_NODE_CODE: return [.code(restore(literal(node)))]
    case CMARK_NODE_HTML_INLINE: return split(literal(node), html: true)
    case CMARK_NODE_SOFTBREAK: return [.softBreak]
    case CMARK_NODE_LINEBREAK: return [.lineBreak]
    case CMARK_NODE_EMPH: return [.emphasis(inlines(node))]
    case CMARK_NODE_STRONG: return [.strong(inlines(node))]
    case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
      let image = cmark_node_get_type(node) == CMARK_NODE_IMAGE
      var url = restore(cmark_node_get_url(node).map { String(cString: $0) } ?? "")
      if CommonMark.isScriptURL(url, image: image) { url = "" }
      let title = restore(cmark_node_get_title(node).map { String(cString: $0) } ?? "")
      if !image, let text = autolinkText(node) {
        return [.link(destination: url, title: title, [.text(text)])]
      }
      return image
        ? [.image(source: url, title: title, inlines(node))]
        : [.link(destination: url, title: title, inlines(node))]
    default:
      let type = cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
      return type == "strikethrough" ? [.strikethrough(inlines(node))] : inlines(node)
    }
  }

  /// The text of an autolink (`<https://…>`, a bare `https://…` or `www.…`, an e-mail address):
  /// its one text child spells its address, so an `@label` or `$` in it is text, put back as
  /// written. nil for any other link.
  private func autolinkText(_ node: OpaquePointer) -> String? {
    guard let child = cmark_node_first_child(node), cmark_node_next(child) == nil,
      cmark_node_get_type(child) == CMARK_NODE_TEXT
    else { return nil }
    let url = restore(cmark_node_get_url(node).map { String(cString: $0) } ?? "")
    let text = restore(literal(child))
    return [text, "mailto:" + text, "http://" + text].contains(url) ? text : nil
  }

  /// `text` cut at the lexer's placeholders: text (or raw HTML) pieces and the marks' nodes.
  private func split(_ text: String, html: Bool) -> [MarkdownInline] {
    var out: [MarkdownInline] = []
    var rest = text[...]
    while let (range, k) = Self.placeholder(in: rest) {
      if range.lowerBound > rest.startIndex {
        let piece = String(rest[..<range.lowerBound])
        out.append(html ? .html(piece) : .text(piece))
      }
      switch marks[k] {
      case .math(let span): out.append(.math(span))
      case .inline(let index): out.append(.inlineValue(index))
      case .reference(let label, let at): out.append(.reference(label, at))
      case .caption(let label, let at, let start):
        out.append(.captionMarker(label: label, labelLocation: at, start: start))
      }
      rest = rest[range.upperBound...]
    }
    if !rest.isEmpty { out.append(html ? .html(String(rest)) : .text(String(rest))) }
    return out
  }

  /// `text` with every placeholder put back as the source it stands for (in code, URLs, titles).
  private func restore(_ text: String) -> String {
    guard text.contains("HANDOUTMARK") else { return text }
    var out = ""
    var rest = text[...]
    while let (range, k) = Self.placeholder(in: rest) {
      out += rest[..<range.lowerBound] + sources[k]
      rest = rest[range.upperBound...]
    }
    return out + rest
  }

  /// The first `HANDOUTMARKkX` in `text` whose k is a mark, and k.
  private static func placeholder(in text: Substring) -> (Range<Substring.Index>, Int)? {
    var from = text.startIndex
    while let start = text[from...].range(of: "HANDOUTMARK") {
      var end = start.upperBound
      while end < text.endIndex, text[end].isASCII, text[end].isNumber { end = text.index(after: end) }
      if end > start.upperBound, end < text.endIndex, text[end] == "X",
        let k = Int(text[start.upperBound..<end])
      {
        return (start.lowerBound..<text.index(after: end), k)
      }
      from = start.upperBound
    }
    return nil
  }

  /// GitHub's alerts: a top-level blockquote whose first line is `[!NOTE]`, `[!TIP]`,
  /// `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (any case) alone on its line becomes a callout
  /// (the marker and the line break after it removed, and an empty first paragraph). Any other
  /// marker (`[!FOO]`), text after the marker on its line, or a blockquote inside a list or
  /// another blockquote stays a plain blockquote, as on GitHub.
  static func callout(_ block: MarkdownBlock) -> MarkdownBlock {
    guard case .blockQuote(var content) = block, case .paragraph(let inlines)? = content.first else {
      return block
    }
    var marker = ""
    var consumed = 0
    for inline in inlines {
      consumed += 1
      if inline == .softBreak || inline == .lineBreak { break }
      guard case .text(let t) = inline else { return block }
      marker += t
    }
    guard let kind = Callout(marker: marker) else { return block }
    let rest = Array(inlines.dropFirst(consumed))
    if rest.isEmpty { content.removeFirst() } else { content[0] = .paragraph(rest) }
    return .callout(kind, content)
  }
}
