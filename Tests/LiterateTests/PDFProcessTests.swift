import Foundation
import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// The processes of a print: a hanging print, a real Chromium at its time limit and `handout`
/// killed while it prints leave no process and no scratch folder behind.
extension PDFTests {
  /// A print that hangs is stopped at its time limit, with everything it started (a `sleep` that
  /// does not hold the output pipe, so only the session kill can end it).
  func testAHangingPrintIsStoppedWithEverythingItStarted() throws {
    let dir = try Support.temporaryDirectory(self)
    let (hanging, pids) = try Self.hangingChromium(in: dir)
    let notebook = try Notebook.parse(
      source: "# Hang\n\nText.\n", path: dir.appendingPathComponent("hang.md").path)
    // Three seconds: the script must have started its `sleep` and written `pids` by then, on a
    // loaded machine too.
    let printer = PDFPrinter(chromium: hanging, timeLimit: 3)
    let destination = dir.appendingPathComponent("hang.pdf")
    XCTAssertThrowsError(
      try printer.print(notebook: notebook, run: RunResult(), weave: WeaveOptions(), to: destination)
    ) { error in
      XCTAssertEqual(error as? PDFError, .printFailed(reason: "it took more than 3 s and was stopped"))
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: destination.path))
    try assertEnded(pids)
  }

  /// A real Chromium stopped at its time limit leaves no process behind. Only this print's own
  /// processes are looked at (their command lines name its scratch folder, made inside this test's
  /// own temporary folder), so a render printing elsewhere on the machine at the same time is not
  /// taken for a leftover of this one.
  func testARealChromiumStoppedAtItsTimeLimitLeavesNothing() throws {
    let chromium = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    // Long enough (3,000 typeset formulas) that no machine prints it within the limit.
    let long =
      Self.small
      + "\n\n"
      + String(repeating: "A formula, $\\sum_{i=1}^{n} x_i^2 = \\frac{a}{b}$, typeset.\n\n", count: 3000)
    let notebook = try Notebook.parse(source: long, path: dir.appendingPathComponent("small.md").path)
    let scratch = dir.appendingPathComponent("scratch-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    var printer = PDFPrinter(chromium: chromium, timeLimit: 0.7)
    printer.scratchRoot = scratch
    XCTAssertThrowsError(
      try printer.print(
        notebook: notebook, run: RunResult(), weave: WeaveOptions(),
        to: dir.appendingPathComponent("small.pdf")))
    let left = Self.processes(naming: scratch.path)
    for pid in left { kill(pid, SIGKILL) }
    XCTAssertEqual(left, [], "processes of the print still running")
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: scratch.path), [], "the print's folder is left")
  }

  /// A stand-in for Chromium that hangs: a script that starts a `sleep` of this test's own length
  /// (which does not hold the output pipe, so only a kill of the whole session ends it), writes
  /// that length to `pids` (whole: written beside it, then renamed), and waits. Its processes are
  /// found by their command lines: their own pids are those of the keeper's PID namespace.
  static func hangingChromium(in dir: URL) throws -> (path: String, pids: URL) {
    let pids = dir.appendingPathComponent("pids")
    let seconds = 300 + Int.random(in: 0..<90_000)
    let hanging = try Support.write(
      "#!/bin/sh\nsleep \(seconds) >/dev/null 2>&1 &\necho \(seconds) > '\(pids.path).new'\n"
        + "mv '\(pids.path).new' '\(pids.path)'\nwait\n", "hanging", in: dir)
    chmod(hanging, 0o755)
    return (hanging, pids)
  }

  /// Both processes `hangingChromium` started (the script, and the `sleep` whose length is in
  /// `pids`) are gone, or zombies.
  func assertEnded(_ pids: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    let seconds = try String(contentsOf: pids, encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let script = pids.deletingLastPathComponent().appendingPathComponent("hanging").path
    let left = Support.processes(withArgument: seconds) + Support.processes(withArgument: script)
    for pid in left { kill(pid, SIGKILL) }
    XCTAssertEqual(left, [], "processes of the print left running", file: file, line: line)
  }

  /// Live (not zombie) processes whose command line contains `marker`.
  static func processes(naming marker: String) -> [pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name in
      guard let pid = pid_t(name), let line = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
      else {
        return nil
      }
      let stat = (try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8)) ?? ""
      let zombie = stat.split(separator: ")").last?.split(separator: " ").first == "Z"
      return !zombie && line.range(of: Data(marker.utf8)) != nil ? pid : nil
    }
  }

  /// SIGTERM to `handout` while Chromium prints: Chromium, what it started and its temporary
  /// folder are gone, and `handout` ends as a shell reports a SIGTERM (143).
  func testSIGTERMDuringAPrintEndsChromiumAndRemovesItsFolder() throws {
    let dir = try Support.temporaryDirectory(self)
    let (hanging, pids) = try Self.hangingChromium(in: dir)
    _ = try Support.write(Self.small, "small.md", in: dir)
    let scratch = dir.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)

    let process = try Support.handoutProcess(
      ["render", "small.md", "-o", "out", "--pdf"], in: dir,
      environment: ["HANDOUT_CHROMIUM": hanging, "TMPDIR": scratch.path])
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(600)
    while !FileManager.default.fileExists(atPath: pids.path), process.isRunning, Date() < deadline {
      usleep(50_000)
    }
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter {
        $0.hasPrefix("handout-print-")
      }
      .count, 1, "the print's folder while it prints")
    process.terminate()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 143)
    try assertEnded(pids)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter {
        $0.hasPrefix("handout-print-")
      },
      [], "the print's temporary folder is removed")
  }

  /// SIGKILL to `handout` while Chromium prints: nothing can remove the print's scratch folder (it
  /// holds the instructor's whole page), so it is private to its owner while it exists, and the
  /// next print removes it; a live process's folder and a name Handout never makes stay.
  func testAPrintKilledWithSIGKILLLeavesAPrivateFolderTheNextPrintRemoves() throws {
    let dir = try Support.temporaryDirectory(self)
    let (hanging, pids) = try Self.hangingChromium(in: dir)
    _ = try Support.write(Self.small, "small.md", in: dir)
    let scratch = dir.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = try Support.handoutExecutable()
    process.arguments = ["render", "small.md", "-o", "out", "--pdf"]
    process.currentDirectoryURL = dir
    var environment = ProcessInfo.processInfo.environment
    environment["HANDOUT_CACHE"] = Support.sharedCache.path
    environment["HANDOUT_CHROMIUM"] = hanging
    environment["TMPDIR"] = scratch.path
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(600)
    while !FileManager.default.fileExists(atPath: pids.path), process.isRunning, Date() < deadline {
      usleep(50_000)
    }
    func prints() throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter {
        $0.hasPrefix("handout-print-")
      }
    }
    let left = try prints()
    XCTAssertEqual(left.count, 1, "the print's folder while it prints")
    var info = stat()
    XCTAssertEqual(lstat(scratch.appendingPathComponent(left.first ?? "").path, &info), 0)
    XCTAssertEqual(info.st_mode & 0o777, 0o700, "the print's folder is readable by others")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    XCTAssertEqual(try prints(), left, "SIGKILL: the folder stays until the next print")
    // Another handout's live print, and a folder of the user's, are not touched.
    let live = "handout-print-\(getpid())-\(UUID().uuidString)"
    for name in [live, "handout-print-notes"] {
      try FileManager.default.createDirectory(
        at: scratch.appendingPathComponent(name), withIntermediateDirectories: false)
    }
    var printer = PDFPrinter(chromium: hanging, timeLimit: 0.5)
    printer.scratchRoot = scratch
    XCTAssertThrowsError(try printer.printed(page: "<p>again</p>"))
    XCTAssertEqual(try prints().sorted(), [live, "handout-print-notes"].sorted())
  }
}
