import XCTest

@testable import Literate

/// The notebook program's `argv[0]` is the notebook's name: it was the binary's path in the cache's
/// scratch folder (`/…/.handout-cache/tmp-<pid>-<uuid>/program`), so a page printing
/// `CommandLine.arguments` showed the machine's cache folder and a random name, and a cached run
/// replayed another run's.
final class ProgramNameTests: XCTestCase {
  func testTheProgramIsNamedAsTheNotebook() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = "# Name\n\n```swift\nprint(CommandLine.arguments)\n```\n"
    let (_, run) = try Support.run(
      source, path: dir.appendingPathComponent("lecture 1.md").path,
      options: try Support.options(cache: dir.appendingPathComponent("cache")))
    XCTAssertEqual(run.blocks[0]?.text, "[\"lecture 1\"]\n")
  }
}
