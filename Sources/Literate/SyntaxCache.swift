// One parse per block: tangling (declaration order, the displayed last expression) and
// highlighting all read the same block's syntax tree. Parsing it three times was a quarter of a
// warm render with the toolchain's swift-syntax (see Package.swift), whose library-evolution build
// is slower than the package's.
import Foundation
import SwiftParser
import SwiftSyntax

enum SyntaxCache {
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

  /// Trees are kept for sources totalling at most this many bytes; past it the cache starts over,
  /// so a huge notebook costs no more memory than parsing it did.
  static let capacity = 4 << 20

  private static let lock = NSLock()
  nonisolated(unsafe) private static var trees: [String: SourceFileSyntax] = [:]
  nonisolated(unsafe) private static var bytes = 0

  /// `Parser.parse(source:)`, remembered.
  static func parse(_ source: String) -> SourceFileSyntax {
    lock.lock()
    if let tree = trees[source] {
      lock.unlock()
      return tree
    }
    lock.unlock()
    let tree = Parser.parse(
      source: bracketDepth(source) > maxBracketDepth ? defuseDeepBrackets(source) : source)
    let size = source.utf8.count
    guard size <= capacity else { return tree }
    lock.lock()
    if bytes + size > capacity {
      trees.removeAll()
      bytes = 0
    }
    if trees.updateValue(tree, forKey: source) == nil { bytes += size }
    lock.unlock()
    return tree
  }
}
