import Foundation
import XCTest

@testable import Literate

/// A run is keyed on every file it read beside the notebook or its data, not only on those it
/// named through `dataFile(_:)`: a path built from a data file's folder was read without a record,
/// and an edit of that file replayed the stale run from the cache (a page showing what a fresh
/// run no longer gives).
final class UndeclaredReadsTests: XCTestCase {
  func run(_ path: String, _ options: RunOptions) throws -> RunResult {
    try Runner.run(try Notebook.load(path: path), options: options).result
  }

  func testAFileBesideADataFileIsAnInputOfTheRun() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(
      """
      ```swift
      let a = dataFile("a.txt")
      let b = a.deletingLastPathComponent().appendingPathComponent("b.txt")
      print(try String(contentsOf: a, encoding: .utf8), try String(contentsOf: b, encoding: .utf8))
      let figure = Figure(width: 200, height: 100)
      figure.axes.line(x: [0, 1], y: [0, 1])
      show(figure)
      ```
      """, "nb.md", in: dir)
    try Support.write("A", to: dir.appendingPathComponent("a.txt"))
    try Support.write("B1", to: dir.appendingPathComponent("b.txt"))
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "A B1\n")
    XCTAssertTrue(
      try run(path, options).cached, "a run that read a file beside its data is cached all the same")

    try Support.write("B2", to: dir.appendingPathComponent("b.txt"))
    let edited = try run(path, options)
    XCTAssertFalse(edited.cached, "the edit of b.txt replayed the stale run")
    XCTAssertEqual(edited.blocks[0]?.text, "A B2\n")
  }

  /// `../data/a.csv` through `dataFile`, its neighbour through the C library's `fopen`.
  func testAFileBesideADataFileAboveTheNotebookIsAnInputToo() throws {
    let course = try Support.temporaryDirectory(self)
    let notebooks = course.appendingPathComponent("notebooks")
    let data = course.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    let path = try Support.write(
      """
      ```swift
      let folder = dataFile("../data/a.csv").deletingLastPathComponent()
      let file = fopen(folder.appendingPathComponent("b.csv").path, "r")!
      var bytes = [CChar](repeating: 0, count: 16)
      fgets(&bytes, 16, file)
      fclose(file)
      print(String(cString: bytes))
      ```
      """, "nb.md", in: notebooks)
    try Support.write("1\n", to: data.appendingPathComponent("a.csv"))
    try Support.write("2\n", to: data.appendingPathComponent("b.csv"))
    let options = try Support.options(cache: course.appendingPathComponent("cache"))
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "2\n\n")
    XCTAssertTrue(try run(path, options).cached)
    try Support.write("3\n", to: data.appendingPathComponent("b.csv"))
    XCTAssertEqual(
      try run(path, options).blocks[0]?.text, "3\n\n", "the edit of ../data/b.csv replayed the stale run")
  }
}

/// Which opened files count: those beside the notebook or a `dataFile`, compared by their bytes,
/// not those of the run's own folders nor the machine's.
final class OpenedFilesTests: XCTestCase {
  func testOnlyFilesBesideTheNotebookOrItsDataCount() {
    let kept = OpenedFiles.inputs(
      [
        "/c/notebooks/b.txt", "/c/notebooks/sub/../c.txt", "/c/data/b.csv", "/c/notebooks-old/x.txt",
        "/etc/fonts/fonts.conf", "/tmp/run/work/a.csv", "/c/notebooks/cache/prog", "/c/other/y.txt",
        "/c/notebooks/caf\u{E9}.txt",
      ],
      notebookFolder: "/c/notebooks", declared: ["/c/data/a.csv"],
      excluded: [URL(fileURLWithPath: "/tmp/run"), URL(fileURLWithPath: "/c/notebooks/cache")])
    XCTAssertEqual(
      kept, ["/c/notebooks/b.txt", "/c/notebooks/c.txt", "/c/data/b.csv", "/c/notebooks/caf\u{E9}.txt"])
    // A folder whose name differs only in how its accent is encoded is another folder.
    XCTAssertEqual(
      OpenedFiles.inputs(
        ["/c/cafe\u{301}/x.txt"], notebookFolder: "/c/caf\u{E9}", declared: [], excluded: []), [])
  }
}

/// A file written beside the notebook is not written again by a cached run, and what a notebook
/// reading it shows depends on which notebook ran first: a warning at the block that wrote it.
final class WrittenBesideTests: XCTestCase {
  func testAFileWrittenBesideTheNotebookIsAWarningAtItsBlock() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # Weights

      ```swift
      let here = dataFile("nb.md").deletingLastPathComponent()
      try "0.5".write(to: here.appendingPathComponent("atomic.txt"), atomically: true, encoding: .utf8)
      ```

      ```swift
      try "0.5".write(to: here.appendingPathComponent("plain.txt"), atomically: false, encoding: .utf8)
      try "0.5".write(
        to: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mine.txt"),
        atomically: true, encoding: .utf8)
      ```
      """
    let path = try Support.write(source, "nb.md", in: dir)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    for round in ["fresh", "cached"] {
      let run = try Runner.run(try Notebook.load(path: path), options: options).result
      XCTAssertEqual(run.cached, round == "cached")
      XCTAssertEqual(
        run.diagnostics.filter { $0.severity == .warning }.map {
          "\($0.location?.line ?? 0) \($0.message.prefix { $0 != ":" })"
        },
        [
          "3 the code wrote atomic.txt beside the notebook", "8 the code wrote plain.txt beside the notebook",
        ], round)
    }
  }
}
