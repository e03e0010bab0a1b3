// Math survives Markdown by not going through it: each `$…$` / `$$…$$` span is swapped for a
// placeholder word before cmark sees the text, and swapped back (HTML-escaped, for KaTeX) after.

/// One math span found in Markdown source.
struct MathSpan: Equatable, Sendable {
  /// The TeX between the dollars, byte-for-byte as written.
  var tex: String
  /// `$$…$$` (display) or `$…$` (inline).
  var display: Bool
}

/// Finds math in Markdown with pandoc's rules and replaces it by placeholders.
enum MathProtector {
  /// The placeholder for span `k`: an alphanumeric word that Markdown leaves alone (no `_`, `*`).
  static func placeholder(_ k: Int) -> String { "HANDOUTMATH\(k)X" }

  /// Replaces every math span in `markdown` by `placeholder(k)`.
  ///
  /// Rules (pandoc's `tex_math_dollars`):
  /// - `$$…$$` is display math and may span lines; an unclosed `$$` stays literal.
  /// - `$…$` is inline math when the opening `$` is followed by a non-space, the closing `$` is
  ///   preceded by a non-space and not followed by a digit, and no blank line lies between; so
  ///   "costs $5 and $10" stays text.
  /// - `\$` is a literal dollar (left for Markdown to unescape); inside math `\$` does not close.
  /// - Nothing inside code spans (backtick runs) or fenced code blocks is math.
  /// - Returns: the protected Markdown and the spans, `spans[k]` for `placeholder(k)`.
  static func protect(_ markdown: String) -> (markdown: String, spans: [MathSpan]) {
    let s = Array(markdown.unicodeScalars)
    // A String appended to scalar by scalar: `UnicodeScalarView.append(contentsOf:)` rebuilds the
    // whole view on every call (quadratic: 160 000 inline spans took 80 s).
    var out = ""
    out.reserveCapacity(markdown.utf8.count)
    var spans: [MathSpan] = []
    var i = 0
    var atLineStart = true
    var fence: (char: Unicode.Scalar, count: Int)? = nil

    func emit(_ from: Int, _ to: Int) {
      for k in from..<to { out.unicodeScalars.append(s[k]) }
    }
    var backtickRuns = BacktickRuns(s.lazy.map { $0 == "`" })

    while i < s.count {
      // Fenced code blocks: decided at the start of each line.
      if atLineStart {
        let lineEnd = s[i...].firstIndex(of: "\n") ?? s.count
        var j = i
        while j < lineEnd, j - i < 4, s[j] == " " { j += 1 }
        if j - i < 4, j < lineEnd, s[j] == "`" || s[j] == "~" {
          let c = s[j]
          var k = j
          while k < lineEnd, s[k] == c { k += 1 }
          let run = k - j
          let opens = fence == nil && run >= 3 && !(c == "`" && s[k..<lineEnd].contains("`"))
          // A line that only starts with a code span (`` `f` draws $x$ ``) is prose: scanned below.
          if fence != nil || opens {
            if let open = fence {
              if c == open.char, run >= open.count, s[k..<lineEnd].allSatisfy({ $0 == " " || $0 == "\t" }) {
                fence = nil
              }
            } else {
              fence = (c, run)
            }
            emit(i, min(lineEnd + 1, s.count))
            i = lineEnd + 1
            continue
          }
        }
        if fence != nil {
          emit(i, min(lineEnd + 1, s.count))
          i = lineEnd + 1
          continue
        }
      }
      let c = s[i]
      atLineStart = false
      switch c {
      case "\n":
        out.unicodeScalars.append(c)
        atLineStart = true
        i += 1
      case "\\":
        // A backslash escape: keep both characters, so `\$` is never an opening dollar.
        emit(i, min(i + 2, s.count))
        if i + 1 < s.count, s[i + 1] == "\n" { atLineStart = true }
        i += 2
      case "`":
        var k = i
        while k < s.count, s[k] == "`" { k += 1 }
        let run = k - i
        // Find a closing run of exactly the same length (from a table: searching the rest of the
        // text from every unclosed run was quadratic).
        if let closeStart = backtickRuns.first(length: run, from: k) {
          let closeEnd = closeStart + run
          emit(i, closeEnd)
          if s[i..<closeEnd].last == "\n" { atLineStart = true }
          i = closeEnd
        } else {
          emit(i, k)
          i = k
        }
      case "$":
        if let (span, end) = scanMath(s, at: i) {
          out += placeholder(spans.count)
          spans.append(span)
          i = end
        } else {
          // A `$$` that does not close stays literal as a pair, never as two inline openers.
          let pairEnd = (i + 1 < s.count && s[i + 1] == "$") ? i + 2 : i + 1
          emit(i, pairEnd)
          i = pairEnd
        }
      default:
        out.unicodeScalars.append(c)
        i += 1
      }
    }
    return (out, spans)
  }

  /// The math span opening at `s[i] == "$"`, and the index just past its closing dollar(s).
  private static func scanMath(_ s: [Unicode.Scalar], at i: Int) -> (MathSpan, Int)? {
    if i + 1 < s.count, s[i + 1] == "$" {
      var j = i + 2
      while j + 1 < s.count {
        if s[j] == "\\" { j += 2; continue }
        if s[j] == "$", s[j + 1] == "$" {
          let tex = String(String.UnicodeScalarView(s[(i + 2)..<j]))
          if tex.allSatisfy(\.isWhitespace) { return nil }
          return (MathSpan(tex: tex, display: true), j + 2)
        }
        j += 1
      }
      return nil
    }
    guard i + 1 < s.count, !s[i + 1].properties.isWhitespace else { return nil }
    var j = i + 1
    while j < s.count {
      let c = s[j]
      if c == "\\" { j += 2; continue }
      if c == "\n" {
        // A blank line ends the paragraph, and inline math with it.
        let next = s[(j + 1)...].first(where: { $0 != " " && $0 != "\t" })
        if next == nil || next == "\n" { return nil }
      }
      if c == "$" {
        let before = s[j - 1]
        let after: Unicode.Scalar? = j + 1 < s.count ? s[j + 1] : nil
        if !before.properties.isWhitespace, !(after.map { ("0"..."9").contains($0) } ?? false) {
          let tex = String(String.UnicodeScalarView(s[(i + 1)..<j]))
          return (MathSpan(tex: tex, display: false), j + 1)
        }
        return nil
      }
      j += 1
    }
    return nil
  }

  /// The HTML for a span: TeX escaped, wrapped in the delimiters KaTeX's renderer strips.
  /// Inline: `<span class="math inline">\(…\)</span>`; display: `<span class="math display">\[…\]</span>`
  /// (`asBlock` gives a `<div>` for a display span that is a paragraph of its own).
  static func html(_ span: MathSpan, asBlock: Bool = false) -> String {
    let tex = HTML.escape(span.tex)
    if span.display {
      let tag = asBlock ? "div" : "span"
      return "<\(tag) class=\"math display\">\\[\(tex)\\]</\(tag)>"
    }
    return "<span class=\"math inline\">\\(\(tex)\\)</span>"
  }
}
