// A handout's PDF in the output folder: printed (or carried over) into the staged folder, and its
// link `<target>.pdf` made or removed after the swap.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension OutputFolder {
  /// Puts the handout's PDF into its staged folder as `pdf` says: printed, or the previous one
  /// carried over (when printing is impossible or failed). Returns a failed print's message.
  func stagePDF(
    _ notebook: Notebook, run: RunResult, weave: WeaveOptions, into staged: URL, as target: String,
    pdf: PDFPublishing
  ) -> [String] {
    let destination = staged.appendingPathComponent(Publisher.pdfName)
    var messages: [String] = []
    switch pdf {
    case .none:
      return []
    case .keepPrevious:
      break
    case .print(let printer):
      do {
        let page = try printer.page(notebook: notebook, run: run, weave: weave)
        let key = printer.key(page: page)
        let keyFile = staged.appendingPathComponent(Publisher.pdfKeyName)
        // The page it was printed from is the same: the previous PDF is this one (no Chromium).
        let previous = url(target).appendingPathComponent(Publisher.pdfName)
        let previousKey = url(target).appendingPathComponent(Publisher.pdfKeyName)
        if (try? Files.read(previousKey)) == Data(key.utf8), let bytes = try? Files.read(previous) {
          try Files.write(bytes, to: destination)
        } else {
          try printer.print(page: page, to: destination)
        }
        try Files.write(Data(key.utf8), to: keyFile)
        return []
      } catch {
        let kept = exists("\(target)/\(Publisher.pdfName)") ? "the previous \(target).pdf is kept" : "no PDF"
        messages.append("\(target).pdf was not printed (\(kept)): \(error)")
      }
    }
    let previous = url(target).appendingPathComponent(Publisher.pdfName)
    if FileManager.default.fileExists(atPath: previous.path) {
      do {
        try Files.write(try Files.read(previous), to: destination)
      } catch {
        messages.append(
          "the previous \(target).pdf could not be kept: \(FileError(previous, error).reason)")
      }
    }
    return messages
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
