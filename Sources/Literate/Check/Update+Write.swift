// `check --update`'s write of a notebook: the new text replaces the file in one step, whenever
// the process is stopped. Foundation's atomic write left its temporary `.dat.nosync…` file beside
// the notebook when stopped before its rename, and gave the notebook its permissions only after
// the rename (a private notebook was readable by all until then, or for good if stopped there).
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Updater {
  /// Where a temporary notebook's name starts after `.<notebook's name>`; the process's id and a
  /// UUID follow.
  static let temporaryMarker = ".handout-update-"

  /// Replaces the file at `url` with `text`: written whole under a temporary name beside it, with
  /// the file's permissions (and owner and group, where this process may set them) from the start,
  /// synced, then renamed over it. A stopped write leaves the notebook as it was, or as it is now,
  /// never half written, and at worst its temporary file, which the next write into the folder
  /// removes once the process that made it is gone.
  /// - Throws: `FileError` when it cannot be written (then the notebook is as it was).
  public static func write(_ text: String, over url: URL) throws {
    let folder = url.deletingLastPathComponent()
    removeAbandonedTemporaries(in: folder)
    var info = stat()
    let known = stat(url.path, &info) == 0
    let temporary = folder.appendingPathComponent(
      ".\(url.lastPathComponent)\(temporaryMarker)\(getpid())-\(UUID().uuidString)")
    let mode = known ? info.st_mode & 0o7777 : 0o644
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw FileError(url, errno: errno) }
    var done = false
    defer {
      close(fd)
      if !done { unlink(temporary.path) }
    }
    if known {
      // The owner first (a change of owner clears set-user-ID bits), then the mode, which the
      // umask narrowed at `open`. Only root may give the file another owner: else it is this user's.
      _ = fchown(fd, info.st_uid, info.st_gid)
      guard fchmod(fd, mode) == 0 else { throw FileError(url, errno: errno) }
    }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { posixWrite(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw FileError(url, errno: errno)
      }
      offset += n
    }
    // The notebook is the user's source: on disk before it replaces the one there.
    guard fsync(fd) == 0, rename(temporary.path, url.path) == 0 else { throw FileError(url, errno: errno) }
    done = true
  }

  /// Why the notebook at `url` is not to be rewritten, or nil: its owner made it read-only (no
  /// write permission for this user; for root, none for anyone). Renaming a temporary file over it
  /// needs only the folder's permission, so the writer would ignore that protection.
  public static func readOnlyProblem(_ url: URL) -> String? {
    var info = stat()
    guard stat(url.path, &info) == 0 else { return nil }
    let mode = info.st_mode & 0o7777
    guard access(url.path, W_OK) != 0 || (geteuid() == 0 && mode & 0o222 == 0) else { return nil }
    return "is read-only (mode \(String(mode, radix: 8))); it was not updated (make it writable to update it)"
  }

  /// Removes the temporary notebooks (`.<name>.handout-update-<pid>-<uuid>`) in `folder` whose
  /// process is gone (a `check --update` killed before its rename). Only names of exactly that
  /// shape: every other file of the folder is the user's.
  static func removeAbandonedTemporaries(in folder: URL) {
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
      guard name.hasPrefix("."), let marker = name.range(of: temporaryMarker, options: .backwards) else {
        continue
      }
      let rest = name[marker.upperBound...]
      guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0,
        UUID(uuidString: String(rest[rest.index(after: dash)...])) != nil,
        kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      var info = stat()
      let path = folder.appendingPathComponent(name).path
      if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path) }
    }
  }
}

/// `write(2)`, outside `Updater`, whose own `write` would hide it.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}
