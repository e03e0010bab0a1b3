import XCTest

@testable import Literate

/// The notebook program inherited the shell's stack and open-files limits (`ulimit -s`, `-n`): a
/// deep recursion that trapped under Linux's usual 8 MiB ran to its end under `ulimit -s
/// unlimited`, so what a handout showed depended on the shell, and a run cached under one limit was
/// replayed under the other (`check` said it passed where a fresh run crashed). The program now
/// runs with 8 MiB and 1024 files (or the hard limits, when lower), whatever the shell's soft ones.
final class StackLimitTests: XCTestCase {
  func testTheProgramsStackAndFilesLimitsAreTheSameUnderEveryShellLimit() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(
      """
      # S

      ```swift
      var stack = rlimit()
      getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &stack)
      var files = rlimit()
      getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files)
      print("LIMITS=\\(stack.rlim_cur),\\(files.rlim_cur)=")
      ```

      """, to: dir.appendingPathComponent("nb/s.md"))
    var stack = rlimit()
    getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &stack)
    var files = rlimit()
    getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files)
    let expected = "\(min(stack.rlim_max, 8 << 20)),\(min(files.rlim_max, 1024))"
    let hardStack = stack.rlim_max == rlim_t.max ? "unlimited" : "\(stack.rlim_max / 1024)"
    var seen: [String] = []
    // The largest soft limits this shell may set, others, then the usual ones (a refused one is kept).
    for (s, n) in [("unlimited", "\(files.rlim_max)"), (hardStack, "4096"), ("8192", "1024")] {
      let out = "out-\(seen.count)"
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = [
        "-c", "ulimit -S -s \(s) 2>/dev/null; ulimit -S -n \(n) 2>/dev/null; exec \"$0\" \"$@\"",
        try Support.handoutExecutable().path, "render", "nb", "--out", out, "--fresh",
      ]
      process.currentDirectoryURL = dir
      var environment = ProcessInfo.processInfo.environment
      environment["HANDOUT_CACHE"] = dir.appendingPathComponent("cache").path
      process.environment = environment
      let result = try Support.output(of: process)
      XCTAssertEqual(result.status, 0, result.output)
      let page = try Support.text(dir.appendingPathComponent("\(out)/s.html"))
      seen.append(page.firstMatch(of: #/LIMITS=(\d+,\d+)=/#).map { String($0.1) } ?? "none")
    }
    XCTAssertEqual(seen, Array(repeating: expected, count: 3))
  }
}
