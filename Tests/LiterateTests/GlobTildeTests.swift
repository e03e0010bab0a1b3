import Foundation
import XCTest

@testable import Literate

/// A `glob` pattern starting with `~name/` (`GLOB_TILDE`) lists a folder of that user's home, a
/// folder elsewhere but the machine's; the runtime recorded the pattern's folder as written
/// (`~root/data`, taken relative to the program's own folder), so a file added there was not seen
/// and the stale count was replayed from the cache.
final class GlobTildeTests: XCTestCase {
  func testATildePatternListsTheUsersFolder() throws {
    guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name, let home = entry.pointee.pw_dir
    else { throw XCTSkip("no passwd entry") }
    let user = String(cString: name)
    let homeFolder = URL(fileURLWithPath: String(cString: home))
    let folderName = ".handout-test-\(UUID().uuidString)"
    let data = homeFolder.appendingPathComponent(folderName)
    do {
      try Support.write("A", to: data.appendingPathComponent("a.txt"))
    } catch {
      throw XCTSkip("the home folder cannot be written: \(error)")
    }
    addTeardownBlock { try? FileManager.default.removeItem(at: data) }
    guard OpenedFiles.machineFolders.allSatisfy({ !data.path.hasPrefix($0) }) else {
      throw XCTSkip("the home folder is a machine folder")
    }
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(
      """
      ```swift
      import Glibc
      var matches = glob_t()
      _ = glob("~\(user)/\(folderName)/*.txt", GLOB_TILDE, nil, &matches)
      print(matches.gl_pathc)
      globfree(&matches)
      ```

      """, "nb.md", in: dir)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    func run() throws -> RunResult { try Runner.run(try Notebook.load(path: path), options: options).result }
    XCTAssertEqual(try run().blocks[0]?.text, "1\n")
    XCTAssertTrue(try run().cached, "an unchanged folder is a hit")
    try Support.write("B", to: data.appendingPathComponent("b.txt"))
    let again = try run()
    XCTAssertFalse(again.cached, "a file added to ~\(user)/\(folderName) replayed the stale count")
    XCTAssertEqual(again.blocks[0]?.text, "2\n")
  }
}
