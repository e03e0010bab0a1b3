// A print's scratch folder: the page woven for print (every solution in an instructor's handout),
// Chromium's profile and the PDF. It lives on a file system every user of the machine can list
// (`/dev/shm`, `/tmp`), so it is private to its owner (mode 0700), and it is named after the
// `handout` that made it (`handout-print-<pid>-<uuid>`): a `handout` killed with SIGKILL cannot
// remove its own, and on a memory file system the folder would hold memory until the machine
// restarts, so each print first removes the folders of processes that no longer exist, as the
// cache does with its work folders.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension PDFPrinter {
  static let scratchPrefix = "handout-print-"

  /// A new scratch folder in `root`, readable by its owner only, named after this process; the
  /// abandoned ones in `root` are removed first (`removeAbandonedScratch`).
  /// - Throws: `PDFError.printFailed` when the folder cannot be made.
  static func makeScratch(in root: URL) throws(PDFError) -> URL {
    removeAbandonedScratch(in: root)
    let pid = ProcessInfo.processInfo.processIdentifier
    let scratch = root.appendingPathComponent(
      "\(scratchPrefix)\(pid)-\(UUID().uuidString)", isDirectory: true)
    guard mkdir(scratch.path, 0o700) == 0 else {
      let reason = String(cString: strerror(errno))
      throw .printFailed(reason: "cannot make its scratch folder \(scratch.path): \(reason)")
    }
    return scratch
  }

  /// Removes the scratch folders in `root` whose `handout` no longer exists, and those named by an
  /// older Handout (`handout-print-<uuid>`, no process named) once they are an hour old (a print
  /// ends within its time limit). Other names, and folders of live processes, are left alone.
  static func removeAbandonedScratch(in root: URL) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return }
    for name in names where name.hasPrefix(scratchPrefix) {
      let rest = name.dropFirst(scratchPrefix.count)
      let path = root.appendingPathComponent(name).path
      if UUID(uuidString: String(rest)) != nil {
        guard let stamp = FileStamp(path), Date().timeIntervalSince1970 - Double(stamp.seconds) > 3600 else {
          continue
        }
      } else {
        guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
          UUID(uuidString: String(rest[rest.index(after: dash)...])) != nil,
          kill(pid, 0) != 0 && errno == ESRCH
        else { continue }
      }
      try? fm.removeItem(atPath: path)
    }
  }
}
