// Escaping helpers: the one place that decides how text becomes HTML.
import Foundation

/// HTML escaping for text and attribute values.
enum HTML {
  /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe both as element text and inside a
  /// quoted attribute. Everything a notebook program prints goes through here.
  static func escape(_ text: String) -> String {
    // Byte by byte: the five characters are ASCII, every other byte is copied as it is (appending
    // one Unicode scalar at a time was 14% of a warm render).
    let utf8 = text.utf8
    guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
      return text
    }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count + 16)
    for byte in utf8 {
      switch byte {
      case 0x26: out.append(contentsOf: "&amp;".utf8)
      case 0x3C: out.append(contentsOf: "&lt;".utf8)
      case 0x3E: out.append(contentsOf: "&gt;".utf8)
      case 0x22: out.append(contentsOf: "&quot;".utf8)
      case 0x27: out.append(contentsOf: "&#39;".utf8)
      default: out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Removes tags and decodes the few entities cmark emits, for plain text (slugs, `<title>`).
  static func plainText(_ html: String) -> String {
    var out = ""
    var inTag = false
    for ch in html {
      if ch == "<" { inTag = true } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
    }
    return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
