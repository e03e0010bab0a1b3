// Empty files made while the notebook compiles and runs, for publish to write into (issue 25).
// A cold render creates ~100 files after the run (page, figure files, KaTeX, index, manifest),
// on the critical path. On ext4, making a file allocates an inode, and the allocator skips every
// inode freed in the last half minute (`recently_deleted`): when files were deleted nearby — the
// bench's `rm -rf` of the previous render, other processes' builds — each creation read the inode
// table for seconds' worth of frees: 36 ms of a cold render's 77 after the run. Linking an
// existing file under a new name and removing the old one allocates nothing, so a thread makes the
// files beforehand in a scratch folder of this process in the cache (`tmp-<pid>-<uuid>`, swept as
// any other when this process is gone) and `Files.write` links one in place of creating the file.
// Only when the pool is on the same file system as the target folder, neither is set-group-ID, and the target
// does not exist (`link` never replaces); otherwise, or when the pool is empty, files are created
// as before. A file from the pool is an empty regular file made by this process with the mode
// `Files.write` gives (0644 less the umask), so what ends up in the output is the same.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

final class InodePool: @unchecked Sendable {
  private static let lock = NSLock()
  /// The pool of the render under way, if any.
  nonisolated(unsafe) private static var current: InodePool?

  private let lock = NSLock()
  private let filler = DispatchGroup()
  private let reaper: ProcessReaper?
  private var folder: URL?
  private var device: dev_t = 0
  private var ready: [String] = []
  private var finished = false

  /// Starts making `count` empty files on another thread, in a scratch folder of `cache` when
  /// `cache` and `out` (or the folder that will hold it) are on one file system; the pool is the
  /// one `Files.write` uses until `finish`. The folder is `reaper`'s too.
  static func start(cache: URL, out: URL, count: Int = 128, reaper: ProcessReaper?) -> InodePool? {
    guard let outDevice = device(ofNearest: out) else { return nil }
    let pool = InodePool(reaper: reaper)
    lock.withLock { current = pool }
    DispatchQueue.global(qos: .utility).async(group: pool.filler) {
      pool.fill(cache: cache, device: outDevice, count: count)
    }
    return pool
  }

  /// How many empty files are ready to be taken (a file is made before it is ready).
  var readyCount: Int { lock.withLock { ready.count } }

  /// Puts an empty file of the current pool at `path`; false when it did not (see `take`).
  static func place(at path: String) -> Bool {
    lock.withLock { current }?.take(at: path) ?? false
  }

  private init(reaper: ProcessReaper?) { self.reaper = reaper }

  private func fill(cache: URL, device outDevice: dev_t, count: Int) {
    guard let made = try? RunCache(root: cache).makeWorkDirectory() else { return }
    var info = stat()
    let owned =
      stat(made.path, &info) == 0 && info.st_dev == outDevice && info.st_mode & S_ISGID == 0
      && lock.withLock { () -> Bool in
        guard !finished else { return false }
        (folder, device) = (made, info.st_dev)
        return true
      }
    guard owned else {
      try? FileManager.default.removeItem(at: made)
      return
    }
    reaper?.add(folder: made.path)
    // A signal came while it was made: the reaper may have removed its folders already.
    if reaper?.isStopping == true {
      try? FileManager.default.removeItem(at: made)
      return
    }
    for k in 0..<count {
      let path = made.appendingPathComponent("\(k)").path
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard fd >= 0 else { return }
      close(fd)
      guard
        lock.withLock({ () -> Bool in
          if !finished { ready.append(path) }
          return !finished
        })
      else { return }
    }
  }

  /// Links an empty file of the pool at `path`, which must not exist, in an existing folder on the
  /// pool's file system that is not set-group-ID (a file made there gets this process's group, as
  /// the pool's do); false when it did not.
  private func take(at path: String) -> Bool {
    guard let taken = lock.withLock({ ready.popLast() }) else { return false }
    var target = stat()
    let parent = (path as NSString).deletingLastPathComponent
    guard stat(parent, &target) == 0, target.st_dev == device, target.st_mode & S_ISGID == 0,
      link(taken, path) == 0
    else {
      lock.withLock { if !finished { ready.append(taken) } }
      return false
    }
    unlink(taken)
    return true
  }

  /// Ends the pool: no file is taken from it any more, the filling thread has stopped, and its
  /// folder and what is left in it are removed.
  func finish() {
    Self.lock.withLock { if Self.current === self { Self.current = nil } }
    lock.withLock {
      finished = true
      ready = []
    }
    filler.wait()
    guard let folder = lock.withLock({ self.folder }) else { return }
    try? FileManager.default.removeItem(at: folder)
    reaper?.remove(folder: folder.path)
  }

  /// The device of `url`, or of the nearest folder above it that exists.
  static func device(ofNearest url: URL) -> dev_t? {
    var current = url.standardizedFileURL
    for _ in 0..<64 {
      var info = stat()
      if stat(current.path, &info) == 0 { return info.st_dev }
      if current.path == "/" { return nil }
      current = current.deletingLastPathComponent()
    }
    return nil
  }
}
