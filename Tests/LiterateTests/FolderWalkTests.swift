import Foundation
import XCTest

@testable import Literate

/// A folder's notebooks include its subfolders' (`Pipeline.walk`): a link back up is walked once,
/// and two folders whose names differ only in how an accent is encoded are two folders.
final class FolderWalkTests: XCTestCase {
  func testALinkBackUpIsWalkedOnceAndAccentsAreBytes() throws {
    let dir = try Support.temporaryDirectory(self)
    let root = dir.appendingPathComponent("notebooks")
    for path in ["a.md", "caf\u{E9}/b.md", "cafe\u{301}/c.md", "_shared/d.md", ".git/e.md", "w/README.md"] {
      try Support.write("# x\n", to: root.appendingPathComponent(path))
    }
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("w/up").path, withDestinationPath: "..")
    let walked = Pipeline.walk(root.path)
    XCTAssertEqual(
      walked.notebooks.map { String($0.dropFirst(root.path.count + 1)) }.sorted(),
      ["a.md", "caf\u{E9}/b.md", "cafe\u{301}/c.md"].sorted())
    XCTAssertEqual(walked.notebooks.count, 3, "\(walked.notebooks)")
    XCTAssertEqual(walked.folders.count, 4, "notebooks, the two café folders and w: \(walked.folders)")
  }

  /// `handout render .` in a course's repository walks into what is not the course: a rendered
  /// folder (`output/`, whose manifest says Handout wrote it), a Python virtualenv (`venv/`, with
  /// `pyvenv.cfg`; its packages ship `*.md` files), `node_modules/`, R's `renv/` and `packrat/`.
  func testOutputFoldersVirtualenvsAndPackageFoldersAreNotCourse() throws {
    let dir = try Support.temporaryDirectory(self)
    let root = dir.appendingPathComponent("course")
    for path in [
      "a.md", "week1/b.md", "output/c.md", "output/.handout-manifest.json", "venv/pyvenv.cfg",
      "venv/lib/site-packages/x/LICENSE.md", "node_modules/y/CHANGELOG.md", "renv/z.md",
      "packrat/p.md", "env/pyvenv.cfg", "env/q.md",
    ] {
      try Support.write("# x\n", to: root.appendingPathComponent(path))
    }
    let walked = Pipeline.walk(root.path)
    XCTAssertEqual(
      walked.notebooks.map { String($0.dropFirst(root.path.count + 1)) }, ["a.md", "week1/b.md"])
    XCTAssertEqual(walked.folders.count, 2, "the course and week1: \(walked.folders)")
  }
}
