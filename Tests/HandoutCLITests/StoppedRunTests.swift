import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// `handout` stopped by the person (Ctrl-C, SIGTERM) while a notebook runs: it says it was
/// stopped, not that the notebook crashed; it exits as a shell reports the signal (130, 143); and
/// it publishes nothing, so the last good handout and the index stay as they were.
final class StoppedRunTests: XCTestCase {
  static let good = "# Stopped\n\n```swift\nprint(6 * 7)\n```\n"
  /// Says it has started (the file `started` beside it), then runs until it is stopped.
  static let endless =
    "# Stopped\n\n```swift\nimport Glibc\n"
    + "try \"\".write(to: dataFile(\"started\"), atomically: true, encoding: .utf8)\n"
    + "while true { sleep(1) }\n```\n"

  func testCtrlCDuringARenderSaysStoppedAndKeepsTheLastGoodHandout() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebook = dir.appendingPathComponent("stopped.md")
    try Self.good.write(to: notebook, atomically: true, encoding: .utf8)
    let first = try HandoutCLI.run(["render", "stopped.md", "-o", "out"], in: dir)
    XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
    let page = dir.appendingPathComponent("out/stopped.html")
    let index = dir.appendingPathComponent("out/index.html")
    let (goodPage, goodIndex) = (try Data(contentsOf: page), try Data(contentsOf: index))

    try Self.endless.write(to: notebook, atomically: true, encoding: .utf8)
    let stopped = try stop(["render", "stopped.md", "-o", "out"], in: dir, with: SIGINT)
    XCTAssertEqual(stopped.status, 128 + SIGINT, stopped.stdout + stopped.stderr)
    let all = stopped.stdout + stopped.stderr
    XCTAssertTrue(
      stopped.stderr.contains(
        "stopped: interrupted by SIGINT; nothing was published, the last good handouts are kept"), all)
    for wrong in ["crash", "SIGKILL", "FAIL", "failed"] {
      XCTAssertFalse(all.contains(wrong), "\(wrong) in: \(all)")
    }
    XCTAssertEqual(try Data(contentsOf: page), goodPage, "the last good handout is kept")
    XCTAssertEqual(try Data(contentsOf: index), goodIndex, "the index does not say it fails")
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/stopped.failed.html").path))
  }

  func testSIGTERMDuringACheckSaysStoppedAndExits143() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try Self.endless.write(to: dir.appendingPathComponent("stopped.md"), atomically: true, encoding: .utf8)
    let stopped = try stop(["check", "stopped.md"], in: dir, with: SIGTERM)
    XCTAssertEqual(stopped.status, 128 + SIGTERM, stopped.stdout + stopped.stderr)
    let all = stopped.stdout + stopped.stderr
    XCTAssertTrue(stopped.stderr.contains("stopped: terminated by SIGTERM; the check did not finish"), all)
    for wrong in ["crash", "SIGKILL", "FAIL", "failed"] {
      XCTAssertFalse(all.contains(wrong), "\(wrong) in: \(all)")
    }
  }

  /// Ctrl-\ (SIGQUIT) was the Swift runtime's crash report of `handout` itself (a page of
  /// backtrace, then a trap in a read it interrupted: SIGILL). It is a stop like Ctrl-C: exit 131.
  func testCtrlBackslashDuringARenderIsAStopNotACrash() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try Self.endless.write(to: dir.appendingPathComponent("stopped.md"), atomically: true, encoding: .utf8)
    let stopped = try stop(["render", "stopped.md", "-o", "out"], in: dir, with: SIGQUIT)
    let all = stopped.stdout + stopped.stderr
    XCTAssertEqual(stopped.status, 128 + SIGQUIT, all)
    XCTAssertTrue(
      stopped.stderr.contains(
        "stopped: quit by SIGQUIT; nothing was published, the last good handouts are kept"), all)
    for wrong in ["crash", "Fatal error", "Backtrac", "FAIL", "failed"] {
      XCTAssertFalse(all.contains(wrong), "\(wrong) in: \(all)")
    }
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/stopped.html").path))
  }

  /// The CPU-time limit (`ulimit -t`) reached: SIGXCPU killed `handout` with a core dump, its
  /// notebook program left running. It is a stop like Ctrl-C that says why: exit 152.
  func testTheCPUTimeLimitReachedIsAStopThatSaysWhy() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try Self.endless.write(to: dir.appendingPathComponent("stopped.md"), atomically: true, encoding: .utf8)
    let stopped = try stop(["render", "stopped.md", "-o", "out"], in: dir, with: SIGXCPU)
    let all = stopped.stdout + stopped.stderr
    XCTAssertEqual(stopped.status, 128 + SIGXCPU, all)
    XCTAssertTrue(
      stopped.stderr.contains(
        "stopped: the CPU-time limit (ulimit -t) was reached; nothing was published, the last good handouts are kept"
      ), all)
    for wrong in ["crash", "Fatal error", "Backtrac", "FAIL", "failed"] {
      XCTAssertFalse(all.contains(wrong), "\(wrong) in: \(all)")
    }
  }

  /// Runs `handout arguments` in `dir` until its notebook has written `started`, then sends it
  /// `signal`; what it printed and how it ended.
  private func stop(_ arguments: [String], in dir: URL, with signal: Int32) throws -> HandoutCLI.Result {
    let started = dir.appendingPathComponent("started")
    try? FileManager.default.removeItem(at: started)
    let stdout = dir.appendingPathComponent("stdout.txt")
    let stderr = dir.appendingPathComponent("stderr.txt")
    let process = try HandoutCLI.process(arguments, in: dir)
    FileManager.default.createFile(atPath: stdout.path, contents: nil)
    FileManager.default.createFile(atPath: stderr.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: stdout)
    process.standardError = try FileHandle(forWritingTo: stderr)
    try process.run()
    let deadline = Date().addingTimeInterval(600)
    while !FileManager.default.fileExists(atPath: started.path), process.isRunning, Date() < deadline {
      usleep(50_000)
    }
    XCTAssertTrue(FileManager.default.fileExists(atPath: started.path), "the notebook never started")
    kill(process.processIdentifier, signal)
    // One that ignored the signal would run for ever: it fails the test instead.
    let end = Date().addingTimeInterval(120)
    while process.isRunning, Date() < end { usleep(50_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      XCTFail("handout still ran 120 s after signal \(signal)")
    }
    process.waitUntilExit()
    return HandoutCLI.Result(
      status: process.terminationStatus, stdout: try String(contentsOf: stdout, encoding: .utf8),
      stderr: try String(contentsOf: stderr, encoding: .utf8))
  }
}
