// Habits from Quarto, R Markdown and Jupyter: read as Handout's own spelling where that is
// unambiguous (`{r}`, an `author:` list, `execute: echo: false`), else an error at the line and
// column that says what to write instead.
import Foundation
import Yams

/// The braced head of an info string: Quarto's and R Markdown's chunks (`{r}`, `{swift}`,
/// `{r, echo=FALSE}`) and Pandoc's class form (`{.python}`).
struct BracedInfo: Equatable {
  /// 1-based column of the `{`.
  var column: Int
  /// The words inside the braces after the language (commas dropped): R Markdown's chunk options.
  var options: [InfoWord]
  /// The braces as written, their words joined by single spaces.
  var text: String

  /// Takes the braced head off `words`, leaving its language (a leading `.` dropped) as the first
  /// word and the words after the braces as they are; nil when the first word opens no braces.
  static func take(from words: inout [InfoWord]) -> BracedInfo? {
    guard let first = words.first, first.text.hasPrefix("{") else { return nil }
    let end = words.firstIndex { $0.text.hasSuffix("}") } ?? words.count - 1
    var inner: [InfoWord] = []
    for k in 0...end {
      var text = Substring(words[k].text)
      var column = words[k].column
      if k == 0 {
        text = text.dropFirst()
        column += 1
      }
      if k == end, text.hasSuffix("}") { text = text.dropLast() }
      for piece in text.split(separator: ",") {
        inner.append(
          InfoWord(
            text: String(piece), column: column + text.distance(from: text.startIndex, to: piece.startIndex)))
      }
    }
    guard var language = inner.first else { return nil }
    if language.text.hasPrefix("."), language.text.count > 1 {
      language.text.removeFirst()
      language.column += 1
    }
    let braced = BracedInfo(
      column: first.column, options: Array(inner.dropFirst()),
      text: words[0...end].map(\.text).joined(separator: " "))
    words = [language] + words[(end + 1)...]
    return braced
  }
}

extension NotebookScanner {
  /// A braced info string: `{swift}` is an error (shown and never run, its code would be
  /// published unchecked); another language's chunk options are one error, at the first.
  mutating func checkBraces(_ found: FoundBlock) {
    guard let braced = found.braced else { return }
    if found.language == "swift" {
      error(
        "```{swift} is Quarto's spelling of a code chunk; Handout runs ```swift blocks, attributes as "
          + "words after it (```swift echo=false)", line: found.fenceLine, column: braced.column)
    } else if let option = braced.options.first {
      error(
        "R Markdown's chunk options (\(braced.text)) are not read: Handout shows a ```\(found.language) "
          + "block as written and never runs it (its one attribute is id=name)", line: found.fenceLine,
        column: option.column)
    }
  }

  /// A fence whose language is one edit from `swift` or `output` (`ouput`, `swfit`): shown as a
  /// block of that language, it would never run or be checked, so it is an error naming the one meant.
  mutating func checkLanguage(_ found: FoundBlock) {
    guard let word = found.words.first,
      let meant = ["swift", "output"].first(where: {
        $0 != found.language && editDistance(found.language, $0) <= 1
      })
    else { return }
    error(
      "```\(found.language) is no language Handout knows: did you mean ```\(meant)? (a block of another "
        + "language is shown as written, never run or checked)", line: found.fenceLine, column: word.column)
  }

  /// The fewest insertions, deletions, substitutions and swaps of two neighbours that make `a` into
  /// `b` (optimal string alignment).
  func editDistance(_ a: String, _ b: String) -> Int {
    let (a, b) = (Array(a), Array(b))
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }

  /// A prose line holding a ```` ```output ```` fence inside a list item or blockquote, or
  /// indented as code (a tab, four spaces): Markdown shows it as text, never checked. An error at the
  /// fence (a ```` ```swift ```` one there is `ContainerFence`'s).
  mutating func checkNestedCodeFence(_ line: String, line number: Int) {
    let chars = Array(line)
    guard let k = containerPrefix(chars), let fence = openingFence(String(chars[k...])),
      let language = fence.infoWords.first?.text.lowercased(), language == "output"
    else { return }
    error(
      "this ```\(language) fence is inside a list item or blockquote, or indented: Markdown shows it as text, "
        + "so it would never be checked; put the fence at the start of a line", line: number,
      column: k + fence.indent + 1)
  }

  /// Quarto's cell options (`#| echo: false`) at the top of a block that runs: swiftc would call
  /// them a macro it cannot find. Each is an error naming the fence attribute to write.
  mutating func checkCellOptions(_ found: FoundBlock) {
    for k in (found.opening + 1)..<found.closing {
      let line = removeIndent(lines[k], upTo: found.fence.indent)
      let text = line.drop { $0 == " " || $0 == "\t" }
      if text.isEmpty { continue }
      guard text.hasPrefix("#|") else { return }
      let option = trimTrailing(String(text))
      let parts = option.dropFirst(2).split(separator: ":", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      let key = parts.first ?? ""
      let value = parts.count > 1 ? parts[1] : ""
      let attribute = ["echo": "echo", "eval": "eval", "output": "output", "label": "id"][key]
      error(
        "'\(option)' is a Quarto cell option, which Handout does not read: "
          + (attribute.map { "write it on the fence, ```swift \($0)=\(value)" }
            ?? "delete it (Handout's attributes go on the fence, as in ```swift echo=false)"),
        line: k + 1, column: found.fence.indent + line.count - text.count + 1)
    }
  }

  /// A swift block takes the front matter's `execute:` defaults before its own attributes.
  func applyExecuteDefaults(to block: inout Block) {
    guard block.language == "swift" else { return }
    block.echo = executeDefaults["echo"] ?? block.echo
    block.eval = executeDefaults["eval"] ?? block.eval
    block.showOutput = executeDefaults["output"] ?? block.showOutput
  }

  /// The message for a division of an unknown kind: Quarto's callouts name the alert to write.
  static func unknownDivision(_ word: String) -> String {
    let name = word.hasPrefix("{.") ? String(word.dropFirst(2).prefix { $0 != "}" }) : word
    let alerts = ["note", "tip", "important", "warning", "caution"]
    if name.lowercased().hasPrefix("callout-"), alerts.contains(String(name.lowercased().dropFirst(8))) {
      return "Quarto's \(name) is written as GitHub's alert here: a blockquote whose first line is > [!"
        + name.dropFirst(8).uppercased() + "]"
    }
    return "unknown division '\(name)' (known: "
      + Division.Kind.allCases.map(\.rawValue).joined(separator: ", ")
      + ")"
  }

  // MARK: Front matter

  /// `author:` as Quarto writes it: a list of names, or of entries with a `name:`; joined
  /// "A, B and C".
  mutating func authors(_ value: Yams.Node, place: YAMLPlace) -> String? {
    var names: [String] = []
    for entry in value.sequence ?? [value] {
      guard let name = entry.scalar?.string ?? entry.mapping?["name"]?.scalar?.string, !name.isEmpty else {
        error(
          "author: expected a name, a list of names, or entries with a name: key",
          line: place.line(entry.mark), column: place.column(entry.mark))
        return nil
      }
      names.append(name)
    }
    guard let last = names.popLast() else {
      error(
        "author: expected a name, a list of names, or entries with a name: key",
        line: place.line(value.mark), column: place.column(value.mark))
      return nil
    }
    return names.isEmpty ? last : names.joined(separator: ", ") + " and " + last
  }

  /// Quarto's `execute:` options that are block attributes here (`echo`, `eval`, `output`): the
  /// defaults of every swift block. Any other option is a warning naming it.
  mutating func executeOptions(_ value: Yams.Node, place: YAMLPlace) -> [String: Bool] {
    guard let mapping = value.mapping else {
      error(
        "execute: expected options such as `echo: false`", line: place.line(value.mark),
        column: place.column(value.mark))
      return [:]
    }
    var options: [String: Bool] = [:]
    for (key, option) in mapping {
      let name = key.string ?? ""
      guard ["echo", "eval", "output"].contains(name) else {
        warning(
          "execute: \(name) is not read (Handout reads echo, eval and output there)",
          line: place.line(key.mark), column: place.column(key.mark))
        continue
      }
      guard option.scalar?.style == .plain, let flag = option.bool else {
        error(
          "execute: \(name): expected true or false", line: place.line(option.mark),
          column: place.column(option.mark))
        continue
      }
      options[name] = flag
    }
    return options
  }
}

/// Where a line's content starts after what nests it in Markdown (spaces, tabs, `>`, list
/// markers), when something does: a tab, a `>`, a list marker or more than three spaces; nil for
/// a line at its own start (up to three spaces).
func containerPrefix(_ chars: [Character]) -> Int? {
  var k = 0
  var stripped = false
  while k < chars.count {
    if chars[k] == " " {
      k += 1
    } else if chars[k] == "\t" || chars[k] == ">" {
      k += 1
      stripped = true
    } else if ["-", "*", "+"].contains(chars[k]), k + 1 < chars.count, chars[k + 1] == " " {
      k += 2
      stripped = true
    } else if chars[k].isASCII, chars[k].isNumber {
      var end = k
      while end < chars.count, chars[end].isASCII, chars[end].isNumber { end += 1 }
      guard end < chars.count, chars[end] == "." || chars[end] == ")", end + 1 < chars.count,
        chars[end + 1] == " "
      else { break }
      k = end + 2
      stripped = true
    } else {
      break
    }
  }
  return stripped || k > 3 ? k : nil
}
