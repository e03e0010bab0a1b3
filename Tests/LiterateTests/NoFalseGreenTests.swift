import XCTest

@testable import Literate

/// No false green (issue 12): the built `handout` and real notebook runs. `check --update` never
/// reports success while a check still fails, never empties a check, never breaks the notebook;
/// notebook code cannot reach the runtime's channel; the terminal report cannot forge a GitHub
/// annotation; compile errors keep swiftc's notes.
final class NoFalseGreenTests: XCTestCase {
  func handout(_ arguments: [String], in dir: URL, environment extra: [String: String] = [:]) throws -> (
    status: Int32, output: String
  ) {
    try Support.handout(arguments, in: dir, environment: extra)
  }

  /// A folder with `notebooks/<name>` holding `source`; returns the folder and the notebook's URL.
  func notebook(_ source: String, _ name: String) throws -> (dir: URL, file: URL) {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let file = notebooks.appendingPathComponent(name)
    try source.write(to: file, atomically: true, encoding: .utf8)
    return (dir, file)
  }

  func testUpdateExitsNonZeroWhileAnyCheckStillFails() throws {
    let source = """
      # Claims

      ```swift
      let v = 1.5
      let converged = false
      expect(converged, equals: true)
      expect(v, equals: 1.25)
      expect(v * 2, equals: v)
      ```

      """
    let (dir, file) = try notebook(source, "claims.md")
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 1, update.output)
    XCTAssertTrue(
      update.output.contains("notebooks/claims.md:7:19: updated expected value: 1.25 → 1.5"), update.output)
    XCTAssertTrue(
      update.output.contains("1 of 1 notebook still fails after --update (2 problems left)"), update.output)
    let updated = try String(contentsOf: file, encoding: .utf8)
    XCTAssertEqual(updated, source.replacingOccurrences(of: "1.25", with: "1.5"), "only the literal changes")

    let after = try handout(["check"], in: dir)
    XCTAssertEqual(after.status, 1, after.output)
    XCTAssertTrue(after.output.contains("FAIL notebooks/claims.md: 2 of 3 checks failed"), after.output)

    // Nothing it could rewrite: still a failure.
    let (onlyClaims, _) = try notebook("```swift\nexpect(1 > 2, equals: true)\n```\n", "only.md")
    let nothing = try handout(["check", "--update"], in: onlyClaims)
    XCTAssertEqual(nothing.status, 1, nothing.output)
    XCTAssertFalse(nothing.output.contains("updated"), nothing.output)
    XCTAssertTrue(
      nothing.output.contains("1 of 1 notebook still fails after --update (1 problem left)"), nothing.output)
  }

  func testUpdatedOutputWithABacktickFenceLineKeepsTheNotebook() throws {
    let source = """
      # Fences

      ```swift
      print("before\\n```swift\\nfatalError()\\n```\\nafter")
      ```

      ```output
      old
      ```

      The end.

      """
    let (dir, file) = try notebook(source, "fence.md")
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 0, update.output)
    let updated = try String(contentsOf: file, encoding: .utf8)
    XCTAssertTrue(
      updated.contains("````output\nbefore\n```swift\nfatalError()\n```\nafter\n````\n\nThe end.\n"), updated)
    let after = try handout(["check"], in: dir)
    XCTAssertEqual(after.status, 0, after.output)
    XCTAssertTrue(after.output.contains("1/1 checks passed"), after.output)
  }

  func testUpdateWritesTheDigitsOfTheToleranceAndShowsTheMessage() throws {
    let source = """
      ```swift
      let x = 0.123456789
      expect(x, equals: 0.1, tolerance: 1e-4, "x is about a tenth")
      ```

      """
    let (dir, file) = try notebook(source, "digits.md")
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 0, update.output)
    XCTAssertTrue(
      update.output.contains(
        "updated expected value: 0.1 → 0.12346 (its message: \"x is about a tenth\"; check that the text still holds)"
      ), update.output)
    let updated = try String(contentsOf: file, encoding: .utf8)
    XCTAssertTrue(
      updated.contains("expect(x, equals: 0.12346, tolerance: 1e-4, \"x is about a tenth\")"), updated)
  }

  func testNotebookCodeCannotReadTheRuntimeChannel() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      ```swift
      for name in ["HANDOUT_NONCE", "HANDOUT_EVENTS", "HANDOUT_FIGURES", "HANDOUT_NOTEBOOK"] {
        let viaFoundation = ProcessInfo.processInfo.environment[name] ?? "nil"
        let viaC = getenv(name).map { String(cString: $0) } ?? "nil"
        print(name, viaFoundation, viaC)
      }
      let env = Process()
      env.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      let pipe = Pipe()
      env.standardOutput = pipe
      try env.run()
      let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      env.waitUntilExit()
      let channel = ["HANDOUT_NONCE=", "HANDOUT_EVENTS=", "HANDOUT_FIGURES=", "HANDOUT_NOTEBOOK="]
      print("a child sees", text.split(separator: "\\n").filter { l in channel.contains { l.hasPrefix($0) } }.count)
      show(Figure(width: 40, height: 30))
      ```

      """
    let path = try Support.write(source, "channel.md", in: dir)
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertEqual(
      run.blocks[0]?.text,
      "HANDOUT_NONCE nil nil\nHANDOUT_EVENTS nil nil\nHANDOUT_FIGURES nil nil\nHANDOUT_NOTEBOOK nil nil\na child sees 0\n",
      "\(run.diagnostics) \(String(describing: run.blocks[0]?.failure))")
    // The runtime itself still has what it took at start.
    XCTAssertEqual(run.blocks[0]?.figures.count, 1)
  }

  func testTerminalReportCannotForgeAGitHubAnnotation() throws {
    let source = """
      ```swift
      print("a\\n::error file=forged.md,line=1::forged by output")
      expect(1, equals: 2, "ok\\n::error file=forged.md,line=2::forged by message")
      ```

      ```output
      a
      ::warning::published
      ```

      """
    let (dir, _) = try notebook(source, "gh.md")
    let plain = try handout(["check"], in: dir)
    XCTAssertEqual(plain.status, 1, plain.output)
    for line in plain.output.split(separator: "\n") {
      XCTAssertFalse(line.drop { $0 == " " }.hasPrefix("::"), "a workflow command at a line start: \(line)")
    }
    XCTAssertTrue(plain.output.contains("\\::error file=forged.md,line=2::forged by message"), plain.output)

    let github = try handout(["check"], in: dir, environment: ["GITHUB_ACTIONS": "true"])
    let commands = github.output.split(separator: "\n").filter { $0.drop { $0 == " " }.hasPrefix("::") }
    XCTAssertEqual(commands.count, 2, github.output)
    XCTAssertTrue(commands.allSatisfy { $0.hasPrefix("::error file=notebooks/gh.md,line=") }, github.output)
  }

  func testCompileErrorKeepsSwiftcNotesWithSourceAndCaret() throws {
    let source = """
      # Notes

      ```swift
      func decisionBoundary(network: Int, data: [Double]) -> Int { network }
      ```

      ```swift
      let b = decisionBoundary(network: 1)
      ```

      """
    let (dir, _) = try notebook(source, "notes.md")
    let check = try handout(["check"], in: dir)
    XCTAssertEqual(check.status, 1, check.output)
    XCTAssertTrue(
      check.output.contains(
        """
        notebooks/notes.md:8:36: error: missing argument for parameter 'data' in call
            8 | let b = decisionBoundary(network: 1)
              |                                    ^
        notebooks/notes.md:4:6: note: 'decisionBoundary(network:data:)' declared here
            4 | func decisionBoundary(network: Int, data: [Double]) -> Int { network }
              |      ^
        """), check.output)
  }

  /// `--update` rewrites literals and published outputs only: a byte-order mark and CRLF line
  /// endings stay, byte for byte.
  func testUpdateKeepsTheByteOrderMarkAndLineEndings() throws {
    let source =
      "\u{FEFF}# Kept\r\n\r\n```swift\r\nprint(\"new\")\r\nexpect(2, equals: 3)\r\n```\r\n\r\n"
      + "```output\r\nold\r\n```\r\n\r\nThe end.\r\n"
    let (dir, file) = try notebook(source, "bom.md")
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 0, update.output)
    let expected = source.replacingOccurrences(of: "equals: 3", with: "equals: 2").replacingOccurrences(
      of: "\r\nold\r\n", with: "\r\nnew\r\n")
    XCTAssertEqual(try Data(contentsOf: file), Data(expected.utf8))
    let after = try handout(["check"], in: dir)
    XCTAssertEqual(after.status, 0, after.output)
  }

  /// A notebook that is a symlink (a course sharing notebooks) is rewritten where it really is:
  /// the link stays a link, the file keeps its permissions.
  func testUpdateWritesThroughASymlinkAndKeepsThePermissions() throws {
    let source = "# Linked\n\n```swift\nexpect(2, equals: 3)\n```\n"
    let (dir, _) = try notebook("", "placeholder.md")
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.removeItem(at: notebooks.appendingPathComponent("placeholder.md"))
    let real = dir.appendingPathComponent("shared/real.md")
    try FileManager.default.createDirectory(
      at: real.deletingLastPathComponent(), withIntermediateDirectories: true)
    try source.write(to: real, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: real.path)
    let link = notebooks.appendingPathComponent("linked.md")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "../shared/real.md")
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 0, update.output)
    XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "../shared/real.md")
    XCTAssertEqual(
      try String(contentsOf: real, encoding: .utf8),
      source.replacingOccurrences(of: "equals: 3", with: "equals: 2"))
    let mode = try FileManager.default.attributesOfItem(atPath: real.path)[.posixPermissions] as? Int
    XCTAssertEqual(mode, 0o640)
  }

  /// A notebook its owner made read-only (`chmod a-w`) is not rewritten: the new writer renames a
  /// temporary file over it, which the folder's permissions allow, so its protection was ignored.
  /// It stays as it was, the error says why, and a writable notebook beside it is still updated.
  func testUpdateLeavesAReadOnlyNotebookAsItIs() throws {
    let source = "# Kept\n\n```swift\nexpect(2, equals: 3)\n```\n"
    let (dir, file) = try notebook(source, "a.md")
    let other = dir.appendingPathComponent("notebooks/b.md")
    try source.write(to: other, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 1, update.output)
    XCTAssertTrue(update.output.contains("a.md is read-only"), update.output)
    XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), source)
    XCTAssertEqual(
      try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int, 0o444)
    XCTAssertEqual(
      try String(contentsOf: other, encoding: .utf8),
      source.replacingOccurrences(of: "equals: 3", with: "equals: 2"))
  }

  /// A published output with `tolerance=` gets the digits its tolerance warrants, not the 16 a
  /// `print` of a Double shows.
  func testUpdateWritesPublishedOutputToItsTolerance() throws {
    let source = """
      ```swift
      let third = 1.0 / 3.0
      print("third", third, "count", 12, "rate", 0.5)
      ```

      ```output tolerance=1e-6
      third 0.3 count 12 rate 0.5
      ```

      """
    let (dir, file) = try notebook(source, "tolerance.md")
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 0, update.output)
    let updated = try String(contentsOf: file, encoding: .utf8)
    XCTAssertEqual(
      updated,
      source.replacingOccurrences(
        of: "third 0.3 count 12 rate 0.5", with: "third 0.3333333 count 12 rate 0.5"))
    let after = try handout(["check"], in: dir)
    XCTAssertEqual(after.status, 0, after.output)
  }

  /// A notebook that fails on something `--update` cannot rewrite (an unknown reference) still
  /// fails after it, and its summary says what failed rather than "n/n checks passed".
  func testUpdateExitsNonZeroAndSaysWhatStillFails() throws {
    let source = """
      # Refs

      ```swift
      expect(1 + 1, equals: 3)
      ```

      As @fig-missing shows.

      """
    let (dir, file) = try notebook(source, "refs.md")
    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 1, update.output)
    XCTAssertTrue(
      update.output.contains("notebooks/refs.md:4:23: updated expected value: 3 → 2"), update.output)
    XCTAssertEqual(
      try String(contentsOf: file, encoding: .utf8),
      source.replacingOccurrences(of: "equals: 3", with: "equals: 2"))
    XCTAssertFalse(update.output.contains("0 checks still failing"), update.output)
    XCTAssertTrue(update.output.contains("1 of 1 notebook still fails after --update"), update.output)

    let after = try handout(["check"], in: dir)
    XCTAssertEqual(after.status, 1, after.output)
    XCTAssertTrue(
      after.output.contains("FAIL notebooks/refs.md: unknown reference @fig-missing"), after.output)
    XCTAssertFalse(after.output.contains("checks passed"), after.output)
  }

  /// Text from a notebook (printed output, messages, titles, file names) reaches the terminal with
  /// its control characters escaped: an OSC 52 sequence cannot write the clipboard, ESC [ cannot
  /// recolour or move the cursor, a CR cannot hide a line.
  func testTerminalReportEscapesControlCharacters() throws {
    let source = """
      ```swift
      print("copy\\u{1B}]52;c;SGVsbG8=\\u{07} red\\u{1B}[31m c1\\u{9B}2J cr\\rhidden")
      expect(1, equals: 2, "bell\\u{07}")
      ```

      ```output
      old
      ```

      """
    let (dir, _) = try notebook(source, "esc\u{1B}[2J.md")
    let check = try handout(["check"], in: dir)
    XCTAssertEqual(check.status, 1, check.output)
    for bad: Unicode.Scalar in ["\u{1B}", "\u{07}", "\u{9B}", "\r"] {
      XCTAssertFalse(
        check.output.unicodeScalars.contains(bad), "raw U+\(String(bad.value, radix: 16)): \(check.output)")
    }
    XCTAssertTrue(check.output.contains("copy\\u{1B}]52;c;SGVsbG8=\\u{7} red\\u{1B}[31m"), check.output)
    XCTAssertTrue(check.output.contains("c1\\u{9B}2J cr\\u{D}hidden"), check.output)
    XCTAssertTrue(check.output.contains("notebooks/esc\\u{1B}[2J.md"), check.output)
  }
}
