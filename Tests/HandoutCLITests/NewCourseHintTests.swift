import XCTest

/// `handout new`'s last line is a command to paste into a shell. Its folder was printed as given:
/// `cd -dash` is an option to `cd`, `cd my course` two words, and a name with a quote or a newline
/// broke the line. The folder is now quoted for the shell, and the line works as printed.
final class NewCourseHintTests: XCTestCase {
  func testTheNextCommandReachesTheNewFolderWhateverItsName() throws {
    for name in ["-dash", "my course", "it's", "new\nline", "plain"] {
      let dir = try HandoutCLI.temporaryDirectory(self)
      let made = try HandoutCLI.run(["new", "--", name], in: dir)
      XCTAssertEqual(made.status, 0, made.stderr)
      guard let start = made.stdout.range(of: "next: ")?.upperBound,
        let end = made.stdout.range(of: " && handout render", range: start..<made.stdout.endIndex)?.lowerBound
      else { return XCTFail(made.stdout) }
      let command = String(made.stdout[start..<end])
      if name == "plain" { XCTAssertEqual(command, "cd plain") }
      let shell = Process()
      shell.executableURL = URL(fileURLWithPath: "/bin/sh")
      shell.arguments = ["-c", command + " && pwd"]
      shell.currentDirectoryURL = dir
      let out = Pipe()
      shell.standardOutput = out
      shell.standardError = FileHandle.nullDevice
      try shell.run()
      let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      shell.waitUntilExit()
      XCTAssertEqual(shell.terminationStatus, 0, "\(name): \(command)")
      XCTAssertEqual(
        printed, dir.resolvingSymlinksInPath().appendingPathComponent(name).path + "\n", "\(name): \(command)"
      )
    }
  }
}
