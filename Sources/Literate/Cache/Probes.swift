// What a run learnt about the files beside the notebook without reading them: whether a path is
// there and what it is (`FileManager.fileExists`, `attributesOfItem`: `stat`, `access`), and which
// names a folder holds (`contentsOfDirectory`: `opendir`; `enumerator`: a whole tree). A program
// that found no `b.txt` and printed so replayed that answer from the cache after `b.txt` was made.
// Each answer is recorded after the run and compared again at each load: a different answer is a
// miss. A regular file looked at (or a path found absent) is a data input instead (its content,
// hence its size, keys the run; `DataInputs`); what is kept here is a folder's or a link's kind and
// a listing's names.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A path's answer to a look or a listing, as it was after the run.
struct Probe: Codable, Equatable, Sendable {
  /// How the program asked.
  enum How: String, Codable, Sendable {
    /// `stat`, `lstat`, `access`: the kind of what the path names (`Probe.kind`).
    case looked
    /// `opendir`, `scandir`: the names in the folder, with their kinds.
    case listed
    /// `fts_open`: every path under the folder, with its kind, but those under `excluded`.
    case tree
  }

  var path: String
  var how: How
  /// Folders left out of a tree (the cache, the run's own folders).
  var excluded: [String] = []
  /// The kind, or the hash of the listing.
  var answer: String

  /// `path`'s answer now.
  init(path: String, how: How, excluded: [String] = []) {
    self.path = path
    self.how = how
    self.excluded = excluded
    answer = ""
    answer = current()
  }

  var isCurrent: Bool { current() == answer }

  func current() -> String {
    switch how {
    case .looked: Self.kind(path)
    case .listed: SHA256.hex(Self.listing(path, recursive: false, excluded: []).utf8)
    case .tree: SHA256.hex(Self.listing(path, recursive: true, excluded: excluded).utf8)
    }
  }

  /// `absent`, `file`, `folder`, `other`, each after `link to <target>: ` when the path is a
  /// symbolic link (`lstat`, `readlink`, then `stat`).
  static func kind(_ path: String) -> String {
    var info = stat()
    guard lstat(path, &info) == 0 else { return "absent" }
    guard info.st_mode & S_IFMT == S_IFLNK else { return kind(mode: info.st_mode) }
    let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    return "link to \(target): " + (stat(path, &info) == 0 ? kind(mode: info.st_mode) : "absent")
  }

  static func kind(mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: "file"
    case S_IFDIR: "folder"
    default: "other"
    }
  }

  /// Each name in the folder at `path` (below it too when `recursive`, but not under `excluded`)
  /// with its kind, one a line, in the order of their bytes; `absent` or `not a folder`.
  static func listing(_ path: String, recursive: Bool, excluded: [String]) -> String {
    var info = stat()
    guard stat(path, &info) == 0 else { return "absent" }
    guard info.st_mode & S_IFMT == S_IFDIR else { return "not a folder" }
    var lines: [[UInt8]] = []
    func walk(_ folder: String, _ prefix: String) {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
      for name in names {
        let full = folder + "/" + name
        if excluded.contains(where: { full == $0 || full.hasPrefix($0 + "/") }) { continue }
        let kind = kind(full)
        lines.append(Array("\(prefix)\(name) \(kind)".utf8))
        if recursive, kind == "folder" { walk(full, prefix + name + "/") }
      }
    }
    walk(path, "")
    return lines.sorted { $0.lexicographicallyPrecedes($1) }.map { String(decoding: $0, as: UTF8.self) }
      .joined(separator: "\n")
  }
}
