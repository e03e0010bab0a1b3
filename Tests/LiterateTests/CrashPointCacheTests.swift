import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// `check --update` stopped at any change leaves the notebook whole; a run stored again while
/// another render copies its figures leaves them in place.
extension PublishSafetyTests {
  /// `check --update` stopped before each change it makes beside the notebook, or failing there:
  /// the notebook is as it was or as rewritten, never half written, with its permissions, and the
  /// user's file beside it untouched; the next `check --update` rewrites it and leaves nothing else.
  /// (Foundation's atomic write gave the notebook its permissions after its rename, and left its
  /// temporary file beside the notebook when stopped before.)
  func testCheckUpdateStoppedAtEveryChangeLeavesTheNotebookWhole() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let notebooks = dir.appendingPathComponent("notebooks")
    let url = notebooks.appendingPathComponent("u.md")
    let old = "# U\n\n```swift\nlet x = 2.5\nexpect(x * 2, equals: 4.0)\n```\n"
    let new = old.replacingOccurrences(of: "4.0)", with: "5.0)")
    try Support.write("data\n", to: notebooks.appendingPathComponent("data.txt"))
    func put(_ text: String) throws {
      try Support.write(text, to: url)
      XCTAssertEqual(chmod(url.path, 0o640), 0)
    }
    func mode() -> mode_t {
      var info = stat()
      return stat(url.path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }
    // Both versions run once: every check below is cached.
    try put(new)
    XCTAssertEqual(try Support.handout(["check", "notebooks"], in: dir, cache: cache).status, 0)
    try put(old)
    XCTAssertEqual(try Support.handout(["check", "notebooks"], in: dir, cache: cache).status, 1)
    let arguments = ["check", "notebooks", "--update"]
    let points = try CrashPoints.points(arguments, in: dir, cache: cache, under: [notebooks])
    XCTAssertGreaterThanOrEqual(points.count, 2, "\(points)")
    for point in points {
      for injecting in ["signal=SIGKILL", failure(at: point)] {
        try put(old)
        let moment = "\(injecting) \(point)"
        try CrashPoints.stop(arguments, in: dir, cache: cache, at: point, injecting: injecting)
        let text = try Support.text(url)
        XCTAssertTrue(text == old || text == new, "\(moment): \(text)")
        XCTAssertEqual(mode(), 0o640, "\(moment): the notebook's permissions")
        XCTAssertEqual(try Support.text(notebooks.appendingPathComponent("data.txt")), "data\n", moment)
        let next = try Support.handout(arguments, in: dir, cache: cache)
        XCTAssertEqual(next.status, 0, "after \(moment): \(next.output)")
        XCTAssertEqual(try Support.text(url), new, "after \(moment)")
        XCTAssertEqual(mode(), 0o640, "after \(moment): the notebook's permissions")
        XCTAssertEqual(
          try FileManager.default.contentsOfDirectory(atPath: notebooks.path).sorted(), ["data.txt", "u.md"],
          "after \(moment)")
      }
    }
  }

  /// A render that has loaded a notebook's run from the cache and is about to copy its figures,
  /// while another render of it (`--fresh`) stores the same run again. The entry in place was moved
  /// aside and removed, then the new one moved in: the first render, going on between the two,
  /// found no figures and published a page without them. Now the entry is exchanged in one step.
  func testARunStoredAgainWhileAnotherRenderCopiesItsFiguresLeavesThemInPlace() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    try Support.write(crashNotebook(width: 60), to: dir.appendingPathComponent("notebooks/p.md"))
    XCTAssertEqual(
      try Support.handout(["render", "notebooks", "--out", "first"], in: dir, cache: cache).status, 0)
    let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.count == 64 }
    let entry = try XCTUnwrap(entries.first, "\(entries)")
    XCTAssertEqual(entries.count, 1)
    let out = dir.appendingPathComponent("out")
    // The first render stops (SIGSTOP) when it opens its output folder to publish: its run loaded.
    let first = try stopped(
      ["render", "notebooks", "--out", "out"], in: dir, cache: cache, at: "openat", of: out.path, log: "first"
    )
    // The second stops where it has taken the entry away and not yet put its own in, if it ever does.
    let second = try stopped(
      ["render", "notebooks", "--out", "second", "--fresh"], in: dir, cache: cache, at: "rename,renameat2",
      of: cache.appendingPathComponent(entry).path, ordinal: 2, log: "second")
    kill(first.pid, SIGCONT)
    first.process.waitUntilExit()
    if second.process.isRunning { kill(second.pid, SIGCONT) }
    second.process.waitUntilExit()
    XCTAssertEqual(first.process.terminationStatus, 0)
    XCTAssertEqual(try assertWhole(out, ["p"], "the first render")["p"], 60)
    XCTAssertEqual(try assertWhole(dir.appendingPathComponent("second"), ["p"], "the second render")["p"], 60)
  }

  /// `handout arguments` under strace, stopped (SIGSTOP) on entering the `ordinal`-th of the
  /// `syscalls` on `path`, once it is stopped there or has ended without reaching it.
  func stopped(
    _ arguments: [String], in dir: URL, cache: URL, at syscalls: String, of path: String, ordinal: Int = 1,
    log name: String
  ) throws -> (process: Process, pid: pid_t) {
    let log = dir.appendingPathComponent("\(name).strace")
    let process = try Support.handoutProcess(arguments, in: dir, cache: cache)
    let exe = try XCTUnwrap(process.executableURL)
    process.executableURL = try CrashPoints.strace()
    process.arguments =
      [
        "-f", "--seccomp-bpf", "-o", log.path, "-P", path, "-e", "trace=\(syscalls)",
        "-e", "inject=\(syscalls):signal=SIGSTOP:when=\(ordinal)", exe.path,
      ] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Waits for the event, not for a time: generous, for a loaded machine.
    let deadline = Date().addingTimeInterval(300)
    while process.isRunning, Date() < deadline,
      (try? Support.text(log))?.contains("stopped by SIGSTOP") != true
    {
      usleep(20_000)
    }
    let strace = process.processIdentifier
    let children = FileManager.default.contents(atPath: "/proc/\(strace)/task/\(strace)/children") ?? Data()
    let pid = String(decoding: children, as: UTF8.self).split(separator: " ").first.flatMap { pid_t($0) } ?? 0
    XCTAssertTrue(pid > 0 || !process.isRunning, "\(name) is neither stopped nor ended")
    return (process, pid)
  }
}
