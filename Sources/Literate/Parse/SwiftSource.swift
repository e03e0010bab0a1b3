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
