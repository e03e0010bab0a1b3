// Finds the cross-reference syntax in prose: `@fig-x` references, `{#eq-x}` after display math,
// and `Table: caption {#tbl-x}` lines. One scanner for the resolver (which needs places) and the
// weaver (which replaces what it finds), so the two never disagree on what is a reference.

/// What the scanner found, at a range of the math-protected prose (`MathProtector.protect`).
struct ReferenceMark: Equatable, Sendable {
  /// What the mark is.
  enum Kind: Equatable, Sendable {
    /// `@fig-x`, `@eq-x`, `@tbl-x`: the label without the `@`.
    case reference(String)
    /// `{#eq-x}` after a display math span (`span` indexes the protector's spans); the range is the
    /// spaces before the braces through the closing brace.
    case equationLabel(String, span: Int)
    /// A `Table: caption` line (the range is `Table:` and the spaces after it); `label` is the
    /// `{#tbl-x}` at its end, if any, and `labelRange` the spaces before it through its brace.
    case tableCaption(label: String?, labelRange: Range<Int>?)
  }
  var kind: Kind
  /// Offsets in the protected text's `Character`s.
  var range: Range<Int>
}

/// The kinds of label: the prefix says what a label names.
enum LabelKind: String, CaseIterable, Sendable {
  case figure = "fig", equation = "eq", table = "tbl"

  /// The kind whose prefix (`fig-`, `eq-`, `tbl-`) `label` starts with.
  init?(label: String) {
    guard let dash = label.firstIndex(of: "-"), label.index(after: dash) < label.endIndex else { return nil }
    self.init(rawValue: String(label[..<dash]))
  }

  /// How prose reads a reference to target `number`: "Figure 2", "Equation (1)", "Table 1".
  func text(_ number: Int) -> String {
    switch self {
    case .figure: "Figure \(number)"
    case .equation: "Equation (\(number))"
    case .table: "Table \(number)"
    }
  }
}

/// Scans math-protected prose for `ReferenceMark`s.
///
/// Rules:
/// - A reference is `@` + `fig-`/`eq-`/`tbl-` + letters, digits, `-`, `_` (a trailing `-` or `_`
///   is not part of it), where the `@` is not preceded by a letter, digit, `.`, `_`, `-`, `+`, `/`
///   or a backslash: so `me@fig-x.org` and `\@fig-x` are left alone, as is `@MainActor`.
/// - Nothing inside code spans, fenced code blocks or indented code blocks (4 spaces after a blank
///   line) is a mark. Math is already out of the text (placeholders).
/// - `{#eq-x}` counts right after a display math placeholder (spaces between allowed).
/// - A caption is a line `Table: text` (up to 3 spaces before), optionally ending `{#tbl-x}`.
enum ReferenceScanner {
  static func isLabelCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
  }

  /// Whether `label` is a well-formed label: a known prefix, a dash, then label characters.
  static func isLabel(_ label: String) -> Bool {
    LabelKind(label: label) != nil && label.allSatisfy(isLabelCharacter) && label.last != "-"
      && label.last != "_"
  }

  /// Whether `text` may hold a mark at all (an `@`, a `{#` or a `Table:`): most prose has none, and
  /// this look at its bytes is much cheaper than the scan.
  static func mayHoldMarks(_ text: String) -> Bool {
    text.utf8.contains(UInt8(ascii: "@")) || text.contains("{#") || text.contains("Table:")
  }

  /// The marks of `text` (math-protected prose; `spans` from the same protection), in order.
  static func scan(_ text: String, spans: [MathSpan]) -> [ReferenceMark] {
    guard mayHoldMarks(text) else { return [] }
    let s = Array(text)
    var marks: [ReferenceMark] = []
    var backtickRuns = BacktickRuns(s.lazy.map { $0 == "`" })
    var i = 0
    var atLineStart = true
    var fence: (char: Character, count: Int)?
    var previousBlank = true
    var inIndentedCode = false
    while i < s.count {
      if atLineStart {
        atLineStart = false
        let lineEnd = s[i...].firstIndex(of: "\n") ?? s.count
        let line = s[i..<lineEnd]
        let indent = line.prefix { $0 == " " }.count
        let blank = line.allSatisfy { $0 == " " || $0 == "\t" }
        defer { previousBlank = blank }
        // Fenced code, as the math protector decides it.
        let body = line.dropFirst(indent)
        if indent < 4, let c = body.first, c == "`" || c == "~" {
          let run = body.prefix { $0 == c }.count
          if let open = fence {
            if c == open.char, run >= open.count, body.dropFirst(run).allSatisfy({ $0 == " " || $0 == "\t" })
            {
              fence = nil
            }
            i = lineEnd
            continue
          } else if run >= 3, !(c == "`" && body.dropFirst(run).contains("`")) {
            fence = (c, run)
            i = lineEnd
            continue
          }
        }
        if fence != nil {
          i = lineEnd
          continue
        }
        if !blank { inIndentedCode = indent >= 4 && (previousBlank || inIndentedCode) }
        if inIndentedCode {
          i = lineEnd
          continue
        }
        if indent < 4, body.starts(with: "Table:") {
          marks.append(tableCaption(s, lineStart: i + indent, lineEnd: lineEnd))
        }
      }
      let c = s[i]
      switch c {
      case "\n":
        atLineStart = true
        i += 1
      case "\\":
        if i + 1 < s.count, s[i + 1] == "\n" { atLineStart = true }
        i += 2
      case "`":
        var k = i
        while k < s.count, s[k] == "`" { k += 1 }
        if let close = backtickRuns.first(length: k - i, from: k) {
          i = close + (k - i)
          // A code span may hold line breaks; the line after it is not at its start.
        } else {
          i = k
        }
      case "@":
        let before: Character? = i > 0 ? s[i - 1] : nil
        let blocked = before.map { $0.isLetter || $0.isNumber || ".-_+/\\".contains($0) } ?? false
        var end = i + 1
        while end < s.count, isLabelCharacter(s[end]) { end += 1 }
        while end > i + 1, s[end - 1] == "-" || s[end - 1] == "_" { end -= 1 }
        let label = String(s[(i + 1)..<end])
        if !blocked, isLabel(label) {
          marks.append(ReferenceMark(kind: .reference(label), range: i..<end))
          i = end
        } else {
          i += 1
        }
      case "H":
        if let mark = equationLabel(s, at: i, spans: spans) {
          marks.append(mark)
          i = mark.range.upperBound
        } else {
          i += 1
        }
      default:
        i += 1
      }
    }
    return marks
  }

  /// `HANDOUTMATHkX {#eq-x}` at `i` with span k a display span: the label mark (its range starts
  /// after the placeholder).
  private static func equationLabel(_ s: [Character], at i: Int, spans: [MathSpan]) -> ReferenceMark? {
    let prefix = Array("HANDOUTMATH")
    guard i + prefix.count < s.count, Array(s[i..<(i + prefix.count)]) == prefix else { return nil }
    var j = i + prefix.count
    var k = 0
    let digitsStart = j
    while j < s.count, let d = s[j].wholeNumberValue, s[j].isASCII {
      k = k * 10 + d
      j += 1
    }
    guard j > digitsStart, j < s.count, s[j] == "X", k < spans.count, spans[k].display else { return nil }
    let afterPlaceholder = j + 1
    j = afterPlaceholder
    while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
    guard j + 2 < s.count, s[j] == "{", s[j + 1] == "#" else { return nil }
    var end = j + 2
    while end < s.count, isLabelCharacter(s[end]) { end += 1 }
    guard end < s.count, s[end] == "}" else { return nil }
    let label = String(s[(j + 2)..<end])
    guard LabelKind(label: label) == .equation, isLabel(label) else { return nil }
    return ReferenceMark(kind: .equationLabel(label, span: k), range: afterPlaceholder..<(end + 1))
  }

  /// The caption mark of a line that starts (at `start`) with `Table:`.
  private static func tableCaption(_ s: [Character], lineStart start: Int, lineEnd: Int) -> ReferenceMark {
    var afterPrefix = start + 6
    while afterPrefix < lineEnd, s[afterPrefix] == " " { afterPrefix += 1 }
    var label: String?
    var labelRange: Range<Int>?
    var end = lineEnd
    while end > afterPrefix, s[end - 1] == " " || s[end - 1] == "\t" { end -= 1 }
    if end > afterPrefix, s[end - 1] == "}",
      let open = s[afterPrefix..<end].lastIndex(of: "{"), open + 1 < end, s[open + 1] == "#"
    {
      let candidate = String(s[(open + 2)..<(end - 1)])
      if LabelKind(label: candidate) == .table, isLabel(candidate) {
        var from = open
        while from > afterPrefix, s[from - 1] == " " { from -= 1 }
        label = candidate
        labelRange = from..<end
      }
    }
    return ReferenceMark(
      kind: .tableCaption(label: label, labelRange: labelRange), range: start..<afterPrefix)
  }
}
