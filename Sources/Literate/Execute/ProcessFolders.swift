// Folders named after the `handout` process that made them, `<prefix><pid>-<uuid>`, in a place every
// user of the machine can list (`$TMPDIR`, `/dev/shm`): a run's private folder (`RunFolder`) and a
// print's scratch folder (`PDFPrinter.makeScratch`). Each is private to its owner (mode 0700); one
// whose `handout` was killed with SIGKILL cannot be removed by it, so the next one of its kind
// removes the folders of processes that no longer exist. One rule for both, here.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Making and sweeping folders named `<prefix><pid>-<uuid>` after the process that made them.
enum ProcessFolders {
  /// A new folder `<prefix><this pid>-<uuid>` in `parent`, readable by its owner only.
  /// - Returns: the folder, or why `mkdir` failed (`strerror`).
  static func make(in parent: URL, prefix: String) -> Result<URL, ProcessFolderError> {
    let pid = ProcessInfo.processInfo.processIdentifier
    let folder = parent.appendingPathComponent("\(prefix)\(pid)-\(UUID().uuidString)", isDirectory: true)
    guard mkdir(folder.path, 0o700) == 0 else {
      return .failure(ProcessFolderError(path: folder.path, reason: String(cString: strerror(errno))))
    }
    return .success(folder)
  }

  /// The process a name of exactly the shape `<prefix><pid>-<uuid>` names; nil for any other name.
  static func owner(of name: String, prefix: String) -> pid_t? {
    guard name.hasPrefix(prefix) else { return nil }
    let rest = name.dropFirst(prefix.count)
    guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
      UUID(uuidString: String(rest[rest.index(after: dash)...])) != nil
    else { return nil }
    return pid
  }

  /// Whether no process `pid` exists (`kill(pid, 0)` says ESRCH; a live process of another user
  /// says EPERM, and stays).
  static func isGone(_ pid: pid_t) -> Bool {
    kill(pid, 0) != 0 && errno == ESRCH
  }

  /// Removes the folders in `parent` named `<prefix><pid>-<uuid>` whose process no longer exists,
  /// and the other names with `prefix` that `alsoRemove` accepts (an older Handout's shape). Other
  /// names, and folders of live processes, are left alone.
  static func removeAbandoned(
    in parent: URL, prefix: String, alsoRemove: (_ name: String, _ path: String) -> Bool = { _, _ in false }
  ) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    for name in names where name.hasPrefix(prefix) {
      let path = parent.appendingPathComponent(name).path
      if let pid = owner(of: name, prefix: prefix) {
        guard isGone(pid) else { continue }
      } else {
        guard alsoRemove(name, path) else { continue }
      }
      try? fm.removeItem(atPath: path)
    }
  }
}

/// A folder `ProcessFolders.make` could not make: its path and `strerror`'s reason.
struct ProcessFolderError: Error {
  let path: String
  let reason: String
}
