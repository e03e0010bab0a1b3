// The one lexer of prose: it decides what is math, an inline `swift` value, a `@label` reference,
// an equation's `{#eq-x}` and a table caption's `Table:`, and swaps each for a placeholder word
// cmark leaves alone (cmark has no math; `CommonMark.convert` turns the placeholders back into
// tree nodes). Code spans and fenced code are read here once, so nothing in them is any of these.
import Foundation

/// What `ProseLexer` found, and the text cmark is given.
struct LexedProse {
  /// One thing found, standing in the text as `ProseLexer.placeholder(k)`.
  enum Mark: Equatable {
    case math(MathSpan)
    /// Inline expression `index` (its placeholder stands for the whole code span); a broken one
    /// (its error reported) leaves nothing.
    case inline(Int)
    case reference(String, SourceLocation)
    /// `Table:` at the start of a line (the placeholder stands for it and the spaces after);
    /// `label` is the `{#tbl-x}` at the line's end, removed from the text.
    case caption(label: String?, labelLocation: SourceLocation?, start: SourceLocation)
  }
  /// The prose with every mark replaced by its placeholder.
  var text: String
  var marks: [Mark]
  /// The source text of each mark, put back where a placeholder lands in code.
  var sources: [String]
  /// Line breaks a placeholder stands for (multi-line math): after line `line` of `text`, the
  /// source is `shift` lines further on.
  var lineShifts: [(line: Int, shift: Int)] = []

  /// The line of the source that line `line` of `text` came from (both 1-based).
  func sourceLine(_ line: Int) -> Int {
    line + lineShifts.reduce(0) { $0 + ($1.line < line ? $1.shift : 0) }
  }
}

/// Finds math, inline expressions and references in prose.
///
/// Math follows Pandoc's `tex_math_dollars`:
/// - `$$…$$` is display math and may span lines; an unclosed `$$` stays literal (an error).
/// - `$…$` is inline math when the opening `$` is followed by a non-space, the closing `$` is
///   preceded by a non-space and not followed by a digit, and no blank line lies between; so
///   "costs $5 and $10" stays text.
/// - `\$` is a literal dollar; inside math `\$` does not close.
/// - Nothing inside code spans (backtick runs) or fenced code blocks is math.
///
/// A code span `` `swift EXPR` `` is an inline expression. A reference is `@` + `fig-`/`eq-`/`tbl-`
/// + letters, digits, `-`, `_` (not ending in `-`/`_`), where the `@` does not follow a letter,
/// digit, `.`, `_`, `-`, `+`, `/` or `\` (so `me@fig-x.org` stays text), outside code spans.
/// Whether one stands in code the tree decides: cmark puts a placeholder that lands in a code
/// block, a link's address or an autolink back as the source it stands for (`CommonMark`).
/// `{#eq-x}` counts right after display math; a caption is a line `Table: text` (up to 3 spaces
/// before), optionally ending `{#tbl-x}`.
struct ProseLexer {
  let path: String
  let firstLine: Int
  let firstInlineIndex: Int
  let afterBlockCount: Int
  /// Whether `` `swift EXPR` `` is an inline expression (notebook prose) or a code span (a figure
  /// caption a program wrote, a title: only the parser numbers inline expressions).
  let inlineExpressions: Bool
  private(set) var inlines: [InlineExpression] = []
  private(set) var diagnostics: [Diagnostic] = []

  init(
    path: String, firstLine: Int, firstInlineIndex: Int = 0, afterBlockCount: Int = 0,
    inlineExpressions: Bool = true
  ) {
    self.inlineExpressions = inlineExpressions
    self.path = path
    self.firstLine = firstLine
    self.firstInlineIndex = firstInlineIndex
    self.afterBlockCount = afterBlockCount
  }

  /// The placeholder of mark `k`: an alphanumeric word that Markdown leaves alone (no `_`, `*`).
  static func placeholder(_ k: Int) -> String { "HANDOUTMARK\(k)X" }

  private struct State {
    var s: [Character]
    var lineOf: [Int] = []
    var columnOf: [Int] = []
    var out = ""
    var marks: [LexedProse.Mark] = []
    var sources: [String] = []
    var lineShifts: [(line: Int, shift: Int)] = []
    var backtickRuns: BacktickRuns
    /// A caption waiting for its `{#tbl-x}`: the mark's index and the label's range.
    var pendingLabel: (mark: Int, range: Range<Int>, label: String)?
    /// Where a search for a closing `$$` found none (a later search cannot find one either).
    var noDisplayCloseFrom: Int?
    var reportedUnclosedDisplay = false

    init(_ text: String, firstLine: Int) {
      s = Array(text)
      backtickRuns = BacktickRuns(s.lazy.map { $0 == "`" })
      lineOf.reserveCapacity(s.count + 1)
      columnOf.reserveCapacity(s.count + 1)
      var line = firstLine
      var column = 1
      for c in s {
        lineOf.append(line)
        columnOf.append(column)
        if c == "\n" { line += 1; column = 1 } else { column += 1 }
      }
      lineOf.append(line)
      columnOf.append(column)
    }

    mutating func emit(_ range: Range<Int>) { out += String(s[range]) }

    mutating func mark(_ mark: LexedProse.Mark, source: Range<Int>, trailing: String = "") {
      let lost = s[source].count { $0 == "\n" }
      if lost > 0 { lineShifts.append((out.utf8.count { $0 == UInt8(ascii: "\n") } + 1, lost)) }
      out += ProseLexer.placeholder(marks.count) + trailing
      marks.append(mark)
      sources.append(String(s[source]))
    }
  }

  /// `markdown` lexed: placeholders, marks, and (in `inlines`, `diagnostics`) its inline
  /// expressions and errors.
  mutating func lex(_ markdown: String) -> LexedProse {
    var st = State(markdown, firstLine: firstLine)
    let s = st.s
    var i = 0
    var atLineStart = true
    var fence: (char: Character, count: Int)?
    while i < s.count {
      if atLineStart {
        atLineStart = false
        let lineEnd = s[i...].firstIndex(of: "\n") ?? s.count
        let indent = s[i..<lineEnd].prefix { $0 == " " }.count
        if Self.fenceLine(s, from: i + indent, to: lineEnd, indent: indent, fence: &fence) {
          st.emit(i..<min(lineEnd + 1, s.count))
          i = lineEnd + 1
          atLineStart = true
          continue
        }
        if indent < 4, s[(i + indent)...].starts(with: "Table:") {
          st.emit(i..<(i + indent))
          i = caption(&st, at: i + indent, lineEnd: lineEnd)
          continue
        }
      }
      if let pending = st.pendingLabel, pending.range.lowerBound == i {
        if case .caption(_, _, let start) = st.marks[pending.mark] {
          st.marks[pending.mark] = .caption(
            label: pending.label, labelLocation: location(st, pending.range.first { s[$0] == "{" } ?? i),
            start: start)
        }
        st.pendingLabel = nil
        i = pending.range.upperBound
        continue
      }
      switch s[i] {
      case "\n":
        st.out.append("\n")
        atLineStart = true
        i += 1
      case "\\":
        st.emit(i..<min(i + 2, s.count))
        if i + 1 < s.count, s[i + 1] == "\n" { atLineStart = true }
        i += 2
      case "`":
        i = codeSpan(&st, at: i)
      case "$":
        i = dollar(&st, at: i)
      case "@":
        i = reference(&st, at: i)
      default:
        st.out.append(s[i])
        i += 1
      }
    }
    return LexedProse(text: st.out, marks: st.marks, sources: st.sources, lineShifts: st.lineShifts)
  }

  private func location(_ st: State, _ k: Int) -> SourceLocation {
    SourceLocation(file: path, line: st.lineOf[k], column: st.columnOf[k])
  }

  /// Whether the line `s[from..<to]` (after `indent` spaces) opens, is inside or closes a fenced
  /// code block, updating `fence`. A line that only starts with a code span (`` `f` draws $x$ ``)
  /// is prose.
  private static func fenceLine(
    _ s: [Character], from j: Int, to lineEnd: Int, indent: Int, fence: inout (char: Character, count: Int)?
  ) -> Bool {
    if indent < 4, j < lineEnd, s[j] == "`" || s[j] == "~" {
      let c = s[j]
      var k = j
      while k < lineEnd, s[k] == c { k += 1 }
      let run = k - j
      if let open = fence {
        if c == open.char, run >= open.count, s[k..<lineEnd].allSatisfy({ $0 == " " || $0 == "\t" }) {
          fence = nil
        }
        return true
      }
      if run >= 3, !(c == "`" && s[k..<lineEnd].contains("`")) {
        fence = (c, run)
        return true
      }
    }
    return fence != nil
  }

  /// `Table:` at `start`: its placeholder (with one space for the spaces after it), and the
  /// `{#tbl-x}` at the line's end remembered, to be cut when the scan reaches it.
  private func caption(_ st: inout State, at start: Int, lineEnd: Int) -> Int {
    let s = st.s
    var afterPrefix = start + 6
    while afterPrefix < lineEnd, s[afterPrefix] == " " { afterPrefix += 1 }
    var end = lineEnd
    while end > afterPrefix, s[end - 1] == " " || s[end - 1] == "\t" { end -= 1 }
    if end > afterPrefix, s[end - 1] == "}",
      let open = s[afterPrefix..<end].lastIndex(of: "{"), open + 1 < end, s[open + 1] == "#"
    {
      let candidate = String(s[(open + 2)..<(end - 1)])
      if LabelKind(label: candidate) == .table, LabelKind.isLabel(candidate) {
        var from = open
        while from > afterPrefix, s[from - 1] == " " { from -= 1 }
        st.pendingLabel = (st.marks.count, from..<end, candidate)
      }
    }
    st.mark(
      .caption(label: nil, labelLocation: nil, start: location(st, start)), source: start..<afterPrefix,
      trailing: " ")
    return afterPrefix
  }

  /// A backtick run at `i`: a code span copied as written, or an inline expression's placeholder.
  private mutating func codeSpan(_ st: inout State, at i: Int) -> Int {
    let s = st.s
    var k = i
    while k < s.count, s[k] == "`" { k += 1 }
    let run = k - i
    // A fenced block inside a quote or list (`ContainerFence`): copied as written, never a value.
    let fence = inlineExpressions ? Self.containerFence(s, at: i, run: run) : nil
    if let fence, Self.isUnrunSwift(fence) {
      diagnostics.append(Diagnostic(.error, Self.unrunFenceMessage, at: location(st, i)))
    }
    guard let close = st.backtickRuns.first(length: run, from: k) else {
      st.emit(i..<k)
      return k
    }
    switch fence == nil ? inlineExpression(st, content: k..<close) : nil {
    case .none: st.emit(i..<(close + run))
    case .some(nil): break
    case .some(let index?): st.mark(.inline(index), source: i..<(close + run))
    }
    return close + run
  }

  /// The index of the inline `` `swift EXPR` `` whose code span holds `content` (recorded in
  /// `inlines`); `.some(nil)` for a broken one (its error recorded); nil when the span is not
  /// `swift` code and stays as written.
  private mutating func inlineExpression(_ st: State, content: Range<Int>) -> Int?? {
    let s = st.s
    guard inlineExpressions else { return nil }
    var p = content.lowerBound
    while p < content.upperBound, s[p] == " " { p += 1 }
    guard p + 5 < content.upperBound, Array(s[p..<(p + 5)]) == Array("swift"),
      s[p + 5] == " " || s[p + 5] == "\n"
    else { return nil }
    var e = p + 5
    while e < content.upperBound, s[e] == " " || s[e] == "\n" { e += 1 }
    var expression = String(s[e..<content.upperBound])
    while let last = expression.last, last == " " || last == "\n" { expression.removeLast() }
    let at = location(st, e)
    if expression.isEmpty {
      diagnostics.append(Diagnostic(.error, "inline `swift …` has no expression", at: at))
    } else if expression.utf8.contains(UInt8(ascii: "\r")) {
      diagnostics.append(Diagnostic(.error, NotebookScanner.loneCRMessage, at: at))
    } else if let hazard = CodeHazards.find(in: expression).first {
      var place = at
      place.line += hazard.line - 1
      place.column = hazard.line == 1 ? at.column + hazard.column - 1 : hazard.column
      diagnostics.append(Diagnostic(.error, "inline `swift …`: " + hazard.message, at: place))
    } else {
      let index = firstInlineIndex + inlines.count
      inlines.append(
        InlineExpression(index: index, expression: expression, location: at, afterBlockCount: afterBlockCount)
      )
      return .some(index)
    }
    return .some(nil)
  }

  /// A `$` at `i`: a math span's placeholder (a display span with its `{#eq-x}` label), else the
  /// dollar (or an unclosed `$$`, an error) as text.
  private mutating func dollar(_ st: inout State, at i: Int) -> Int {
    let s = st.s
    guard let (tex, display, end) = Self.math(s, at: i, noCloseFrom: &st.noDisplayCloseFrom) else {
      let pair = i + 1 < s.count && s[i + 1] == "$"
      if pair, !st.reportedUnclosedDisplay, let none = st.noDisplayCloseFrom, none <= i + 2 {
        st.reportedUnclosedDisplay = true
        diagnostics.append(
          Diagnostic(.error, "display math `$$` is never closed; add the closing `$$`", at: location(st, i)))
      }
      st.emit(i..<(pair ? i + 2 : i + 1))
      return pair ? i + 2 : i + 1
    }
    var span = MathSpan(tex: tex, display: display)
    var after = end
    if display, let (label, brace, labelEnd) = Self.equationLabel(s, after: end) {
      span.label = label
      span.labelLocation = location(st, brace)
      after = labelEnd
    }
    st.mark(.math(span), source: i..<after)
    return after
  }

  /// The closing `$$` of display math whose TeX starts at `start`; `noCloseFrom` remembers where a
  /// search found none, so many unclosed `$$` do not each read the rest of the text.
  private static func displayClose(_ s: [Character], from start: Int, noCloseFrom: inout Int?) -> Int? {
    if let none = noCloseFrom, none <= start { return nil }
    var j = start
    while j + 1 < s.count {
      if s[j] == "\\" { j += 2; continue }
      if s[j] == "$", s[j + 1] == "$" { return j }
      j += 1
    }
    noCloseFrom = start
    return nil
  }

  /// The math span opening at `s[i] == "$"`: its TeX, whether display, and the index past it.
  private static func math(_ s: [Character], at i: Int, noCloseFrom: inout Int?) -> (String, Bool, Int)? {
    if i + 1 < s.count, s[i + 1] == "$" {
      guard let j = displayClose(s, from: i + 2, noCloseFrom: &noCloseFrom) else { return nil }
      let tex = String(s[(i + 2)..<j])
      if tex.allSatisfy(\.isWhitespace) { return nil }
      return (tex, true, j + 2)
    }
    guard i + 1 < s.count, !s[i + 1].isWhitespace else { return nil }
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
        let afterDigit = j + 1 < s.count && s[j + 1].isASCII && s[j + 1].isNumber
        if !s[j - 1].isWhitespace, !afterDigit { return (String(s[(i + 1)..<j]), false, j + 1) }
        return nil
      }
      j += 1
    }
    return nil
  }

  /// `{#eq-x}` after display math ending at `end` (spaces between allowed): the label, the index
  /// of `{` and the index past `}`.
  private static func equationLabel(_ s: [Character], after end: Int) -> (String, Int, Int)? {
    var j = end
    while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
    guard j + 2 < s.count, s[j] == "{", s[j + 1] == "#" else { return nil }
    var close = j + 2
    while close < s.count, LabelKind.isLabelCharacter(s[close]) { close += 1 }
    guard close < s.count, s[close] == "}" else { return nil }
    let label = String(s[(j + 2)..<close])
    guard LabelKind(label: label) == .equation, LabelKind.isLabel(label) else { return nil }
    return (label, j, close + 1)
  }

  /// An `@` at `i`: a reference's placeholder, or the `@` as text.
  private func reference(_ st: inout State, at i: Int) -> Int {
    let s = st.s
    // What stands before it in the text cmark reads (a placeholder ends in a letter).
    let blocked = st.out.last.map { $0.isLetter || $0.isNumber || ".-_+/\\".contains($0) } ?? false
    var end = i + 1
    while end < s.count, LabelKind.isLabelCharacter(s[end]) { end += 1 }
    while end > i + 1, s[end - 1] == "-" || s[end - 1] == "_" { end -= 1 }
    let label = String(s[(i + 1)..<end])
    guard !blocked, LabelKind.isLabel(label) else {
      st.out.append("@")
      return i + 1
    }
    st.mark(.reference(label, location(st, i)), source: i..<end)
    return end
  }
}
