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
      result.replacement = actual.hasSuffix("\n") ? String(actual.dropLast()) : actual
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
          passed: false, line: i, difference: "line \(i + 1) differs: published `\(e[i])`, printed `\(a[i])`")
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

  static func normalizedLines(_ text: String) -> [String] {
    var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .map { trimTrailing(String($0)) }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    while let first = lines.first, first.isEmpty { lines.removeFirst() }
    return lines
  }

  /// The line with each number replaced by `#` and runs of spaces collapsed, and the numbers.
  static func numbers(in line: String) -> (String, [Double]) {
    let chars = Array(line)
    var text = ""
    var values: [Double] = []
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
          values.append(v)
          text += "#"
          i = j
          continue
        }
      }
      if c == " " || c == "\t" {
        if !text.hasSuffix(" ") { text += " " }
      } else {
        text.append(c)
      }
      i += 1
    }
    return (text.trimmingCharacters(in: .whitespaces), values)
  }
}
