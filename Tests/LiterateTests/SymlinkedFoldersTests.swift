import Foundation
import XCTest

@testable import Literate

/// The output folder's refusals hold whatever way a folder is named: through a symlink, through
/// a symlink to a folder the render has not made yet, through `..` after a symlink.
final class SymlinkedFoldersTests: XCTestCase {
  /// Whether `checkOutputFolder` refuses `out` with `cache`, and says the cache is why.
  func refusesCache(_ out: String, _ cache: String, in dir: URL, line: UInt = #line) {
    let notebook = dir.appendingPathComponent("nb/a.md").path
    do {
      try Publisher.checkOutputFolder(
        dir.appendingPathComponent(out).path, notebooks: [notebook],
        cache: dir.appendingPathComponent(cache).path)
      XCTFail("--out \(out) --cache \(cache) is not refused", line: line)
    } catch {
      XCTAssertTrue("\(error)".contains("would be published with the handouts"), "\(error)", line: line)
    }
  }

  /// The cache holds the solutions: through a link (to the output folder, or into it, even where
  /// nothing exists yet) it is still inside the output folder, and refused before anything runs.
  func testACacheInsideTheOutputFolderThroughASymlinkIsRefused() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write("# A\n", to: dir.appendingPathComponent("nb/a.md"))
    let fm = FileManager.default
    try fm.createDirectory(at: dir.appendingPathComponent("site"), withIntermediateDirectories: true)
    // An existing output folder, a cache not made yet behind a link to it.
    try fm.createSymbolicLink(atPath: dir.appendingPathComponent("to-site").path, withDestinationPath: "site")
    refusesCache("site", "to-site/cache", in: dir)
    // Neither made yet: the output folder behind a link, the cache named through the link's target.
    try fm.createSymbolicLink(atPath: dir.appendingPathComponent("here").path, withDestinationPath: ".")
    refusesCache("here/public", "public/cache", in: dir)
    // A link to a cache folder not made yet, inside an output folder not made yet.
    try fm.createSymbolicLink(
      atPath: dir.appendingPathComponent("cache-link").path, withDestinationPath: "later/cache")
    refusesCache("later", "cache-link", in: dir)
    // `..` after a link leaves the link's target: `to-site/../site/c` is `site/c`.
    try fm.createDirectory(at: dir.appendingPathComponent("nb/deep"), withIntermediateDirectories: true)
    try fm.createSymbolicLink(
      atPath: dir.appendingPathComponent("nb/up").path,
      withDestinationPath: dir.appendingPathComponent("site").path)
    refusesCache("site", "nb/up/../site/c", in: dir)
    // A cache beside the output folder is fine.
    XCTAssertNoThrow(
      try Publisher.checkOutputFolder(
        dir.appendingPathComponent("to-site").path, notebooks: [dir.appendingPathComponent("nb/a.md").path],
        cache: dir.appendingPathComponent("elsewhere/cache").path))
  }
}
