// The system's reason for a failed file operation, as a person reads it: never a Cocoa error code.
//
// On Linux, Foundation's errors print as `The operation could not be completed. (NSCocoaErrorDomain
// error 512.)` for a folder that cannot be made because a file stands in its path: no path, no
// cause. Under most of them lies the POSIX error (`NSUnderlyingErrorKey`), whose text is the
// system's (`Not a directory`); and where a file or a symbolic link to nothing stands in the way,
// the reason names it.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension FileError {
  /// What went wrong with `error`, an error of a file operation on `path`, in words: the path
  /// that stands in the way when one does (`/x/afile is a file, not a folder`, `/x/link is a
  /// symbolic link to /gone, which does not exist`), else the system's text for the POSIX error
  /// under it (`Read-only file system`), else Foundation's own sentence without its code.
  public static func reason(of error: Error, at path: String? = nil) -> String {
    switch error {
    case let error as FileError: return error.reason
    case HandoutError.file(let error): return error.reason
    default: break
    }
    let code = posixCode(of: error)
    // What stands in the way, when something does: for a code that says so, or none at all.
    if let path, code.map({ [ENOTDIR, EEXIST, ENOENT].contains($0) }) ?? true, let blocker = blocker(in: path)
    {
      return blocker
    }
    if let code { return String(cString: strerror(code)) }
    var text = (error as NSError).localizedDescription
    for noise in ["The operation could not be completed. ", "The operation couldn’t be completed. "]
    where text.hasPrefix(noise) {
      text.removeFirst(noise.count)
    }
    return text.contains("NSCocoaErrorDomain") || text.isEmpty ? "the system refused it" : text
  }

  /// The POSIX error number under `error`: its own (a POSIX error), the one Foundation wrapped,
  /// or the one a Cocoa file error code stands for; nil when there is none.
  static func posixCode(of error: Error) -> Int32? {
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error, let code = posixCode(of: underlying) {
      return code
    }
    guard ns.domain == NSCocoaErrorDomain else { return nil }
    switch CocoaError.Code(rawValue: ns.code) {
    case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
    case .fileWriteFileExists: return EEXIST
    case .fileReadNoPermission, .fileWriteNoPermission: return EACCES
    case .fileWriteVolumeReadOnly: return EROFS
    case .fileWriteOutOfSpace: return ENOSPC
    default: return nil
    }
  }

  /// The first entry of `path` (a prefix of it, or the path itself) that exists but is not a
  /// folder, said as what it is; nil when there is none (`path` itself may be a folder).
  public static func blocker(in path: String) -> String? {
    // Each entry as the path names it (relative when it is), so the reason says what was typed.
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      prefix = prefix == "." ? String(component) : prefix + "/" + component
      var info = stat()
      guard lstat(prefix, &info) == 0 else { return nil }
      if info.st_mode & S_IFMT == S_IFLNK {
        var target = stat()
        guard stat(prefix, &target) == 0 else {
          let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: prefix)) ?? "?"
          return "\(prefix) is a symbolic link to \(destination), which does not exist"
        }
        info = target
      }
      if info.st_mode & S_IFMT != S_IFDIR { return "\(prefix) is \(kind(info.st_mode)), not a folder" }
    }
    return nil
  }

  /// `a file`, `a FIFO`, … for a `stat` mode that is not a folder's.
  private static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: "a file"
    case S_IFIFO: "a FIFO"
    case S_IFSOCK: "a socket"
    case S_IFCHR, S_IFBLK: "a device"
    default: "something else"
    }
  }
}
