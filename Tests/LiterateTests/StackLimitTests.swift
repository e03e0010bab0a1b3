import XCTest

@testable import Literate

/// The notebook program inherited the shell's stack limit (`ulimit -s`): a deep recursion that
/// trapped under Linux's usual 8 MiB ran to its end under `ulimit -s unlimited`, so what a handout
/// showed depended on the shell, and a run cached under one limit was replayed under the other
/// (`check` said it passed where a fresh run crashed). The program now runs with 8 MiB (or the
/// hard limit, when lower), whatever the shell's soft limit.
final class StackLimitTests: XCTestCase {
  func testTheProgramsStackLimitIsTheSameUnderEveryShellLimit() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(
      """
      # S

      ```swift
      var limit = rlimit()
      getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit)
      print("STACK=\\(limit.rlim_cur)=")
      ```

      """, to: dir.appendingPathComponent("nb/s.md"))
    var hard = rlimit()
    getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &hard)
    let expected = min(hard.rlim_max, 8 << 20)
    var seen: [String] = []
    // The largest soft limit this shell may set, then the usual one (each may be refused: kept).
    for limit in [
      "unlimited", "\(hard.rlim_max == rlim_t.max ? "unlimited" : "\(hard.rlim_max / 1024)")", "8192",
    ] {
      let out = "out-\(seen.count)"
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = [
        "-c", "ulimit -S -s \(limit) 2>/dev/null; exec \"$0\" \"$@\"", try Support.handoutExecutable().path,
        "render", "nb", "--out", out, "--fresh",
      ]
      process.currentDirectoryURL = dir
      var environment = ProcessInfo.processInfo.environment
      environment["HANDOUT_CACHE"] = dir.appendingPathComponent("cache").path
      process.environment = environment
      let result = try Support.output(of: process)
      XCTAssertEqual(result.status, 0, result.output)
      let page = try Support.text(dir.appendingPathComponent("\(out)/s.html"))
      let value = page.firstMatch(of: #/STACK=(\d+)=/#).map { String($0.1) } ?? "none"
      seen.append(value)
    }
    XCTAssertEqual(seen, Array(repeating: "\(expected)", count: 3))
  }
}
