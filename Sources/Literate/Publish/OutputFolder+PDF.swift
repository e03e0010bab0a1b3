// A handout's PDF in the output folder: staged as the pipeline made it (or carried over), and its
// link `<target>.pdf` made or removed after the swap.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension OutputFolder {
  /// Puts the handout's PDF into its staged folder as the pipeline made it: the printed bytes
  /// (with the key of the page they were printed from), or the previous PDF carried over (its
  /// page is the same, or printing is impossible). Returns a failed print's message when the
  /// handout has no PDF yet. A PDF that was asked for and could not be printed, or not written
  /// whole (a full disk, `ulimit -f`), while the handout has one, is an error: the handout is not
  /// swapped, and its page and deck stay the ones its PDF was printed from (the new page went in
  /// beside the old PDF, which then said what the page no longer did). A file cut short is never
  /// left staged, and a previous PDF that cannot be carried over whole is an error too (the stump
  /// was swapped in and recorded as Handout's).
  /// `withholding` (preview: `ProductOrder.withholdsUnprinted`): a print that failed leaves the
  /// handout without a PDF, and the message says so, rather than keeping the whole handout.
  /// - Throws: `PDFNotPrinted`; `FileError` when the previous PDF cannot be carried over.
  func stagePDF(_ pdf: PDFProduct, into staged: URL, as target: String, withholding: Bool = false) throws
    -> [String]
  {
    let destination = staged.appendingPathComponent(Publisher.pdfName)
    let keyFile = staged.appendingPathComponent(Publisher.pdfKeyName)
    let previous = url(target).appendingPathComponent(Publisher.pdfName)
    var messages: [String] = []
    switch pdf {
    case .none:
      return []
    case .keepPrevious:
      break
    case .unprintable(let reason):
      if hasPDF(target) {
        throw PDFNotPrinted(target: target, written: false, reason: reason, deck: hasDeck(target))
      }
      return []
    case .printed(let bytes, let key):
      do {
        try Files.write(bytes, to: destination)
        try Files.write(Data(key.utf8), to: keyFile)
        return []
      } catch {
        unlink(destination.path)
        unlink(keyFile.path)
        let reason = FileError(url("\(target).pdf"), error).reason
        if hasPDF(target) {
          throw PDFNotPrinted(target: target, written: true, reason: reason, deck: hasDeck(target))
        }
        messages.append("\(target).pdf was not written (no PDF): \(reason)")
      }
    case .unchanged(let key):
      // The page it was printed from is the same: the previous PDF is this one.
      if let bytes = try? Files.read(previous), (try? Files.write(bytes, to: destination)) != nil,
        (try? Files.write(Data(key.utf8), to: keyFile)) != nil
      {
        return []
      }
      unlink(destination.path)
      unlink(keyFile.path)
    case .failed(let reason):
      if hasPDF(target), withholding {
        return [
          "\(target).pdf was removed: Chromium could not print this page, and the PDF printed from the page "
            + "before would pass for the handout as it now is: \(reason)"
        ]
      }
      if hasPDF(target) {
        throw PDFNotPrinted(target: target, written: false, reason: reason, deck: hasDeck(target))
      }
      messages.append("\(target).pdf was not printed (no PDF): \(reason)")
    }
    if FileManager.default.fileExists(atPath: previous.path) {
      do {
        try Files.write(try Files.read(previous), to: destination)
      } catch {
        unlink(destination.path)
        throw FileError(
          path: url("\(target).pdf").path,
          reason: "the previous PDF could not be carried over: \(FileError(previous, error).reason)")
      }
    }
    return messages
  }

  /// Whether the handout `target` has a PDF now.
  func hasPDF(_ target: String) -> Bool { exists("\(target)/\(Publisher.pdfName)") }

  /// Whether the handout `target` has a deck now.
  func hasDeck(_ target: String) -> Bool { exists("\(target).slides.html") }

  /// The key of the PDF `<target>/` holds now (`PDFPrinter.key(page:)`), when it holds one.
  func previousPDFKey(of target: String) -> String? {
    let folder = url(target)
    guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(Publisher.pdfName).path),
      let key = try? Files.read(folder.appendingPathComponent(Publisher.pdfKeyName))
    else { return nil }
    return String(decoding: key, as: UTF8.self)
  }

  /// After the swap: `<target>.pdf` links to `<target>/.handout.pdf` when the new folder has one,
  /// and is gone otherwise.
  mutating func linkPDF(_ target: String) -> [String] {
    let link = url("\(target).pdf")
    let wanted = "\(target)/\(Publisher.pdfName)"
    let has = FileManager.default.fileExists(
      atPath: url(target).appendingPathComponent(Publisher.pdfName).path)
    let current = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)
    var info = stat()
    let present = lstat(link.path, &info) == 0
    do {
      if has, current != wanted {
        try replaceLink("\(target).pdf", to: wanted)
      } else if !has, present {
        guard unlink(link.path) == 0 else { throw FileError(link, errno: errno) }
      }
      return []
    } catch {
      return ["\(target).pdf could not be \(has ? "linked" : "removed"): \(FileError(link, error).reason)"]
    }
  }
}

/// The PDF of a handout that has one could not be printed, or written whole: the whole handout
/// stays as it was (page, deck and PDF agree), and this says so.
struct PDFNotPrinted: Error, CustomStringConvertible {
  var target: String
  /// Printed, but not written whole (a full disk, `ulimit -f`).
  var written: Bool
  var reason: String
  /// The handout has a deck (kept too).
  var deck: Bool

  var description: String {
    "\(target).pdf was not \(written ? "written" : "printed"); the previous \(target).pdf is kept, with "
      + "the page\(deck ? " and deck" : "") it was printed from: \(reason)"
  }
}
