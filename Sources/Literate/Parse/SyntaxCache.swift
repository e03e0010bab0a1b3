// One parse per block: tangling (declaration order, the displayed last expression) and
// highlighting all read the same block's syntax tree. Parsing it three times was a quarter of a
// warm render with the toolchain's swift-syntax (see Package.swift), whose library-evolution build
// is slower than the package's.
import Foundation
import SwiftParser
import SwiftSyntax

enum SyntaxCache {
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
    let tree = Parser.parse(source: source)
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
