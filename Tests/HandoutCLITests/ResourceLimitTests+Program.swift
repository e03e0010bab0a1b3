import Foundation
import XCTest

/// The shell's limits on CPU time (`ulimit -t`), address space (`-v`), data (`-d`) and processes
/// (`-u`) reached the notebook program as the shell set them: a fresh run failed where a pass
/// cached without them was replayed (a false green), or the reverse. A soft limit is raised to the
/// hard one for the program; a hard one is part of the run (its cache key), and a program stopped
/// at the CPU-time limit fails at its block, saying so.
extension ResourceLimitTests {
  /// A notebook that checks its program runs with each soft limit at the hard one.
  static let limits = """
    # Limits

    ```swift
    import Glibc

    for (name, resource) in [("cpu", RLIMIT_CPU), ("as", RLIMIT_AS), ("data", RLIMIT_DATA), ("nproc", __RLIMIT_NPROC)] {
      var limit = rlimit()
      getrlimit(__rlimit_resource_t(resource.rawValue), &limit)
      expect(limit.rlim_cur, equals: limit.rlim_max, "the soft \\(name) limit is the hard one")
    }
    ```

    """

  /// `ulimit -S -t 1000 -S -v … -S -d … -S -u 3000`, soft limits alone: the program runs with the
  /// hard ones (here unlimited, as without the shell's limits).
  func testTheShellsSoftLimitsAreRaisedForTheProgram() throws {
    let dir = try course(Self.limits)
    let soft = "ulimit -S -t 1000 && ulimit -S -v 3000000 && ulimit -S -d 3000000 && ulimit -S -u 3000"
    let result = try handout(["check", "notebooks", "--fresh"], limits: soft, in: dir)
    XCTAssertEqual(result.status, 0, result.output)
  }

  /// A block that spends 4 s of CPU time passes without a limit (and is cached); under
  /// `ulimit -t 3` its program is stopped at the limit, and the check fails at that block, naming
  /// the limit: the cached pass is not replayed.
  func testACPUTimeLimitReachedFailsTheBlockAndIsNoReplayedPass() throws {
    let spin = """
      # Spin

      ```swift
      import Glibc
      print("start")
      ```

      ```swift
      var turns = 0
      while clock() < 4 * CLOCKS_PER_SEC { turns &+= 1 }
      print("spun")
      ```

      """
    let output = try checkFailsUnder("ulimit -t 3", afterAPassWithout: spin)
    XCTAssertTrue(
      output.contains(
        "notebooks/a.md:8:1: error: stopped at the CPU-time limit (ulimit -t) of 3 s; raise it (ulimit -t unlimited)"
      ), output)
  }

  /// A program that reserves 3 GiB passes without a limit (and is cached); under `ulimit -v` of
  /// about 1.9 GiB it fails, and the cached pass is not replayed.
  func testAnAddressSpaceLimitIsNoReplayedPass() throws {
    let reserve = """
      # Reserve

      ```swift
      let bytes = UnsafeMutableRawPointer.allocate(byteCount: 3 << 30, alignment: 64)
      bytes.deallocate()
      print("reserved")
      ```

      """
    let output = try checkFailsUnder("ulimit -v 2000000", afterAPassWithout: reserve)
    XCTAssertTrue(output.contains("notebooks/a.md:3:1: error: "), output)
    XCTAssertTrue(output.contains("the address-space limit (ulimit -v) is 1953 MiB"), output)
  }

  /// Checks `notebook` without a limit (it passes, and is cached), then under `limits`: that check
  /// fails (exit 1) without replaying the cached pass. Its output.
  func checkFailsUnder(
    _ limits: String, afterAPassWithout notebook: String, file: StaticString = #filePath, line: UInt = #line
  ) throws -> String {
    let dir = try course(notebook)
    let free = try handout(["check", "notebooks"], limits: "true", in: dir)
    XCTAssertEqual(free.status, 0, free.output, file: file, line: line)
    let limited = try handout(["check", "notebooks"], limits: limits, in: dir)
    XCTAssertEqual(limited.reason, .exit, limited.output, file: file, line: line)
    XCTAssertEqual(limited.status, 1, limited.output, file: file, line: line)
    XCTAssertFalse(limited.output.contains("cached"), limited.output, file: file, line: line)
    return limited.output
  }
}
