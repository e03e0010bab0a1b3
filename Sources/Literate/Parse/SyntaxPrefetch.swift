// The notebook's `swift` blocks parsed on both cores (issue 25). swift-syntax's parse of every
// block is most of a notebook's parse (~12 ms of notebook 02's, on the critical path of a cold
// render before the compile can start). The scanner stays as it is, one pass in order, with its
// diagnostics in their order; only where a block's tree comes from changes. Before it starts, a
// quick pass finds the blocks' code the way the scanner will, and a second thread parses them from
// the last one backwards while the scanner parses from the first one forwards; they meet in the
// middle. A tree is a pure function of the code (`SwiftSource.parse`), so whichever thread parses
// a block gives the same tree; a block the quick pass did not find (or found with other code) is
// parsed by the scanner as before, and each tree parsed here goes to one block only.
import Foundation
import SwiftSyntax

final class SyntaxPrefetch: @unchecked Sendable {
  private enum Slot {
    case waiting, parsing, taken
    case parsed(SourceFileSyntax)
  }

  private let codes: [String]
  private let condition = NSCondition()
  private var slots: [Slot]
  /// The slot the scanner's next block is looked for from.
  private var next = 0

  /// Starts parsing the `swift` blocks of `lines` from the last; nil when there are fewer than two
  /// (one core does it as fast).
  init?(lines: [String]) {
    let codes = Self.swiftBlockCodes(lines)
    guard codes.count > 1 else { return nil }
    self.codes = codes
    slots = Array(repeating: .waiting, count: codes.count)
    Thread.detachNewThread { [self] in parseFromTheEnd() }
  }

  /// The tree of `code`, the scanner's next `swift` block: parsed here if the other thread has not.
  func tree(for code: String) -> SourceFileSyntax {
    condition.lock()
    guard let k = codes.indices.dropFirst(next).first(where: { codes[$0] == code }) else {
      condition.unlock()
      return SwiftSource.parse(code)
    }
    next = k + 1
    while case .parsing = slots[k] { condition.wait() }
    let slot = slots[k]
    slots[k] = .taken
    condition.unlock()
    if case .parsed(let tree) = slot { return tree }
    return SwiftSource.parse(code)
  }

  /// The other thread: the blocks from the last one back, until one the scanner has come to.
  private func parseFromTheEnd() {
    for k in codes.indices.reversed() {
      condition.lock()
      guard case .waiting = slots[k] else {
        condition.unlock()
        return
      }
      slots[k] = .parsing
      condition.unlock()
      let tree = SwiftSource.parse(codes[k])
      condition.lock()
      slots[k] = .parsed(tree)
      condition.broadcast()
      condition.unlock()
    }
  }

  /// The code of each `swift` block of `lines`, found as the scanner finds blocks (a front matter
  /// or a division line holding a fence may make one more or one less: then that block is parsed
  /// by the scanner).
  static func swiftBlockCodes(_ lines: [String]) -> [String] {
    var codes: [String] = []
    var i = 0
    while i < lines.count {
      guard let fence = openingFence(lines[i]),
        let close = lines.indices.dropFirst(i + 1).first(where: { isClosingFence(lines[$0], of: fence) })
      else {
        i += 1
        continue
      }
      let found = FoundBlock(fence: fence, opening: i, closing: close, lines: lines)
      if found.language == "swift" { codes.append(found.code) }
      i = close + 1
    }
    return codes
  }
}
