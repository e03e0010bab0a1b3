import XCTest

@testable import Literate

/// A page never says where the course is checked out. `dataFile(_:)` gives the file's absolute
/// URL in the notebook's folder, and code that printed it (`print(url.path)`, an error's
/// `NSFilePath=`) put the machine's path on the page: `/home/ann/course/notebooks/points.csv` on
/// one machine, `/tmp/ci-clone/notebooks/points.csv` in CI, another page for the same notebook.
/// What the code prints names the notebook's folder as `.` and its files by their relative names,
/// as it names the private folder the code runs in.
final class NotebookFolderPathTests: XCTestCase {
  func testPathsInTheNotebooksFolderAreSaidRelativeToIt() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("course/notebooks", isDirectory: true)
    let data = dir.appendingPathComponent("course/data", isDirectory: true)
    let other = dir.appendingPathComponent("course/notebooks-old", isDirectory: true)
    for folder in [notebooks, data, other] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    try "a".write(to: notebooks.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
    try "w".write(to: data.appendingPathComponent("w.txt"), atomically: true, encoding: .utf8)
    let path = try Support.write(
      """
      ---
      data: [../data/*.txt]
      ---
      ```swift
      print(dataFile("a.txt").path)
      print(dataFile(".").path)
      print(dataFile("../data/w.txt").path)
      print(dataFile("../notebooks-old/x.txt").path)
      do {
        _ = try String(contentsOf: dataFile("missing.txt"), encoding: .utf8)
      } catch {
        print((error as NSError).userInfo[NSFilePathErrorKey] ?? "no path")
      }
      ```
      """, "nb.md", in: notebooks)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    let run = try Runner.run(try Notebook.load(path: path), options: options).result
    XCTAssertEqual(run.blocks[0]?.text, "a.txt\n.\n../data/w.txt\n../notebooks-old/x.txt\nmissing.txt\n")
    XCTAssertFalse(run.blocks[0]?.text.contains(dir.path) ?? true)
  }
}
