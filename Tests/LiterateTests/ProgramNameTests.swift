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

  /// What else names the executable (Foundation reads `/proc/self/exe`, not `argv[0]`) says the
  /// notebook's name in `.`, as if it had been built beside the notebook: the program runs through
  /// a link named as the notebook, and its path is said so. It said the cache's scratch folder.
  func testWhatNamesTheExecutableSaysTheNotebooksNameNotTheCache() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # Name

      ```swift
      import Foundation
      print(ProcessInfo.processInfo.arguments, ProcessInfo.processInfo.processName)
      print(Bundle.main.bundlePath, Bundle.main.executablePath ?? "-")
      print((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "-")
      ```

      """
    let cache = dir.appendingPathComponent("cache")
    let (_, run) = try Support.run(
      source, path: dir.appendingPathComponent("lecture 1.md").path,
      options: try Support.options(cache: cache))
    XCTAssertEqual(run.blocks[0]?.text, "[\"lecture 1\"] lecture 1\n. lecture 1\nlecture 1\n")
    // The link went with the run.
    let left = try FileManager.default.subpathsOfDirectory(atPath: cache.path).filter { $0.hasSuffix("/run") }
    XCTAssertEqual(left, [])
  }
}
