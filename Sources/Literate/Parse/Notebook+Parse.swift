// Stage 1, parse: notebook text → `Notebook`.
//
// A line scanner finds the fenced code blocks itself (CommonMark's rules: ``` or ~~~, at least
// three, at most three spaces of indent, closed by the same character at least as long) because
// cmark-gfm silently closes an unclosed fence at the end of the file, and an instructor deserves
// an error at the fence's own line instead. Prose between blocks is parsed here, once, into a tree
// (`Prose`: `ProseLexer` finds math, inline `swift` values and references, cmark the structure).
import Foundation
import Synchronization
import Yams

extension Notebook {
  /// How many notebooks this process has parsed (tests read it to see a render parses once).
  static let parses = Atomic<Int>(0)

  /// Reads and parses a notebook file. `path` is used as written in every diagnostic.
  ///
  /// - Throws: `HandoutError.file` (unreadable), `.notUTF8`, or `.notebook(diagnostics)`.
  public static func load(path: String) throws -> Notebook {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw HandoutError.file(
        FileError(path: path, reason: FileError.reason(of: error, at: path), access: .read))
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
    parses.add(1, ordering: .relaxed)
    var scanner = NotebookScanner(source: source, path: path)
    scanner.prefetch = SyntaxPrefetch(lines: scanner.lines)
    let notebook = scanner.scan()
    let errors = scanner.diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty { throw HandoutError.notebook(scanner.diagnostics) }
    return notebook
  }

  /// The notebook's name for output files: the file name without its `.md` extension (found by
  /// its bytes, `String+Bytes`: `x\u{600}.md` is `x\u{600}`).
  public static func name(forPath path: String) -> String {
    let file = (path as NSString).lastPathComponent
    for ext in [".md", ".markdown"] where file.hasByteSuffix(ext, anyCase: true) {
      return file.droppingLastBytes(ext.utf8.count)
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
    "execute",
  ]
}

struct NotebookScanner {
  let path: String
  /// The text's lines without their terminators (`\n` or `\r\n`).
  let lines: [String]
  var diagnostics: [Diagnostic] = []
  /// The `swift` blocks' trees, parsed on a second thread too (`SyntaxPrefetch`); nil: each parsed here.
  var prefetch: SyntaxPrefetch?
  /// The front matter's `execute:` options (`echo`, `eval`, `output`): every swift block's defaults.
  var executeDefaults: [String: Bool] = [:]

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
      let division = i < lines.count && fence == nil ? divisionFence(lines[i]) : nil
      if i == lines.count || fence != nil || division != nil { flushProse(&body) }
      guard i < lines.count else { break }
      if let division {
        scanDivision(division, line: i + 1, into: &body)
        i += 1
        continue
      }
      guard let fence else {
        if let nested = nestedDivisionFence(lines[i]) {
          error(
            "::: \(nested.word) cannot stand inside a blockquote, callout or list item, or indented: Markdown "
              + "would show it as text (a solution to every student); put the ::: lines at the start of a line, "
              + "outside the callout or list", line: i + 1, column: nested.column)
        }
        checkNestedCodeFence(lines[i], line: i + 1)
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
    for open in body.openDivisions.reversed() {
      let division = open.division
      error(
        "::: \(division.kind.rawValue) is never closed; add a line ::: where it ends",
        line: division.location.line, column: division.location.column)
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
