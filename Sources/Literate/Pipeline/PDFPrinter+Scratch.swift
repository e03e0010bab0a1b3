// A print's scratch folder: the page woven for print (every solution in an instructor's handout),
// Chromium's profile and the PDF. It lives on a file system every user of the machine can list
// (`/dev/shm`, `/tmp`), so it is private to its owner (mode 0700), and it is named after the
// `handout` that made it (`handout-print-<pid>-<uuid>`): a `handout` killed with SIGKILL cannot
// remove its own, and on a memory file system the folder would hold memory until the machine
// restarts, so each print first removes the folders of processes that no longer exist, as the
// cache does with its work folders.
import Foundation

extension PDFPrinter {
  static let scratchPrefix = "handout-print-"

  /// A new scratch folder in `root`, readable by its owner only, named after this process; the
  /// abandoned ones in `root` are removed first (`removeAbandonedScratch`).
  /// - Throws: `PDFError.printFailed` when the folder cannot be made.
  static func makeScratch(in root: URL) throws(PDFError) -> URL {
    removeAbandonedScratch(in: root)
    switch ProcessFolders.make(in: root, prefix: scratchPrefix) {
    case .success(let scratch): return scratch
    case .failure(let problem):
      throw .printFailed(reason: "cannot make its scratch folder \(problem.path): \(problem.reason)")
    }
  }

  /// Removes the scratch folders in `root` whose `handout` no longer exists, and those named by an
  /// older Handout (`handout-print-<uuid>`, no process named) once they are an hour old (a print
  /// ends within its time limit). Other names, and folders of live processes, are left alone.
  static func removeAbandonedScratch(in root: URL) {
    ProcessFolders.removeAbandoned(in: root, prefix: scratchPrefix) { name, path in
      guard UUID(uuidString: String(name.dropFirst(scratchPrefix.count))) != nil, let stamp = FileStamp(path)
      else { return false }
      return Date().timeIntervalSince1970 - Double(stamp.seconds) > 3600
    }
  }
}
