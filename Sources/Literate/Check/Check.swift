// Stage 5, check: what ran against what the notebook publishes.
import Foundation

/// Stage 5: compares what each block printed with the ```` ```output ```` block the notebook
/// publishes under it; pure, no files or processes.
public enum Checker {
  /// The run with a `.publishedOutput` check added to every block that has an ```` ```output ````
  /// block, compared with what the block printed (its text, then its displayed value).
  /// A block that did not run to its end fails its published output; a block that did not run at
  /// all (the program did not compile) gets no check: the compile error already fails the run.
  public static func check(_ notebook: Notebook, _ run: RunResult) -> RunResult {
    var run = run
    for node in notebook.nodes {
      guard case .published(let published) = node, var block = run.blocks[published.blockIndex] else {
        continue
      }
      block.checks.removeAll { $0.kind == .publishedOutput }
      let actual = printed(block)
      var result: CheckResult
      if block.failure != nil {
        result = CheckResult(
          kind: .publishedOutput, location: published.fence, passed: false, expected: published.text,
          actual: actual,
          difference: "the block did not run to its end")
      } else {
        let outcome = compare(expected: published.text, actual: actual, tolerance: published.tolerance)
        let line = outcome.line.map { published.firstTextLine + $0 } ?? published.fence.line
        result = CheckResult(
          kind: .publishedOutput, location: SourceLocation(file: notebook.path, line: line, column: 1),
          passed: outcome.passed, expected: published.text, actual: actual, difference: outcome.difference)
      }
      let replacement = actual.hasSuffix("\n") ? String(actual.dropLast()) : actual
      result.replacement = published.tolerance.map { rounded(replacement, tolerance: $0) } ?? replacement
      block.checks.insert(result, at: 0)
      run.blocks[published.blockIndex] = block
    }
    return run
  }

  /// What a block printed as a published output shows it: its text, then its displayed value.
  public static func printed(_ block: BlockResult) -> String {
    var text = block.text
    if let value = block.value {
      if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
      text += value
    }
    return text
  }

  /// The verdict of `compare`.
  public struct Comparison: Equatable, Sendable {
    /// Whether every line matched (within the tolerance, if any).
    public var passed: Bool
    /// 0-based line of the published text where the first difference is.
    public var line: Int?
    /// The first difference for a person: the line with what was published and what printed,
    /// for numbers both values and |Δ| against the tolerance, or that the code printed more or
    /// less; nil when it passed.
    public var difference: String?
  }

  /// Compares a published output with the printed text.
  ///
  /// Without a tolerance, lines must be equal after removing trailing spaces (and empty lines at
  /// the start and the end: R's `print(summary(…))` opens with one that no slide shows). With one, every number must be within `tolerance` (absolute) of the published one
  /// and the text around the numbers must be equal, runs of spaces counting as one (so a
  /// re-aligned column still passes).
  public static func compare(expected: String, actual: String, tolerance: Double?) -> Comparison {
    var result = compareLines(normalizedLines(expected), normalizedLines(actual), tolerance: tolerance)
    // Report the line as it stands in the published block (before its leading empty lines went).
    let leading = expected.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .prefix { trimTrailing(String($0)).isEmpty }.count
    if let line = result.line,
      leading < expected.split(separator: "\n", omittingEmptySubsequences: false).count
    {
      result.line = line + leading
    }
    return result
  }

  static func compareLines(_ e: [String], _ a: [String], tolerance: Double?) -> Comparison {
    for i in 0..<max(e.count, a.count) {
      guard i < e.count else {
        return Comparison(
          passed: false, line: e.count, difference: "the code printed more: line \(i + 1) is `\(a[i])`")
      }
      guard i < a.count else {
        return Comparison(
          passed: false, line: i, difference: "the code printed less: line \(i + 1) `\(e[i])` is missing")
      }
      if e[i] == a[i] { continue }
      guard let tolerance else {
        return Comparison(
          passed: false, line: i,
          difference: "line \(i + 1) differs: published `\(e[i])`, printed `\(a[i])`"
            + numbersHint(e[i], a[i]))
      }
      let (eText, eNumbers) = numbers(in: e[i])
      let (aText, aNumbers) = numbers(in: a[i])
      guard eText == aText, eNumbers.count == aNumbers.count else {
        return Comparison(
          passed: false, line: i, difference: "line \(i + 1) differs: published `\(e[i])`, printed `\(a[i])`")
      }
      for (k, (x, y)) in zip(eNumbers, aNumbers).enumerated() {
        let delta = abs(x - y)
        if !(delta <= tolerance) && !(x.isNaN && y.isNaN) {
          return Comparison(
            passed: false, line: i,
            difference:
              "line \(i + 1), number \(k + 1): published \(x), printed \(y), |Δ| = \(String(format: "%.3g", delta)) > tolerance \(tolerance)"
          )
        }
      }
    }
    return Comparison(passed: true, line: nil, difference: nil)
  }

  /// When only the numbers of two lines differ (digits copied from R, a rounded value): by how
  /// much, and the `tolerance=` that would accept them; "" otherwise.
  static func numbersHint(_ expected: String, _ actual: String) -> String {
    let (eText, eNumbers) = numbers(in: expected)
    let (aText, aNumbers) = numbers(in: actual)
    guard eText == aText, eNumbers.count == aNumbers.count, !eNumbers.isEmpty else { return "" }
    let worst = zip(eNumbers, aNumbers).map { abs($0 - $1) }.max() ?? 0
    guard worst.isFinite else { return "" }
    if worst == 0 { return " (the same numbers, written with other digits)" }
    let tolerance = pow(10, (log10(worst)).rounded(.up))
    return " (only the numbers differ, by at most \(String(format: "%.3g", worst)): ```output tolerance="
      + String(format: "%g", tolerance) + " would accept them)"
  }

  static func normalizedLines(_ text: String) -> [String] {
    var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .map { trimTrailing(String($0)) }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    while let first = lines.first, first.isEmpty { lines.removeFirst() }
    return lines
  }

  /// `text` with every decimal number that has more decimals than `tolerance` warrants written
  /// with that many: one past the tolerance's first significant decimal (1e-6 → 7), as
  /// `check --update` writes an `expect` literal, so the rounding moves each number by at most a
  /// twentieth of the tolerance. Integers, numbers in exponent form and the words between numbers
  /// are kept as printed.
  static func rounded(_ text: String, tolerance: Double) -> String {
    guard tolerance > 0, tolerance.isFinite else { return text }
    let decimals = max(0, Int((-log10(tolerance) - 1e-9).rounded(.up)) + 1)
    guard decimals <= 17 else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      let chars = Array(line)
      var result = ""
      var last = 0
      for (range, value) in numberSpans(chars) {
        let token = String(chars[range])
        guard let dot = token.firstIndex(of: "."), !token.contains(where: { $0 == "e" || $0 == "E" }),
          token.distance(from: dot, to: token.endIndex) - 1 > decimals
        else { continue }
        var written = String(format: "%.\(decimals)f", value)
        if token.hasPrefix("+") { written = "+" + written }
        guard let back = Double(written), abs(back - value) <= tolerance else { continue }
        result += String(chars[last..<range.lowerBound]) + written
        last = range.upperBound
      }
      return result + String(chars[last...])
    }.joined(separator: "\n")
  }

  /// The line with each number replaced by `#` and runs of spaces collapsed, and the numbers.
  static func numbers(in line: String) -> (String, [Double]) {
    let chars = Array(line)
    var text = ""
    var last = 0
    for (range, _) in numberSpans(chars) {
      text += collapsed(chars[last..<range.lowerBound]) + "#"
      last = range.upperBound
    }
    text += collapsed(chars[last...])
    return (text.trimmingCharacters(in: .whitespaces), numberSpans(chars).map(\.value))
  }

  /// Spaces and tabs as one space per run.
  private static func collapsed(_ chars: ArraySlice<Character>) -> String {
    var text = ""
    for c in chars {
      if c == " " || c == "\t" {
        if !text.hasSuffix(" ") { text += " " }
      } else {
        text.append(c)
      }
    }
    return text
  }

  /// Where the numbers of a line stand (character offsets) and their values.
  static func numberSpans(_ chars: [Character]) -> [(range: Range<Int>, value: Double)] {
    var spans: [(range: Range<Int>, value: Double)] = []
    var i = 0
    func isDigit(_ k: Int) -> Bool { k < chars.count && chars[k].isASCII && chars[k].isNumber }
    while i < chars.count {
      let c = chars[i]
      let signed =
        (c == "-" || c == "+")
        && (isDigit(i + 1) || (i + 2 < chars.count && chars[i + 1] == "." && isDigit(i + 2)))
      let startsNumber = isDigit(i) || (c == "." && isDigit(i + 1)) || signed
      // A digit glued to a word (x1, w_2) is part of the word, not a number.
      let afterWord = i > 0 && (chars[i - 1].isLetter || chars[i - 1] == "_")
      if startsNumber && !afterWord {
        var j = i
        if signed { j += 1 }
        while isDigit(j) { j += 1 }
        if j < chars.count, chars[j] == "." { j += 1; while isDigit(j) { j += 1 } }
        if j < chars.count, chars[j] == "e" || chars[j] == "E" {
          var k = j + 1
          if k < chars.count, chars[k] == "-" || chars[k] == "+" { k += 1 }
          if isDigit(k) { j = k; while isDigit(j) { j += 1 } }
        }
        if let v = Double(String(chars[i..<j])) {
          spans.append((i..<j, v))
          i = j
          continue
        }
      }
      i += 1
    }
    return spans
  }
}
