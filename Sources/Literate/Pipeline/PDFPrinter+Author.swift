// The PDF names the handout's author in its document information, as it names its title: Chromium
// writes /Title (from the page's <title>) but no /Author. An incremental update (PDF 1.7, 7.5.6)
// appended after Chromium's bytes gives the information dictionary again with /Author added: no
// byte Chromium wrote moves, so its cross-reference table stays right, and the same page and
// author give the same bytes.
import Foundation

extension PDFPrinter {
  /// `pdf` with `/Author` set to `author` (UTF-16BE, as Chromium writes the title); `pdf` itself
  /// when the author is empty or the PDF has no classic trailer naming its information dictionary.
  static func authored(_ pdf: Data, by author: String) -> Data {
    let bytes = [UInt8](pdf)
    guard !author.isEmpty, let trailer = lastIndex(of: "trailer", in: bytes),
      let start = lastIndex(of: "startxref", in: bytes), trailer < start
    else { return pdf }
    let tail = String(decoding: bytes[trailer...], as: UTF8.self)
    guard let info = tail.firstMatch(of: #/\/Info (\d+) 0 R/#)?.output.1,
      let size = tail.firstMatch(of: #/\/Size (\d+)/#)?.output.1,
      let root = tail.firstMatch(of: #/\/Root (\d+) 0 R/#)?.output.1,
      let previous = tail.firstMatch(of: #/startxref\s+(\d+)/#)?.output.1,
      let object = find([UInt8]("\n\(info) 0 obj\n<<".utf8), in: bytes, from: 0),
      let end = find([UInt8]("endobj".utf8), in: bytes, from: object),
      let close = lastIndex(of: ">>", in: Array(bytes[object..<end])).map({ object + $0 })
    else { return pdf }
    let open = object + "\n\(info) 0 obj\n<<".utf8.count
    // Latin-1 both ways: every byte of Chromium's entries comes back as it was.
    guard let written = String(bytes: bytes[open..<close], encoding: .isoLatin1) else { return pdf }
    let entries = written.replacingOccurrences(
      of: #"\s*/Author\s*(<[^>]*>|\([^)]*\))"#, with: "", options: .regularExpression)
    let hex = "FEFF" + author.utf16.map { String(format: "%04X", $0) }.joined()
    var update = "\n"
    let offset = bytes.count + update.utf8.count
    update += "\(info) 0 obj\n<<\(entries)\n/Author <\(hex)>>>\nendobj\n"
    let xref = bytes.count + update.utf8.count
    update += "xref\n\(info) 1\n\(String(format: "%010d", offset)) 00000 n \n"
    update += "trailer\n<</Size \(size)\n/Root \(root) 0 R\n/Info \(info) 0 R\n/Prev \(previous)>>\n"
    update += "startxref\n\(xref)\n%%EOF\n"
    return update.data(using: .isoLatin1).map { pdf + $0 } ?? pdf
  }

  /// Where `pattern` last starts in `bytes`, or nil.
  private static func lastIndex(of pattern: String, in bytes: [UInt8]) -> Int? {
    let p = [UInt8](pattern.utf8)
    guard !p.isEmpty, bytes.count >= p.count else { return nil }
    var i = bytes.count - p.count
    while i >= 0 {
      if bytes[i] == p[0], bytes[i..<(i + p.count)].elementsEqual(p) { return i }
      i -= 1
    }
    return nil
  }
}
