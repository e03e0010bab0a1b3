// Small file operations of the render path, on POSIX calls where Foundation costs too much:
// `Data.write` calls fsync after every file (even without `.atomic`), and `attributesOfItem`
// looks up the owner's and group's names in /etc/passwd and /etc/group on every call. Copying
// KaTeX's 60 files that way was a tenth of a cold render. Nothing here needs either: every write
// goes into a scratch or staging folder that is moved into place whole (see `Publisher`).
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// File reads and writes of every stage; their errors are `FileError`s, which each caller says in
/// its own terms (a cache, a handout, an asset).
enum Files {
  /// Writes `data` to `url`, creating its folder; an existing file is replaced. Not synced to
  /// disk and not atomic: callers write into folders that are moved into place whole.
  static func write(_ data: Data, to url: URL) throws {
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw FileError(
        path: url.path, reason: FileError.reason(of: error, at: url.deletingLastPathComponent().path))
    }
    // A new file is an empty one made ahead when there is one (InodePool.swift). That one is
    // opened without O_TRUNC: on ext4, truncating a file to size 0 (even an empty one) marks it
    // to be flushed to disk when it is closed (`auto_da_alloc`, for editors that replace a file
    // by truncating it), and that flush was ~0.1 ms a file on the critical path of a cold render.
    let placed = InodePool.place(at: url.path)
    let fd = open(url.path, O_WRONLY | O_CREAT | (placed ? 0 : O_TRUNC) | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileError(path: url.path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var info = stat()
    if placed && (fstat(fd, &info) != 0 || info.st_size != 0) && ftruncate(fd, 0) != 0 {
      throw FileError(path: url.path, reason: String(cString: strerror(errno)))
    }
    try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      var offset = 0
      while offset < bytes.count {
        let n = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          throw FileError(path: url.path, reason: String(cString: strerror(errno)))
        }
        offset += n
      }
    }
  }

  /// The bytes of `source`, symlinks resolved.
  static func read(_ source: URL) throws -> Data {
    let real = source.resolvingSymlinksInPath()
    do {
      return try Data(contentsOf: real)
    } catch {
      throw FileError(path: real.path, reason: FileError.reason(of: error, at: real.path))
    }
  }

  /// How many files (anything but a folder) lie under the folder `path`, at any depth; nil if
  /// it cannot be read. (`FileManager.enumerator` with resource values took 5% of a warm render.)
  static func fileCount(under path: String) -> Int? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var count = 0
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      let child = path + "/" + name
      var info = stat()
      guard lstat(child, &info) == 0 else { return nil }
      if info.st_mode & S_IFMT == S_IFDIR {
        guard let inner = fileCount(under: child) else { return nil }
        count += inner
      } else {
        count += 1
      }
    }
    return count
  }

  /// Copies `source` (symlinks resolved) to `destination` and gives the copy the source's
  /// modification time, so that their `FileStamp`s have the same size and time.
  /// - Returns: the copy as written (`written`).
  @discardableResult
  static func copyStamped(_ source: URL, to destination: URL) throws -> OwnedFile {
    let real = source.resolvingSymlinksInPath()
    let ahead = ReadAhead.shared.take(real.path)
    let data = try ahead?.data ?? read(real)
    try write(data, to: destination)
    var info = stat()
    if stat(real.path, &info) == 0 {
      var times = [modificationTime(info), modificationTime(info)]  // access, modification
      _ = utimensat(AT_FDCWD, destination.path, &times, 0)
    }
    return written(data, at: destination, sha256: ahead?.sha256)
  }

  /// Writes `data` to `url` as `write` does, and returns it as written (`written`).
  static func writeOwned(_ data: Data, to url: URL) throws -> OwnedFile {
    try write(data, to: url)
    return written(data, at: url)
  }

  /// The file just written at `url` with `data`: the hash of those bytes, and the file's stamp now,
  /// so that `Ownership.expectFolder` knows it without reading it back while the stamp holds (any
  /// later write, truncation or replacement changes it). No stamp when it cannot be looked at.
  /// `sha256`: the hash of `data` when known already.
  static func written(_ data: Data, at url: URL, sha256: String? = nil) -> OwnedFile {
    var info = stat()
    let stamp =
      lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? OwnedFile.stampOf(info) : nil
    return OwnedFile(sha256: sha256 ?? SHA256.hex(data), link: nil, stamp: stamp)
  }
}

extension Files {
  /// Writes `files` into the folder `folder` (bytes written, copies made with their source's
  /// modification time, which `areInstalled` compares). Existing files are replaced.
  /// - Returns: each file as written, by its path in `folder` (`written`).
  /// - Throws: `FileError` for a file that could not be read or written, or a path that would
  ///   leave `folder` (`..`, absolute): nothing of the assets maker may land outside it.
  @discardableResult
  static func install(_ files: [AssetFile], into folder: URL) throws -> [String: OwnedFile] {
    var written: [String: OwnedFile] = [:]
    for file in files {
      guard Ownership.isPlainRelative(file.path) else {
        throw FileError(path: folder.path + "/" + file.path, reason: "not a path inside the assets folder")
      }
      let destination = folder.appendingPathComponent(file.path)
      switch file.content {
      case .bytes(let data): written[file.path] = try writeOwned(data, to: destination)
      case .copy(let source): written[file.path] = try copyStamped(source, to: destination)
      }
    }
    return written
  }

  /// Whether the folder `folder` holds exactly `files` and nothing else: bytes byte for byte, each
  /// copy with its source's size and modification time (reading KaTeX's files every render was a
  /// tenth of a warm render). A re-render then leaves the folder alone. False on any doubt (a
  /// missing, extra or unreadable file).
  static func areInstalled(_ files: [AssetFile], in folder: URL) -> Bool {
    guard let count = fileCount(under: folder.path), count == files.count else { return false }
    return files.allSatisfy { file in
      let installed = folder.appendingPathComponent(file.path)
      switch file.content {
      case .bytes(let data):
        return (try? Data(contentsOf: installed)) == data
      case .copy(let source):
        let real = source.resolvingSymlinksInPath()
        guard let a = FileStamp(installed.path), let b = FileStamp(real.path) else { return false }
        return a.sameSizeAndTime(as: b)
      }
    }
  }
}

extension Files {
  /// Exchanges two paths at once: 0, or the error number (EINVAL/ENOSYS where the file system or
  /// the C library cannot).
  static func exchange(_ a: String, _ b: String) -> Int32 {
    #if canImport(Glibc)
      // Swift's Glibc module leaves out `renameat2` (it needs _GNU_SOURCE): looked up by name.
      typealias RenameAt2 =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return ENOSYS }
      let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
      let renameExchange: UInt32 = 1 << 1  // linux/fs.h
      return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 ? 0 : errno
    #elseif canImport(Darwin)
      return renamex_np(a, b, UInt32(RENAME_SWAP)) == 0 ? 0 : errno
    #else
      return ENOSYS
    #endif
  }
}

/// `write(2)`, outside `Files`, whose own `write` would shadow it.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}

func modificationTime(_ info: stat) -> timespec {
  #if canImport(Darwin)
    return info.st_mtimespec
  #else
    return info.st_mtim
  #endif
}
