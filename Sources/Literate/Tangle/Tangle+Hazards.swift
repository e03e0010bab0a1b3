// Code that would break out of its block once tangled.
//
// Every block is pasted between glue lines (`#sourceLocation`, `_Handout.endBlock(k)`, the next
// block's `beginBlock`). A block that leaves a `/*`, a `"""` or a bracket open swallows that glue,
// and a `#sourceLocation` of its own re-labels every later line: swiftc then reports its errors at
// 1:1 or at a line past the end of the notebook. The parser reports each of these at the
// notebook's line and column; the tangler also defuses them (see `Notebook.tangle`), so a
// `Notebook` built in code cannot make a program whose errors point nowhere.
import SwiftSyntax

/// One thing in a block's code that would escape the block.
struct CodeHazard: Equatable, Sendable {
  enum Kind: Equatable, Sendable {
    /// A `#sourceLocation(…)` directive; `range` is its UTF-8 byte range in the code.
    case sourceLocation
    /// A `/*` never closed; `depth` `*/`s close it (block comments nest in Swift).
    case unterminatedComment(depth: Int)
    /// An opening bracket or `"""` never closed in the block; `closers` close what is open, in order.
    case unclosed(opener: String, closers: String)
    /// The code ends inside a statement (`let x =`), after the token `after`.
    case incomplete(after: String)
    /// More `[` open at once than `SwiftSource.maxBracketDepth`.
    case bracketDepth
  }

  var kind: Kind
  /// 1-based line in the code, and 1-based UTF-8 column.
  var line: Int
  var column: Int
  var range: Range<Int>

  /// What the instructor reads.
  var message: String {
    switch kind {
    case .sourceLocation:
      "#sourceLocation is not allowed in a block: handout writes its own, so that errors point at the "
        + "notebook's lines; remove it"
    case .unterminatedComment:
      "this /* comment is never closed in its block; close it with */ (a comment cannot run on into the "
        + "next block)"
    case .unclosed(let opener, _):
      "this \(opener) is never closed in its block; close it (a block cannot continue in the next block)"
    case .bracketDepth:
      "more than \(SwiftSource.maxBracketDepth) '[' open at once (strings and comments count too): Swift's "
        + "syntax library takes exponential time on them (a minute for 22); build the nested value in steps"
    case .incomplete(let after):
      "the code ends in the middle of a statement, after '\(after)'; finish the statement (it cannot "
        + "continue in the next block)"
    }
  }
}

enum CodeHazards {
  /// The hazards of `code` (a block's code, or an inline expression), in source order.
  /// `tree`: the code's tree when the caller has it (a parsed block's `syntax`).
  static func find(in code: String, tree: SourceFileSyntax? = nil) -> [CodeHazard] {
    let tree = tree ?? SwiftSource.parse(code)
    let converter = SourceLocationConverter(fileName: "", tree: tree)
    // (The tree was parsed with the deep brackets blanked: report them alone.)
    if let deep = deepBracketHazard(in: code, converter: converter) { return [deep] }
    var hazards = sourceLocationHazards(in: tree, converter: converter)
    hazards += unterminatedCommentHazards(in: tree, converter: converter)
    hazards += unfinishedEndHazards(in: tree, converter: converter)
    return hazards.sorted { $0.range.lowerBound < $1.range.lowerBound }
  }

  /// A hazard of `length` bytes at UTF-8 `offset`, with its line and column.
  private static func hazard(
    _ kind: CodeHazard.Kind, at offset: Int, length: Int, converter: SourceLocationConverter
  ) -> CodeHazard {
    let location = converter.location(for: AbsolutePosition(utf8Offset: offset))
    return CodeHazard(
      kind: kind, line: location.line, column: location.column, range: offset..<(offset + length))
  }

  /// The first `[` past `SwiftSource.maxBracketDepth`, if the code nests them that deep.
  private static func deepBracketHazard(in code: String, converter: SourceLocationConverter) -> CodeHazard? {
    guard SwiftSource.bracketDepth(code) > SwiftSource.maxBracketDepth,
      case let (original, blanked) = (Array(code.utf8), Array(SwiftSource.defuseDeepBrackets(code).utf8)),
      let offset = original.indices.first(where: { original[$0] != blanked[$0] })
    else { return nil }
    return hazard(.bracketDepth, at: offset, length: 1, converter: converter)
  }

  /// Every `#sourceLocation(…)` directive.
  private static func sourceLocationHazards(
    in tree: SourceFileSyntax, converter: SourceLocationConverter
  ) -> [CodeHazard] {
    let finder = SourceLocationFinder(viewMode: .sourceAccurate)
    finder.walk(tree)
    return finder.found.map { node in
      let start = node.positionAfterSkippingLeadingTrivia.utf8Offset
      return hazard(
        .sourceLocation, at: start, length: node.endPositionBeforeTrailingTrivia.utf8Offset - start,
        converter: converter)
    }
  }

  /// Block comments live in trivia. An unterminated one runs to the end of the code.
  private static func unterminatedCommentHazards(
    in tree: SourceFileSyntax, converter: SourceLocationConverter
  ) -> [CodeHazard] {
    var hazards: [CodeHazard] = []
    for token in tree.tokens(viewMode: .sourceAccurate) {
      var offset = token.position.utf8Offset
      for piece in token.leadingTrivia {
        if case .blockComment(let text) = piece, let depth = openDepth(text), depth > 0 {
          hazards.append(
            hazard(.unterminatedComment(depth: depth), at: offset, length: 2, converter: converter))
        } else if case .docBlockComment(let text) = piece, let depth = openDepth(text), depth > 0 {
          hazards.append(
            hazard(.unterminatedComment(depth: depth), at: offset, length: 2, converter: converter))
        }
        offset += piece.sourceLength.utf8Length
      }
      offset = token.endPositionBeforeTrailingTrivia.utf8Offset
      for piece in token.trailingTrivia {
        if case .blockComment(let text) = piece, let depth = openDepth(text), depth > 0 {
          hazards.append(
            hazard(.unterminatedComment(depth: depth), at: offset, length: 2, converter: converter))
        }
        offset += piece.sourceLength.utf8Length
      }
    }
    return hazards
  }

  /// Closers the parser had to invent at the very end: what is still open when the code ends
  /// (`.unclosed`), or a statement left unfinished (`.incomplete`, when nothing is open).
  private static func unfinishedEndHazards(
    in tree: SourceFileSyntax, converter: SourceLocationConverter
  ) -> [CodeHazard] {
    let lastPresent =
      tree.tokens(viewMode: .sourceAccurate).reversed().first { $0.tokenKind != .endOfFile }?
      .endPositionBeforeTrailingTrivia.utf8Offset ?? 0
    let (closers, firstOpener, incomplete) = missingClosers(in: tree, after: lastPresent)
    var hazards: [CodeHazard] = []
    if incomplete, closers.isEmpty,
      let last = tree.tokens(viewMode: .sourceAccurate).reversed().first(where: { $0.tokenKind != .endOfFile }
      )
    {
      let offset = last.positionAfterSkippingLeadingTrivia.utf8Offset
      hazards.append(
        hazard(.incomplete(after: last.text), at: offset, length: last.text.utf8.count, converter: converter))
    }
    if !closers.isEmpty {
      let opener = firstOpener ?? (text: "bracket", offset: lastPresent)
      hazards.append(
        hazard(
          .unclosed(opener: opener.text, closers: closers), at: opener.offset, length: opener.text.utf8.count,
          converter: converter))
    }
    return hazards
  }

  /// The missing tokens at or after `lastPresent`: the closers that close what is open (one a
  /// line), the outermost unclosed opener, and whether a missing token closes no bracket.
  private static func missingClosers(
    in tree: SourceFileSyntax, after lastPresent: Int
  ) -> (closers: String, firstOpener: (text: String, offset: Int)?, incomplete: Bool) {
    var closers = ""
    var firstOpener: (text: String, offset: Int)?
    var incomplete = false
    for token in tree.tokens(viewMode: .all) where token.presence == .missing {
      guard token.position.utf8Offset >= lastPresent else { continue }
      guard let opener = openerKind(of: token.tokenKind) else {
        // `let x =`, `1 +`, `xs.`: the glue line after the block would complete the statement.
        incomplete = true
        continue
      }
      closers += closers.isEmpty ? "" : "\n"
      closers += token.tokenKind == .multilineStringQuote ? "\n\"\"\"" : token.text
      // (`#endif` and `"""` must stand on lines of their own: hence one closer a line.)
      // The opener of the outermost unclosed construct is the one to point at.
      // The pair's opener is a child of the same node (`{ … }`), or inside it (`#if` in its clause).
      let children = token.parent?.children(viewMode: .sourceAccurate).compactMap { $0.as(TokenSyntax.self) }
      if let open = children?.first(where: { $0.tokenKind == opener })
        ?? token.parent?.tokens(viewMode: .sourceAccurate).first(where: { $0.tokenKind == opener })
      {
        let offset = open.positionAfterSkippingLeadingTrivia.utf8Offset
        if firstOpener.map({ offset < $0.offset }) ?? true { firstOpener = (open.text, offset) }
      }
    }
    return (closers, firstOpener, incomplete)
  }

  /// How many `*/` are still missing at the end of a block comment's text; nil if it is not one.
  static func openDepth(_ text: String) -> Int? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 2, bytes[0] == UInt8(ascii: "/"), bytes[1] == UInt8(ascii: "*") else { return nil }
    var depth = 0
    var i = 0
    while i + 1 < bytes.count {
      if bytes[i] == UInt8(ascii: "/"), bytes[i + 1] == UInt8(ascii: "*") {
        depth += 1
        i += 2
      } else if bytes[i] == UInt8(ascii: "*"), bytes[i + 1] == UInt8(ascii: "/") {
        depth -= 1
        i += 2
        if depth == 0 { return 0 }
      } else {
        i += 1
      }
    }
    return depth
  }

  /// The opening token a missing closing token pairs with.
  private static func openerKind(of kind: TokenKind) -> TokenKind? {
    switch kind {
    case .rightBrace: .leftBrace
    case .rightParen: .leftParen
    case .rightSquare: .leftSquare
    case .multilineStringQuote: .multilineStringQuote
    case .poundEndif: .poundIf
    default: nil
    }
  }
}

private final class SourceLocationFinder: SyntaxVisitor {
  var found: [PoundSourceLocationSyntax] = []

  override func visit(_ node: PoundSourceLocationSyntax) -> SyntaxVisitorContinueKind {
    found.append(node)
    return .skipChildren
  }
}
