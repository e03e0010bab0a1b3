import XCTest

@testable import Literate

/// A cached run is reused only while every file it read is what it was: edits that keep a file's
/// size and modification time are edits too.
final class StaleInputsTests: XCTestCase {
  func setUp(_ source: String) throws -> (dir: URL, path: String, options: RunOptions) {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "nb.md", in: dir)
    return (dir, path, try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  func run(_ path: String, _ options: RunOptions) throws -> RunResult {
    try Runner.run(try Notebook.load(path: path), options: options).result
  }

  /// Sets the modification time of `url` to 2024-01-01.
  func age(_ url: URL) throws {
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 1_704_067_200)], ofItemAtPath: url.path)
  }

  /// Two versions of a data file of one size, unpacked from one archive (one modification time):
  /// moving the second over the first, or rewriting the file and putting its time back, must run
  /// the notebook again, not replay the first version's output.
  func testADataFileReplacedWithTheSameSizeAndTimeRunsAgain() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift
      print(try String(contentsOf: dataFile("v.csv"), encoding: .utf8), terminator: "")
      ```
      """)
    let file = dir.appendingPathComponent("v.csv")
    let second = dir.appendingPathComponent("v2.csv")
    try Support.write("1.5\n", to: file)
    try Support.write("2.5\n", to: second)
    try age(file)
    try age(second)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "1.5\n")
    XCTAssertTrue(try run(path, options).cached)

    XCTAssertEqual(rename(second.path, file.path), 0)
    let moved = try run(path, options)
    XCTAssertFalse(moved.cached, "the first version's run replayed")
    XCTAssertEqual(moved.blocks[0]?.text, "2.5\n")

    let handle = try FileHandle(forWritingTo: file)
    try handle.write(contentsOf: Data("3.5\n".utf8))
    try handle.close()
    try age(file)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "3.5\n", "a rewrite with its time put back")
    XCTAssertTrue(try run(path, options).cached, "an untouched file is still a hit")
  }
}
