// Suffixes and prefixes of file names compared by their bytes. Swift's `hasSuffix` and `dropLast`
// work on characters, and a character can take in the dot of an extension: in `x\u{600}.html`
// the prepended mark U+0600 and the dot are one character, so `hasSuffix(".html")` is false, and
// `x\u{600}.html.md`'s folder `x\u{600}.html/` was let through as the page of `x\u{600}.md`.

extension String {
  /// Whether the last bytes are `suffix`'s, ASCII letters in either case when `anyCase`.
  func hasByteSuffix(_ suffix: String, anyCase: Bool = false) -> Bool {
    let tail = Array(utf8.suffix(suffix.utf8.count))
    return tail.count == suffix.utf8.count && Self.sameBytes(tail, Array(suffix.utf8), anyCase: anyCase)
  }

  /// Whether the first bytes are `prefix`'s, ASCII letters in either case when `anyCase`.
  func hasBytePrefix(_ prefix: String, anyCase: Bool = false) -> Bool {
    let head = Array(utf8.prefix(prefix.utf8.count))
    return head.count == prefix.utf8.count && Self.sameBytes(head, Array(prefix.utf8), anyCase: anyCase)
  }

  /// The string without its last `count` bytes (a suffix `hasByteSuffix` found: ASCII, so what is
  /// left is whole UTF-8).
  func droppingLastBytes(_ count: Int) -> String {
    String(decoding: utf8.dropLast(count), as: UTF8.self)
  }

  private static func sameBytes(_ a: [UInt8], _ b: [UInt8], anyCase: Bool) -> Bool {
    guard anyCase else { return a == b }
    func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
    return a.map(lower) == b.map(lower)
  }
}
