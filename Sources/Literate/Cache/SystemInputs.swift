// The machine's files a run depended on without naming them: the shared libraries the program had
// loaded (libswiftCore, Foundation, libcairo, pixman, libpng, FreeType, fontconfig, libm, …), the
// font files FreeType mapped and fontconfig's caches and configuration, as the runtime reports them
// at its end (`RuntimeEvent.loaded`). An upgrade of libcairo or of the DejaVu fonts can change a
// figure's bytes while the code, the data and the toolchain stay the same.
//
// Each is recorded by its stamp alone: size, modification time, inode and status-change time, one
// `stat` each. Hashing them would read some 100 MB per stored run (lib_FoundationICU alone is
// 30 MB) for files that change only when a package is installed, which replaces the file (a new
// inode); so a moved stamp is a miss and the program runs again, as a rebuilt toolchain or runtime
// is (their stamps are in the key, `Compiler.identity`, `RuntimeLocation.identity`).
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file of the machine as a run found it, by stamp.
struct SystemInput: Codable, Equatable, Sendable {
  /// Absolute.
  var path: String
  /// `SystemInputs.stamp(_:)`: `size mtime inode ctime`, or `absent`.
  var stamp: String

  /// Whether the file still has its stamp (or is still absent).
  var isCurrent: Bool { SystemInputs.stamp(path).text == stamp }

  init(path: String, stamp: String) {
    self.path = path
    self.stamp = stamp
  }

  /// One string, `<stamp>\t<path>` (a stamp holds no tab): a warm render decodes some 80 of these
  /// per notebook, and a keyed object each cost more than the `stat`s.
  init(from decoder: any Decoder) throws {
    let line = try decoder.singleValueContainer().decode(String.self)
    guard let tab = line.firstIndex(of: "\t") else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no tab"))
    }
    stamp = String(line[..<tab])
    path = String(line[line.index(after: tab)...])
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(stamp + "\t" + path)
  }
}

enum SystemInputs {
  /// The stamp of `path` (symlinks followed) and its modification and status-change times
  /// (seconds since 1970); `absent` and none when it cannot be looked at.
  static func stamp(_ path: String) -> (text: String, changed: [Double]) {
    var info = stat()
    guard stat(path, &info) == 0 else { return ("absent", []) }
    #if canImport(Darwin)
      let (m, c) = (info.st_mtimespec, info.st_ctimespec)
    #else
      let (m, c) = (info.st_mtim, info.st_ctim)
    #endif
    let text = "\(info.st_size) \(m.tv_sec).\(m.tv_nsec) \(info.st_ino) \(c.tv_sec).\(c.tv_nsec)"
    return (text, [Double(m.tv_sec) + Double(m.tv_nsec) / 1e9, Double(c.tv_sec) + Double(c.tv_nsec) / 1e9])
  }

  /// Records every file of `paths`, or nil when one changed between `start` and now: it changed
  /// while the program ran (fontconfig rewriting a stale cache, a package being installed), so
  /// which version the program used is unknown and the run must not be cached. A time after now
  /// (a file unpacked with a time from a clock ahead) is no change during the run: it would make
  /// every run of the machine uncacheable.
  static func record(_ paths: [String], notChangedSince start: Date) -> [SystemInput]? {
    let (from, now) = (start.timeIntervalSince1970, Date().timeIntervalSince1970 + 0.01)
    var inputs: [SystemInput] = []
    inputs.reserveCapacity(paths.count)
    for path in Set(paths).sorted() {
      let (text, changed) = stamp(path)
      if changed.contains(where: { from <= $0 && $0 <= now }) { return nil }
      inputs.append(SystemInput(path: path, stamp: text))
    }
    return inputs
  }
}
