// The only file that talks to cmark-gfm. Every C object is freed with `defer` in the scope that made
// it; no C pointer leaves this file. The API above it is `String -> String`.
import CCmark
import Foundation

/// CommonMark + GitHub extensions (tables, strikethrough, autolinks, tag filter) to HTML.
enum CommonMark {
  /// Registers the core extensions exactly once per process (Swift global initialisers run once,
  /// thread-safely, so concurrent renders never race on cmark's registry).
  private static let extensionsRegistered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
  }()

  /// The extensions every notebook gets. `tagfilter` neutralises `<script>`, `<iframe>`, `<style>`…
  /// written in prose, while still allowing an author's `<br>` or `<sup>`.
  static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter"]

  /// Renders `markdown` to an HTML fragment.
  ///
  /// Options: smart punctuation (“quotes”, en/em dashes) and raw inline HTML allowed (the author
  /// is trusted; code *output* is escaped elsewhere, never passed through here).
  /// - Returns: HTML, or "" if cmark fails to allocate (it never does for valid UTF-8 input).
  static func html(_ markdown: String) -> String {
    parsed(markdown) { document, extensions in
      guard let rendered = cmark_render_html(document, options, extensions) else { return "" }
      defer { free(rendered) }
      return String(cString: rendered)
    } ?? ""
  }

  /// What a top-level block of a document is, for cutting prose into slides.
  enum TopLevelKind: Equatable {
    /// `#` … `######` (or a setext heading) at this written level.
    case heading(Int)
    /// `---`, `***` or `___` on a line of its own.
    case thematicBreak
    /// Anything else: a paragraph, list, table, quote, raw HTML, math.
    case other
  }

  /// The top-level blocks of `markdown` in order, each rendered to HTML on its own (as `html`
  /// renders them, link references resolved over the whole text), with its 1-based first line. Empty when cmark fails to
  /// allocate.
  static func topLevelBlocks(_ markdown: String) -> [(kind: TopLevelKind, html: String, line: Int)] {
    parsed(markdown) { document, extensions in
      var blocks: [(kind: TopLevelKind, html: String, line: Int)] = []
      var node = cmark_node_first_child(document)
      while let current = node {
        let type = cmark_node_get_type(current)
        let kind: TopLevelKind =
          type == CMARK_NODE_HEADING
          ? .heading(Int(cmark_node_get_heading_level(current)))
          : type == CMARK_NODE_THEMATIC_BREAK ? .thematicBreak : .other
        var html = ""
        if let rendered = cmark_render_html(current, options, extensions) {
          html = String(cString: rendered)
          free(rendered)
        }
        blocks.append((kind, html, Int(cmark_node_get_start_line(current))))
        node = cmark_node_next(current)
      }
      return blocks
    } ?? []
  }

  private static let options = CMARK_OPT_SMART | CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG

  /// Parses `markdown` (script URLs dropped) and hands the document and the parser's extensions
  /// to `body`, freeing both after. nil when cmark fails to allocate.
  private static func parsed<T>(
    _ markdown: String, _ body: (OpaquePointer, UnsafeMutablePointer<cmark_llist>?) -> T
  ) -> T? {
    _ = extensionsRegistered
    guard let parser = cmark_parser_new(options) else { return nil }
    defer { cmark_parser_free(parser) }
    for name in extensionNames {
      if let ext = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, ext)
      }
    }
    var bytes = Array(markdown.utf8)
    bytes.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
        cmark_parser_feed(parser, base, buffer.count)
      }
    }
    guard let document = cmark_parser_finish(parser) else { return nil }
    defer { cmark_node_free(document) }
    dropScriptURLs(document)
    makeCallouts(document)
    return body(document, cmark_parser_get_syntax_extensions(parser))
  }

  /// Empties the destination of every link and image whose URL would run script: `javascript:`,
  /// `vbscript:`, `file:`, and `data:` except images (`data:image/png|gif|jpeg|webp` in an image).
  /// Raw HTML in prose is not touched: the author, who runs code anyway, is trusted with it; this
  /// keeps a Markdown link (in prose, or a figure caption a program wrote) from becoming script.
  /// (cmark's own filter comes with its safe mode, which would also drop the author's raw HTML.)
  private static func dropScriptURLs(_ document: OpaquePointer) {
    guard let iterator = cmark_iter_new(document) else { return }
    defer { cmark_iter_free(iterator) }
    while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
      guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
      let type = cmark_node_get_type(node)
      guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE, let url = cmark_node_get_url(node) else {
        continue
      }
      if isScriptURL(String(cString: url), image: type == CMARK_NODE_IMAGE) { cmark_node_set_url(node, "") }
    }
  }

  /// GitHub's alerts: a top-level blockquote whose first line is `[!NOTE]`, `[!TIP]`,
  /// `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (any case) alone on its line becomes a callout box
  /// (`Callout.opening`/`closing` around the blockquote's content, the marker removed). Any other
  /// marker (`[!FOO]`), text after the marker on its line, or a blockquote inside a list or another
  /// blockquote stays a plain blockquote, as on GitHub.
  private static func makeCallouts(_ document: OpaquePointer) {
    var quotes: [(OpaquePointer, Callout)] = []
    var child = cmark_node_first_child(document)
    while let node = child {
      if cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE, let callout = calloutMarker(node) {
        quotes.append((node, callout))
      }
      child = cmark_node_next(node)
    }
    for (quote, callout) in quotes {
      guard let box = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
      cmark_node_set_on_enter(box, callout.opening)
      cmark_node_set_on_exit(box, callout.closing)
      // The marker's text nodes and the line break after it go; an empty first paragraph too.
      if let paragraph = cmark_node_first_child(quote) {
        while let inline = cmark_node_first_child(paragraph) {
          let type = cmark_node_get_type(inline)
          cmark_node_unlink(inline)
          cmark_node_free(inline)
          if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK { break }
        }
        if cmark_node_first_child(paragraph) == nil {
          cmark_node_unlink(paragraph)
          cmark_node_free(paragraph)
        }
      }
      cmark_node_insert_before(quote, box)
      while let content = cmark_node_first_child(quote) { cmark_node_append_child(box, content) }
      cmark_node_unlink(quote)
      cmark_node_free(quote)
    }
  }

  /// The callout a blockquote's first line names: the text nodes of its first paragraph up to the
  /// first line break, which must read `[!KIND]` (spaces around allowed) and nothing else.
  private static func calloutMarker(_ quote: OpaquePointer) -> Callout? {
    guard let paragraph = cmark_node_first_child(quote),
      cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH
    else { return nil }
    var text = ""
    var inline = cmark_node_first_child(paragraph)
    while let node = inline {
      let type = cmark_node_get_type(node)
      if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK { break }
      guard type == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(node) else { return nil }
      text += String(cString: literal)
      inline = cmark_node_next(node)
    }
    return Callout(marker: text)
  }

  /// Whether a link destination would run script when followed. Browsers ignore ASCII whitespace
  /// and control characters inside a scheme (`java\tscript:`) and its case: so does this.
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
