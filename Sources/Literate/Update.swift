// `handout check --update`: rewrite the failing published outputs and `expect(…, equals: X)`
// literals in the notebook text from what the code produced. Only those bytes change: every
// other byte (line endings, BOM, indentation, prose) is kept exactly.
import Foundation
import SwiftParser
import SwiftSyntax

public enum Updater {
  public struct Change: Equatable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var what: String
    public var old: String
    public var new: String

    public var description: String {
      if old.contains("\n") || new.contains("\n") {
        return "\(location): updated \(what):\n"
          + old.split(separator: "\n", omittingEmptySubsequences: false).map { "  - \($0)" }.joined(
            separator: "\n")
          + "\n"
          + new.split(separator: "\n", omittingEmptySubsequences: false).map { "  + \($0)" }.joined(
            separator: "\n")
      }
      return "\(location): updated \(what): \(old) → \(new)"
    }
  }

  /// The notebook text with every failed published output and failed `expect` literal replaced
  /// by what the code produced, and the list of changes. Checks that passed are left alone (a
  /// published number within its tolerance keeps the instructor's rounding).
  public static func update(source: String, notebook: Notebook, run: RunResult) -> (
    source: String, changes: [Change]
  ) {
    var lines = SourceLines(source)
    var changes: [Change] = []
    var edits: [(line: Int, apply: (inout SourceLines) -> Void)] = []

    for node in notebook.nodes {
      guard case .published(let published) = node, published.closingLine > published.fence.line,
        let check = run.blocks[published.blockIndex]?.checks.first(where: { $0.kind == .publishedOutput }),
        !check.passed, run.blocks[published.blockIndex]?.failure == nil, let replacement = check.replacement
      else { continue }
      let first = published.fence.line + 1
      let count = published.closingLine - first
      let newLines =
        replacement.isEmpty
        ? [] : replacement.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      changes.append(
        Change(location: published.fence, what: "published output", old: published.text, new: replacement))
      edits.append((first, { $0.replaceLines(first, count: count, with: newLines) }))
    }

    for block in notebook.blocks where block.isExecuted {
      guard let result = run.blocks[block.index] else { continue }
      let failed = result.checks.filter {
        $0.kind == .expectation && !$0.passed && $0.replacement != nil && $0.location.file == notebook.path
      }
      guard !failed.isEmpty else { continue }
      let file = SyntaxCache.parse(block.code)
      let converter = SourceLocationConverter(fileName: "", tree: file)
      let indent = block.fence.column - 1
      for call in ExpectCalls.find(in: file) {
        let start = converter.location(for: call.positionAfterSkippingLeadingTrivia)
        let line = block.firstCodeLine + start.line - 1
        guard
          let check = failed.first(where: {
            $0.location.line == line
              && ($0.location.column == start.column + indent || $0.location.column == start.column)
          }),
          let replacement = check.replacement,
          let argument = call.arguments.first(where: { $0.label?.text == "equals" })
        else { continue }
        let expr = argument.expression
        // `equals: true` states a claim about the code; rewriting it to `false` would invert the claim,
        // not record a new number. Such a check stays failed for a person to look at.
        if expr.is(BooleanLiteralExprSyntax.self) { continue }
        let from = converter.location(for: expr.positionAfterSkippingLeadingTrivia)
        let to = converter.location(for: expr.endPositionBeforeTrailingTrivia)
        let old = expr.trimmedDescription
        guard old != replacement else { continue }
        changes.append(
          Change(
            location: SourceLocation(
              file: notebook.path, line: block.firstCodeLine + from.line - 1, column: from.column + indent),
            what: "expected value", old: old, new: replacement))
        let startLine = block.firstCodeLine + from.line - 1
        let endLine = block.firstCodeLine + to.line - 1
        edits.append(
          (
            startLine,
            {
              $0.replace(
                from: (startLine, from.column + indent), to: (endLine, to.column + indent), with: replacement)
            }
          ))
      }
    }
    // Later places first, so earlier line numbers stay valid.
    for edit in edits.sorted(by: { $0.line > $1.line }) { edit.apply(&lines) }
    changes.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    return (lines.text, changes)
  }
}

/// `#column` as a default argument names the column of the call's `(`; diagnostics and
/// `--update` want the column of `expect` itself.
enum ExpectColumns {
  static func normalize(_ run: RunResult, notebook: Notebook) -> RunResult {
    var run = run
    for block in notebook.blocks where block.isExecuted {
      guard var result = run.blocks[block.index], result.checks.contains(where: { $0.kind == .expectation })
      else { continue }
      let file = SyntaxCache.parse(block.code)
      let converter = SourceLocationConverter(fileName: "", tree: file)
      var starts: [Pair: Int] = [:]
      for call in ExpectCalls.find(in: file) {
        guard let paren = call.leftParen else { continue }
        let p = converter.location(for: paren.positionAfterSkippingLeadingTrivia)
        let s = converter.location(for: call.positionAfterSkippingLeadingTrivia)
        starts[Pair(line: block.firstCodeLine + p.line - 1, column: p.column)] = s.column
      }
      for i in result.checks.indices where result.checks[i].kind == .expectation {
        let l = result.checks[i].location
        if l.file == notebook.path, let column = starts[Pair(line: l.line, column: l.column)] {
          result.checks[i].location.column = column
        }
      }
      run.blocks[block.index] = result
    }
    return run
  }

  struct Pair: Hashable {
    var line: Int
    var column: Int
  }
}

/// `expect(…)` calls in a syntax tree.
final class ExpectCalls: SyntaxVisitor {
  var calls: [FunctionCallExprSyntax] = []

  static func find(in tree: SourceFileSyntax) -> [FunctionCallExprSyntax] {
    let visitor = ExpectCalls(viewMode: .sourceAccurate)
    visitor.walk(tree)
    return visitor.calls
  }

  override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
    if node.calledExpression.as(DeclReferenceExprSyntax.self)?.baseName.text == "expect" {
      calls.append(node)
    }
    return .visitChildren
  }
}

/// A text as lines that remember their own terminators (`\n`, `\r\n` or none).
struct SourceLines {
  var lines: [(text: String, end: String)]

  init(_ source: String) {
    lines = []
    var current: [UInt8] = []
    for byte in source.utf8 {
      if byte == UInt8(ascii: "\n") {
        if current.last == UInt8(ascii: "\r") {
          current.removeLast()
          lines.append((String(decoding: current, as: UTF8.self), "\r\n"))
        } else {
          lines.append((String(decoding: current, as: UTF8.self), "\n"))
        }
        current = []
      } else {
        current.append(byte)
      }
    }
    if !current.isEmpty { lines.append((String(decoding: current, as: UTF8.self), "")) }
  }

  var text: String { lines.map { $0.text + $0.end }.joined() }

  /// The terminator new lines get: the file's own.
  var newline: String { lines.first { !$0.end.isEmpty }?.end ?? "\n" }

  /// Replaces `count` lines starting at 1-based `line`.
  mutating func replaceLines(_ line: Int, count: Int, with new: [String]) {
    let nl = newline
    let start = line - 1
    guard start >= 0, start + count <= lines.count else { return }
    lines.replaceSubrange(start..<(start + count), with: new.map { ($0, nl) })
  }

  /// Replaces the text from (line, UTF-8 column) up to (line, column), 1-based, end exclusive.
  mutating func replace(from: (Int, Int), to: (Int, Int), with new: String) {
    guard from.0 >= 1, to.0 <= lines.count, from.0 <= to.0 else { return }
    let first = Array(lines[from.0 - 1].text.utf8)
    let last = Array(lines[to.0 - 1].text.utf8)
    guard from.1 - 1 <= first.count, to.1 - 1 <= last.count else { return }
    let text =
      String(decoding: first[..<(from.1 - 1)], as: UTF8.self) + new
      + String(decoding: last[(to.1 - 1)...], as: UTF8.self)
    let end = lines[to.0 - 1].end
    lines.replaceSubrange((from.0 - 1)..<to.0, with: [(text, end)])
  }
}
