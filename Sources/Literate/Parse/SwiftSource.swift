// Parsing Swift the one way every stage does: through swift-syntax, with the code's deepest `[`
// defused first. Each block is parsed once, by the parser, and carries its tree (`Block.syntax`).
import Foundation
import SwiftParser
import SwiftSyntax

enum SwiftSource {
  /// swift-syntax's lookahead for inline-array types takes time exponential in the number of `[`
  /// open at once: 22 in a row took a minute (found by `make fuzz`; whitespace or stray bytes in
  /// between change nothing). Code that nests deeper than this is parsed with the deeper `[`
  /// blanked; `CodeHazards` reports it as an error.
  static let maxBracketDepth = 8

  /// The most `[` open at once in `source` (a plain count: strings and comments included).
  static func bracketDepth(_ source: String) -> Int {
    var deepest = 0
    var depth = 0
    for byte in source.utf8 {
      if byte == UInt8(ascii: "[") {
        depth += 1
        deepest = max(deepest, depth)
      } else if byte == UInt8(ascii: "]") {
        depth = max(0, depth - 1)
      }
    }
    return deepest
  }

  /// `source` with every `[` that would open deeper than `maxBracketDepth` replaced by a space
  /// (offsets, lines and columns unchanged).
  static func defuseDeepBrackets(_ source: String) -> String {
    var bytes = Array(source.utf8)
    var depth = 0
    for k in bytes.indices {
      if bytes[k] == UInt8(ascii: "[") {
        if depth == maxBracketDepth { bytes[k] = UInt8(ascii: " ") } else { depth += 1 }
      } else if bytes[k] == UInt8(ascii: "]") {
        depth = max(0, depth - 1)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `Parser.parse(source:)`, with `[` past `maxBracketDepth` blanked first. Pure: nothing is
  /// remembered between calls.
  static func parse(_ source: String) -> SourceFileSyntax {
    Parser.parse(source: bracketDepth(source) > maxBracketDepth ? defuseDeepBrackets(source) : source)
  }
}

/// `expect(…)` calls in a syntax tree (or calls of the functions `names`).
final class ExpectCalls: SyntaxVisitor {
  var calls: [FunctionCallExprSyntax] = []
  var names: Set<String> = ["expect"]

  static func find(in tree: SourceFileSyntax, names: Set<String> = ["expect"]) -> [FunctionCallExprSyntax] {
    let visitor = ExpectCalls(viewMode: .sourceAccurate)
    visitor.names = names
    visitor.walk(tree)
    return visitor.calls
  }

  override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
    if let name = node.calledExpression.as(DeclReferenceExprSyntax.self)?.baseName.text, names.contains(name)
    {
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

  /// Replaces the text of 1-based `line`, keeping its terminator.
  mutating func setText(ofLine line: Int, to text: String) {
    guard line >= 1, line <= lines.count else { return }
    lines[line - 1].text = text
  }

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
