import Foundation
import XCTest

@testable import Literate

/// Listings the runtime did not see, and one that changed while the program ran. glibc's `glob`,
/// `ftw` and `fdopendir` list a folder through the C library's own inner calls, not through the
/// `opendir` the runtime stands in for: a program that counted the files of `data/` replayed the old
/// count from the cache after a file was added. And a listing is recorded after the run: a folder
/// that changed while the program ran keyed the run on the new names with output from the old.
final class UnseenListingsTests: XCTestCase {
  func run(_ path: String, _ options: RunOptions) throws -> RunResult {
    try Runner.run(try Notebook.load(path: path), options: options).result
  }

  /// A notebook in `dir` whose code is `code` (after `import Glibc` and `folder`, the path of
  /// `data/`), with `data/a.txt`; its options.
  func notebook(_ code: String, in dir: URL) throws -> (String, RunOptions) {
    let source = """
      ```swift
      import Glibc
      let folder = dataFile("data/a.txt").deletingLastPathComponent().path
      \(code)
      ```

      """
    let path = try Support.write(source, "nb.md", in: dir)
    try Support.write("A", to: dir.appendingPathComponent("data/a.txt"))
    return (path, try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  /// Runs `code` (which prints how many `.txt` files `data/` holds), adds `data/c.txt` and runs it
  /// again: the second run must not be the first's replay.
  func assertAFileAddedIsSeen(_ code: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook(code, in: dir)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "1\n", file: file, line: line)
    XCTAssertTrue(try run(path, options).cached, "an unchanged folder is a hit", file: file, line: line)
    try Support.write("C", to: dir.appendingPathComponent("data/c.txt"))
    let again = try run(path, options)
    XCTAssertFalse(again.cached, "c.txt was added, and the cached count was replayed", file: file, line: line)
    XCTAssertEqual(again.blocks[0]?.text, "2\n", file: file, line: line)
  }

  func testGlob() throws {
    try assertAFileAddedIsSeen(
      """
      var matches = glob_t()
      _ = glob(folder + "/*.txt", 0, nil, &matches)
      print(matches.gl_pathc)
      globfree(&matches)
      """)
  }

  func testGlobOfAFolderPattern() throws {
    try assertAFileAddedIsSeen(
      """
      var matches = glob_t()
      _ = glob(folder + "/../d*/*.txt", 0, nil, &matches)
      print(matches.gl_pathc)
      globfree(&matches)
      """)
  }

  func testFdopendir() throws {
    try assertAFileAddedIsSeen(
      """
      let fd = open(folder, O_RDONLY | O_DIRECTORY)
      let listing = fdopendir(fd)!
      var count = 0
      while let entry = readdir(listing) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name.hasSuffix(".txt") { count += 1 }
      }
      closedir(listing)
      print(count)
      """)
  }

  /// (`nftw` and `scandirat` are not in Swift's Glibc module; C code may call them, and the runtime
  /// records them as it does `ftw`.)
  func testFtw() throws {
    try assertAFileAddedIsSeen(
      """
      nonisolated(unsafe) var found = 0
      _ = ftw(folder, { path, _, _ in
        if String(cString: path!).hasSuffix(".txt") { found += 1 }
        return 0
      }, 8)
      print(found)
      """)
  }

  /// The program lists `data/`, then a file appears there before the run ends (here the program
  /// makes it; another process would do the same): the listing taken after the run holds it, the
  /// output does not. Such a run is not cached.
  func testAListingThatChangedWhileTheProgramRanIsNotCached() throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook(
      """
      print(try FileManager.default.contentsOfDirectory(atPath: folder).sorted())
      let b = folder + "/b.txt"
      if !FileManager.default.fileExists(atPath: b) { FileManager.default.createFile(atPath: b, contents: Data("B".utf8)) }
      """, in: dir)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "[\"a.txt\"]\n")
    let again = try run(path, options)
    XCTAssertFalse(again.cached, "the listing recorded after the run had b.txt, the output did not")
    XCTAssertEqual(again.blocks[0]?.text, "[\"a.txt\", \"b.txt\"]\n")
    XCTAssertTrue(
      try run(path, options).cached, "a folder that did not change while the program ran is a hit")
  }

  /// A look and a listing by a path elsewhere than beside the notebook (`~/datasets`, the folder
  /// beside the course) key the run as a read there does: a program that found no `big.csv` there
  /// and said so replayed that after the file was made.
  func testALookAndAListingElsewhereAreInputs() throws {
    let dir = try Support.temporaryDirectory(self)
    let datasets = dir.appendingPathComponent("datasets")
    try Support.write("1", to: datasets.appendingPathComponent("small.csv"))
    let source = """
      ```swift
      import Foundation
      print(FileManager.default.fileExists(atPath: "\(datasets.path)/big.csv"))
      print(try FileManager.default.contentsOfDirectory(atPath: "\(datasets.path)").count)
      ```

      """
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let path = try Support.write(source, "nb.md", in: notebooks)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "false\n1\n")
    XCTAssertTrue(try run(path, options).cached)
    try Support.write("2", to: datasets.appendingPathComponent("big.csv"))
    let again = try run(path, options)
    XCTAssertFalse(again.cached, "big.csv was made elsewhere, and the cached 'false' was replayed")
    XCTAssertEqual(again.blocks[0]?.text, "true\n2\n")
    XCTAssertTrue(try run(path, options).cached)
  }
}
