// `handout check --update`: rewrite the failing published outputs and `expect(…, equals: X)`
// literals in the notebook text from what the code produced. Only those bytes change: every
// other byte (line endings, BOM, indentation, prose) is kept exactly.
import Foundation
import SwiftParser
import SwiftSyntax

/// `handout check --update`: rewrites failed published outputs and `expect` literals in a
/// notebook's text; a pure function of the text, the parsed notebook and its checked run.
public enum Updater {
  /// One rewrite of the notebook text, as `check --update` reports it.
  public struct Change: Equatable, Sendable, CustomStringConvertible {
    /// The opening fence of the published output, or the start of the `equals:` value.
    public var location: SourceLocation
    /// What was rewritten, in words: `published output` or `expected value`.
    public var what: String
    /// The text as it stood: the published text, or the `equals:` literal.
    public var old: String
    /// The text written in its place (what the code produced).
    public var new: String
    /// The message of a rewritten `expect`: the claim in words, which the new value may break.
    public var message: String? = nil

    /// `file:line:column: updated expected value: 0.5 → 0.51`, with the `expect`'s message as a
    /// reminder to re-read it; a change spanning lines as `  - old` and `  + new` lines.
    public var description: String {
      if old.contains("\n") || new.contains("\n") {
        return "\(location): updated \(what):\n"
          + old.split(separator: "\n", omittingEmptySubsequences: false).map { "  - \($0)" }.joined(
            separator: "\n")
          + "\n"
          + new.split(separator: "\n", omittingEmptySubsequences: false).map { "  + \($0)" }.joined(
            separator: "\n")
      }
      let note = message.map { " (its message: \($0); check that the text still holds)" } ?? ""
      return "\(location): updated \(what): \(old) → \(new)\(note)"
    }
  }

  /// What an update did to one notebook.
  public struct Result: Equatable, Sendable {
    /// The notebook text after the update (the same text when nothing changed).
    public var source: String
    /// The rewrites made, by place in the notebook (line, then column); empty when none.
    public var changes: [Change]
    /// The failed checks the update left as they were, in notebook order: an `equals:` that is
    /// an expression or `true`/`false`, a value that has no literal, a call that failed with
    /// different values (in a loop), the output of a block that did not run to its end, a check
    /// made outside the notebook. They still fail after the update.
    public var unresolved: [CheckResult]
  }

  /// The notebook text with every failed published output and failed `expect` literal replaced
  /// by what the code produced, and the list of changes. Checks that passed are left alone (a
  /// published number within its tolerance keeps the instructor's rounding).
  public static func update(source: String, notebook: Notebook, run: RunResult) -> (
    source: String, changes: [Change]
  ) {
    let result = rewrite(source: source, notebook: notebook, run: run)
    return (result.source, result.changes)
  }

  /// `update`, and which failed checks it could not fix.
  ///
  /// Only literals are rewritten (numbers, strings without interpolation, arrays of them, with a
  /// minus sign or not), and only into literals: an expected side that is an expression states
  /// how the value is made, and replacing it with a number would empty the check. An `expect`
  /// called more than once (in a loop) is rewritten only when every call failed with the same
  /// value. A published output is written inside a fence longer than any run of the fence's
  /// character in it, so printed fences cannot close it.
  public static func rewrite(source: String, notebook: Notebook, run: RunResult) -> Result {
    // The parser counts columns after a byte-order mark; it is put back in front unchanged.
    let bom = source.hasPrefix("\u{FEFF}") ? "\u{FEFF}" : ""
    var lines = SourceLines(String(source.dropFirst(bom.isEmpty ? 0 : 1)))
    var plan = Plan()
    planPublishedOutputs(notebook: notebook, run: run, lines: lines, into: &plan)
    planExpectations(notebook: notebook, run: run, into: &plan)
    // Later places first, so earlier line numbers stay valid.
    for edit in plan.edits.sorted(by: { $0.line > $1.line }) { edit.apply(&lines) }
    plan.changes.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    var unresolved: [CheckResult] = []
    for k in run.blocks.keys.sorted() {
      guard let result = run.blocks[k] else { continue }
      for (i, check) in result.checks.enumerated()
      where !check.passed && !plan.fixed.contains(CheckID(block: k, index: i)) {
        unresolved.append(check)
      }
    }
    return Result(source: bom + lines.text, changes: plan.changes, unresolved: unresolved)
  }

  /// The changes to make, the edits that make them, and the failed checks they fix (by block and
  /// position in the block's checks).
  struct Plan {
    var changes: [Change] = []
    var edits: [(line: Int, apply: (inout SourceLines) -> Void)] = []
    var fixed = Set<CheckID>()
  }

  /// Every failed published output, rewritten from what its block printed.
  static func planPublishedOutputs(
    notebook: Notebook, run: RunResult, lines: SourceLines, into plan: inout Plan
  ) {
    for node in notebook.nodes {
      guard case .published(let published) = node, published.closingLine > published.fence.line,
        let block = run.blocks[published.blockIndex], block.failure == nil,
        let k = block.checks.firstIndex(where: { $0.kind == .publishedOutput }),
        !block.checks[k].passed, let replacement = block.checks[k].replacement,
        published.fence.line <= lines.lines.count, published.closingLine <= lines.lines.count
      else { continue }
      let newLines =
        replacement.isEmpty
        ? [] : replacement.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let opening = lines.lines[published.fence.line - 1].text
      let closing = lines.lines[published.closingLine - 1].text
      guard let fence = openingFence(opening) else { continue }
      let longest = newLines.map { longestRun(of: fence.character, in: $0) }.max() ?? 0
      let length = max(fence.length, longest + 1)
      let (open, close) = (published.fence.line, published.closingLine)
      plan.changes.append(
        Change(location: published.fence, what: "published output", old: published.text, new: replacement))
      plan.edits.append(
        (
          open,
          {
            $0.setText(ofLine: close, to: lengthened(closing, fence: fence.character, to: length))
            $0.replaceLines(open + 1, count: close - open - 1, with: newLines)
            $0.setText(ofLine: open, to: lengthened(opening, fence: fence.character, to: length))
          }
        ))
      plan.fixed.insert(CheckID(block: published.blockIndex, index: k))
    }

  }

  /// Every failed `expect(…, equals: LITERAL)` whose calls all failed with one literal value.
  static func planExpectations(notebook: Notebook, run: RunResult, into plan: inout Plan) {
    for block in notebook.blocks where block.isExecuted {
      guard let result = run.blocks[block.index],
        result.checks.contains(where: { $0.kind == .expectation && !$0.passed })
      else { continue }
      let file = block.syntaxTree
      let converter = SourceLocationConverter(fileName: "", tree: file)
      let indent = block.fence.column - 1
      for call in ExpectCalls.find(in: file) {
        let start = converter.location(for: call.positionAfterSkippingLeadingTrivia)
        let line = block.firstCodeLine + start.line - 1
        // Every check this call made (a loop makes several).
        let made = result.checks.indices.filter { k in
          let c = result.checks[k]
          return c.kind == .expectation && c.location.file == notebook.path && c.location.line == line
            && (c.location.column == start.column + indent || c.location.column == start.column)
        }
        let replacements = Set(made.map { result.checks[$0].replacement })
        guard !made.isEmpty, made.allSatisfy({ !result.checks[$0].passed }), replacements.count == 1,
          let replacement = replacements.first ?? nil, isLiteral(replacement),
          let argument = call.arguments.first(where: { $0.label?.text == "equals" }),
          isLiteral(argument.expression)
        else { continue }
        let expr = argument.expression
        let old = expr.trimmedDescription
        guard old != replacement else { continue }
        let from = converter.location(for: expr.positionAfterSkippingLeadingTrivia)
        let to = converter.location(for: expr.endPositionBeforeTrailingTrivia)
        plan.changes.append(
          Change(
            location: SourceLocation(
              file: notebook.path, line: block.firstCodeLine + from.line - 1, column: from.column + indent),
            what: "expected value", old: old, new: replacement, message: message(of: call)))
        let startLine = block.firstCodeLine + from.line - 1
        let endLine = block.firstCodeLine + to.line - 1
        plan.edits.append(
          (
            startLine,
            {
              $0.replace(
                from: (startLine, from.column + indent), to: (endLine, to.column + indent), with: replacement)
            }
          ))
        made.forEach { plan.fixed.insert(CheckID(block: block.index, index: $0)) }
      }
    }
  }

  struct CheckID: Hashable {
    var block: Int
    var index: Int
  }

  /// Whether `expr` is a literal a person wrote down as a record of a value: a number (with a
  /// minus sign or not), `.nan`/`.infinity`, a string without interpolation, or an array of
  /// them. `true`/`false` are claims, not records, and are not.
  static func isLiteral(_ expr: ExprSyntax) -> Bool {
    if expr.is(IntegerLiteralExprSyntax.self) || expr.is(FloatLiteralExprSyntax.self) { return true }
    if let member = expr.as(MemberAccessExprSyntax.self) {
      return member.base == nil && ["nan", "infinity"].contains(member.declName.baseName.text)
    }
    if let prefix = expr.as(PrefixOperatorExprSyntax.self) {
      let operand = prefix.expression
      return prefix.operator.text == "-"
        && (operand.is(IntegerLiteralExprSyntax.self) || operand.is(FloatLiteralExprSyntax.self)
          || operand.as(MemberAccessExprSyntax.self).map { isLiteral(ExprSyntax($0)) } == true)
    }
    if let string = expr.as(StringLiteralExprSyntax.self) {
      return string.segments.allSatisfy { $0.is(StringSegmentSyntax.self) }
    }
    if let array = expr.as(ArrayExprSyntax.self) {
      return array.elements.allSatisfy { isLiteral($0.expression) }
    }
    return false
  }

  /// Whether `text` is one literal expression (see `isLiteral(_:)`) and nothing else.
  static func isLiteral(_ text: String) -> Bool {
    let file = Parser.parse(source: text)
    guard !file.hasError, file.statements.count == 1, case .expr(let expr) = file.statements.first?.item
    else {
      return false
    }
    return isLiteral(expr)
  }

  /// The message argument of an `expect` call (its unlabelled string after the first argument).
  static func message(of call: FunctionCallExprSyntax) -> String? {
    call.arguments.dropFirst().first { $0.label == nil }?.expression.trimmedDescription
  }

  /// The length of the longest run of `character` in `line`.
  static func longestRun(of character: Character, in line: String) -> Int {
    var longest = 0
    var current = 0
    for c in line {
      current = c == character ? current + 1 : 0
      longest = max(longest, current)
    }
    return longest
  }

  /// A fence line with its run of `fence` characters (after the indentation) made `length` long.
  static func lengthened(_ line: String, fence: Character, to length: Int) -> String {
    let indent = line.prefix { $0 == " " }
    let rest = line.dropFirst(indent.count)
    let run = rest.prefix { $0 == fence }
    guard run.count < length else { return line }
    return indent + String(repeating: fence, count: length) + rest.dropFirst(run.count)
  }
}
