// Stage 2, tangle: `Notebook` → one Swift program.
//
// The executed blocks become top-level code of a single `main.swift`, in notebook order, so a
// later block sees an earlier block's declarations. Before each block's code stands
// `#sourceLocation(file: "<notebook's file name>", line: N)`: swiftc's errors, `#filePath`/`#line`
// defaults (which `expect` and a shared helper's `file: String = #filePath` use) and the crash
// backtracer's line table all name the notebook's own lines. The file name, relative to the
// program's folder (which stands for the notebook's), not the path `handout` was given: a helper
// printing its caller's `#filePath` printed `notebooks/x.md` or `/home/…/notebooks/x.md` by where
// `handout` was started.
import Foundation
import SwiftParser
import SwiftSyntax

/// Where each piece of notebook code landed in the generated program.
public struct SourceMap: Equatable, Sendable, Codable {
  /// A run of consecutive notebook lines copied into the program unchanged.
  public struct Segment: Equatable, Sendable, Codable {
    /// Index of the block (`Block.index`) the lines come from; nil for an inline expression.
    public var blockIndex: Int?
    /// Index of the inline expression (`InlineExpression.index`) the line comes from; nil for a block.
    public var inlineIndex: Int?
    /// 1-based line of the generated program that holds the segment's first notebook line.
    public var generatedLine: Int
    /// 1-based notebook line of the segment's first line.
    public var notebookLine: Int
    /// How many lines the segment has (at least 1).
    public var lineCount: Int
  }

  /// Every copied run of notebook lines, in the order of the generated program.
  public var segments: [Segment] = []

  /// The notebook line that a line of the generated program came from; nil for glue code.
  public func notebookLine(forGeneratedLine line: Int) -> Int? {
    for s in segments where line >= s.generatedLine && line < s.generatedLine + s.lineCount {
      return s.notebookLine + (line - s.generatedLine)
    }
    return nil
  }
}

/// The program made from a notebook.
public struct TangledProgram: Equatable, Sendable {
  /// The Swift source of `main.swift`: glue, `#sourceLocation` lines and the notebook's code.
  public var source: String
  /// Which generated lines are which notebook lines (compile errors and the cache's relocation).
  public var map: SourceMap
  /// Indices of the blocks whose last statement is displayed (`_Handout.display`).
  public var displayedBlocks: Set<Int>

  /// The name swiftc gives the notebook at `path` in its errors, `#filePath` and backtraces: the
  /// `#sourceLocation(file:)` literal as written, escapes and all (swiftc does not undo them), so
  /// the notebook's file name itself unless it holds a `\`, a `"` or a control character.
  static func sourceName(of path: String) -> String { TangleWriter.literal(fileName(of: path)) }

  /// `text` as the inside of a Swift string literal (see `TangleWriter.literal`).
  static func literal(_ text: String) -> String { TangleWriter.literal(text) }

  /// The notebook's file name (`x.md`): what `#filePath` says in its code and at its call sites.
  static func fileName(of path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
}

extension Notebook {
  /// Bumped whenever the generated program's shape changes, so cached binaries are not reused.
  public static let tangleFormat = 6

  /// Builds the notebook's program. Pure: the same notebook always gives the same text.
  ///
  /// The program calls the runtime (`HandoutKit/Runtime.swift`) between blocks:
  /// `_Handout.beginBlock(k)` / `endBlock(k)`, `_Handout.display { EXPR }` for a displayed last
  /// expression, `_Handout.inline(i) { EXPR }` for inline expressions at their place in the prose.
  /// - Parameter sharedModule: the course's shared module (`SharedCode`), imported with
  ///   `@testable` so its internal declarations are visible too.
  public func tangle(sharedModule: String? = nil) -> TangledProgram {
    var out = TangleWriter(path: path)
    out.prelude(sharedModule: sharedModule)
    var displayed = Set<Int>()
    var executed = 0
    var inlineQueue = inlines[...]
    let (pageOnly, slidesOnly) = (pageOnlyBlocks, slidesOnlyBlocks)

    func emitInlines(upTo count: Int) {
      while let inline = inlineQueue.first, inline.afterBlockCount <= count {
        inlineQueue = inlineQueue.dropFirst()
        out.inline(inline)
      }
    }

    for block in blocks where block.isExecuted {
      emitInlines(upTo: executed)
      let shown = (page: pageOnly.contains(block.index), slides: slidesOnly.contains(block.index))
      if out.block(block, pageOnly: shown.page, slidesOnly: shown.slides) { displayed.insert(block.index) }
      executed += 1
    }
    emitInlines(upTo: Int.max)
    out.line("_Handout.finish()")
    return TangledProgram(source: out.text, map: out.map, displayedBlocks: displayed)
  }

  /// Notebook code made safe to paste between glue lines, and what was wrong with it.
  ///
  /// - A carriage return becomes a space: swiftc ends a line at a lone CR, the notebook does not,
  ///   so one would shift every later line (and swift-syntax's line numbers past the code's lines,
  ///   which trapped here). The parser rejects a CR in executed code; this guards a `Notebook`
  ///   built in code.
  /// - A `#sourceLocation` directive is blanked (its lines and columns kept).
  /// The hazards' closers and `#error`s are written by `TangleWriter.close` and `.report`.
  static func defuse(_ code: String, tree: SourceFileSyntax? = nil) -> (code: String, hazards: [CodeHazard]) {
    var bytes = Array(code.utf8)
    let hasCR = bytes.contains(UInt8(ascii: "\r"))
    for k in bytes.indices where bytes[k] == UInt8(ascii: "\r") { bytes[k] = UInt8(ascii: " ") }
    var text = String(decoding: bytes, as: UTF8.self)
    // The block's own tree holds for the text unless a CR was replaced.
    let hazards = CodeHazards.find(in: text, tree: hasCR ? nil : tree)
    let directives = hazards.filter { $0.kind == .sourceLocation }
    if !directives.isEmpty {
      for hazard in directives {
        for k in hazard.range where k < bytes.count && bytes[k] != UInt8(ascii: "\n") {
          bytes[k] = UInt8(ascii: " ")
        }
      }
      text = String(decoding: bytes, as: UTF8.self)
    }
    return (text, hazards)
  }

  /// The code's lines as swiftc counts them (the code holds no CR: see `defuse`).
  static func lines(_ code: String) -> [String] {
    code.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
  }
}

/// `try ` / `await ` in front of a runtime call whose closure contains them (a closure that
/// throws makes the rethrowing call throw; one that awaits needs the async overload).
private func effectKeywords(_ expression: String) -> String {
  let tokens = SwiftSource.parse(expression).tokens(viewMode: .sourceAccurate)
  var keywords = ""
  if tokens.contains(where: { $0.tokenKind == .keyword(.try) }) { keywords += "try " }
  if tokens.contains(where: { $0.tokenKind == .keyword(.await) }) { keywords += "await " }
  return keywords
}

private struct TangleWriter {
  let path: String
  var text = ""
  var lineCount = 0
  var map = SourceMap()

  init(path: String) { self.path = path }

  /// The notebook's file name as a literal: what `#filePath` and `#file` say (`FilePathLiterals`).
  var fileLiteral: String { "\"" + TangledProgram.sourceName(of: path) + "\"" }

  mutating func line(_ s: String) {
    text += s
    text += "\n"
    lineCount += s.utf8.count(where: { $0 == UInt8(ascii: "\n") }) + 1
  }

  mutating func sourceLocation(_ notebookLine: Int) {
    line("#sourceLocation(file: \"\(TangledProgram.sourceName(of: path))\", line: \(notebookLine))")
  }

  /// `text` as the inside of a Swift string literal: `\\`, `\"` and every control character
  /// (a file name may hold a newline, a tab or an ESC) as `\u{…}`; swiftc rejects them raw.
  static func literal(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
        result += "\\u{\(String(scalar.value, radix: 16))}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  mutating func resetLocation() { line("#sourceLocation()") }

  /// Closes what `hazards` left open (a comment first: nothing after its `/*` was parsed), so the
  /// glue that follows stays glue.
  mutating func close(_ hazards: [CodeHazard]) {
    for hazard in hazards {
      if case .unterminatedComment(let depth) = hazard.kind {
        line(String(repeating: "*/", count: depth))
      }
    }
    for hazard in hazards {
      if case .unclosed(_, let closers) = hazard.kind { line(closers) }
    }
  }

  /// An `#error` at each hazard's notebook line and column, so swiftc reports it where it is.
  /// `indent` columns stand before the code in the notebook: on every line (a block's fence
  /// indent), or on the first only (an inline expression).
  mutating func report(_ hazards: [CodeHazard], firstLine: Int, indent: Int, everyLine: Bool) {
    for hazard in hazards {
      let line = firstLine + hazard.line - 1
      let column = hazard.column + (everyLine || hazard.line == 1 ? indent : 0)
      let message = hazard.message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "\"", with: "\\\"")
      // swiftc reports an `#error` at its string: `#error(` goes on the line above.
      if line > 1 {
        sourceLocation(line - 1)
        self.line("#error(")
        self.line(String(repeating: " ", count: max(0, column - 1)) + "\"\(message)\")")
      } else {
        sourceLocation(line)
        self.line(String(repeating: " ", count: max(0, column - 8)) + "#error(\"\(message)\")")
      }
      resetLocation()
    }
  }

  /// Records that the next `lineCount` lines written are notebook lines starting at `notebookLine`.
  mutating func segment(blockIndex: Int?, inlineIndex: Int?, notebookLine: Int, lineCount count: Int) {
    guard count > 0 else { return }
    map.segments.append(
      .init(
        blockIndex: blockIndex, inlineIndex: inlineIndex, generatedLine: lineCount + 1,
        notebookLine: notebookLine, lineCount: count))
  }
}

/// The program's parts: its first lines, an inline expression, a block.
extension TangleWriter {
  /// The imports and the runtime's start, before any notebook code.
  mutating func prelude(sharedModule: String?) {
    line("// Tangled from \(TangleWriter.literal(path)) by handout; edit the notebook, not this file.")
    line("import Foundation")
    line("import Neural")
    line("import HandoutKit")
    if let sharedModule { line("@testable import \(sharedModule)") }
    line("setvbuf(stdout, nil, _IOLBF, 0)  // line by line, so prints and traps keep their order")
    line("_Handout.start()")
  }

  /// `_Handout.inline(i) { EXPR }`, at the expression's notebook line and column.
  mutating func inline(_ inline: InlineExpression) {
    let (expression, hazards) = FilePathLiterals.defuse(inline.expression, literal: fileLiteral)
    let keyword = effectKeywords(expression)
    line("\(keyword)_Handout.inline(\(inline.index)) {")
    sourceLocation(inline.location.line)
    let lines = Notebook.lines(expression)
    segment(
      blockIndex: nil, inlineIndex: inline.index, notebookLine: inline.location.line,
      lineCount: lines.count)
    line(String(repeating: " ", count: max(0, inline.location.column - 1)) + lines.joined(separator: "\n"))
    close(hazards)
    resetLocation()
    line("}")
    report(hazards, firstLine: inline.location.line, indent: inline.location.column - 1, everyLine: false)
  }

  /// An executed block between `beginBlock` and `endBlock` (told when the block is on the page
  /// only, so its figures get no slide variant, or on the slides only, so they get only that);
  /// true if its last expression is displayed.
  mutating func block(_ block: Block, pageOnly: Bool = false, slidesOnly: Bool = false) -> Bool {
    line(
      "_Handout.beginBlock(\(block.index)\(block.id.map { ", id: \"\($0)\"" } ?? "")"
        + "\(pageOnly ? ", pageOnly: true" : "")\(slidesOnly ? ", slidesOnly: true" : ""))")
    let (code, hazards) = FilePathLiterals.defuse(block.code, tree: block.syntax, literal: fileLiteral)
    let lines = Notebook.lines(code)
    let tree = code == block.code ? block.syntaxTree : SwiftSource.parse(code)
    var displayed = false
    if hazards.isEmpty, let last = Display.lastExpression(in: tree),
      (1...lines.count).contains(last.line)
    {
      displayed = true
      displayedBlock(block, lines: lines, last: last)
    } else {
      sourceLocation(block.firstCodeLine)
      segment(
        blockIndex: block.index, inlineIndex: nil, notebookLine: block.firstCodeLine, lineCount: lines.count)
      lines.forEach { line($0) }
      close(hazards)
      resetLocation()
      report(hazards, firstLine: block.firstCodeLine, indent: block.fence.column - 1, everyLine: true)
    }
    line("_Handout.endBlock(\(block.index))")
    return displayed
  }

  /// A block's lines with its last expression `last` wrapped in `_Handout.display { … }`.
  private mutating func displayedBlock(_ block: Block, lines: [String], last: Display.LastExpression) {
    let before = Array(lines[0..<last.line - 1])
    sourceLocation(block.firstCodeLine)
    segment(
      blockIndex: block.index, inlineIndex: nil, notebookLine: block.firstCodeLine,
      lineCount: before.count)
    before.forEach { line($0) }
    // The expression's line: statements before it on the same line stay outside the closure,
    // replaced by spaces inside it, so every column swiftc reports is the notebook's column.
    let exprLine = lines[last.line - 1]
    let prefix = String(decoding: exprLine.utf8.prefix(last.column - 1), as: UTF8.self)
    let notebookLine = block.firstCodeLine + last.line - 1
    if !prefix.allSatisfy(\.isWhitespace) {
      sourceLocation(notebookLine)
      line(prefix)
    }
    line("\(effectKeywords(last.text))_Handout.display {")
    sourceLocation(notebookLine)
    let rest = Array(lines[(last.line - 1)...])
    segment(
      blockIndex: block.index, inlineIndex: nil, notebookLine: notebookLine, lineCount: rest.count)
    line(
      String(repeating: " ", count: prefix.utf8.count)
        + String(decoding: exprLine.utf8.dropFirst(last.column - 1), as: UTF8.self))
    rest.dropFirst().forEach { line($0) }
    resetLocation()
    line("}")
  }
}

/// Which last statement of a block is displayed, as R prints a top-level value.
///
/// The rule: the block's last statement is displayed when it is an expression and
/// - not an assignment (`x = …`, `x += …`),
/// - not a call of `print`, `debugPrint`, `dump`, `show`, `expect`, `fatalError`, `precondition`,
///   `preconditionFailure`, `assert`, `assertionFailure` or `exit` (with or without `try`/`await`),
/// - not an `if`/`switch`/closure expression,
/// and the block has no syntax error (swiftc then reports it). Any other call is wrapped too;
/// the runtime shows nothing when its value is `Void` (`xs.append(1)`, `model.fit()`), so
/// a function returning a value is displayed like R's visible results.
public enum Display {
  static let silentCalls: Set<String> = [
    "print", "debugPrint", "dump", "show", "expect", "fatalError", "precondition", "preconditionFailure",
    "assert", "assertionFailure", "exit",
  ]

  /// The expression to display: its 1-based line and UTF-8 column in `code`, and its text.
  public struct LastExpression: Equatable, Sendable {
    /// 1-based line of the expression's first token in the block's code.
    public var line: Int
    /// 1-based UTF-8 column of that token.
    public var column: Int
    /// The expression as written, without surrounding trivia.
    public var text: String
  }

  /// The expression to display in `code`, parsed now; nil when nothing is displayed (see the rule
  /// above) or the code does not parse.
  public static func lastExpression(in code: String) -> LastExpression? {
    lastExpression(in: SwiftSource.parse(code))
  }

  /// The expression to display in an already parsed block.
  public static func lastExpression(in file: SourceFileSyntax) -> LastExpression? {
    guard !file.hasError, let last = file.statements.last, case .expr(let expr) = last.item else {
      return nil
    }
    guard isDisplayable(expr) else { return nil }
    let converter = SourceLocationConverter(fileName: "", tree: file)
    let start = converter.location(for: expr.positionAfterSkippingLeadingTrivia)
    return LastExpression(line: start.line, column: start.column, text: expr.trimmedDescription)
  }

  static func isDisplayable(_ expr: ExprSyntax) -> Bool {
    var e = expr
    while true {
      if let t = e.as(TryExprSyntax.self) { e = t.expression; continue }
      if let a = e.as(AwaitExprSyntax.self) { e = a.expression; continue }
      break
    }
    if let call = e.as(FunctionCallExprSyntax.self),
      let name = call.calledExpression.as(DeclReferenceExprSyntax.self),
      silentCalls.contains(name.baseName.text)
    {
      return false
    }
    if let sequence = e.as(SequenceExprSyntax.self) {
      for element in sequence.elements {
        if element.is(AssignmentExprSyntax.self) { return false }
        if let op = element.as(BinaryOperatorExprSyntax.self) {
          let text = op.operator.text
          if text.hasSuffix("="), !["==", "!=", "<=", ">=", "===", "!=="].contains(text) { return false }
        }
      }
    }
    if e.is(IfExprSyntax.self) || e.is(SwitchExprSyntax.self) || e.is(ClosureExprSyntax.self) { return false }
    return true
  }
}
