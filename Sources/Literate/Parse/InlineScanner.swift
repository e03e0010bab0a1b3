// Inline `` `swift EXPR` `` in prose, and the backtick and math spans around them.
import Foundation

/// Finds `` `swift EXPR` `` code spans in prose and replaces them with placeholders. Other code
/// spans and `$…$` / `$$…$$` math are copied untouched (a backtick inside math is not code).
struct InlineScanner {
  let path: String
  let firstLine: Int
  let firstIndex: Int
  let afterBlockCount: Int
  var inlines: [InlineExpression] = []
  var diagnostics: [Diagnostic] = []

  init(path: String, firstLine: Int, firstIndex: Int, afterBlockCount: Int) {
    self.path = path
    self.firstLine = firstLine
    self.firstIndex = firstIndex
    self.afterBlockCount = afterBlockCount
  }

  mutating func scan(_ text: String) -> String {
    let chars = Array(text)
    // Line and column of every character, computed once.
    var lineOf = [Int](repeating: 0, count: chars.count + 1)
    var columnOf = [Int](repeating: 0, count: chars.count + 1)
    var line = firstLine
    var column = 1
    for (k, c) in chars.enumerated() {
      lineOf[k] = line
      columnOf[k] = column
      if c == "\n" { line += 1; column = 1 } else { column += 1 }
    }
    lineOf[chars.count] = line
    columnOf[chars.count] = column

    func run(of c: Character, from k: Int) -> Int {
      var e = k
      while e < chars.count, chars[e] == c { e += 1 }
      return e - k
    }
    // Each search below is answered from tables built once, so the scan stays linear: searching
    // the rest of the paragraph again from every `$` or unclosed backtick run was quadratic
    // ("$1 $2 $3 …": 300 KB took minutes).
    var backtickRuns = BacktickRuns(chars.lazy.map { $0 == "`" })
    let inlineMathClose = InlineMathClose(chars)

    var out = ""
    var k = 0
    while k < chars.count {
      let c = chars[k]
      if c == "\\", k + 1 < chars.count {
        out.append(c)
        out.append(chars[k + 1])
        k += 2
        continue
      }
      if c == "`" {
        let length = run(of: "`", from: k)
        guard let closeAt = backtickRuns.first(length: length, from: k + length) else {
          out += String(chars[k..<(k + length)])
          k += length
          continue
        }
        let content = chars[(k + length)..<closeAt]
        out +=
          inlineExpression(in: content, lineOf: lineOf, columnOf: columnOf)
          ?? String(chars[k..<(closeAt + length)])
        k = closeAt + length
        continue
      }
      if c == "$" {
        if k + 1 < chars.count, chars[k + 1] == "$" {
          // Display math: copy through the closing $$.
          var j = k + 2
          var closeAt: Int?
          while j + 1 < chars.count {
            if chars[j] == "\\" { j += 2; continue }
            if chars[j] == "$", chars[j + 1] == "$" { closeAt = j; break }
            j += 1
          }
          guard let closeAt else {
            diagnostics.append(
              Diagnostic(
                .error, "display math `$$` is never closed; add the closing `$$`",
                at: SourceLocation(file: path, line: lineOf[k], column: columnOf[k])))
            out += String(chars[k...])
            k = chars.count
            continue
          }
          out += String(chars[k..<(closeAt + 2)])
          k = closeAt + 2
          continue
        }
        // Inline math (Pandoc's rule): `$` followed by a non-space, closed by a `$` preceded by a
        // non-space and not followed by a digit, within the paragraph.
        if k + 1 < chars.count, !chars[k + 1].isWhitespace {
          if let closeAt = inlineMathClose.from(k + 1) {
            out += String(chars[k...closeAt])
            k = closeAt + 1
            continue
          }
        }
      }
      out.append(c)
      k += 1
    }
    return out
  }

  /// The placeholder of the inline `` `swift EXPR` `` whose code span holds `content` (recorded in
  /// `inlines`), the empty text for a broken one (its error recorded), or nil when the span is
  /// not `swift` code and stays as written.
  mutating func inlineExpression(
    in content: ArraySlice<Character>, lineOf: [Int], columnOf: [Int]
  ) -> String? {
    var p = content.startIndex
    while p < content.endIndex, content[p] == " " { p += 1 }
    guard p + 5 < content.endIndex, Array(content[p..<(p + 5)]) == Array("swift"),
      content[p + 5] == " " || content[p + 5] == "\n"
    else { return nil }
    var e = p + 5
    while e < content.endIndex, content[e] == " " || content[e] == "\n" { e += 1 }
    var expression = String(content[e...])
    while let last = expression.last, last == " " || last == "\n" { expression.removeLast() }
    let location = SourceLocation(file: path, line: lineOf[e], column: columnOf[e])
    if expression.isEmpty {
      diagnostics.append(Diagnostic(.error, "inline `swift …` has no expression", at: location))
    } else if expression.utf8.contains(UInt8(ascii: "\r")) {
      diagnostics.append(Diagnostic(.error, NotebookScanner.loneCRMessage, at: location))
    } else if let hazard = CodeHazards.find(in: expression).first {
      var at = location
      at.line += hazard.line - 1
      at.column = hazard.line == 1 ? location.column + hazard.column - 1 : hazard.column
      diagnostics.append(Diagnostic(.error, "inline `swift …`: " + hazard.message, at: at))
    } else {
      let index = firstIndex + inlines.count
      inlines.append(
        InlineExpression(
          index: index, expression: expression, location: location, afterBlockCount: afterBlockCount))
      return Inline.placeholder(index)
    }
    return ""
  }
}

/// Where the next backtick run of a given length starts: maximal runs, grouped by length, each group
/// read with a cursor that only moves forward (the scanners ask with ever larger `from`).
struct BacktickRuns {
  private var starts: [Int: [Int]] = [:]
  private var cursors: [Int: Int] = [:]

  /// `isBacktick[k]` for every position of the text.
  init(_ isBacktick: some Collection<Bool>) {
    var k = 0
    var runStart: Int?
    for b in isBacktick {
      if b, runStart == nil { runStart = k }
      if !b, let start = runStart {
        starts[k - start, default: []].append(start)
        runStart = nil
      }
      k += 1
    }
    if let start = runStart { starts[k - start, default: []].append(start) }
  }

  /// The start of the first maximal run of exactly `length` backticks at or after `from`.
  /// `from` must not decrease between calls with the same `length`.
  mutating func first(length: Int, from: Int) -> Int? {
    guard let list = starts[length] else { return nil }
    var c = cursors[length] ?? 0
    while c < list.count, list[c] < from { c += 1 }
    cursors[length] = c
    return c < list.count ? list[c] : nil
  }
}

/// The closing `$` of inline math for a scan starting at each position (Pandoc's rule: a `$` after
/// a non-space and not before a digit; a backslash skips the next character; a blank line ends
/// the search), computed for all positions at once from the end.
struct InlineMathClose {
  private var close: [Int]

  init(_ chars: [Character]) {
    let n = chars.count
    close = [Int](repeating: -1, count: n + 2)
    guard chars.contains("$") else { return }
    for j in stride(from: n - 1, through: 0, by: -1) {
      if chars[j] == "\\" {
        close[j] = close[j + 2]
      } else if chars[j] == "\n", j + 1 < n, chars[j + 1] == "\n" {
        close[j] = -1
      } else if chars[j] == "$", j > 0, !chars[j - 1].isWhitespace, !(j + 1 < n && chars[j + 1].isNumber) {
        close[j] = j
      } else {
        close[j] = close[j + 1]
      }
    }
  }

  /// The closing `$` a scan from `start` finds, if any.
  func from(_ start: Int) -> Int? {
    guard start < close.count, close[start] >= 0 else { return nil }
    return close[start]
  }
}
