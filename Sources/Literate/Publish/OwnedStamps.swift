// The stamps of the files Handout owns in an output folder, kept between renders in the cache, so
// a warm render checks that a file is still the one Handout wrote without reading it (issue 22:
// hashing every owned file, 21 MB for the course, was 40 % of a render that changed nothing).
//
// Why a stamp is enough. A stamp is a file's device, inode, size, modification time and status
// change time (ctime). Writing a file's bytes, truncating it, renaming or linking it, `chmod`,
// `touch -d` or `utimensat` all set its ctime to the clock of that moment, and nothing short of
// setting the system clock sets ctime to a chosen value: a user's edit that keeps the size and puts
// the modification time back (`touch -d`) still moves ctime. A file the user puts in place of
// Handout's (an editor's save, `cp`, `mv`) is another inode, or the same inode number reused by a
// new file whose ctime is the time it was made. So when every part of the stamp is what it was,
// the file was not written since the stamp was taken, and holds the bytes it held then.
//
// The one gap is the clock's grain: ctime has the kernel's coarse clock (one tick, 4 ms here;
// Linux 6.13 and later give a file whose ctime was looked at a fine-grained one on its next change).
// A file is made in a staging folder no one else knows, and only the swap puts it where a user can
// reach it; a change right after the swap, within the tick the file was written in, could keep its
// ctime. So a stamp is trusted only when its ctime is more than two ticks before the moment from
// which a change would show (the swap, or the start of the read that checked the hash); a younger
// file is read and hashed again next time.
//
// The stamps are not in the manifest: the manifest holds only what the same render gives on any
// machine (`make same-bits` compares it). They live in `<cache>/publish-stamps/`, one file per
// output folder, and each vouches only for the hash recorded with it: a stamp whose hash is not the
// manifest's is ignored, and a missing or damaged file only means the files are read again.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The stamps of an output folder's owned files, between renders (see the file comment).
struct OwnedStamps: Codable, Equatable {
  struct Entry: Codable, Equatable {
    var sha256: String
    var stamp: String
  }

  /// The output folder they are for (absolute, standardized).
  var out: String
  /// Relative path → the hash the file had and the stamp it had then.
  var files: [String: Entry] = [:]
  /// Files publish reads to compare (a run's figures in the cache), by absolute path.
  var sources: [String: Entry]? = nil

  /// Where the stamps of `out` are kept under the cache folder `cache`.
  static func location(cache: URL, out: URL) -> URL {
    let path = Publisher.absolute(out.path)
    return cache.appendingPathComponent("publish-stamps", isDirectory: true)
      .appendingPathComponent(String(SHA256.hex(Data(path.utf8)).prefix(32)) + ".json")
  }

  /// Gives each file of `ownership` the stamp kept for it at `url`, when it was kept with the hash
  /// the manifest records. Nothing changes when `url` is nil or cannot be read.
  static func apply(from url: URL?, to ownership: inout Ownership, out: URL, sources: KnownHashes? = nil) {
    guard let url, let data = try? Data(contentsOf: url),
      let stamps = try? JSONDecoder().decode(OwnedStamps.self, from: data),
      stamps.out == Publisher.absolute(out.path)
    else { return }
    sources?.entries = stamps.sources ?? [:]
    for (relative, entry) in stamps.files {
      guard var file = ownership.files[relative], file.sha256 == entry.sha256 else { continue }
      file.stamp = entry.stamp
      ownership.files[relative] = file
    }
  }

  /// Keeps the trusted stamps of `ownership`'s files at `url` (nothing when nil); a cache that
  /// cannot be written is not an error (the files are read again next time). `locked`: the output
  /// folder's lock is held, so a temporary file of these stamps there is a stopped render's.
  static func save(
    _ ownership: Ownership, to url: URL?, out: URL, sources: KnownHashes? = nil, locked: Bool = false
  ) {
    guard let url else { return }
    var stamps = OwnedStamps(out: Publisher.absolute(out.path))
    stamps.sources = sources?.used
    for (relative, file) in ownership.files {
      guard let sha256 = file.sha256 else { continue }
      if let stamp = file.stamp {
        stamps.files[relative] = Entry(sha256: sha256, stamp: stamp)
      } else if let learned = ownership.verified.entry(out.appendingPathComponent(relative).path),
        learned.sha256 == sha256
      {
        // Read and found right this render (`VerifiedFiles`): its stamp vouches for that hash.
        stamps.files[relative] = learned
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(stamps) else { return }
    let folder = url.deletingLastPathComponent()
    // A render stopped before its rename left its temporary file: with the folder's lock held, no
    // other render of `out` writes these stamps now, so every one there is a leftover.
    for name in locked ? (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] : []
    where name.hasPrefix(".\(url.lastPathComponent).") {
      unlink(folder.appendingPathComponent(name).path)
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
    do {
      try Files.write(data, to: temporary)
      if rename(temporary.path, url.path) != 0 { unlink(temporary.path) }
    } catch {
      unlink(temporary.path)
    }
  }

  /// Whether a file that `info` describes, known to be unchanged from `since` on, may be trusted
  /// by its stamp: its ctime is more than two ticks of the coarse clock before `since`.
  static func trusted(_ info: stat, since: timespec) -> Bool {
    #if canImport(Darwin)
      let c = info.st_ctimespec
    #else
      let c = info.st_ctim
    #endif
    let margin = 2 * tick
    let ctime = Int64(c.tv_sec) * 1_000_000_000 + Int64(c.tv_nsec)
    return ctime < nanoseconds(since) - margin
  }

  /// The clock now (what ctime is set from).
  static func now() -> timespec {
    var t = timespec()
    clock_gettime(CLOCK_REALTIME, &t)
    return t
  }

  static func nanoseconds(_ t: timespec) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec) }

  /// The grain of the clock file times are set from, in nanoseconds (10 ms when unknown).
  static let tick: Int64 = {
    #if os(Linux)
      var res = timespec()
      if clock_getres(CLOCK_REALTIME_COARSE, &res) == 0 {
        let n = nanoseconds(res)
        if n > 0 && n <= 100_000_000 { return n }
      }
    #endif
    return 10_000_000
  }()
}

/// The owned files one render read, hashed and found right, by absolute path: the hash and the
/// stamp they had, learned only when that stamp may be trusted (`OwnedStamps.trusted`, from the
/// start of the read). While a file's stamp is still that one it holds those bytes (see the file
/// comment), so it is not read again this render, and the stamp is kept for the next one. A file
/// whose stamp changed is read again.
final class VerifiedFiles: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [String: OwnedStamps.Entry] = [:]

  /// Whether the file at `path` was found to hold `sha256` with the stamp `stamp`.
  func holds(_ path: String, sha256: String, stamp: String) -> Bool {
    entry(path) == OwnedStamps.Entry(sha256: sha256, stamp: stamp)
  }

  func entry(_ path: String) -> OwnedStamps.Entry? { lock.withLock { entries[path] } }

  func learn(_ path: String, _ entry: OwnedStamps.Entry) { lock.withLock { entries[path] = entry } }
}

/// The SHA-256 of files publish reads to compare with what a handout's folder holds (a run's
/// figures in the cache), remembered by their stamps as `OwnedStamps` remembers owned files'.
final class KnownHashes {
  /// Absolute path → hash and stamp, as loaded or learned.
  var entries: [String: OwnedStamps.Entry] = [:]
  /// The entries looked up or learned in this render (only these are kept).
  private(set) var used: [String: OwnedStamps.Entry] = [:]

  /// The SHA-256 of the regular file at `path`, by its stamp when known; nil when unreadable.
  func sha256(of path: String) -> String? {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    let stamp = OwnedFile.stampOf(info)
    if let known = entries[path], known.stamp == stamp {
      used[path] = known
      return known.sha256
    }
    let start = OwnedStamps.now()
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let sha256 = SHA256.hex(data)
    var after = stat()
    if lstat(path, &after) == 0, OwnedFile.stampOf(after) == stamp, OwnedStamps.trusted(info, since: start) {
      entries[path] = OwnedStamps.Entry(sha256: sha256, stamp: stamp)
      used[path] = entries[path]
    }
    return sha256
  }

  /// Takes the hashes a run's files were stored with (`Artifacts.hashes`) where none is known.
  func learn(_ artifacts: Artifacts) {
    for (relative, entry) in artifacts.hashes {
      let path = artifacts.figures.appendingPathComponent(relative).path
      if entries[path] == nil { entries[path] = entry }
    }
  }

  /// Copies the regular file `source` to `destination` (its folder made, its permission bits
  /// kept, as `FileManager.copyItem` did), hashing the bytes on the way (or taking the hash known by
  /// its stamp), and learns the source's hash as `sha256(of:)` does.
  /// - Returns: the copy as written (`Files.written`: hash and stamp), for `expectFolder`.
  func copy(_ source: URL, to destination: URL) throws -> OwnedFile {
    let path = source.path
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      throw FileError(path: path, reason: "not a regular file")
    }
    let stamp = OwnedFile.stampOf(info)
    let start = OwnedStamps.now()
    let data = try Files.read(source)
    var after = stat()
    let unchanged = lstat(path, &after) == 0 && OwnedFile.stampOf(after) == stamp
    let sha256: String
    if unchanged, let known = entries[path], known.stamp == stamp {
      sha256 = known.sha256
      used[path] = known
    } else {
      sha256 = SHA256.hex(data)
      if unchanged, OwnedStamps.trusted(info, since: start) {
        entries[path] = OwnedStamps.Entry(sha256: sha256, stamp: stamp)
        used[path] = entries[path]
      }
    }
    try Files.write(data, to: destination)
    _ = chmod(destination.path, info.st_mode & 0o7777)
    var copied = stat()
    let copiedStamp = lstat(destination.path, &copied) == 0 ? OwnedFile.stampOf(copied) : nil
    return OwnedFile(sha256: sha256, link: nil, stamp: copiedStamp)
  }
}
