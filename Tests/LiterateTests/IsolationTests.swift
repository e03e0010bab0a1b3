import Foundation
import XCTest

@testable import Literate

/// The notebook program is fenced in: it cannot read `handout`'s environment or the runtime's
/// channel through /proc, whatever it starts ends with the run (time limit, end, or `handout`'s
/// death, even by SIGKILL), and a write that the file size limit refuses is a clear error.
final class IsolationTests: XCTestCase {
  /// A fresh folder with `source` as `nb.md`, and a cache of its own (so the program really runs).
  func setUp(_ source: String) throws -> (dir: URL, path: String, options: RunOptions) {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "nb.md", in: dir)
    return (dir, path, try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  /// SIGKILLs every live process whose command line has `argument`, at the end of the test (a
  /// failing test must not leave a stray behind).
  func killAtTeardown(withArgument argument: String) {
    addTeardownBlock {
      for pid in Support.processes(withArgument: argument) { kill(pid, SIGKILL) }
    }
  }

  func killAtTeardown(_ pids: [pid_t]) {
    addTeardownBlock {
      for pid in pids where !Support.isGoneOrZombie(pid) { kill(pid, SIGKILL) }
    }
  }

  // MARK: handout's death

  /// SIGKILL gives `handout` no chance to end anything: the notebook program (a busy loop) and
  /// what it started in its session still end with it.
  func testSigkillToHandoutEndsTheNotebookProgramAndItsSession() throws {
    let exe = try Support.handoutExecutable()
    let (dir, _, _) = try setUp(
      """
      ```swift
      import Glibc
      let sleeper = Process()
      sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
      sleeper.arguments = ["1001"]
      try sleeper.run()
      try "started".write(to: dataFile("pids"), atomically: true, encoding: .utf8)
      while true {}
      ```
      """)
    let process = Process()
    process.executableURL = exe
    process.arguments = ["check", "nb.md", "--cache", dir.appendingPathComponent("cache").path]
    process.currentDirectoryURL = dir
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    addTeardownBlock { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    let pidsFile = dir.appendingPathComponent("pids")
    let deadline = Date().addingTimeInterval(600)
    while !FileManager.default.fileExists(atPath: pidsFile.path), process.isRunning, Date() < deadline {
      usleep(50_000)
    }
    // The keepers, the program and its `sleep`, by /proc's numbers (the program's own are those of
    // its PID namespace).
    let pids = Support.descendants(of: process.processIdentifier)
    killAtTeardown(pids)
    XCTAssertGreaterThanOrEqual(pids.count, 3)
    kill(process.processIdentifier, SIGKILL)
    // Checked before waiting for `handout`: a program that kept a descriptor of the test's open
    // would hold `waitUntilExit` until it ended.
    for pid in pids {
      XCTAssertTrue(eventuallyGone(pid), "process \(pid) outlived handout's SIGKILL")
      if !Support.isGoneOrZombie(pid) { kill(pid, SIGKILL) }
    }
    process.waitUntilExit()
  }

  // MARK: descendants that leave the session

  /// A notebook whose child leaves the session (`setsid` forks: a double fork into a new session).
  func escaping(_ marker: String, then rest: String) -> String {
    """
    ```swift
    import Glibc
    // posix_spawn, not `Process`: Foundation's `waitUntilExit` waits for every holder of a pipe it
    // gives the child, and the sleep keeps it.
    var escaper: pid_t = 0
    let names: [String] = ["/usr/bin/setsid", "--fork", "/bin/sleep", "\(marker)"]
    let words: [UnsafeMutablePointer<CChar>?] = names.map { strdup($0) } + [nil]
    posix_spawn(&escaper, "/usr/bin/setsid", nil, nil, words, environ)
    var status: Int32 = 0
    waitpid(escaper, &status, 0)
    var waited = 0
    while waited < 100 {
      usleep(50_000)
      waited += 1
      let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
      if names.contains(where: { name in
        (FileManager.default.contents(atPath: "/proc/\\(name)/cmdline") ?? Data()).split(separator: 0)
          .contains { $0.elementsEqual("\(marker)".utf8) }
      }) { break }
    }
    print("started")
    \(rest)
    ```
    """
  }

  /// The limit is a second block's (`timeout=1`, counted from that block's start), not a
  /// notebook's limit of a few seconds: that one counts from the program's start, and on a loaded
  /// machine it could run out before the first block had started its descendant.
  func testADescendantThatLeftTheSessionEndsAtTheTimeLimit() throws {
    let marker = "4747.\(UInt32.random(in: 1000...999_999))"
    killAtTeardown(withArgument: marker)
    let (_, path, options) = try setUp(
      escaping(marker, then: "```\n\n```swift timeout=1\nwhile true {}"))
    let run = try Support.run(try String(contentsOfFile: path, encoding: .utf8), path: path, options: options)
      .1
    XCTAssertNil(run.blocks[0]?.failure, "\(run)")
    XCTAssertTrue(run.blocks[0]?.text.contains("started") == true, "\(run)")
    XCTAssertTrue(run.blocks[1]?.failure?.message.contains("timed out") == true, "\(run)")
    XCTAssertEqual(Support.processes(withArgument: marker), [], "sleep \(marker) outlived the time limit")
  }

  func testADescendantThatLeftTheSessionEndsWithTheRun() throws {
    let marker = "4747.\(UInt32.random(in: 1000...999_999))"
    killAtTeardown(withArgument: marker)
    let (_, path, options) = try setUp(escaping(marker, then: ""))
    let run = try Support.run(try String(contentsOfFile: path, encoding: .utf8), path: path, options: options)
      .1
    XCTAssertNil(run.blocks[0]?.failure, "\(run)")
    XCTAssertTrue(run.blocks[0]?.text.contains("started") == true, "\(run)")
    XCTAssertEqual(Support.processes(withArgument: marker), [], "sleep \(marker) outlived the run")
  }

  // MARK: what the program can read

  /// The program reads /proc/<pid>/environ of itself and of every ancestor up to `handout`: neither
  /// a variable of `handout`'s environment that was not declared nor the runtime's channel shows.
  func testTheProgramCannotReadHandoutsEnvironmentOrTheChannelThroughProc() throws {
    let secret = "xyz-\(UUID().uuidString)"
    let (dir, _, _) = try setUp(
      """
      ```swift
      import Glibc
      func field(_ pid: Int32, _ name: String) -> String {
        (try? String(contentsOfFile: "/proc/\\(pid)/\\(name)", encoding: .utf8)) ?? ""
      }
      var report: [String] = []
      var pid = getpid()
      var reachedHandout = false
      // In a PID namespace of its own, with a /proc of its own, the program sees its keeper (pid 1,
      // parent 0, `run-keeper`) and nothing above: `handout` is out of its sight altogether.
      var reachedTop = false
      for _ in 0..<8 {
        let environ = (FileManager.default.contents(atPath: "/proc/\\(pid)/environ") ?? Data())
          .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let comm = field(pid, "comm").trimmingCharacters(in: .whitespacesAndNewlines)
        for entry in environ
        where entry.contains("\(secret)") || entry.hasPrefix("HANDOUT_NONCE=")
          || entry.hasPrefix("HANDOUT_EVENTS=") || entry.hasPrefix("HANDOUT_FIGURES=")
          || entry.hasPrefix("HANDOUT_PARAMS=") || entry.hasPrefix("HANDOUT_NOTEBOOK=")
          || entry.hasPrefix("HANDOUT_FOLDER=")
        {
          report.append("\\(comm) (\\(pid)): \\(entry)")
        }
        if comm == "handout" {
          reachedHandout = true
          break
        }
        let stat = field(pid, "stat")
        guard let close = stat.lastIndex(of: ")") else { break }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let parent = Int32(fields[1]), parent >= 1, pid != 1 else {
          reachedTop = pid == 1 && comm == "run-keeper" && fields.count > 1 && fields[1] == "0"
          break
        }
        pid = parent
      }
      if !reachedHandout && !reachedTop { report.append("handout not found among the ancestors") }
      try report.joined(separator: "\\n").write(to: dataFile("leaks"), atomically: true, encoding: .utf8)
      ```
      """)
    let result = try Support.handout(
      ["check", "nb.md", "--cache", dir.appendingPathComponent("cache").path], in: dir,
      environment: ["HANDOUT_SECRET_TEST": secret])
    XCTAssertEqual(result.status, 0, result.output)
    let leaks = try String(contentsOf: dir.appendingPathComponent("leaks"), encoding: .utf8)
    XCTAssertEqual(leaks, "", "what the program could read through /proc")
  }

  // MARK: file size limit

  /// Under `ulimit -f`, a write that goes past the limit is an error naming the file (not a
  /// SIGXFSZ that kills `handout`), and the previous handout stays as it was.
  func testAWriteBeyondTheFileSizeLimitIsAClearErrorAndKeepsTheLastHandout() throws {
    let (dir, path, _) = try setUp("# Small\n\nA short page.\n")
    let out = dir.appendingPathComponent("out")
    let first = try Support.handout(["render", "nb.md", "--out", out.path], in: dir)
    XCTAssertEqual(first.status, 0, first.output)
    let before = try Self.contents(of: out)
    XCTAssertFalse(before.isEmpty)
    let paragraph = String(repeating: "A long paragraph of the handout. ", count: 40)
    try ("# Large\n\n" + Array(repeating: paragraph, count: 100).joined(separator: "\n\n"))
      .write(toFile: path, atomically: true, encoding: .utf8)
    let second = try Support.handout(["render", "nb.md", "--out", out.path], in: dir, fileSizeLimit: 50)
    XCTAssertNotEqual(second.status, 0, second.output)
    // Foundation gives the signal's number for a process a signal ended; a shell 128 + it.
    XCTAssertFalse([SIGXFSZ, 128 + SIGXFSZ].contains(second.status), "killed by SIGXFSZ: \(second.output)")
    XCTAssertTrue(second.output.contains("File too large"), second.output)
    XCTAssertTrue(second.output.contains("nb.html"), "the file is named: \(second.output)")
    let after = try Self.contents(of: out)
    // The manifest is Handout's own record (it notes what the failed write was about to do).
    let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
      .filter { $0 != ".handout-manifest.json" }.sorted()
    XCTAssertEqual(changed, [], "the previous handout is kept byte for byte")
  }

  /// Every regular file under `dir` by relative path, with its bytes.
  static func contents(of dir: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let root = dir.standardizedFileURL.resolvingSymlinksInPath().path
    guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
    for case let relative as String in walker {
      var isDirectory: ObjCBool = false
      let full = root + "/" + relative
      guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue
      else { continue }
      files[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
    }
    return files
  }
}
