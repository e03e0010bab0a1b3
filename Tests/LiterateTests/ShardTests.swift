import XCTest

@testable import Literate

/// `handout check --shard K/N`, through the built executable: every notebook in exactly one shard,
/// the split by file name whatever the folders, a JUnit file per shard, bad shards rejected.
final class ShardTests: XCTestCase {
  func handout(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
    try Support.handout(arguments, in: dir)
  }

  /// The notebook names a check's output reports as passed.
  func passed(_ output: String) -> Set<String> {
    Set(
      output.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("ok "), let colon = line.firstIndex(of: ":") else { return nil }
        return line[line.index(line.startIndex, offsetBy: 3)..<colon].trimmingCharacters(in: .whitespaces)
      })
  }

  func testShardsSplitTheNotebooksByNameExactlyOnce() throws {
    let dir = try Support.temporaryDirectory(self)
    // Two folders, names out of order: the split goes by file name (a c e | b d), not by folder.
    for (folder, names) in [("one", ["e", "b"]), ("two", ["c", "a", "d"])] {
      let url = dir.appendingPathComponent(folder)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      for name in names {
        try "# \(name)\n\nProse only.\n".write(
          to: url.appendingPathComponent("\(name).md"), atomically: true, encoding: .utf8)
      }
    }
    let first = try handout(["check", "one", "two", "--shard", "1/2", "--junit", "shard-1.xml"], in: dir)
    let second = try handout(["check", "two", "one", "--shard", "2/2", "--junit", "shard-2.xml"], in: dir)
    XCTAssertEqual(first.status, 0, first.output)
    XCTAssertEqual(second.status, 0, second.output)
    XCTAssertEqual(passed(first.output), ["one/e.md", "two/a.md", "two/c.md"], first.output)
    XCTAssertEqual(passed(second.output), ["one/b.md", "two/d.md"], second.output)
    let junit1 = try String(contentsOf: dir.appendingPathComponent("shard-1.xml"), encoding: .utf8)
    let junit2 = try String(contentsOf: dir.appendingPathComponent("shard-2.xml"), encoding: .utf8)
    XCTAssertTrue(junit1.contains("a.md") && !junit1.contains("b.md"), junit1)
    XCTAssertTrue(junit2.contains("b.md") && !junit2.contains("a.md"), junit2)

    // More shards than notebooks: an empty shard passes (a CI matrix may be wider than the course).
    let empty = try handout(["check", "one", "two", "--shard", "6/6"], in: dir)
    XCTAssertEqual(empty.status, 0, empty.output)
    XCTAssertEqual(passed(empty.output), [])

    for bad in ["0/2", "3/2", "1/0", "x", "1/2/3"] {
      let run = try handout(["check", "one", "--shard", bad], in: dir)
      XCTAssertNotEqual(run.status, 0, "--shard \(bad): \(run.output)")
      XCTAssertNotEqual(run.status, 1, "--shard \(bad) is a usage error, not a failed check")
    }
  }
}
