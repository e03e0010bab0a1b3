import Foundation
import XCTest

@testable import Literate

/// File systems whose times have whole seconds (ext2/ext3 with small inodes, HFS+; FAT has two):
/// a data file rewritten at the same size within the second it was recorded in kept its size,
/// times and inode, and the cache took it for unchanged (the stale run replayed); a file written
/// while the program ran, in the second the run started, had a time before the start and the run
/// was cached with content the program may not have read. Needs a loop-mounted ext2 (root):
/// skipped where that cannot be made.
final class CoarseTimesTests: XCTestCase {
  /// A folder on a fresh ext2 with 1-second times, unmounted at the end of the test.
  func coarseFolder() throws -> URL {
    let dir = try Support.temporaryDirectory(self)
    let image = dir.appendingPathComponent("fs.img").path
    let mount = dir.appendingPathComponent("mnt")
    try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
    func run(_ arguments: [String]) -> Bool {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = arguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      guard (try? process.run()) != nil else { return false }
      process.waitUntilExit()
      return process.terminationStatus == 0
    }
    guard getuid() == 0, run(["truncate", "-s", "4M", image]),
      run(["PATH=/usr/sbin:/sbin:/usr/bin:/bin", "mkfs.ext2", "-q", "-F", "-I", "128", image]),
      run(["mount", "-o", "loop", image, mount.path])
    else { throw XCTSkip("no loop-mounted ext2 here (needs root and a loop device)") }
    addTeardownBlock { _ = run(["umount", mount.path]) }
    return mount
  }

  func testARewriteAtTheSameSizeInTheRecordedSecondIsSeen() throws {
    let file = try coarseFolder().appendingPathComponent("a.csv").path
    try "A1".write(toFile: file, atomically: false, encoding: .utf8)
    let input = try XCTUnwrap(DataInput(path: file, in: nil))
    XCTAssertTrue(input.isCurrent(in: nil))
    // In place (same inode), same size: on this file system the same times within the second.
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: file))
    try handle.write(contentsOf: Data("A2".utf8))
    try handle.close()
    XCTAssertFalse(input.isCurrent(in: nil), "a rewrite in the recorded second was taken for the old content")
  }

  func testAFileWrittenInTheSecondTheRunStartedIsNotCached() throws {
    let file = try coarseFolder().appendingPathComponent("a.csv").path
    let start = Date()
    try "A1".write(toFile: file, atomically: false, encoding: .utf8)
    XCTAssertNil(
      DataInputs.record([file], notChangedSince: start),
      "a file written after the run started (its time rounded down to the second) was recorded")
  }
}
