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

extension Probe {
  /// Whether what `probes` asked about changed while the program ran (between `start` and now): a
  /// folder listed or walked (any folder of the tree) whose names changed, a link looked at that was
  /// relinked. A probe's answer is taken after the run; one that changed meanwhile
  /// would key the run on the new names with output from the old, so such a run is not cached.
  /// (A folder's modification and status-change times move when a name in it comes or goes.)
  static func anyChanged(_ probes: [Probe], since start: Date) -> Bool {
    let (from, now) = (start.timeIntervalSince1970, Date().timeIntervalSince1970 + 0.01)
    func changed(_ path: String) -> Bool {
      var info = stat()
      guard lstat(path, &info) == 0 else { return false }
      #if canImport(Darwin)
        let (m, c) = (info.st_mtimespec, info.st_ctimespec)
      #else
        let (m, c) = (info.st_mtim, info.st_ctim)
      #endif
      return [m, c].contains { time in
        let seconds = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        return from <= seconds && seconds <= now
      }
    }
    func treeChanged(_ folder: String, excluded: [String]) -> Bool {
      if changed(folder) { return true }
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
      return names.contains { name in
        let full = folder + "/" + name
        guard !excluded.contains(where: { full == $0 || full.hasPrefix($0 + "/") }), kind(full) == "folder"
        else { return false }
        return treeChanged(full, excluded: excluded)
      }
    }
    return probes.contains { probe in
      switch probe.how {
      // A folder looked at is still a folder when names in it change (its times move then).
      case .looked: kind(probe.path) != "folder" && changed(probe.path)
      case .listed: changed(probe.path)
      case .tree: treeChanged(probe.path, excluded: probe.excluded)
      }
    }
  }
}
