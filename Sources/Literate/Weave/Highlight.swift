// Code to HTML. Swift is classified by swift-syntax on the server, so the handout needs no script
// to colour it; R gets a tiny keyword/comment/string/number tokenizer; anything else is escaped text.
import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Syntax highlighting to `<span class="…">` runs. Class names (styled by `handout.css`):
/// `kw` keyword, `ty` type, `num` number, `str` string, `com` comment, `doc` doc comment,
/// `attr` attribute, `dir` compiler directive, `op` operator, `lbl` argument label, `fn` none.
enum Highlight {
  /// A run of source text and its class (nil: plain). The runs of a block, in order, are its code.
  typealias Token = (text: String, cls: String?)

  /// Highlighted HTML for `code` in `language` (the info string's first word, lowercased).
  /// Every character of `code` appears exactly once, HTML-escaped; only span tags are added.
  static func html(_ code: String, language: String, syntax: SourceFileSyntax? = nil) -> String {
    tokens(code, language: language, syntax: syntax).map { span($0.text, $0.cls) }.joined()
  }

  /// Highlighted HTML, one `<span class="line">` per source line (its newline inside it), so a
  /// line too long for its box wraps under itself with a hanging indent (`handout.css`): the
  /// continuation starts four columns right of the line's own indent (`--i`, in columns, a tab
  /// counted as two), never at column 0 where it would read as a new statement. Every character of
  /// `code` appears exactly once, so copying the code (its text content, or a selection of it)
  /// gives it back exactly; a token that spans lines (a block comment) is closed at each line's
  /// end and opened again on the next.
  static func lines(_ code: String, language: String, syntax: SourceFileSyntax? = nil) -> String {
    var out = ""
    var line = ""
    var indent = 0
    var atStart = true
    func close() {
      out += indent > 0 ? "<span class=\"line\" style=\"--i:\(indent)\">" : "<span class=\"line\">"
      out += line + "</span>"
      line = ""
      indent = 0
      atStart = true
    }
    for token in tokens(code, language: language, syntax: syntax) {
      var piece = ""
      for character in token.text {
        if atStart, character == " " || character == "\t" {
          indent += character == "\t" ? 2 : 1
        } else {
          atStart = false
        }
        piece.append(character)
        if character.isNewline {
          line += span(piece, token.cls)
          piece = ""
          close()
        }
      }
      if !piece.isEmpty { line += span(piece, token.cls) }
    }
    if !line.isEmpty || out.isEmpty { close() }
    return out
  }

  private static func span(_ text: String, _ cls: String?) -> String {
    cls.map { "<span class=\"\($0)\">\(HTML.escape(text))</span>" } ?? HTML.escape(text)
  }

  static func tokens(_ code: String, language: String, syntax: SourceFileSyntax? = nil) -> [Token] {
    switch language {
    case "swift": swift(code, syntax: syntax ?? SwiftSource.parse(code))
    case "r": r(code)
    default: [(code, nil)]
    }
  }

  /// Swift via `SyntaxClassifier`. Parsing never fails (swift-syntax recovers), so broken code is
  /// still shown in full; gaps between classified ranges are plain text.
  static func swift(_ code: String, syntax tree: SourceFileSyntax) -> [Token] {
    let bytes = Array(code.utf8)
    var out: [Token] = []
    var cursor = 0
    func text(_ from: Int, _ to: Int) -> String {
      String(decoding: bytes[max(0, from)..<min(to, bytes.count)], as: UTF8.self)
    }
    for range in tree.classifications {
      let start = range.range.lowerBound.utf8Offset
      let end = range.range.upperBound.utf8Offset
      guard start >= cursor, end <= bytes.count, end > start else { continue }
      if start > cursor { out.append((text(cursor, start), nil)) }
      out.append((text(start, end), cssClass(range.kind)))
      cursor = end
    }
    if cursor < bytes.count { out.append((text(cursor, bytes.count), nil)) }
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
  static func r(_ code: String) -> [Token] {
    let s = Array(code.unicodeScalars)
    var out: [Token] = []
    var i = 0
    func piece(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(s[a..<b])) }
    func isIdent(_ c: Unicode.Scalar) -> Bool {
      c.properties.isAlphabetic || c == "_" || c == "." || ("0"..."9").contains(c)
    }
    while i < s.count {
      let c = s[i]
      if c == "#" {
        var j = i
        while j < s.count, s[j] != "\n" { j += 1 }
        out.append((piece(i, j), "com"))
        i = j
      } else if c == "\"" || c == "'" {
        var j = i + 1
        while j < s.count, s[j] != c { j += s[j] == "\\" ? 2 : 1 }
        j = min(j + 1, s.count)
        out.append((piece(i, j), "str"))
        i = j
      } else if ("0"..."9").contains(c) || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
        var j = i
        while j < s.count,
          isIdent(s[j]) || ((s[j] == "-" || s[j] == "+") && (s[j - 1] == "e" || s[j - 1] == "E"))
        { j += 1 }
        out.append((piece(i, j), "num"))
        i = j
      } else if c.properties.isAlphabetic || c == "." {
        var j = i
        while j < s.count, isIdent(s[j]) { j += 1 }
        let word = String(String.UnicodeScalarView(s[i..<j]))
        out.append((piece(i, j), rKeywords.contains(word) ? "kw" : nil))
        i = j
      } else if c == "<", i + 1 < s.count, s[i + 1] == "-" {
        out.append(("<-", "op"))
        i += 2
      } else {
        out.append((piece(i, i + 1), nil))
        i += 1
      }
    }
    return out
  }
}
