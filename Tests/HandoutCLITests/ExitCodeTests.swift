import Foundation
import XCTest

/// Exit statuses and which stream says what: 0 when everything passed, 1 when a notebook failed,
/// 2 when `handout` could not do its work at all, 64 (argument-parser's usage error) for bad
/// arguments. The report goes to stdout; errors and progress go to stderr.
final class ExitCodeTests: XCTestCase {
  func testUsageErrorsGoToStderr() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let jobs = try HandoutCLI.run(["check", "--jobs", "0"], in: dir)
    XCTAssertEqual(jobs.status, 64, jobs.stderr)
    XCTAssertEqual(jobs.stdout, "")
    XCTAssertTrue(jobs.stderr.hasPrefix("Error: --jobs must be at least 1\n"), jobs.stderr)
    XCTAssertTrue(jobs.stderr.contains("Usage: handout check"), jobs.stderr)

    let unknown = try HandoutCLI.run(["render", "--bogus"], in: dir)
    XCTAssertEqual(unknown.status, 64, unknown.stderr)
    XCTAssertEqual(unknown.stdout, "")
    XCTAssertTrue(unknown.stderr.hasPrefix("Error: Unknown option '--bogus'"), unknown.stderr)
  }

  func testNothingToDoExits2WithTheErrorOnStderr() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("empty"), withIntermediateDirectories: true)
    let check = try HandoutCLI.run(["check", "empty"], in: dir)
    XCTAssertEqual(check.status, 2)
    XCTAssertEqual(check.stdout, "")
    XCTAssertEqual(check.stderr, "error: no notebooks (*.md) in empty\n")

    try "x".write(to: dir.appendingPathComponent("empty/x.txt"), atomically: true, encoding: .utf8)
    let new = try HandoutCLI.run(["new", "empty"], in: dir)
    XCTAssertEqual(new.status, 2)
    XCTAssertEqual(new.stdout, "")
    XCTAssertEqual(new.stderr, "error: empty exists and is not empty; name a new folder\n")
  }

  func testTanglePrintsTheProgramOnStdoutAndErrorsOnStderr() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try "# T\n\n```swift\nlet answer = 6 * 7\n```\n".write(
      to: dir.appendingPathComponent("t.md"), atomically: true, encoding: .utf8)
    let good = try HandoutCLI.run(["tangle", "t.md"], in: dir)
    XCTAssertEqual(good.status, 0, good.stderr)
    XCTAssertEqual(good.stderr, "")
    XCTAssertTrue(good.stdout.contains("import HandoutKit\n"), good.stdout)
    XCTAssertTrue(good.stdout.contains("let answer = 6 * 7\n"), good.stdout)

    let missing = try HandoutCLI.run(["tangle", "nope.md"], in: dir)
    XCTAssertEqual(missing.status, 2)
    XCTAssertEqual(missing.stdout, "")
    XCTAssertTrue(missing.stderr.hasPrefix("error: cannot read nope.md"), missing.stderr)

    try "# Bad\n\n```swift\nlet x = 1\n".write(
      to: dir.appendingPathComponent("bad.md"), atomically: true, encoding: .utf8)
    let bad = try HandoutCLI.run(["tangle", "bad.md"], in: dir)
    XCTAssertEqual(bad.status, 2)
    XCTAssertEqual(bad.stdout, "")
    XCTAssertTrue(bad.stderr.contains("bad.md:3:1: error: code fence ``` is never closed"), bad.stderr)
  }

  func testCheckExitCodesReportAndUpdate() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let source =
      "# U\n\n```swift\nlet v = 1.5\nexpect(v, equals: 1.25)\nprint(v * 2)\n```\n\n```output\n3.5\n```\n"
    try source.write(to: notebooks.appendingPathComponent("u.md"), atomically: true, encoding: .utf8)

    // A broken notebook beside it is reported and does not stop the others.
    let bad = notebooks.appendingPathComponent("bad.md")
    try "# Bad\n\n```swift\nlet x = 1\n".write(to: bad, atomically: true, encoding: .utf8)
    let withBad = try HandoutCLI.run(["check"], in: dir)
    XCTAssertEqual(withBad.status, 1)
    let unclosed = "notebooks/bad.md:3:1: error: code fence ``` is never closed"
    XCTAssertTrue(withBad.stdout.contains(unclosed), withBad.stdout)
    XCTAssertTrue(withBad.stdout.contains("notebooks/u.md:5:1: error: expectation failed"), withBad.stdout)
    try FileManager.default.removeItem(at: bad)

    let failing = try HandoutCLI.run(["check", "--junit", "report.xml"], in: dir)
    XCTAssertEqual(failing.status, 1, failing.stdout + failing.stderr)
    XCTAssertTrue(failing.stdout.contains("notebooks/u.md:5:1: error: expectation failed"), failing.stdout)
    XCTAssertTrue(
      failing.stdout.contains("notebooks/u.md:10:1: error: published output differs"), failing.stdout)
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report.xml").path))
    // Progress is for the person waiting, on stderr; stdout is the report alone.
    XCTAssertTrue(failing.stderr.contains("notebooks/u.md: "), failing.stderr)
    XCTAssertFalse(failing.stdout.contains("notebooks/u.md: running"), failing.stdout)

    let update = try HandoutCLI.run(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 0, update.stdout + update.stderr)
    XCTAssertTrue(
      update.stdout.contains("notebooks/u.md:5:19: updated expected value: 1.25 → 1.5"), update.stdout)
    let updated = try String(contentsOf: notebooks.appendingPathComponent("u.md"), encoding: .utf8)
    XCTAssertEqual(
      updated,
      source.replacingOccurrences(of: "1.25", with: "1.5").replacingOccurrences(of: "3.5", with: "3.0"))

    let passing = try HandoutCLI.run(["check"], in: dir)
    XCTAssertEqual(passing.status, 0, passing.stdout + passing.stderr)
    XCTAssertTrue(passing.stdout.contains("all 1 notebook passed"), passing.stdout)
  }

  /// A notebook saved again while `check --update` ran it (the instructor's editor; here the
  /// program itself, adding a paragraph above its code) is not rewritten from the old run's lines
  /// and columns, which would now land in other lines: it stays as saved, and the error says why.
  func testUpdateLeavesANotebookSavedDuringTheCheckAsItIs() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let source = #"""
      # U

      ```swift
      let url = dataFile("u.md")
      let text = try! String(contentsOf: url, encoding: .utf8)
      let careful = 1.0 + 2.0 + 3.0 + 4.0 + 5.0 + 6.0 + 7.0
      try! ("# U\n\nA new paragraph.\n" + text.dropFirst(4)).write(to: url, atomically: true, encoding: .utf8)
      let v = 2.0
      expect(v, equals: 1.0)
      ```

      """#
    let file = dir.appendingPathComponent("u.md")
    try source.write(to: file, atomically: true, encoding: .utf8)
    let update = try HandoutCLI.run(["check", "u.md", "--update"], in: dir)
    XCTAssertEqual(update.status, 1, update.stdout + update.stderr)
    XCTAssertTrue(
      update.stderr.contains("u.md changed while it was checked; it was not updated"),
      update.stdout + update.stderr)
    let saved = "# U\n\nA new paragraph.\n" + source.dropFirst(4)
    XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), saved)
  }

  /// Under an address-space limit too small for its threads (`ulimit -v` of 120 to 160 MiB),
  /// `handout` waited for ever for a thread (ignoring Ctrl-C) or trapped in the preview server; at
  /// 390–490 MiB a render trapped in Foundation reading the compiler's output, crashed, or waited
  /// for ever beside a zombie compiler, deaf to SIGTERM: it says so and exits 2 instead.
  func testTooSmallAddressSpaceIsAnErrorNotAHangOrATrap() throws {
    let dir = try course(["a.md": "# A\n\n```swift\nprint(1)\n```\n"])
    for (kibibytes, command) in [
      (125_000, ["render", "--fresh"]), (155_000, ["preview", "--port", "0"]),
      (400_000, ["render", "--fresh"]),
      (450_000, ["check", "--fresh", "--jobs", "2"]), (500_000, ["render", "--fresh"]),
    ] {
      let arguments = command + ["notebooks"] + (command[0] == "check" ? [] : ["-o", "out"])
      let (status, stderr) = try Self.run(arguments, limit: "-v \(kibibytes)", in: dir)
      XCTAssertEqual(status, 2, "\(command): \(stderr)")
      XCTAssertTrue(stderr.contains("ulimit -v"), "\(command): \(stderr)")
    }
  }

  /// Chromium does not start under any address-space limit (V8 reserves tens of GiB): a PDF that
  /// was not printed says so, rather than "killed by signal 5".
  func testAPDFNotPrintedUnderAnAddressSpaceLimitSaysWhy() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
      throw XCTSkip("/usr/bin/chromium is not installed (chromium)")
    }
    let dir = try course(["a.md": "# A\n\n```swift\nprint(1)\n```\n"])
    let (status, stderr) = try Self.run(
      ["render", "notebooks", "-o", "out", "--pdf"], limit: "-v 2000000", in: dir)
    XCTAssertEqual(status, 1, stderr)
    XCTAssertTrue(stderr.contains("a.pdf was not printed"), stderr)
    XCTAssertTrue(stderr.contains("address-space limit (ulimit -v is 1953 MiB)"), stderr)
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/a.html").path))
  }

  /// A soft stack limit of 128 KiB (`ulimit -S -s 128`) crashed `handout` in the Swift runtime's
  /// demangler: it is raised (to 8 MiB, as far as the hard limit allows), and only a hard limit
  /// below 1 MiB is an error before anything runs.
  func testASmallStackLimitIsRaisedOrAnError() throws {
    let dir = try course([
      "a.md": "# A\n\n```swift\nlet xs = (1...10).map { Double($0) }\nprint(xs.reduce(0, +))\n```\n"
    ])
    let soft = try Self.run(["render", "--fresh", "notebooks", "-o", "out"], limit: "-S -s 128", in: dir)
    XCTAssertEqual(soft.0, 0, soft.1)
    let page = try? String(contentsOf: dir.appendingPathComponent("out/a.html"), encoding: .utf8)
    XCTAssertTrue(page?.contains("55.0") == true, soft.1)
    let hard = try Self.run(["render", "--fresh", "notebooks", "-o", "out"], limit: "-s 128", in: dir)
    XCTAssertEqual(hard.0, 2, hard.1)
    XCTAssertTrue(hard.1.contains("the stack limit (ulimit -s) is 128 KiB"), hard.1)
  }

  /// `handout render | head -1`: the reader gone, the next line on stdout killed `handout` with
  /// SIGPIPE mid-render (exit 141, nothing published). A line that cannot be written is lost; the
  /// render goes on and publishes, and its status still tells.
  func testAClosedStandardOutputDoesNotStopTheRender() throws {
    let dir = try course(Self.threeNotebooks)
    for arguments in [["render", "notebooks", "-o", "out"], ["check", "notebooks"]] {
      let process = try HandoutCLI.process(arguments + ["--fresh"], in: dir)
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = pipe
      try pipe.fileHandleForReading.close()
      try process.run()
      process.waitUntilExit()
      XCTAssertEqual(process.terminationReason, .exit, "\(arguments)")
      XCTAssertEqual(process.terminationStatus, 0, "\(arguments)")
    }
    let page = try? String(contentsOf: dir.appendingPathComponent("out/n3.html"), encoding: .utf8)
    XCTAssertTrue(page?.contains("33") == true)
  }

  /// Started with its standard error (or output, or input) closed (`handout render 2>&-`): the
  /// first file `handout` opened took number 2, and a progress line written "to stderr" went into
  /// it, until a write trapped (SIGILL). The three numbers are /dev/null's first; nothing a render
  /// writes holds a progress line.
  func testClosedStandardStreamsAreNotReusedForFiles() throws {
    let dir = try course(Self.threeNotebooks)
    let handout = try HandoutCLI.buildDirectory().appendingPathComponent("handout").path
    for (i, closing) in ["2>&-", ">&-", "<&- >&- 2>&-"].enumerated() {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = [
        "-c", "exec \"$0\" \"$@\" \(closing)", handout, "render", "notebooks", "-o", "out\(i)", "--slides",
      ]
      process.currentDirectoryURL = dir
      try process.run()
      process.waitUntilExit()
      XCTAssertEqual(process.terminationReason, .exit, closing)
      XCTAssertEqual(process.terminationStatus, 0, closing)
      let out = dir.appendingPathComponent("out\(i)")
      let files = FileManager.default.enumerator(atPath: out.path)?.compactMap { $0 as? String } ?? []
      XCTAssertTrue(files.contains("n3/.page.html"), "\(closing): \(files)")
      for file in files {
        let text = (try? String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)) ?? ""
        for line in ["notebooks/n1.md: compiling", "block 0 (line 3)", "wrote 3 handouts"] {
          XCTAssertFalse(text.contains(line), "\(closing): \(file) holds '\(line)'")
        }
      }
    }
  }

  /// n1.md, n2.md and n3.md, which print 11, 22 and 33.
  static let threeNotebooks = Dictionary(
    uniqueKeysWithValues: (1...3).map { i in ("n\(i).md", "# N\(i)\n\n```swift\nprint(\(i * 11))\n```\n") })

  /// A fresh folder with `notebooks/<name>` holding each of `notebooks`' texts.
  func course(_ notebooks: [String: String]) throws -> URL {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let folder = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in notebooks {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return dir
  }

  /// `handout arguments` in `dir` under `ulimit <limit>`: its status and stderr (killed, and a
  /// failure, when it still runs after 300 s).
  static func run(_ arguments: [String], limit: String, in dir: URL) throws -> (Int32, String) {
    let handout = try HandoutCLI.buildDirectory().appendingPathComponent("handout").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "ulimit \(limit) && exec \"$0\" \"$@\"", handout] + arguments
    process.currentDirectoryURL = dir
    let err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let handle = try FileHandle(forWritingTo: err)
    process.standardError = handle
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(300)
    while process.isRunning && Date() < deadline { usleep(100_000) }
    let hung = process.isRunning
    if hung { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    try handle.close()
    let stderr = try String(contentsOf: err, encoding: .utf8)
    XCTAssertFalse(hung, "\(arguments) under ulimit \(limit) still ran after 300 s: \(stderr)")
    return (process.terminationStatus, stderr)
  }
}
