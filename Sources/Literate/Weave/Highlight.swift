// Code to HTML. Swift is classified by swift-syntax on the server, so the handout needs no script
// to colour it; R gets a tiny keyword/comment/string/number tokenizer; anything else is escaped text.
import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Syntax highlighting to `<span class="…">` runs. Class names (styled by `handout.css`):
/// `kw` keyword, `ty` type, `num` number, `str` string, `com` comment, `doc` doc comment,
/// `attr` attribute, `dir` compiler directive, `op` operator, `lbl` argument label, `fn` none.
enum Highlight {
  /// Highlighted HTML for `code` in `language` (the info string's first word, lowercased).
  /// Every character of `code` appears exactly once, HTML-escaped; only span tags are added.
  static func html(_ code: String, language: String, syntax: SourceFileSyntax? = nil) -> String {
    switch language {
    case "swift": swift(code, syntax: syntax ?? SwiftSource.parse(code))
    case "r": r(code)
    default: HTML.escape(code)
    }
  }

  /// Swift via `SyntaxClassifier`. Parsing never fails (swift-syntax recovers), so broken code is
  /// still shown in full; gaps between classified ranges are emitted as plain escaped text.
  static func swift(_ code: String, syntax tree: SourceFileSyntax) -> String {
    let bytes = Array(code.utf8)
    var out = ""
    var cursor = 0
    func text(_ from: Int, _ to: Int) -> String {
      String(decoding: bytes[max(0, from)..<min(to, bytes.count)], as: UTF8.self)
    }
    for range in tree.classifications {
      let start = range.range.lowerBound.utf8Offset
      let end = range.range.upperBound.utf8Offset
      guard start >= cursor, end <= bytes.count, end > start else { continue }
      if start > cursor { out += HTML.escape(text(cursor, start)) }
      let piece = HTML.escape(text(start, end))
      if let cls = cssClass(range.kind) {
        out += "<span class=\"\(cls)\">\(piece)</span>"
      } else {
        out += piece
      }
      cursor = end
    }
    if cursor < bytes.count { out += HTML.escape(text(cursor, bytes.count)) }
    return out
  }

  private static func cssClass(_ kind: SyntaxClassification) -> String? {
    switch kind {
    case .keyword: "kw"
    case .type: "ty"
    case .integerLiteral, .floatLiteral: "num"
    case .stringLiteral, .regexLiteral: "str"
    case .lineComment, .blockComment: "com"
    case .docLineComment, .docBlockComment: "com doc"
    case .attribute: "attr"
    case .ifConfigDirective: "dir"
    case .operator: "op"
    case .argumentLabel: "lbl"
    case .dollarIdentifier, .editorPlaceholder, .identifier, .none: nil
    @unknown default: nil
    }
  }

  private static let rKeywords: Set<String> = [
    "if", "else", "repeat", "while", "function", "for", "in", "next", "break", "return",
    "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_",
  ]

  /// R: comments, strings, numbers, keywords and `<-`; everything else plain.
  static func r(_ code: String) -> String {
    let s = Array(code.unicodeScalars)
    var out = ""
    var i = 0
    func piece(_ a: Int, _ b: Int) -> String { HTML.escape(String(String.UnicodeScalarView(s[a..<b]))) }
    func isIdent(_ c: Unicode.Scalar) -> Bool {
      c.properties.isAlphabetic || c == "_" || c == "." || ("0"..."9").contains(c)
    }
    while i < s.count {
      let c = s[i]
      if c == "#" {
        var j = i
        while j < s.count, s[j] != "\n" { j += 1 }
        out += "<span class=\"com\">\(piece(i, j))</span>"
        i = j
      } else if c == "\"" || c == "'" {
        var j = i + 1
        while j < s.count, s[j] != c { j += s[j] == "\\" ? 2 : 1 }
        j = min(j + 1, s.count)
        out += "<span class=\"str\">\(piece(i, j))</span>"
        i = j
      } else if ("0"..."9").contains(c) || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
        var j = i
        while j < s.count,
          isIdent(s[j]) || ((s[j] == "-" || s[j] == "+") && (s[j - 1] == "e" || s[j - 1] == "E"))
        { j += 1 }
        out += "<span class=\"num\">\(piece(i, j))</span>"
        i = j
      } else if c.properties.isAlphabetic || c == "." {
        var j = i
        while j < s.count, isIdent(s[j]) { j += 1 }
        let word = String(String.UnicodeScalarView(s[i..<j]))
        out += rKeywords.contains(word) ? "<span class=\"kw\">\(piece(i, j))</span>" : piece(i, j)
        i = j
      } else if c == "<", i + 1 < s.count, s[i + 1] == "-" {
        out += "<span class=\"op\">&lt;-</span>"
        i += 2
      } else {
        out += piece(i, i + 1)
        i += 1
      }
    }
    return out
  }
}
