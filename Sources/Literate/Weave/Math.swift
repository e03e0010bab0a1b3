// Math as KaTeX reads it. What is math is decided once, by `ProseLexer` at the parse stage.

extension MathSpan {
  /// The HTML for a span: TeX escaped, wrapped in the delimiters KaTeX's renderer strips.
  /// Inline: `<span class="math inline">\(…\)</span>`; display: `<span class="math display">\[…\]</span>`
  /// (`asBlock` gives a `<div>` for a display span that is a paragraph of its own).
  func html(asBlock: Bool = false) -> String {
    let tex = HTML.escape(self.tex)
    if display {
      let tag = asBlock ? "div" : "span"
      return "<\(tag) class=\"math display\">\\[\(tex)\\]</\(tag)>"
    }
    return "<span class=\"math inline\">\\(\(tex)\\)</span>"
  }
}
