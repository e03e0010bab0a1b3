import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// A render that changes nothing rewrites no file of the output folder: the index, the manifest,
/// the pages, decks, figures and assets keep their inode and modification time, so a browser or a
/// preview does not reload them and a sync (rsync) copies nothing. A change rewrites what it changes.
final class UnchangedFilesTests: XCTestCase {
  static let notebook = """
    ---
    title: Unchanged
    ---
    # Unchanged

    ```swift
    print(6 * 7)
    show(Figure(), caption: "An empty figure.")
    ```
    """

  func testARenderThatChangesNothingWritesNothing() throws {
    try assertSecondRenderWritesNothing(["--slides"])
  }

  func testASelfContainedRenderThatChangesNothingWritesNothing() throws {
    try assertSecondRenderWritesNothing(["--self-contained"])
  }

  func testAChangedTitleRewritesTheIndex() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.notebook, "unchanged.md", in: dir)
    let out = dir.appendingPathComponent("out")
    let first = try Support.handout(["render", path, "-o", out.path], in: dir)
    XCTAssertEqual(first.status, 0, first.output)
    let before = Self.stamps(under: out)
    try Support.write(
      Self.notebook.replacingOccurrences(of: "title: Unchanged", with: "title: Changed"),
      to: URL(fileURLWithPath: path))
    let second = try Support.handout(["render", path, "-o", out.path], in: dir)
    XCTAssertEqual(second.status, 0, second.output)
    XCTAssertNotEqual(Self.stamps(under: out)["index.html"], before["index.html"])
    XCTAssertTrue(try Support.text(out.appendingPathComponent("index.html")).contains("Changed"))
  }

  private func assertSecondRenderWritesNothing(
    _ flags: [String], file: StaticString = #filePath, line: UInt = #line
  )
    throws
  {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.notebook, "unchanged.md", in: dir)
    let out = dir.appendingPathComponent("out")
    let first = try Support.handout(["render", path, "-o", out.path] + flags, in: dir)
    XCTAssertEqual(first.status, 0, first.output, file: file, line: line)
    let before = Self.stamps(under: out)
    XCTAssertNotNil(before["index.html"], "\(before.keys.sorted())", file: file, line: line)
    XCTAssertNotNil(before[".handout-manifest.json"], "\(before.keys.sorted())", file: file, line: line)
    // A later second: a file written again would get a new modification time even on a coarse clock.
    usleep(1_100_000)
    let second = try Support.handout(["render", path, "-o", out.path] + flags, in: dir)
    XCTAssertEqual(second.status, 0, second.output, file: file, line: line)
    let after = Self.stamps(under: out)
    XCTAssertEqual(after.keys.sorted(), before.keys.sorted(), file: file, line: line)
    for (name, stamp) in before.sorted(by: { $0.key < $1.key }) where after[name] != stamp {
      XCTFail("\(name) was written again: \(stamp) → \(after[name] ?? "gone")", file: file, line: line)
    }
  }

  /// Every path under `root` (not following symlinks): its inode and modification time.
  static func stamps(under root: URL) -> [String: String] {
    var result: [String: String] = [:]
    func walk(_ relative: String) {
      let path = relative.isEmpty ? root.path : root.appendingPathComponent(relative).path
      var info = stat()
      guard lstat(path, &info) == 0 else { return }
      if !relative.isEmpty {
        result[relative] = "inode \(info.st_ino) mtime \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
      }
      guard info.st_mode & S_IFMT == S_IFDIR,
        let names = try? FileManager.default.contentsOfDirectory(atPath: path)
      else { return }
      for name in names { walk(relative.isEmpty ? name : relative + "/" + name) }
    }
    walk("")
    return result
  }
}
