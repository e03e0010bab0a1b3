// The files a run depends on besides its code: data files the program read through the runtime
// (`dataFile(_:)`, recorded as `data` events) and the figures a cache entry holds. Each is kept as
// its content hash with its size, modification time, inode and status-change time; the stamp only
// saves re-hashing a file that was not touched, the hash decides. Size and modification time alone
// are not enough: a file moved over it (`mv v2.csv v.csv`, both unpacked from one archive) or
// written and then `touch -r`'d back can have both, and would replay the old file's output. No one
// sets an inode's status-change time, and a write or a rename moves it.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file as it was when recorded, or the fact that it did not exist.
struct DataInput: Codable, Equatable, Sendable {
  /// Absolute, or relative to the root it was recorded in.
  var path: String
  /// nil: the file did not exist (a program that looked for it and found none must run again
  /// when it appears).
  var sha256: String?
  var size: Int64
  var seconds: Int
  var nanoseconds: Int
  /// Inode and status-change time (`DataInputs.identity`); nil in entries of an older Handout,
  /// whose files are then hashed again.
  var identity: String?

  /// Records `path` (under `root` when given) as it is now; nil if it exists but cannot be read.
  init?(path: String, in root: String?) {
    let full = root.map { "\($0)/\(path)" } ?? path
    self.path = path
    guard let stamp = FileStamp(full) else {
      sha256 = nil
      size = -1
      seconds = 0
      nanoseconds = 0
      return
    }
    // Taken before the content: a write between the two moves it, and the next look hashes again.
    // Not kept when the file's times are within `DataInputs.coarseness` of now: on a file system
    // with whole seconds, a rewrite at the same size later in this second keeps every stamp, so
    // only the hash can tell (git's "racy" files).
    let now = Date().timeIntervalSince1970
    if max(stamp.time, Double(stamp.changed) / 1e9) + DataInputs.coarseness < now {
      identity = DataInputs.identity(full)
    }
    guard let hash = DataInputs.hash(full) else { return nil }
    sha256 = hash
    size = stamp.size
    seconds = stamp.seconds
    nanoseconds = stamp.nanoseconds
  }

  /// Whether the file still has the recorded content (or is still absent). An unchanged size,
  /// modification time, inode and status-change time are taken as unchanged content; anything else
  /// is hashed again.
  func isCurrent(in root: String?) -> Bool {
    let full = root.map { "\($0)/\(path)" } ?? path
    guard let stamp = FileStamp(full) else { return sha256 == nil }
    guard let sha256, stamp.size == size else { return false }
    // An entry of a run whose file was written just before it has no identity: hashed each time.
    if stamp.seconds == seconds && stamp.nanoseconds == nanoseconds, let identity,
      DataInputs.identity(full) == identity
    {
      return true
    }
    return DataInputs.hash(full) == sha256
  }
}

enum DataInputs {
  /// The coarsest file times there are, in seconds (FAT's).
  static let coarseness = 2.0

  /// A file's inode and status-change time (symlinks followed), nil if it cannot be looked at.
  static func identity(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    #if canImport(Darwin)
      let changed = info.st_ctimespec
    #else
      let changed = info.st_ctim
    #endif
    return "\(info.st_ino) \(changed.tv_sec).\(changed.tv_nsec)"
  }

  /// Whether `path` is a regular file (symlinks followed), or does not exist. A device
  /// (`/dev/urandom`), a FIFO, a socket or a folder is none: it has no content to hash (a FIFO would
  /// block the read), and what a program reads from it is new on every run.
  static func isRegularOrAbsent(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return true }
    return info.st_mode & S_IFMT == S_IFREG
  }

  /// The content hash of a regular file, nil if it cannot be read or is not one (never opened then).
  static func hash(_ path: String) -> String? {
    guard isRegularOrAbsent(path), let data = FileManager.default.contents(atPath: path) else { return nil }
    return SHA256.hex(data)
  }

  /// Records every file in `paths` (absolute), or nil when one of them was modified at or after
  /// `start` (it changed while the program ran, so which version the program read is unknown) or
  /// is not a regular file (`/dev/urandom`, a FIFO, a `/proc` file is regular but reads as new
  /// content each time, so `/proc` and `/sys` count as not regular): the run must not be cached.
  static func record(_ paths: [String], notChangedSince start: Date) -> [DataInput]? {
    var inputs: [DataInput] = []
    for path in unique(paths) {
      guard isRegularOrAbsent(path), !isKernelView(path) else { return nil }
      // A time of whole seconds may be one rounded down from after the start (FAT rounds to two).
      if let stamp = FileStamp(path),
        stamp.time + (stamp.nanoseconds == 0 ? coarseness : 0) >= start.timeIntervalSince1970
      {
        return nil
      }
      guard let input = DataInput(path: path, in: nil) else { return nil }
      inputs.append(input)
    }
    return inputs
  }

  /// `paths` each once, by their bytes, in the order of their bytes. A file name is bytes:
  /// `café.csv` with é as one code point and as `e` and a combining accent are two files, which
  /// `Set<String>` holds for one (only one was recorded, and an edit of the other replayed the
  /// run from the cache with its old content).
  static func unique(_ paths: [String]) -> [String] {
    Set(paths.map { Array($0.utf8) }).sorted { $0.lexicographicallyPrecedes($1) }
      .map { String(decoding: $0, as: UTF8.self) }
  }

  /// Whether `path` (symlinks followed) is in `/proc` or `/sys`, whose files the kernel makes up as they are read
  /// (size 0, a time of the read).
  static func isKernelView(_ path: String) -> Bool {
    let standard = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    return ["/proc", "/sys"].contains { standard == $0 || standard.hasPrefix($0 + "/") }
  }

  /// The files (not folders) a shell glob names, relative to `folder` unless absolute, sorted.
  static func expand(_ pattern: String, in folder: String) -> [String] {
    let full = pattern.hasPrefix("/") ? pattern : "\(folder)/\(pattern)"
    var matches = glob_t()
    defer { globfree(&matches) }
    guard glob(full, 0, nil, &matches) == 0 else { return [] }
    var files: [String] = []
    for i in 0..<Int(matches.gl_pathc) {
      guard let p = matches.gl_pathv[i] else { continue }
      let path = String(cString: p)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        files.append(path)
      }
    }
    return files.sorted()
  }

  /// Every file under `root`, as paths relative to it, sorted.
  static func files(under root: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
    var files: [String] = []
    while let relative = enumerator.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        files.append(relative)
      }
    }
    return files.sorted()
  }
}
