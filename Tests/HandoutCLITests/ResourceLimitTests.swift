import Foundation
import XCTest

/// Limits of the shell `handout` runs in (`ulimit -n`, `ulimit -f`) and a standard error that
/// cannot be written: one clear line each, never a trap of `handout` nor a compiler's backtrace.
final class ResourceLimitTests: XCTestCase {
  /// A course of one notebook, `notebooks/a.md` (by default one that prints `A 1`), in a fresh
  /// folder, with a cache of its own (so it compiles).
  func course(_ notebook: String = "# A\n\n```swift\nprint(\"A\", 1)\n```\n") throws -> URL {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("notebooks"), withIntermediateDirectories: true)
    try notebook.write(to: dir.appendingPathComponent("notebooks/a.md"), atomically: true, encoding: .utf8)
    return dir
  }

  /// Runs `handout arguments` through `bash -c "<limits> && exec handout …"` in `dir`, its cache
  /// in `dir/cache`, its stdout and stderr together through a pipe (which no limit cuts short).
  func handout(_ arguments: [String], limits: String, in dir: URL) throws -> (
    reason: Process.TerminationReason, status: Int32, output: String
  ) {
    let process = try HandoutCLI.process([], in: dir)
    let handout = try XCTUnwrap(process.executableURL).path
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", "\(limits) && exec \"$0\" \"$@\"", handout] + arguments
    process.environment?["HANDOUT_CACHE"] = dir.appendingPathComponent("cache").path
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationReason, process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// `handout render 2>log` on a full disk: `FileHandle.write` trapped on the failed write of the
  /// first progress line (SIGILL, mid-render). The render goes on and writes its handouts.
  func testAStandardErrorThatCannotBeWrittenIsNoTrap() throws {
    let dir = try course()
    let process = try HandoutCLI.process(["render", "notebooks", "-o", "out", "--fresh"], in: dir)
    process.environment?["HANDOUT_CACHE"] = dir.appendingPathComponent("cache").path
    process.standardError = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationReason, .exit, "handout died of signal \(process.terminationStatus)")
    XCTAssertEqual(process.terminationStatus, 0)
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/a.html").path))
  }

  /// `ulimit -n 12`: every open failed in turn, and each said something else (a template that could
  /// not be read, "reinstall the Swift toolchain", Handout's own index "not a file Handout wrote").
  /// A hard limit that low is one error before anything runs (exit 2); a soft one is raised.
  func testAnOpenFilesLimitTooLowIsOneClearError() throws {
    let dir = try course()
    let hard = try handout(["render", "notebooks", "-o", "out"], limits: "ulimit -n 12", in: dir)
    XCTAssertEqual(hard.reason, .exit, hard.output)
    XCTAssertEqual(hard.status, 2, hard.output)
    XCTAssertTrue(hard.output.contains("the open-files limit (ulimit -n) is 12"), hard.output)
    for misleading in ["reinstall", "not a file Handout wrote", "template", "NSCocoaErrorDomain"] {
      XCTAssertFalse(hard.output.contains(misleading), hard.output)
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    let soft = try handout(["render", "notebooks", "-o", "out"], limits: "ulimit -Sn 12", in: dir)
    XCTAssertEqual(soft.status, 0, soft.output)
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/a.html").path))
  }

  /// `ulimit -f 8`: swiftc died of SIGXFSZ writing its object, and its crash report (a page of
  /// backtrace) was the notebook's error. It says what stopped it, in one line.
  func testACompileStoppedByTheFileSizeLimitSaysSo() throws {
    let dir = try course()
    let result = try handout(["render", "notebooks", "-o", "out"], limits: "ulimit -f 8", in: dir)
    XCTAssertEqual(result.reason, .exit, result.output)
    XCTAssertEqual(result.status, 1, result.output)
    XCTAssertTrue(
      result.output.contains("the file-size limit (ulimit -f) stopped it; raise it (ulimit -f unlimited)"),
      result.output)
    for backtrace in ["Stack dump", "#1 0x", "Please submit a bug report"] {
      XCTAssertFalse(result.output.contains(backtrace), result.output)
    }
  }
}
