// `#filePath` and `#file` in notebook code name the notebook as the program's folder sees it.
//
// The `#sourceLocation` lines make them the notebook's path on the machine that rendered it, so a
// page printing one differed by machine, and `URL(fileURLWithPath: #filePath)` reached the files
// beside the notebook, which the run cache did not know. In the notebook's code (not in the
// runtime's default arguments: `expect`'s location still names the notebook) each becomes the
// notebook's file name, relative: the program runs in its private folder, which stands for the
// notebook's folder, so a file found through it is one the front matter's `data:` copied in, and
// any other is not there.
import SwiftSyntax

enum FilePathLiterals {
  /// `Notebook.defuse(code, tree:)`, then, when the code has no hazard (one makes the program an
  /// `#error` anyway), `rewrite` with `literal`.
  static func defuse(_ code: String, tree: SourceFileSyntax? = nil, literal: String) -> (
    code: String, hazards: [CodeHazard]
  ) {
    let (defused, hazards) = Notebook.defuse(code, tree: tree)
    guard hazards.isEmpty else { return (defused, hazards) }
    let parsed = defused == code ? tree : nil
    return (rewrite(defused, tree: parsed ?? SwiftSource.parse(defused), literal: literal), hazards)
  }

  /// `code` with each `#filePath` and `#file` (no arguments) replaced by `literal` (the notebook's
  /// file name as a Swift string literal), padded with spaces to the directive's length when shorter (so the line's later
  /// columns stay); the code unchanged when it has none.
  static func rewrite(_ code: String, tree: @autoclosure () -> SourceFileSyntax, literal: String) -> String {
    guard code.contains("#file") else { return code }
    let finder = Finder(viewMode: .sourceAccurate)
    finder.walk(tree())
    guard !finder.ranges.isEmpty else { return code }
    let literal = Array(literal.utf8)
    var bytes = Array(code.utf8)
    for range in finder.ranges.reversed() where range.upperBound <= bytes.count {
      let padding = max(0, range.count - literal.count)
      bytes.replaceSubrange(range, with: literal + Array(repeating: UInt8(ascii: " "), count: padding))
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The UTF-8 ranges of the `#filePath` and `#file` expressions of a tree, in source order.
  private final class Finder: SyntaxVisitor {
    var ranges: [Range<Int>] = []

    override func visit(_ node: MacroExpansionExprSyntax) -> SyntaxVisitorContinueKind {
      if ["filePath", "file"].contains(node.macroName.text), node.arguments.isEmpty,
        node.leftParen == nil, node.trailingClosure == nil, node.genericArgumentClause == nil
      {
        let start = node.positionAfterSkippingLeadingTrivia.utf8Offset
        ranges.append(start..<node.endPositionBeforeTrailingTrivia.utf8Offset)
      }
      return .visitChildren
    }
  }
}
