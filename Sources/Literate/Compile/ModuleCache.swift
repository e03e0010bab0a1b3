// Where the compiler keeps the Clang modules it builds (Glibc, SwiftShims, Dispatch, CCairo…).
// The toolchain gets no `HOME` (`ChildProcess.toolEnvironment`), so Clang keeps them under the home
// folder of the user's passwd entry, `~/.cache/clang/ModuleCache`: warm there between renders and
// shared with every other compile on the machine (an empty one adds ~0.7 s to a cold render,
// bench/README.md 22). Where that home cannot be written (a CI container whose user's home is
// `/nonexistent`, a read-only home) every compile failed ("unable to open output file
// '…/ModuleCache/…/SwiftShims-….pcm': 'Read-only file system'", "could not build C module
// 'SwiftShims'"), and a user without a passwd entry (`docker run --user 1234`) got Clang's implicit
// modules turned off ("module 'SwiftShims' is needed but has not been provided"). There, and only
// there, the toolchain is given `XDG_CACHE_HOME`, which Clang takes before any home: a folder of
// the user's own in `TMPDIR`, mode 0700, kept warm for the next render.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum ModuleCache {
  /// The `XDG_CACHE_HOME` the toolchain is given: nil where Clang's default can be written.
  /// Looked at once per `handout`.
  static let fallback: String? = {
    #if os(Linux)
      if defaultIsWritable(home: passwdHome()) { return nil }
      return privateFolder(in: temporaryRoot(ProcessInfo.processInfo.environment))
    #else
      return nil
    #endif
  }()

  /// `TMPDIR` when it is an absolute path, else `/tmp`: an empty or relative one would put the
  /// folder in the working folder, among the user's files.
  static func temporaryRoot(_ environment: [String: String]) -> String {
    environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
  }

  /// The home folder of the passwd entry of the real user id: where Clang looks without `HOME`.
  static func passwdHome() -> String? {
    var entry = passwd()
    var result: UnsafeMutablePointer<passwd>? = nil
    var buffer = [CChar](repeating: 0, count: 16 * 1024)
    guard getpwuid_r(getuid(), &entry, &buffer, buffer.count, &result) == 0, result != nil,
      let dir = entry.pw_dir, dir.pointee != 0
    else { return nil }
    return String(cString: dir)
  }

  /// Whether Clang can keep its modules in `<home>/.cache/clang/ModuleCache`: that folder, or the
  /// nearest one above it that exists, inside an existing `home`, is a folder this user may write
  /// in (on a read-only file system, root may not either). A home that does not exist is not
  /// made: that is no cache for Clang to create it in.
  static func defaultIsWritable(home: String?) -> Bool {
    guard let home, home.hasPrefix("/") else { return false }
    let root = URL(fileURLWithPath: home).standardizedFileURL
    var folder = root.appendingPathComponent(".cache/clang/ModuleCache")
    while true {
      var info = stat()
      if stat(folder.path, &info) == 0 {
        return info.st_mode & S_IFMT == S_IFDIR && access(folder.path, W_OK | X_OK) == 0
      }
      guard errno == ENOENT, folder.path != root.path else { return false }
      folder.deleteLastPathComponent()
    }
  }

  /// `<tmp>/handout-module-cache-<uid>`, made with mode 0700 when missing; nil unless it is a
  /// folder (not a link) of this user's that nobody else may enter: Clang reads the modules it
  /// finds there into every notebook program, so another user's folder of that name is never used.
  static func privateFolder(in tmp: String) -> String? {
    let path = URL(fileURLWithPath: tmp).appendingPathComponent("handout-module-cache-\(geteuid())").path
    if mkdir(path, 0o700) != 0 && errno != EEXIST { return nil }
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
      info.st_mode & 0o077 == 0
    else { return nil }
    return path
  }
}
