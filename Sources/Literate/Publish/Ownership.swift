// What Handout wrote in an output folder, so that it replaces or deletes only that.
//
// The output folder is shared with its owner: `make docs` writes `api/` there, an instructor keeps
// a photo or a hand-written page beside the handouts, and a notebook may be named like one of
// them. Handout records every file it writes (a regular file by its SHA-256, a symlink by its
// target) in the manifest, and before it replaces or removes a path it checks that what is there
// is exactly what it wrote: a file with the recorded content, a folder holding only such files.
// Anything else is the user's, and the write that would have replaced it is refused with an error
// that names it.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One path Handout wrote: a regular file's content hash, or a symlink's target.
struct OwnedFile: Codable, Equatable, Sendable {
  /// SHA-256 of a regular file's bytes; nil for a symlink.
  var sha256: String?
  /// A symlink's target as written; nil for a regular file.
  var link: String?
  /// The file's stamp (`stampOf`) when its content was known to be `sha256`: while it still
  /// matches, the content is not read again. Kept between renders in the cache (`OwnedStamps`,
  /// which says why a stamp is enough), not in the manifest, which holds only what the same render
  /// gives on any machine.
  var stamp: String?

  enum CodingKeys: String, CodingKey { case sha256, link }

  /// The fingerprint of what is at `path` now (not following a symlink), or nil for a folder,
  /// a missing path or anything that is neither a file nor a symlink.
  static func of(_ path: String) -> OwnedFile? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFLNK:
      guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
      return OwnedFile(sha256: nil, link: target, stamp: nil)
    case S_IFREG:
      guard let data = FileManager.default.contents(atPath: path) else { return nil }
      // The stamp only when the file did not change while it was read.
      var after = stat()
      let unchanged = lstat(path, &after) == 0 && stampOf(after) == stampOf(info)
      return OwnedFile(sha256: SHA256.hex(data), link: nil, stamp: unchanged ? stampOf(info) : nil)
    default:
      return nil
    }
  }

  /// A regular file about to be written with `data` (its stamp is taken once it is on disk).
  static func file(_ data: Data) -> OwnedFile { OwnedFile(sha256: SHA256.hex(data), link: nil, stamp: nil) }

  /// Size, modification time, status change time (ctime), inode and device: any write, rename or
  /// `touch` of the file changes at least its ctime (see `OwnedStamps`).
  static func stampOf(_ info: stat) -> String {
    #if canImport(Darwin)
      let (m, c) = (info.st_mtimespec, info.st_ctimespec)
    #else
      let (m, c) = (info.st_mtim, info.st_ctim)
    #endif
    return "\(info.st_size) \(m.tv_sec).\(m.tv_nsec) \(c.tv_sec).\(c.tv_nsec) \(info.st_ino) \(info.st_dev)"
  }

  /// Whether what is at `path` now is this file, unchanged. A regular file is read and hashed
  /// unless its stamp is the one recorded, or one `verified` learned this render; a file found
  /// right whose stamp may be trusted (`OwnedStamps.trusted`) is learned there.
  func matches(_ path: String, verified: VerifiedFiles? = nil) -> Bool {
    var info = stat()
    guard lstat(path, &info) == 0 else { return false }
    switch info.st_mode & S_IFMT {
    case S_IFLNK:
      return link != nil && (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == link
    case S_IFREG:
      guard let sha256 else { return false }
      let now = Self.stampOf(info)
      if stamp == now || verified?.holds(path, sha256: sha256, stamp: now) == true { return true }
      let start = OwnedStamps.now()
      guard let data = FileManager.default.contents(atPath: path) else { return false }
      Ownership.hashes.increment()
      guard SHA256.hex(data) == sha256 else { return false }
      var after = stat()
      if let verified, lstat(path, &after) == 0, Self.stampOf(after) == now,
        OwnedStamps.trusted(info, since: start)
      {
        verified.learn(path, OwnedStamps.Entry(sha256: sha256, stamp: now))
      }
      return true
    default:
      return false
    }
  }
}

/// The record of what Handout wrote in one output folder, kept in its manifest.
struct Ownership: Equatable {
  /// Path relative to the output folder (`01-intro/loss-1.svg`) → what was written there.
  var files: [String: OwnedFile] = [:]
  /// Written by a render that may have been stopped before it could say which version is in place
  /// (saved before a swap, folded into `files` after it): either version counts as Handout's.
  var pending: [String: OwnedFile] = [:]
  /// The files this render read and found right, shared by every copy of this record, so that a
  /// file checked again (`foreignPath` runs several times a render) is not read again.
  var verified = VerifiedFiles()

  /// How many owned files were read and hashed to check them (tests count them).
  static let hashes = LoadCounter()

  static func == (a: Ownership, b: Ownership) -> Bool { a.files == b.files && a.pending == b.pending }

  /// Whether `relative` is a name this record may hold: relative, inside the folder (no `..`,
  /// `.` or empty component), no NUL. A forged or damaged manifest's other names are ignored.
  static func isPlainRelative(_ relative: String) -> Bool {
    guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\0") else { return false }
    return relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
      !$0.isEmpty && $0 != "." && $0 != ".."
    }
  }

  /// The record without names that could point outside the folder, and without claims of a
  /// shape Handout never writes (`isCredible`).
  func validated() -> Ownership {
    Ownership(
      files: files.filter { Self.isPlainRelative($0.key) && Self.isCredible($0.key, $0.value) },
      pending: pending.filter { Self.isPlainRelative($0.key) && Self.isCredible($0.key, $0.value) })
  }

  /// Whether Handout ever writes `file` at `relative`, so a manifest may claim it. At the top of
  /// the folder Handout makes symlinks only as a handout's page, deck or PDF, each pointing into
  /// the handout's own folder (`x.html` → `x/.page.html`, `x.slides.html` → `x/.slides.html`,
  /// `x.pdf` → `x/.handout.pdf`), and a PDF there only as such a link. A forged, copied or damaged
  /// manifest that claims a user's PDF, or a symlink pointing anywhere else, claims nothing.
  static func isCredible(_ relative: String, _ file: OwnedFile) -> Bool {
    guard !relative.contains("/") else { return true }
    let products = [
      (".slides.html", Publisher.slidesName), (".pdf", Publisher.pdfName), (".html", Publisher.pageName),
    ]
    // By their bytes (`String+Bytes`): `x\u{600}.html` is a page's link.
    guard let (suffix, inner) = products.first(where: { relative.hasByteSuffix($0.0) }) else {
      return file.link == nil
    }
    guard let link = file.link else { return suffix != ".pdf" }
    return link.utf8.elementsEqual((relative.droppingLastBytes(suffix.utf8.count) + "/" + inner).utf8)
  }

  /// Whether the file or symlink at `relative` is one Handout wrote, unchanged.
  func ownsFile(_ relative: String, in out: URL) -> Bool {
    let path = out.appendingPathComponent(relative).path
    return files[relative]?.matches(path, verified: verified) == true
      || pending[relative]?.matches(path, verified: verified) == true
  }

  /// The first path at or under `relative` that is not Handout's, or nil when every file there is
  /// (a missing path is nobody's, so nil). A folder is Handout's when everything in it, at any
  /// depth, is a file or symlink Handout wrote; a folder Handout made and emptied counts too, and
  /// so does an empty `<name>/` beside a `<name>.html` Handout wrote as a file (self-contained).
  func foreignPath(at relative: String, in out: URL) -> String? {
    let path = out.appendingPathComponent(relative).path
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    guard info.st_mode & S_IFMT == S_IFDIR else { return ownsFile(relative, in: out) ? nil : relative }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return relative }
    for name in names.sorted() {
      if let foreign = foreignPath(at: relative + "/" + name, in: out) { return foreign }
    }
    // An empty folder that no record mentions is the user's (mkdir out/photos); one beside a page
    // Handout wrote as a file is the folder of a self-contained handout without figures.
    if names.isEmpty, !files.keys.contains(where: { $0.hasPrefix(relative + "/") }),
      !pending.keys.contains(where: { $0.hasPrefix(relative + "/") }),
      files[relative + ".html"]?.sha256 == nil || !ownsFile(relative + ".html", in: out)
    {
      return relative
    }
    return nil
  }

  /// Records `file` as what is (or is about to be) at `relative`: pending until `settle`.
  mutating func expect(_ relative: String, _ file: OwnedFile) { pending[relative] = file }

  /// Records every file and symlink under the folder `folder` as what `relative` will hold once it
  /// is moved there (pending until `settle`). `written`: files this render wrote there, by path
  /// relative to `folder`, with the hash of the bytes written and their stamp just after
  /// (`Files.written`); each is taken as it is while its stamp is still the file's (nothing wrote
  /// it since), instead of being read back. Every other file is read and hashed.
  mutating func expectFolder(_ folder: URL, as relative: String, written: [String: OwnedFile] = [:]) {
    for (name, file) in Self.fingerprints(under: folder, written: written) {
      pending[relative + "/" + name] = file
    }
  }

  /// After the writes: what is on disk now for every path pending or recorded at or under one of
  /// `prefixes` (a removed path is forgotten; a written one is recorded, with its stamp when that
  /// may be trusted: `OwnedStamps.trusted`). `swappedAt`: when the files staged with their stamps
  /// were put where a user can reach them (nil: now).
  mutating func settle(_ prefixes: [String], in out: URL, swappedAt: timespec? = nil) {
    func under(_ key: String) -> Bool { prefixes.contains { key == $0 || key.hasPrefix($0 + "/") } }
    let keys = Set(files.keys.filter(under)).union(pending.keys.filter(under))
    for key in keys {
      let path = out.appendingPathComponent(key).path
      let candidates = [pending[key], files[key]].compactMap { $0 }
      pending[key] = nil
      let checked = OwnedStamps.now()
      if let match = candidates.first(where: { $0.matches(path, verified: verified) }) {
        var settled = match
        settled.stamp = nil
        var info = stat()
        if match.sha256 != nil, lstat(path, &info) == 0 {
          let stamp = OwnedFile.stampOf(info)
          // Unchanged since it was staged (its stamp), or read and found right from `checked` on.
          let since = match.stamp == stamp ? (swappedAt ?? checked) : checked
          if OwnedStamps.trusted(info, since: since) { settled.stamp = stamp }
        }
        files[key] = settled
      } else {
        files[key] = nil
      }
    }
  }

  /// Every file and symlink under `folder`, by path relative to it; a file of `written` whose stamp
  /// is still the one recorded there is not read again (see `expectFolder`).
  static func fingerprints(under folder: URL, written: [String: OwnedFile] = [:]) -> [String: OwnedFile] {
    var result: [String: OwnedFile] = [:]
    var info = stat()
    guard lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return [:] }
    func walk(_ path: String, _ relative: String) {
      var info = stat()
      guard lstat(path, &info) == 0 else { return }
      if info.st_mode & S_IFMT == S_IFDIR {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
          walk(path + "/" + name, relative.isEmpty ? name : relative + "/" + name)
        }
      } else if let file = written[relative], file.sha256 != nil, file.link == nil,
        info.st_mode & S_IFMT == S_IFREG, let stamp = file.stamp, stamp == OwnedFile.stampOf(info)
      {
        result[relative] = file
      } else if let file = OwnedFile.of(path) {
        result[relative] = file
      }
    }
    walk(folder.path, "")
    return result
  }
}

/// A path in the output folder that Handout did not write (or that changed since): it is never
/// replaced or removed.
struct ForeignFileError: Error, CustomStringConvertible {
  var out: URL
  var relative: String
  var description: String {
    "\(out.appendingPathComponent(relative).path) is not a file Handout wrote (or it changed since), so it is "
      + "left as it is; move it out of the output folder, or rename the notebook"
  }
}
