import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// A folder `handout` cannot make or write (`new X`, `render --out X`, `--cache X`) is said in a
/// sentence naming the path and why: a file or a symbolic link to nothing in the way, a read-only
/// file system, no permission. `new afile` said "The operation could not be completed.
/// (NSCocoaErrorDomain error 512.)", and `--out`/`--cache` the same behind their path.
final class FileErrorMessageTests: XCTestCase {
  /// A folder holding `afile` (a file), `dangling` (a link to nothing), `locked` (mode 0555) and
  /// `nb/t.md`, a notebook with code (so that the cache is used).
  func scene() throws -> URL {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try Data("hi\n".utf8).write(to: dir.appendingPathComponent("afile"))
    try FileManager.default.createSymbolicLink(
      atPath: dir.appendingPathComponent("dangling").path, withDestinationPath: "/nonexistent/x")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("locked"), withIntermediateDirectories: false,
      attributes: [.posixPermissions: 0o555])
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    try Data("# T\n\n```swift\nprint(1)\n```\n".utf8).write(to: dir.appendingPathComponent("nb/t.md"))
    return dir
  }

  /// `handout arguments` in `dir`, through `HandoutCLI.asAUser`.
  func handout(_ arguments: [String], in dir: URL) throws -> HandoutCLI.Result {
    let wrapper = HandoutCLI.asAUser
    guard !wrapper.isEmpty else { return try HandoutCLI.run(arguments, in: dir) }
    let exe = try HandoutCLI.buildDirectory().appendingPathComponent("handout").path
    return try HandoutCLI.run(arguments, in: dir) { process in
      process.executableURL = URL(fileURLWithPath: wrapper[0])
      process.arguments = wrapper.dropFirst() + [exe] + arguments
    }
  }

  /// A read-only tmpfs in `dir` (needs root, as the other read-only folder tests), unmounted at the end.
  func readOnlyMount(in dir: URL) throws -> URL {
    let point = dir.appendingPathComponent("rom")
    try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
    let mounted = try Tool.run(
      "/bin/mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", point.path], in: dir)
    guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs (not root?): \(mounted.output)") }
    addTeardownBlock { _ = try? Tool.run("/bin/umount", [point.path], in: dir) }
    return point
  }

  /// Never a Cocoa error's words or code.
  func assertPlain(_ text: String, line: UInt = #line) {
    for cocoa in ["NSCocoaErrorDomain", "could not be completed", "couldn’t be completed", "Code="] {
      XCTAssertFalse(text.contains(cocoa), text, line: line)
    }
  }

  func testNewWhereAFileOrALinkToNothingStandsSaysWhichAndWhatToDo() throws {
    let dir = try scene()
    for (folder, blocker) in [
      ("afile", "afile is a file, not a folder"), ("afile/sub", "afile is a file, not a folder"),
      ("dangling", "dangling is a symbolic link to /nonexistent/x, which does not exist"),
      ("dangling/sub", "dangling is a symbolic link to /nonexistent/x, which does not exist"),
    ] {
      let made = try handout(["new", folder], in: dir)
      XCTAssertEqual(made.status, 2, folder)
      XCTAssertEqual(
        made.stderr, "error: cannot make the course folder \(folder): \(blocker); name a new folder\n")
      assertPlain(made.stderr)
    }
    XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("afile"), encoding: .utf8), "hi\n")
  }

  func testNewWhereTheSystemRefusesSaysWhy() throws {
    let dir = try scene()
    let rom = try readOnlyMount(in: dir)
    for (folder, reason) in [("rom/course", "Read-only file system"), ("locked/course", "Permission denied")]
    {
      let made = try handout(["new", folder], in: dir)
      XCTAssertEqual(made.status, 2, folder)
      XCTAssertEqual(
        made.stderr,
        "error: cannot write the course into \(folder): \(reason); name a folder that can be written\n")
      assertPlain(made.stderr)
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: rom.path), [])
  }

  /// `render --out X` and `render --cache X`, for each X that cannot be a folder Handout writes.
  func testRenderIntoAnOutputOrCacheFolderThatCannotBeWrittenSaysWhy() throws {
    let dir = try scene()
    _ = try readOnlyMount(in: dir)
    let path = dir.path
    let cases = [
      ("afile", "\(path)/afile is a file, not a folder"),
      ("afile/sub", "\(path)/afile is a file, not a folder"),
      ("dangling", "\(path)/dangling is a symbolic link to /nonexistent/x, which does not exist"),
      ("rom", "Read-only file system"), ("rom/sub", "Read-only file system"),
      ("locked/sub", "Permission denied"),
    ]
    for (folder, reason) in cases {
      let out = try handout(["render", "nb", "--out", folder], in: dir)
      XCTAssertEqual(out.status, 2, "--out \(folder): \(out.stderr)")
      XCTAssertTrue(
        out.stderr.contains(
          "error: cannot write \(path)/\(folder): \(reason) (the previous handout is unchanged)\n"),
        "--out \(folder): \(out.stderr)")
      assertPlain(out.stderr)
      let cache = try handout(["render", "nb", "--out", "out", "--cache", folder], in: dir)
      XCTAssertEqual(cache.status, 1, "--cache \(folder): \(cache)")
      XCTAssertTrue(
        (cache.stdout + cache.stderr).contains(
          "error: cannot write \(path)/\(folder): cannot create the cache folder: \(reason)"),
        "--cache \(folder): \(cache)")
      assertPlain(cache.stdout + cache.stderr)
    }
  }
}
