import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// A user whose home folder cannot be written compiles notebooks all the same. The compiler keeps
/// Clang's modules in `~/.cache/clang/ModuleCache` of the passwd entry's home (it is given no
/// `HOME`): under a read-only home every compile failed ("could not build C module 'SwiftShims'"),
/// and a user without a passwd entry (`docker run --user 1234`) had Clang's implicit modules turned
/// off ("module 'SwiftShims' is needed but has not been provided"). Each test runs the real compile
/// in a user namespace (`unshare`), where such a home can be made without root.
final class UnwritableHomeTests: XCTestCase {
  /// The passwd home is an empty read-only folder (a bind mount in a mount namespace of its own).
  func testANotebookCompilesUnderAReadOnlyHome() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    guard let home = Self.passwdHome() else { throw XCTSkip("no passwd entry for this user") }
    let empty = dir.appendingPathComponent("empty-home")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let script = "mount --bind \"$1\" \"$2\" && mount -o remount,bind,ro \"$2\" && shift 2 && exec \"$@\""
    try renderAndCheck(
      in: dir, through: ["--map-current-user", "--mount", "/bin/sh", "-c", script, "sh", empty.path, home])
  }

  /// The user has no passwd entry (an id nobody named, as in a container run with `--user`).
  func testANotebookCompilesForAUserWithoutAPasswdEntry() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let id = "54321"
    guard getpwuid(54321) == nil else { throw XCTSkip("user \(id) has a passwd entry here") }
    try renderAndCheck(in: dir, through: ["--map-user=\(id)", "--map-group=\(id)"], uid: id)
  }

  /// Renders a notebook with a fresh compile through `unshare prefix… handout …`; the page holds
  /// the program's output, nothing alarming is said, and the fallback module cache is the user's
  /// own folder in `TMPDIR` (named by `uid`, the user's id in the namespace), mode 0700.
  private func renderAndCheck(in dir: URL, through prefix: [String], uid: String = "\(geteuid())") throws {
    let probe = try Tool.run("/usr/bin/unshare", prefix.prefix(2) + ["true"], in: dir)
    guard probe.status == 0 else { throw XCTSkip("user namespaces are refused here: \(probe.output)") }
    let tmp = dir.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    try "# H\n\n```swift\nprint(\"home \\(6 * 7)\")\n```\n".write(
      to: dir.appendingPathComponent("h.md"), atomically: true, encoding: .utf8)
    let result = try HandoutCLI.run(["render", "h.md", "-o", "out", "--fresh"], in: dir) { process in
      let handout = process.executableURL?.path ?? "handout"
      process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
      process.arguments = prefix + [handout] + (process.arguments ?? [])
      process.environment?["TMPDIR"] = tmp.path
    }
    XCTAssertEqual(result.status, 0, result.stderr)
    let page = try? String(contentsOf: dir.appendingPathComponent("out/h.html"), encoding: .utf8)
    XCTAssertTrue(page?.contains("home 42") == true, result.stderr)
    for alarming in ["error", "warning", "module", "SwiftShims"] {
      XCTAssertFalse(result.stderr.localizedCaseInsensitiveContains(alarming), result.stderr)
    }
    var info = stat()
    let cache = tmp.appendingPathComponent("handout-module-cache-\(uid)")
    XCTAssertEqual(lstat(cache.path, &info), 0, "no module cache in TMPDIR")
    XCTAssertEqual(info.st_mode & 0o7777, 0o700)
    let modules =
      (try? FileManager.default.contentsOfDirectory(atPath: cache.path + "/clang/ModuleCache")) ?? []
    XCTAssertFalse(modules.isEmpty, "Clang kept no module there")
  }

  static func passwdHome() -> String? {
    guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return nil }
    return String(cString: dir)
  }
}
