// A file as `stat` sees it: what the caches and preview's watcher compare to tell that it changed.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file as `stat` sees it (symlinks followed), enough to tell that it changed: an editor's atomic
/// save is a new inode, an append a new size, a rewrite in place a new modification time, a
/// `chmod` (a notebook made unreadable, or readable again) a new mode and status-change time.
///
/// Two stamps are equal when all of them agree (`handout preview`'s watcher). A copy made with
/// `Files.copyStamped` is a new inode with the same size and time: `sameSizeAndTime` says the
/// copy is current, and `description`, which the caches put into their keys, leaves the inode out
/// (a cache key must not change when a file is restored from a backup).
public struct FileStamp: Equatable, Sendable, CustomStringConvertible {
  /// The inode number: an editor's atomic save makes a new one.
  public var inode: UInt64
  /// Size in bytes.
  public var size: Int64
  /// Modification time: whole seconds since 1970,
  public var seconds: Int
  /// and the nanoseconds after them.
  public var nanoseconds: Int
  /// The permission bits and file type: `chmod -r` changes nothing else a reader can see.
  public var mode: UInt32
  /// Status-change time (ctime) in nanoseconds since 1970: a `chmod` (or `chown`, a new link)
  /// that leaves the mode as it was still moves it.
  public var changed: Int64

  /// The modification time in seconds since 1970.
  var time: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

  /// The stamp of `path`; nil when it does not exist (or cannot be looked at).
  public init?(_ path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    let modified = modificationTime(info)
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    seconds = Int(modified.tv_sec)
    nanoseconds = Int(modified.tv_nsec)
    mode = UInt32(info.st_mode)
    #if canImport(Darwin)
      let status = info.st_ctimespec
    #else
      let status = info.st_ctim
    #endif
    changed = Int64(status.tv_sec) * 1_000_000_000 + Int64(status.tv_nsec)
  }

  /// `size seconds.nanoseconds`: what a cache key records of a file.
  public var description: String { "\(size) \(seconds).\(nanoseconds)" }

  /// Whether the two have the same size and modification time, whatever their inodes (a file and
  /// its `Files.copyStamped` copy).
  public func sameSizeAndTime(as other: FileStamp) -> Bool {
    size == other.size && seconds == other.seconds && nanoseconds == other.nanoseconds
  }

  /// Each file's stamp, nil for a file that does not exist.
  public static func snapshot(_ files: [String]) -> [String: FileStamp?] {
    Dictionary(files.map { ($0, FileStamp($0)) }, uniquingKeysWith: { first, _ in first })
  }
}
