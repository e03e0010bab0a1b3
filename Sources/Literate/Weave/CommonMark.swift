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
    _ = extensionsRegistered
    let options = CMARK_OPT_SMART | CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG
    guard let parser = cmark_parser_new(options) else { return "" }
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
    guard let document = cmark_parser_finish(parser) else { return "" }
    defer { cmark_node_free(document) }
    guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser))
    else { return "" }
    defer { free(rendered) }
    return String(cString: rendered)
  }
}
