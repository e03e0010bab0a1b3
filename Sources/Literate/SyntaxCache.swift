// One parse per block: tangling (declaration order, the displayed last expression) and
// highlighting all read the same block's syntax tree. Parsing it three times was a quarter of a
// warm render with the toolchain's swift-syntax (see Package.swift), whose library-evolution build
// is slower than the package's.
import Foundation
import SwiftParser
import SwiftSyntax

enum SyntaxCache {
  /// swift-syntax's lookahead for inline-array types takes time exponential in the number of `[`
  /// in a row (whitespace between or not): 22 took a minute (found by `make fuzz`). Runs longer
  /// than this are parsed with their brackets blanked; `CodeHazards` reports them as errors.
  static let maxBracketRun = 12

  /// The most `[` in a row in `source`, whitespace between them allowed.
  static func longestBracketRun(_ source: String) -> Int {
    var longest = 0
    var run = 0
    for byte in source.utf8 {
      switch byte {
      case UInt8(ascii: "["):
        run += 1
        longest = max(longest, run)
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
      default: run = 0
      }
    }
    return longest
  }

  /// `source` with the `[`s of every run longer than `maxBracketRun` replaced by spaces (offsets,
  /// lines and columns unchanged).
  static func defuseBracketRuns(_ source: String) -> String {
    var bytes = Array(source.utf8)
    var runStart: [Int] = []
    func flush() {
      if runStart.count > maxBracketRun { for k in runStart { bytes[k] = UInt8(ascii: " ") } }
      runStart = []
    }
    for k in bytes.indices {
      switch bytes[k] {
      case UInt8(ascii: "["): runStart.append(k)
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
      default: flush()
      }
    }
    flush()
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
      source: longestBracketRun(source) > maxBracketRun ? defuseBracketRuns(source) : source)
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
