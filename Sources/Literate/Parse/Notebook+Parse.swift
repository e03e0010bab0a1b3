// Stage 1, parse: notebook text → `Notebook`.
//
// A line scanner finds the fenced code blocks itself (CommonMark's rules: ``` or ~~~, at least
// three, at most three spaces of indent, closed by the same character at least as long) because
// cmark-gfm silently closes an unclosed fence at the end of the file, and an instructor deserves
// an error at the fence's own line instead. Prose between blocks is kept verbatim for weave, with
// inline `` `swift EXPR` `` replaced by placeholders.
import Foundation
import Yams

extension Notebook {
  /// Reads and parses a notebook file. `path` is used as written in every diagnostic.
  ///
  /// - Throws: `HandoutError.unreadable`, `.notUTF8`, or `.notebook(diagnostics)`.
  public static func load(path: String) throws -> Notebook {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw HandoutError.unreadable(path: path, reason: (error as NSError).localizedDescription)
    }
    return try parse(data: data, path: path)
  }

  /// Parses a notebook file's bytes: UTF-8 (checked first), then as `parse(source:path:)`.
  ///
  /// - Throws: `HandoutError.notUTF8` with the line and column of the first bad byte, or
  ///   `.notebook(diagnostics)`.
  public static func parse(data: Data, path: String) throws -> Notebook {
    if let bad = firstInvalidUTF8Offset(data) {
      let before = Array(data.prefix(bad))
      let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
      throw HandoutError.notUTF8(
        path: path, line: before.count(where: { $0 == UInt8(ascii: "\n") }) + 1,
        column: String(decoding: before[lineStart...], as: UTF8.self).count + 1, offset: bad)
    }
    return try parse(source: String(decoding: data, as: UTF8.self), path: path)
  }

  /// Parses notebook text. CRLF line endings and a leading byte-order mark are accepted.
  ///
  /// - Throws: `HandoutError.notebook` with every error found (not just the first), each with
  ///   `path:line:column`. Warnings (unknown front-matter keys, …) land in `Notebook.warnings`.
  public static func parse(source: String, path: String) throws -> Notebook {
    var scanner = NotebookScanner(source: source, path: path)
    let notebook = scanner.scan()
    let errors = scanner.diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty { throw HandoutError.notebook(scanner.diagnostics) }
    return notebook
  }

  /// The notebook's name for output files: the file name without its `.md` extension.
  public static func name(forPath path: String) -> String {
    let file = (path as NSString).lastPathComponent
    for ext in [".md", ".markdown"] where file.lowercased().hasSuffix(ext) {
      return String(file.dropLast(ext.count))
    }
    return file
  }
}

/// Offset of the first byte that is not part of valid UTF-8, or nil when all of it is.
func firstInvalidUTF8Offset(_ data: Data) -> Int? {
  var iterator = data.makeIterator()
  var parser = Unicode.UTF8.ForwardParser()
  var offset = 0
  while true {
    switch parser.parseScalar(from: &iterator) {
    case .valid(let encoded): offset += encoded.count
    case .emptyInput: return nil
    case .error: return offset
    }
  }
}

/// The attributes each kind of block accepts. Anything else is an error.
enum BlockAttributes {
  static let swift = ["id", "echo", "eval", "output", "timeout"]
  static let output = ["tolerance"]
  static let shown = ["id"]
}

/// The front-matter keys a notebook may use.
enum FrontMatterKeys {
  static let known = [
    "title", "subtitle", "author", "date", "course", "timeout", "abstract", "env", "data", "params",
  ]
}

struct NotebookScanner {
  let path: String
  /// The text's lines without their terminators (`\n` or `\r\n`).
  let lines: [String]
  var diagnostics: [Diagnostic] = []

  init(source: String, path: String) {
    self.path = path
    var text = Substring(source)
    if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
    // Split on bytes: Swift treats "\r\n" as one Character, so a Character split would miss it.
    lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
      var line = String(decoding: bytes, as: UTF8.self)
      if line.hasSuffix("\r") { line.removeLast() }
      return line
    }
  }

  func at(_ line: Int, _ column: Int = 1) -> SourceLocation {
    SourceLocation(file: path, line: line, column: column)
  }

  mutating func error(_ message: String, line: Int, column: Int = 1) {
    diagnostics.append(Diagnostic(.error, message, at: at(line, column)))
  }

  mutating func warning(_ message: String, line: Int, column: Int = 1) {
    diagnostics.append(Diagnostic(.warning, message, at: at(line, column)))
  }

  /// The whole notebook: front matter, then prose, blocks and published outputs in order.
  mutating func scan() -> Notebook {
    let (frontMatter, bodyStart) = scanFrontMatter()
    var body = Body(proseStart: bodyStart + 1)
    var i = bodyStart
    while i <= lines.count {
      let fence = i < lines.count ? openingFence(lines[i]) : nil
      if i == lines.count || fence != nil { flushProse(&body) }
      guard i < lines.count else { break }
      guard let fence else {
        if body.prose.isEmpty { body.proseStart = i + 1 }
        body.prose.append(lines[i])
        i += 1
        continue
      }
      guard let close = lines.indices.dropFirst(i + 1).first(where: { isClosingFence(lines[$0], of: fence) })
      else {
        let marks = String(repeating: fence.character, count: fence.length)
        error(
          "code fence \(marks) is never closed; add a closing \(marks) line "
            + "(Markdown would silently run it to the end of the file)",
          line: i + 1, column: fence.indent + 1)
        break
      }
      let found = FoundBlock(fence: fence, opening: i, closing: close, lines: lines)
      if found.language == "output" {
        scanOutput(found, into: &body)
      } else {
        scanBlock(found, into: &body)
      }
      i = close + 1
    }
    if body.nodes.isEmpty, diagnostics.isEmpty {
      warning("the notebook is empty", line: 1)
    }
    return Notebook(
      path: path, name: Notebook.name(forPath: path), frontMatter: frontMatter, nodes: body.nodes,
      inlines: body.inlines,
      warnings: diagnostics.filter { $0.severity != .error })
  }

  // MARK: Code

  /// Errors for executed code the tangled program could not hold faithfully: a carriage return
  /// without a line feed (swiftc ends a line there, the notebook does not, so every later line
  /// would be misnumbered), and what `CodeHazards` finds (a `#sourceLocation`, a `/*`, bracket or
  /// `"""` left open), each at its notebook line and column.
  mutating func checkCode(_ block: Block, lines range: Range<Int>, indent: Int) {
    var hasCR = false
    for k in range {
      if let cr = lines[k].utf8.firstIndex(of: UInt8(ascii: "\r")) {
        error(
          Self.loneCRMessage, line: k + 1,
          column: lines[k].utf8.distance(from: lines[k].utf8.startIndex, to: cr) + 1)
        hasCR = true
      }
    }
    // With a CR, swift-syntax's line numbers are not the notebook's; that error comes first.
    guard !hasCR else { return }
    for hazard in CodeHazards.find(in: block.code, tree: block.syntax) {
      error(hazard.message, line: block.firstCodeLine + hazard.line - 1, column: hazard.column + indent)
    }
  }

  static let loneCRMessage =
    "a carriage return (CR) without a line feed: Swift would end the line here and the notebook "
    + "does not, so every later line would be misnumbered; remove it (in a string, write \\r)"

  // MARK: Attributes

  mutating func keyValue(_ word: InfoWord, line: Int) -> (String, String)? {
    guard let equals = word.text.firstIndex(of: "="), equals != word.text.startIndex else {
      error(
        "'\(word.text)': attributes are written key=value (like id=train or echo=false)", line: line,
        column: word.column)
      return nil
    }
    let key = String(word.text[..<equals])
    let value = String(word.text[word.text.index(after: equals)...])
    if value.isEmpty {
      error("\(key)= has no value", line: line, column: word.column)
      return nil
    }
    return (key, value)
  }

  func unknownAttribute(_ key: String, language: String, allowed: [String]) -> String {
    "unknown attribute '\(key)' on a ```\(language) block (allowed: \(allowed.joined(separator: ", ")))"
  }

  func isValidID(_ id: String) -> Bool {
    !id.isEmpty
      && id.unicodeScalars.allSatisfy {
        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
      }
      && id != "-" && !id.hasPrefix("-")
  }
}

// MARK: - Fences

struct InfoWord: Equatable {
  var text: String
  /// 1-based column in the fence line.
  var column: Int
}

struct Fence: Equatable {
  var character: Character
  var length: Int
  var indent: Int
  var infoWords: [InfoWord]
}

/// A CommonMark opening fence: ≤ 3 spaces, ≥ 3 backticks or tildes, then the info string
/// (which may not contain a backtick when the fence is made of backticks).
func openingFence(_ line: String) -> Fence? {
  let chars = Array(line)
  var indent = 0
  while indent < chars.count, chars[indent] == " " { indent += 1 }
  guard indent <= 3, indent < chars.count, chars[indent] == "`" || chars[indent] == "~" else { return nil }
  let character = chars[indent]
  var end = indent
  while end < chars.count, chars[end] == character { end += 1 }
  let length = end - indent
  guard length >= 3 else { return nil }
  if character == "`", chars[end...].contains("`") { return nil }
  var words: [InfoWord] = []
  var k = end
  while k < chars.count {
    if chars[k].isWhitespace { k += 1; continue }
    let start = k
    while k < chars.count, !chars[k].isWhitespace { k += 1 }
    words.append(InfoWord(text: String(chars[start..<k]), column: start + 1))
  }
  return Fence(character: character, length: length, indent: indent, infoWords: words)
}

/// A closing fence for `fence`: ≤ 3 spaces, the same character at least as many times, then only spaces.
func isClosingFence(_ line: String, of fence: Fence) -> Bool {
  let chars = Array(line)
  var indent = 0
  while indent < chars.count, chars[indent] == " " { indent += 1 }
  guard indent <= 3 else { return false }
  var end = indent
  while end < chars.count, chars[end] == fence.character { end += 1 }
  return end - indent >= fence.length && chars[end...].allSatisfy { $0 == " " || $0 == "\t" }
}

/// CommonMark: content lines lose up to the opening fence's indentation.
func removeIndent(_ line: String, upTo indent: Int) -> String {
  var dropped = 0
  var rest = Substring(line)
  while dropped < indent, rest.first == " " {
    rest = rest.dropFirst()
    dropped += 1
  }
  return String(rest)
}

func trimTrailing(_ line: String) -> String {
  var s = Substring(line)
  while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
  return String(s)
}

// MARK: - Inline expressions

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
        var p = content.startIndex
        while p < content.endIndex, content[p] == " " { p += 1 }
        let word = Array("swift")
        if p + 5 < content.endIndex, Array(content[p..<(p + 5)]) == word,
          content[p + 5] == " " || content[p + 5] == "\n"
        {
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
            out += Inline.placeholder(index)
          }
        } else {
          out += String(chars[k..<(closeAt + length)])
        }
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
