// A handout whose products are what its folder holds already is left as it is: a warm render that
// changed nothing writes, copies and swaps nothing (issue 22), and the files it keeps keep their
// stamps (`OwnedStamps`), so the next render need not read them either.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension OutputFolder {
  /// The figure files `run` names under `<name>/` that the run's figures folder holds, by path
  /// relative to the handout's folder (what `publishHandout` copies into it).
  static func figureFiles(of run: RunResult, named name: String, from artifacts: Artifacts)
    -> [(relative: String, source: URL)]
  {
    let prefix = name + "/"
    let files = run.blocks.values.flatMap { $0.figures.flatMap(\.allFiles) }
    return Set(files).sorted().compactMap { file in
      guard file.hasPrefix(prefix) else { return nil }
      let relative = String(file.dropFirst(prefix.count))
      let source = artifacts.figures.appendingPathComponent(file)
      guard !relative.isEmpty, !relative.split(separator: "/").contains(".."),
        FileManager.default.fileExists(atPath: source.path)
      else { return nil }
      return (relative, source)
    }
  }

  /// Whether `<target>/` and its links hold exactly what publishing `products` would put there:
  /// the same page, deck, PDF (its page unchanged) and figures, byte for byte (by the hashes the
  /// manifest records, each file still Handout's and unchanged), and nothing else. A self-contained
  /// handout's page and deck are files beside its folder, compared the same way. Call after
  /// `refuseForeign` found every file under its names Handout's.
  func isInPlace(_ order: ProductOrder, _ products: Products) -> Bool {
    let target = order.target
    let prefix = target + "/"
    let ownership = manifest.ownership
    let selfContained = order.weave.selfContained
    // Nothing of it recorded (a first render): not in place, known before any file is hashed.
    let recorded =
      selfContained
      ? ownership.files["\(target).html"] != nil
      : ownership.files.keys.contains(where: { $0.hasPrefix(prefix) })
    guard recorded, var expected = expectedFiles(order, products) else { return false }
    guard !ownership.pending.keys.contains(where: { $0.hasPrefix(prefix) || $0.hasPrefix(target + ".") })
    else { return false }
    func owned(_ relative: String, _ sha256: String) -> Bool {
      ownership.files[relative]?.sha256 == sha256 && ownership.ownsFile(relative, in: out)
    }
    func link(_ name: String) -> String? {
      try? FileManager.default.destinationOfSymbolicLink(atPath: url(name).path)
    }
    func absent(_ name: String) -> Bool {
      var info = stat()
      return lstat(url(name).path, &info) != 0
    }
    let page = expected.removeValue(forKey: Publisher.pageName) ?? ""
    let deck = expected.removeValue(forKey: Publisher.slidesName)
    let pageAndDeck =
      selfContained
      ? owned("\(target).html", page)
        && (deck.map { owned("\(target).slides.html", $0) } ?? absent("\(target).slides.html"))
      : owned(prefix + Publisher.pageName, page) && link("\(target).html") == prefix + Publisher.pageName
        && (deck.map { owned(prefix + Publisher.slidesName, $0) } ?? true)
        && (deck != nil
          ? link("\(target).slides.html") == prefix + Publisher.slidesName : absent("\(target).slides.html"))
    let inFolder = selfContained ? expected.count : expected.count + 1 + (deck == nil ? 0 : 1)
    guard pageAndDeck, ownership.files.keys.filter({ $0.hasPrefix(prefix) }).count == inFolder else {
      return false
    }
    for (relative, sha256) in expected where !owned(prefix + relative, sha256) { return false }
    let hasPDF = expected[Publisher.pdfName] != nil
    return hasPDF ? link("\(target).pdf") == prefix + Publisher.pdfName : absent("\(target).pdf")
  }

  /// What `<target>/` would hold once `products` are published, by relative path → SHA-256; nil
  /// when that cannot be known without staging it (a PDF printed now, or kept without its key).
  private func expectedFiles(_ order: ProductOrder, _ products: Products) -> [String: String]? {
    var expected = [Publisher.pageName: SHA256.hex(products.page)]
    if let deck = products.deck { expected[Publisher.slidesName] = SHA256.hex(deck) }
    switch products.pdf {
    case .none:
      break
    case .unchanged(let key):
      guard let pdf = manifest.ownership.files["\(order.target)/\(Publisher.pdfName)"]?.sha256 else {
        return nil
      }
      expected[Publisher.pdfName] = pdf
      expected[Publisher.pdfKeyName] = SHA256.hex(Data(key.utf8))
    case .printed, .keepPrevious, .failed, .unprintable:
      return nil
    }
    if let artifacts = order.artifacts {
      for (relative, source) in Self.figureFiles(of: order.run, named: order.notebook.name, from: artifacts) {
        guard let sha256 = known.sha256(of: source.path) else { return nil }
        expected[relative] = sha256
      }
    }
    return expected
  }
}
