import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// No process outlives the run when `handout` is killed the way people kill it: by name
/// (`killall -9 handout`, `pkill -9 -f 'handout render'`) or with its whole process group (`timeout
/// -s KILL`, a CI job cancelled). Each keeper was a fork of `handout` with its name, its command
/// line and its group, so it died with it, and a process the notebook had sent into a session of
/// its own (`setsid sleep … &`) ran on under init.
///
/// `handout` runs here through a symlink of a name no other process has, so that `killall` and
/// `pkill` (the real ones) reach only this test's processes. Whether the `sleep` outlived a kill by
/// name was a race (`handout` dies first, and its keepers, told so, sometimes ended the `sleep`
/// before their own SIGKILL came), so what `killall` and `pkill` match is asserted first: `handout`
/// alone, none of the processes under it.
final class KilledByNameTests: XCTestCase {
  func testKillallByNameLeavesNoDetachedProcess() throws {
    try assertNothingOutlives { name, handout in
      // killall matches a process's name (`comm`), or its command line's first word.
      for pid in Self.descendants(of: handout) {
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        XCTAssertFalse(comm.contains(name), "process \(pid) under handout is called \(comm)")
        XCTAssertFalse(Self.commandLine(of: pid).contains(name), "\(pid): \(Self.commandLine(of: pid))")
      }
      _ = try Tool.run("/usr/bin/killall", ["-9", name], in: URL(fileURLWithPath: "/"))
    }
  }

  func testPkillByCommandLineLeavesNoDetachedProcess() throws {
    try assertNothingOutlives { name, handout in
      let matched = try Tool.run("/usr/bin/pgrep", ["-f", "\(name) render"], in: URL(fileURLWithPath: "/"))
      XCTAssertEqual(matched.output, "\(handout)\n", "pgrep -f matched more than handout")
      _ = try Tool.run("/usr/bin/pkill", ["-9", "-f", "\(name) render"], in: URL(fileURLWithPath: "/"))
    }
  }

  /// `killall` given a path matches every process running that executable: the keepers (forks of
  /// `handout`, no exec) with it. Each keeper is now the first process of a PID namespace, and the
  /// kernel ends everything in one when its first process dies. `handout` runs here as a copy of
  /// its own, so no other `handout` (another test's, another user's) shares the file `killall` matches.
  func testKillallByFullPathLeavesNoDetachedProcess() throws {
    guard EscapedProcessTests.namespacesAllowed else { throw XCTSkip("user namespaces are refused here") }
    try assertNothingOutlives(copied: true) { name, _ in
      _ = try Tool.run("/usr/bin/killall", ["-9", name], in: URL(fileURLWithPath: "/"))
    }
  }

  func testKillingTheProcessGroupLeavesNoDetachedProcess() throws {
    try assertNothingOutlives { _, handout in
      let group = getpgid(handout)
      // Never this test runner's own group.
      guard group > 1, group != getpgrp() else { throw XCTSkip("handout runs in the tests' own group") }
      kill(-group, SIGKILL)
    }
  }

  /// Renders a notebook that detaches `sleep <unique>` and then waits, kills `handout` with `stop`
  /// (given the name it runs by and its pid) once the `sleep` runs, and asserts that the `sleep`
  /// is gone within ten seconds of `handout`'s end. `copied`: `handout` runs as a copy of the
  /// built one (the name is then its full path), otherwise through a symlink.
  private func assertNothingOutlives(
    copied: Bool = false, _ stop: (String, pid_t) throws -> Void, file: StaticString = #filePath,
    line: UInt = #line
  ) throws {
    for tool in ["/usr/bin/killall", "/usr/bin/pkill", "/usr/bin/pgrep"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      throw XCTSkip("\(tool) is not installed (psmisc, procps)")
    }
    let dir = try HandoutCLI.temporaryDirectory(self)
    let marker = "sleep \(900 + Int.random(in: 0..<90_000))"
    let source = """
      # Detached

      ```swift
      import Glibc
      _ = system("setsid \(marker) >/dev/null 2>&1 & exit 0")
      sleep(120)
      ```

      """
    try source.write(to: dir.appendingPathComponent("detached.md"), atomically: true, encoding: .utf8)
    let name = "ho\(100_000 + Int.random(in: 0..<900_000))"
    let link = dir.appendingPathComponent(name)
    let built = try HandoutCLI.buildDirectory()
    if copied {
      try FileManager.default.copyItem(at: built.appendingPathComponent("handout"), to: link)
    } else {
      try FileManager.default.createSymbolicLink(
        at: link, withDestinationURL: built.appendingPathComponent("handout"))
    }
    let process = try HandoutCLI.process(["render", "detached.md", "-o", "out", "--fresh"], in: dir)
    process.executableURL = link
    process.environment?["HANDOUT_RUNTIME"] = built.path
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
      if process.isRunning { kill(process.processIdentifier, SIGTERM) }
      process.waitUntilExit()
      for pid in EscapedProcessTests.processes(running: marker) { kill(pid, SIGKILL) }
    }
    let started = Date()
    while EscapedProcessTests.processes(running: marker).isEmpty {
      guard process.isRunning, Date().timeIntervalSince(started) < 240 else {
        return XCTFail("\(marker) never started", file: file, line: line)
      }
      usleep(50_000)
    }
    try stop(copied ? link.path : name, process.processIdentifier)
    process.waitUntilExit()
    let ended = Date()
    while !EscapedProcessTests.processes(running: marker).isEmpty, Date().timeIntervalSince(ended) < 10 {
      usleep(50_000)
    }
    XCTAssertEqual(
      EscapedProcessTests.processes(running: marker), [], "\(marker) outlived handout", file: file, line: line
    )
  }

  /// Every live process under `root` (its children, theirs, …), from /proc.
  static func descendants(of root: pid_t) -> [pid_t] {
    var parents: [pid_t: pid_t] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = pid_t(name),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
    }
    var found: [pid_t] = []
    var frontier = [root]
    while let next = frontier.popLast() {
      let children = parents.filter { $0.value == next }.map(\.key)
      found += children
      frontier += children
    }
    return found.sorted()
  }

  /// `pid`'s command line, its words joined by spaces.
  static func commandLine(of pid: pid_t) -> String {
    let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
    return raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
  }
}
