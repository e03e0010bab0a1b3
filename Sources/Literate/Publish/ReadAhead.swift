// Files publish will copy, read and hashed ahead on another thread (while the notebook compiles
// on one core, the other is idle), so the copy after the run only writes (issue 25: KaTeX's 60
// files, 1.5 MB, read and hashed on the critical path of a cold render).
//
// An entry is used only while the file's stamp (`OwnedFile.stampOf`: device, inode, size,
// modification and status change times) is the one it had when it was read, and only if it did not
// change during the read and its ctime was more than two clock ticks before the read began
// (`OwnedStamps.trusted`): the same rule by which a stamp stands for a file's bytes in the output
// folder. Anything else is read again where it is copied.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes of files read ahead, by absolute path, each with its SHA-256 and stamp; each is handed
/// out once (`take`), so a long-running preview keeps nothing.
final class ReadAhead: @unchecked Sendable {
  /// The one every render uses.
  static let shared = ReadAhead()

  private struct Entry {
    var stamp: String
    var data: Data
    var sha256: String
  }

  private let lock = NSLock()
  private var entries: [String: Entry] = [:]

  /// Reads the regular file at `path` (absolute, no symlink) and hashes it, to be `take`n later;
  /// nothing when it cannot be read, changes while it is read, or is too young to be trusted.
  func prefetch(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
    let start = OwnedStamps.now()
    guard let data = FileManager.default.contents(atPath: path) else { return }
    var after = stat()
    let stamp = OwnedFile.stampOf(info)
    guard lstat(path, &after) == 0, OwnedFile.stampOf(after) == stamp, OwnedStamps.trusted(info, since: start)
    else { return }
    let entry = Entry(stamp: stamp, data: data, sha256: SHA256.hex(data))
    lock.withLock { entries[path] = entry }
  }

  /// The bytes of the file at `path` and their SHA-256, when they were read ahead and the file's
  /// stamp is still the one it had then; the entry is forgotten either way.
  func take(_ path: String) -> (data: Data, sha256: String)? {
    guard let entry = lock.withLock({ entries.removeValue(forKey: path) }) else { return nil }
    var info = stat()
    guard lstat(path, &info) == 0, OwnedFile.stampOf(info) == entry.stamp else { return nil }
    return (entry.data, entry.sha256)
  }

  /// How many entries wait to be taken (tests).
  var count: Int { lock.withLock { entries.count } }

  /// Forgets every entry.
  func clear() { lock.withLock { entries.removeAll() } }
}
