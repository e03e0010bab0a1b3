// Chromium's PDFs are tagged (a structure tree, for screen readers). A table's header cell gets an
// id there, `/ID (node00000362)`, which its data cells name (`/Headers [(node00000362)]`) and the
// tree's ID tree lists, sorted by name. The number is Chromium's DOM node id, from a counter shared
// by everything the renderer made before (how many nodes a script or a font load created first),
// so two prints of one page can number them differently: the same PDF but for a few bytes
// (issue: 02, 04 and 05 of the course, each with a table). Numbered again here by where each
// element stands in the file, they are the same on every print. No byte moves: the numbers keep
// their eight digits and the ID tree's names the same pairs, so the cross-reference table stays
// right.
import Foundation

extension PDFPrinter {
  /// `pdf` with every structure element id `(node<8 digits>)` numbered 1, 2, … in the order the
  /// elements that carry them (`/ID (…)`) stand in the file, every reference following (ids that no
  /// element carries come after, in the order they first appear), and each leaf of the ID tree
  /// (`/Limits [(…) (…)]` then `/Names [(…) n 0 R …]`) sorted again by the new names. A PDF whose
  /// ID tree this cannot rewrite without moving a byte (a leaf whose pairs span another shape, an
  /// ID tree of more than one level of leaves) comes back as it was.
  static func renumberingStructureIDs(_ pdf: Data) -> Data {
    var bytes = [UInt8](pdf)
    let found = idOccurrences(in: bytes)
    guard !found.isEmpty else { return pdf }
    let isDefinition = { (at: Int) in at >= 4 && bytes[(at - 4)..<at].elementsEqual(Array("/ID ".utf8)) }
    var number: [String: Int] = [:]
    for place in found where isDefinition(place.at) && number[place.id] == nil {
      number[place.id] = number.count + 1
    }
    for place in found where number[place.id] == nil { number[place.id] = number.count + 1 }
    guard number.count < 100_000_000 else { return pdf }
    for place in found {
      let digits = Array(String(format: "%08d", number[place.id] ?? 0).utf8)
      bytes.replaceSubrange((place.at + 5)..<(place.at + 13), with: digits)
    }
    guard resortIDTreeLeaves(&bytes) else { return pdf }
    return Data(bytes)
  }

  /// Where each `(node<8 digits>)` starts (at its `(`), with its digits.
  static func idOccurrences(in bytes: [UInt8]) -> [(at: Int, id: String)] {
    let open = Array("(node".utf8)
    var result: [(at: Int, id: String)] = []
    var i = 0
    while let start = find(open, in: bytes, from: i) {
      i = start + 1
      let digits = start + 5
      guard digits + 9 <= bytes.count, bytes[digits + 8] == UInt8(ascii: ")"),
        bytes[digits..<(digits + 8)].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
      else { continue }
      result.append((start, String(decoding: bytes[digits..<(digits + 8)], as: UTF8.self)))
    }
    return result
  }

  /// Sorts the pairs of the ID tree's leaf (`/Limits [(a) (b)]\n/Names [(x) n 0 R …]`, ids only;
  /// Chromium's Skia writes one) by name and sets its limits, in place. False when the leaf is not
  /// of that shape or there is more than one (pairs would have to move between leaves).
  static func resortIDTreeLeaves(_ bytes: inout [UInt8]) -> Bool {
    let limitsKey = Array("/Limits [(node".utf8)
    var i = 0
    var leaves = 0
    while let limits = find(limitsKey, in: bytes, from: i) {
      leaves += 1
      guard leaves == 1 else { return false }
      guard let limitsEnd = bytes[limits...].firstIndex(of: UInt8(ascii: "]")) else { return false }
      let namesKey = Array("\n/Names [".utf8)
      let namesStart = limitsEnd + 1
      guard bytes.count > namesStart + namesKey.count,
        bytes[namesStart..<(namesStart + namesKey.count)].elementsEqual(namesKey),
        let namesEnd = bytes[namesStart...].firstIndex(of: UInt8(ascii: "]"))
      else { return false }
      let body = namesStart + namesKey.count
      let old = String(decoding: bytes[body..<namesEnd], as: UTF8.self)
      let tokens = old.split(separator: " ", omittingEmptySubsequences: false)
      guard tokens.count % 4 == 0, !tokens.isEmpty else { return false }
      var pairs: [(name: Substring, ref: String)] = []
      for k in stride(from: 0, to: tokens.count, by: 4) {
        guard tokens[k].hasPrefix("(node"), Int(tokens[k + 1]) != nil, tokens[k + 2] == "0",
          tokens[k + 3] == "R"
        else { return false }
        pairs.append((tokens[k], tokens[(k + 1)..<(k + 4)].joined(separator: " ")))
      }
      pairs.sort { $0.name < $1.name }
      let names = Array(pairs.map { "\($0.name) \($0.ref)" }.joined(separator: " ").utf8)
      let newLimits = Array("/Limits [\(pairs[0].name) \(pairs[pairs.count - 1].name)]".utf8)
      guard names.count == namesEnd - body, newLimits.count == limitsEnd + 1 - limits else { return false }
      bytes.replaceSubrange(body..<namesEnd, with: names)
      bytes.replaceSubrange(limits...limitsEnd, with: newLimits)
      i = namesEnd
    }
    return true
  }
}
