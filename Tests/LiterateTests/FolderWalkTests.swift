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
}
