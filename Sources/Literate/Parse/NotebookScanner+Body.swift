// The notebook's body: prose runs, fenced blocks with their attributes, published outputs.
import Foundation

/// What the scan of a notebook's body has built so far.
struct Body {
  var nodes: [Node] = []
  var inlines: [InlineExpression] = []
  /// The prose lines since the last block, and the notebook line of the first.
  var prose: [String] = []
  var proseStart: Int
  var blockCount = 0
  var executedCount = 0
  /// The swift block a following ```output block would belong to (nil once anything else intervenes).
  var outputOwner: Block?
  var ownersWithOutput = Set<Int>()
  /// Block ids seen so far, with the line of the block that has each.
  var ids: [String: Int] = [:]
  /// The divisions opened and not yet closed, innermost last, each with the index of its `.open`
  /// node (patched with the closing line when the close comes).
  var openDivisions: [(division: Division, node: Int)] = []
  var divisionCount = 0

  init(proseStart: Int) { self.proseStart = proseStart }
}

/// A fenced block found in the text: its fence, where it opens and closes, its code and words.
struct FoundBlock {
  var fence: Fence
  /// 0-based indices of the opening and closing fence lines.
  var opening: Int
  var closing: Int
  var code: String
  var words: [InfoWord]
  /// The info string's first word, lowercased (`r` from `{r}`).
  var language: String
  /// The braces of `{r}`, `{swift}` or `{r, echo=FALSE}`, taken off `words`; nil without.
  var braced: BracedInfo?

  init(fence: Fence, opening: Int, closing: Int, lines: [String]) {
    self.fence = fence
    self.opening = opening
    self.closing = closing
    code = lines[(opening + 1)..<closing].map { removeIndent($0, upTo: fence.indent) }.joined(separator: "\n")
    words = fence.infoWords
    braced = BracedInfo.take(from: &words)
    language = words.first?.text.lowercased() ?? ""
  }

  /// 1-based line of the opening fence.
  var fenceLine: Int { opening + 1 }
}

extension NotebookScanner {
  /// The front matter between `---` lines at the top, and the 0-based index of the body's first line.
  mutating func scanFrontMatter() -> (FrontMatter, Int) {
    guard let first = lines.first, trimTrailing(first) == "---" else { return (FrontMatter(), 0) }
    guard
      let close = lines.indices.dropFirst().first(where: { ["---", "..."].contains(trimTrailing(lines[$0])) })
    else {
      error("front matter opened with `---` is never closed; add a line `---` after it", line: 1)
      return (FrontMatter(), lines.count)
    }
    return (parseFrontMatter(lines[1..<close].joined(separator: "\n"), firstLine: 2), close + 1)
  }

  /// Ends the prose run before a fence (or at the end): a prose node with its inline expressions.
  mutating func flushProse(_ body: inout Body) {
    defer { body.prose = [] }
    guard !body.prose.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) else { return }
    // Blank lines around prose carry nothing: the node starts at its first text line.
    // (Dropped at once: `removeFirst` in a loop was quadratic in the blank lines.)
    let leading = body.prose.prefix { $0.allSatisfy(\.isWhitespace) }.count
    body.prose.removeFirst(leading)
    body.proseStart += leading
    while let last = body.prose.last, last.allSatisfy(\.isWhitespace) { body.prose.removeLast() }
    var lexer = ProseLexer(
      path: path, firstLine: body.proseStart, firstInlineIndex: body.inlines.count,
      afterBlockCount: body.executedCount)
    let markdown = body.prose.joined(separator: "\n")
    let (blocks, lines, tooDeep) = CommonMark.convertWithNesting(lexer.lex(markdown))
    if let (line, column) = tooDeep {
      error(
        "prose nested more than \(CommonMark.nestingLimit) levels deep (block quotes, lists, emphasis or links "
          + "inside one another); nest it less", line: body.proseStart + line - 1, column: column)
    }
    body.inlines += lexer.inlines
    diagnostics += lexer.diagnostics
    body.nodes.append(
      .prose(Prose(markdown: markdown, line: body.proseStart, blocks: blocks, blockLines: lines)))
    body.outputOwner = nil
  }

  /// An ```output block: the published output of the swift block right before it.
  mutating func scanOutput(_ found: FoundBlock, into body: inout Body) {
    let fenceLine = found.fenceLine
    let column = found.fence.indent + 1
    var tolerance: Double?
    for word in found.words.dropFirst() {
      guard let (key, value) = keyValue(word, line: fenceLine) else { continue }
      guard key == "tolerance" else {
        error(
          unknownAttribute(key, language: "output", allowed: BlockAttributes.output), line: fenceLine,
          column: word.column)
        continue
      }
      if let t = Double(value), t >= 0, t.isFinite {
        tolerance = t
      } else {
        error(
          "tolerance=\(value): expected a number ≥ 0, like tolerance=1e-6", line: fenceLine,
          column: word.column)
      }
    }
    defer { body.outputOwner = nil }
    guard let owner = body.outputOwner else {
      error(
        "an ```output block must come right after the ```swift block whose printed output it publishes",
        line: fenceLine, column: column)
      return
    }
    guard !body.ownersWithOutput.contains(owner.index) else {
      error(
        "a second output block for the swift block at line \(owner.fence.line); merge them into one",
        line: fenceLine, column: column)
      return
    }
    guard owner.isExecuted else {
      error(
        "this output block follows a swift block with eval=false, so it can never be checked; remove eval=false or the output block",
        line: fenceLine, column: column)
      return
    }
    var published = PublishedOutput(
      blockIndex: owner.index, text: found.code, tolerance: tolerance, fence: at(fenceLine, column))
    published.closingLine = found.closing + 1
    body.nodes.append(.published(published))
    body.ownersWithOutput.insert(owner.index)
  }

  /// A code block: its attributes, its syntax tree (swift), the checks of executed code.
  mutating func scanBlock(_ found: FoundBlock, into body: inout Body) {
    let language = found.language
    var block = Block(
      index: body.blockCount, language: language, code: found.code,
      fence: at(found.fenceLine, found.fence.indent + 1))
    block.closingLine = found.closing + 1
    applyExecuteDefaults(to: &block)
    applyAttributes(found, to: &block, ids: &body.ids)
    checkBraces(found)
    checkLanguage(found)
    // Each swift block is parsed once, here; every later stage reads the tree it carries.
    if language == "swift" { block.syntax = prefetch?.tree(for: block.code) ?? SwiftSource.parse(block.code) }
    if block.isExecuted {
      checkCellOptions(found)
      checkCode(block, lines: (found.opening + 1)..<found.closing, indent: found.fence.indent)
    }
    body.nodes.append(.block(block))
    body.blockCount += 1
    if block.isExecuted { body.executedCount += 1 }
    body.outputOwner = language == "swift" ? block : nil
  }

  /// The `key=value` words after the language: each known to the language, given once, valid.
  mutating func applyAttributes(_ found: FoundBlock, to block: inout Block, ids: inout [String: Int]) {
    let fenceLine = found.fenceLine
    let allowed = found.language == "swift" ? BlockAttributes.swift : BlockAttributes.shown
    var seen = Set<String>()
    for word in found.words.dropFirst() {
      guard let (key, value) = keyValue(word, line: fenceLine) else { continue }
      guard allowed.contains(key) else {
        error(
          unknownAttribute(key, language: found.language, allowed: allowed), line: fenceLine,
          column: word.column)
        continue
      }
      guard seen.insert(key).inserted else {
        error("attribute \(key) is given twice", line: fenceLine, column: word.column)
        continue
      }
      block.attributes.append((key: key, value: value))
      switch key {
      case "id":
        guard isValidID(value) else {
          error(
            "id=\(value): ids name files, so use only letters, digits, '-' and '_' (like id=training-loop)",
            line: fenceLine, column: word.column)
          continue
        }
        if let previous = ids[value] {
          error(
            "duplicate block id '\(value)' (already used by the block at line \(previous)); ids name figure files and must be unique",
            line: fenceLine, column: word.column)
        } else {
          ids[value] = fenceLine
          block.id = value
        }
      case "echo", "eval", "output":
        guard let flag = ["true": true, "false": false][value.lowercased()] else {
          error("\(key)=\(value): expected true or false", line: fenceLine, column: word.column)
          continue
        }
        switch key {
        case "echo": block.echo = flag
        case "eval": block.eval = flag
        default: block.showOutput = flag
        }
      case "timeout":
        guard let t = Double(value), t > 0, t.isFinite else {
          error(
            "timeout=\(value): expected a number of seconds > 0, like timeout=60", line: fenceLine,
            column: word.column)
          continue
        }
        block.timeout = t
      default:
        break
      }
    }
  }
}

/// A `:::` line: at most three spaces, at least three colons, then the rest of the line.
struct DivisionFence: Equatable {
  /// 1-based column of the first colon.
  var column: Int
  /// The first word after the colons (`exercise`, or `exercise` from `{.exercise}`), nil for a
  /// closing line, with its 1-based column.
  var word: (text: String, column: Int)?
  /// The words after the first, joined by single spaces; nil when there are none.
  var title: String?
  /// Each word of `title`: its 0-based offset in `title` and its 1-based column on the line.
  var titleWords: [(offset: Int, column: Int)] = []

  static func == (a: DivisionFence, b: DivisionFence) -> Bool {
    a.column == b.column && a.word?.text == b.word?.text && a.word?.column == b.word?.column
      && a.title == b.title
  }
}

/// The `:::` fence of a division (Pandoc's fenced div), or nil when `line` is not one.
func divisionFence(_ line: String) -> DivisionFence? {
  let chars = Array(line)
  var indent = 0
  while indent < chars.count, chars[indent] == " " { indent += 1 }
  var end = indent
  while end < chars.count, chars[end] == ":" { end += 1 }
  guard indent <= 3, end - indent >= 3 else { return nil }
  var words: [(text: String, column: Int)] = []
  var k = end
  while k < chars.count {
    if chars[k].isWhitespace {
      k += 1
      continue
    }
    let start = k
    while k < chars.count, !chars[k].isWhitespace { k += 1 }
    words.append((String(chars[start..<k]), start + 1))
  }
  // Pandoc closes with colons only; trailing colons after a title (`::: exercise Title :::`) are
  // decoration.
  while let last = words.last, last.text.allSatisfy({ $0 == ":" }) { words.removeLast() }
  guard var first = words.first else { return DivisionFence(column: indent + 1, word: nil, title: nil) }
  if let kind = quartoFormatKind(words.map(\.text).joined(separator: " ")) {
    return DivisionFence(column: indent + 1, word: (kind.rawValue, first.column), title: nil)
  }
  // `{.exercise}`: the class form.
  if first.text.hasPrefix("{."), first.text.hasSuffix("}"), first.text.count > 3 {
    first.text = String(first.text.dropFirst(2).dropLast())
    first.column += 2
  }
  let title = words.dropFirst().map(\.text).joined(separator: " ")
  var fence = DivisionFence(column: indent + 1, word: first, title: title.isEmpty ? nil : title)
  var offset = 0
  for word in words.dropFirst() {
    fence.titleWords.append((offset, word.column))
    offset += word.text.count + 1
  }
  return fence
}

/// A `:::` line of a known kind that the parser cannot open where it stands: inside a blockquote
/// or callout (`> ::: solution`), a list item (`- ::: solution`), or indented as code. Markdown
/// would show it, and everything up to its `:::`, as prose: a solution there would be published to
/// students. The kind's word and its 1-based column, or nil.
func nestedDivisionFence(_ line: String) -> (word: String, column: Int)? {
  let chars = Array(line)
  // At most three spaces and nothing else before it: the parser's own division line.
  guard let k = containerPrefix(chars) else { return nil }
  guard let fence = divisionFence(String(chars[k...])), let word = fence.word,
    Division.Kind(rawValue: word.text.lowercased()) != nil
  else { return nil }
  return (word.text, k + fence.column)
}

extension NotebookScanner {
  /// A `:::` line: opens a division (known kind, allowed where it stands) or closes the innermost.
  mutating func scanDivision(_ fence: DivisionFence, line: Int, into body: inout Body) {
    body.outputOwner = nil
    guard let word = fence.word else {
      guard let open = body.openDivisions.popLast() else {
        error(
          "this ::: closes no division (open one with a line like ::: exercise)", line: line,
          column: fence.column)
        return
      }
      var division = open.division
      division.closingLine = line
      body.nodes[open.node] = .open(division)
      body.nodes.append(.close(division))
      return
    }
    // A refused division is still opened (the notebook fails to parse either way), so its own
    // closing `:::` is not reported a second time as closing nothing.
    let outer = body.openDivisions.last?.division.kind
    let kind = Division.Kind(rawValue: word.text.lowercased())
    let problem: String? =
      switch kind {
      case nil: Self.unknownDivision(word.text)
      case .exercise:
        outer.map { "an exercise cannot stand inside a \($0.rawValue); close that one first" }
      case .solution:
        outer == .exercise
          ? nil : "a solution belongs inside the ::: exercise it answers (before that exercise's closing :::)"
      case .notes:
        outer == .notes || outer == .handout
          ? "speaker notes cannot stand inside \(outer == .notes ? "speaker notes" : "::: handout (never on the slides)")"
          : nil
      case .slides, .handout:
        outer.flatMap {
          [.notes, .slides, .handout].contains($0)
            ? "::: \(word.text) cannot stand inside a ::: \($0.rawValue); close that one first" : nil
        }
      }
    if let problem { error(problem, line: line, column: word.column) }
    var division = Division(
      index: body.divisionCount, kind: kind ?? .notes, title: fence.title, location: at(line, fence.column))
    division.titleInlines = division.titleInlines.map { fence.placingReferences($0, line: line, path: path) }
    body.divisionCount += 1
    body.openDivisions.append((division, body.nodes.count))
    body.nodes.append(.open(division))
  }
}

/// Quarto's spelling of a per-format division, read as Handout's own kind: `{.content-visible
/// when-format="revealjs"}` is `slides`; `{.content-visible unless-format="revealjs"}` and
/// `{.content-visible when-format="html"}` are `handout` (Handout's page is its only HTML format
/// besides the deck). nil for anything else, which then reads as an unknown division.
func quartoFormatKind(_ attributes: String) -> Division.Kind? {
  // What the pattern must start with, checked first: the regex is compiled anew at each call
  // (3 ms of notebook 02's parse, one per `:::` line).
  guard attributes.hasPrefix("{.content-visible"),
    let match = attributes.wholeMatch(
      of: #/\{\.content-visible\s+(when|unless)-format\s*=\s*"?([A-Za-z0-9_-]+)"?\s*\}/#)
  else { return nil }
  switch (match.output.1.lowercased(), match.output.2.lowercased()) {
  case ("when", "revealjs"): return .slides
  case ("unless", "revealjs"), ("when", "html"): return .handout
  default: return nil
  }
}
