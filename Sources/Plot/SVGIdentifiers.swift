/// Makes the ids in Cairo's SVG output stable and unique per figure.
///
/// Cairo numbers `surfaceN`, `clipN`, `imageN`, `patternN`… from process-wide counters, so the
/// same drawing gets different ids the second time, and two inline SVGs on one page can share
/// ids. This renames every id defined in the document, in order of first definition, to
/// `<prefix>-<n>`, and rewrites the references to it (`href="#id"`, `xlink:href="#id"`,
/// `url(#id)`).
enum SVGIdentifiers {
  /// Rewrites ids of `svg`. With `prefix` nil, the prefix is `f` plus eight hex digits of an
  /// FNV-1a hash of the document with ids already renumbered (so it depends only on content).
  static func stabilize(_ svg: [UInt8], prefix: String?) -> [UInt8] {
    let ids = definedIds(svg)
    guard !ids.isEmpty else { return svg }
    let placeholder = rename(svg, ids: ids, prefix: "id")
    let chosen = prefix.map(sanitize) ?? "f" + hex(fnv1a(placeholder))
    return chosen == "id" ? placeholder : rename(svg, ids: ids, prefix: chosen)
  }

  /// `svg` with `data-smallest-text="<px>"` on its root element: the smallest text drawn, in the
  /// SVG's px (Cairo draws text as glyph outlines, so a reader cannot ask the file for its font
  /// sizes; this is how tests check the text-size rule on a page or a slide). Nothing without text.
  static func noting(smallestText: Double, in svg: [UInt8]) -> [UInt8] {
    guard smallestText.isFinite, let at = firstIndex(of: Array("<svg ".utf8), in: svg) else { return svg }
    let attribute = Array("data-smallest-text=\"\(String(format: "%.2f", smallestText))\" ".utf8)
    var out = svg
    out.insert(contentsOf: attribute, at: at + 5)
    return out
  }

  private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= needle.count else { return nil }
    for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
      if Array(bytes[i..<(i + needle.count)]) == needle { return i }
    }
    return nil
  }

  private static let idMarker = Array("id=\"".utf8)
  private static let hrefMarker = Array("href=\"#".utf8)
  private static let urlMarker = Array("url(#".utf8)

  /// Ids in order of definition (each once).
  static func definedIds(_ svg: [UInt8]) -> [String: Int] {
    var result: [String: Int] = [:]
    svg.withUnsafeBufferPointer { svg in
      var i = 0
      while i < svg.count {
        // Only an `i` can start `id="`: the other bytes are passed over without a look at the marker.
        if svg[i] == UInt8(ascii: "i"), matches(svg, at: i, idMarker), i == 0 || !isNameByte(svg[i - 1]) {
          let start = i + idMarker.count
          var end = start
          while end < svg.count && svg[end] != UInt8(ascii: "\"") { end += 1 }
          let name = String(decoding: UnsafeBufferPointer(rebasing: svg[start..<end]), as: UTF8.self)
          if result[name] == nil { result[name] = result.count + 1 }
          i = end
        }
        i += 1
      }
    }
    return result
  }

  /// `svg` with each defined id, and each reference to one, renamed `<prefix>-<n>`. The bytes
  /// between markers are copied in runs (a byte at a time, this was most of an SVG's drawing).
  private static func rename(_ svg: [UInt8], ids: [String: Int], prefix: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(svg.count + ids.count * 8)
    svg.withUnsafeBufferPointer { svg in
      var i = 0
      var copied = 0
      while i < svg.count {
        let byte = svg[i]
        guard byte == UInt8(ascii: "i") || byte == UInt8(ascii: "h") || byte == UInt8(ascii: "u") else {
          i += 1
          continue
        }
        var marker: [UInt8]? = nil
        var terminator = UInt8(ascii: "\"")
        if matches(svg, at: i, idMarker), i == 0 || !isNameByte(svg[i - 1]) {
          marker = idMarker
        } else if matches(svg, at: i, hrefMarker) {
          marker = hrefMarker
        } else if matches(svg, at: i, urlMarker) {
          marker = urlMarker
          terminator = UInt8(ascii: ")")
        }
        guard let m = marker else {
          i += 1
          continue
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: svg[copied..<i]))
        let start = i + m.count
        var end = start
        while end < svg.count && svg[end] != terminator && svg[end] != UInt8(ascii: "\"") {
          end += 1
        }
        let name = UnsafeBufferPointer(rebasing: svg[start..<end])
        out.append(contentsOf: m)
        if let n = ids[String(decoding: name, as: UTF8.self)] {
          out.append(contentsOf: Array("\(prefix)-\(n)".utf8))
        } else {
          out.append(contentsOf: name)
        }
        i = end
        copied = end
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: svg[copied...]))
    }
    return out
  }

  private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, _ marker: [UInt8]) -> Bool {
    guard i + marker.count <= bytes.count else { return false }
    for k in 0..<marker.count where bytes[i + k] != marker[k] { return false }
    return true
  }

  private static func isNameByte(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
      || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-")
      || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
  }

  /// Keeps letters, digits, `-` and `_`; an id must not start with a digit, so one gets `f`.
  private static func sanitize(_ prefix: String) -> String {
    let kept = String(
      prefix.unicodeScalars.filter { s in
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_")
      }.map(Character.init))
    guard let first = kept.unicodeScalars.first else { return "fig" }
    return ("0"..."9").contains(first) || first == "-" ? "f" + kept : kept
  }

  static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
    var hash: UInt32 = 2_166_136_261
    for b in bytes {
      hash ^= UInt32(b)
      hash = hash &* 16_777_619
    }
    return hash
  }

  private static func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 8 - s.count) + s
  }
}
