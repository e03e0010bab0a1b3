import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// Where the compiler's Clang modules go when the home's cache cannot be written
/// (`UnwritableHomeTests` runs the real compile): only a folder of the user's own, never one in
/// the working folder or one another user could write.
final class ModuleCacheTests: XCTestCase {
  func testTheDefaultIsUsedOnlyWhereItCanBeWritten() throws {
    let dir = try Support.temporaryDirectory(self)
    XCTAssertTrue(ModuleCache.defaultIsWritable(home: dir.path), "an empty writable home")
    XCTAssertFalse(ModuleCache.defaultIsWritable(home: dir.appendingPathComponent("missing").path))
    XCTAssertFalse(ModuleCache.defaultIsWritable(home: nil))
    XCTAssertFalse(ModuleCache.defaultIsWritable(home: "relative"))
    let file = dir.appendingPathComponent("home-file")
    try Support.write("not a folder", to: file)
    XCTAssertFalse(ModuleCache.defaultIsWritable(home: file.path), "a home that is a file")
    // A .cache that is a file: Clang cannot make its folder in it.
    let home = dir.appendingPathComponent("home")
    try Support.write("x", to: home.appendingPathComponent(".cache"))
    XCTAssertFalse(ModuleCache.defaultIsWritable(home: home.path))
  }

  func testTheFallbackIsTheUsersOwnFolderInAnAbsoluteTMPDIR() throws {
    XCTAssertEqual(ModuleCache.temporaryRoot([:]), "/tmp")
    XCTAssertEqual(ModuleCache.temporaryRoot(["TMPDIR": ""]), "/tmp")
    XCTAssertEqual(ModuleCache.temporaryRoot(["TMPDIR": "scratch"]), "/tmp")
    XCTAssertEqual(ModuleCache.temporaryRoot(["TMPDIR": "/var/tmp"]), "/var/tmp")

    let dir = try Support.temporaryDirectory(self)
    let made = try XCTUnwrap(ModuleCache.privateFolder(in: dir.path))
    XCTAssertEqual(made, dir.appendingPathComponent("handout-module-cache-\(geteuid())").path)
    var info = stat()
    XCTAssertEqual(lstat(made, &info), 0)
    XCTAssertEqual(info.st_mode & 0o777, 0o700)
    XCTAssertEqual(ModuleCache.privateFolder(in: dir.path), made, "found again")
    // Open to others, or a link to elsewhere: never used.
    chmod(made, 0o777)
    XCTAssertNil(ModuleCache.privateFolder(in: dir.path))
    rmdir(made)
    let elsewhere = dir.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    chmod(elsewhere.path, 0o700)
    symlink(elsewhere.path, made)
    XCTAssertNil(ModuleCache.privateFolder(in: dir.path))
  }
}
