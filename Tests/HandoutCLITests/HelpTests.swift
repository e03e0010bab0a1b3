import Foundation
import XCTest

/// `handout --help` and every subcommand's help, compared whole with `Expected/*.txt`.
/// After a change to the options: `HANDOUT_RECORD_CLI=1 swift test --filter HandoutCLITests`, then
/// read the diff of `Tests/HandoutCLITests/Expected/`.
final class HelpTests: XCTestCase {
  /// The subcommands `handout --help` lists (`render (default)` counts as `render`).
  static func subcommands(inHelp help: String) -> [String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
    var names: [String] = []
    for line in lines[(start + 1)...] {
      if line.isEmpty { break }
      // A subcommand's line starts with two spaces and its name; continuation lines are indented further.
      guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else {
        continue
      }
      names.append(String(name))
    }
    return names
  }

  func testHelpOfHandoutAndEverySubcommandIsVerbatim() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let top = try HandoutCLI.run(["--help"], in: dir)
    XCTAssertEqual(top.status, 0)
    XCTAssertEqual(top.stderr, "")
    try Expected.assertMatches(top.stdout, "handout.txt")

    let subcommands = Self.subcommands(inHelp: top.stdout)
    XCTAssertTrue(
      Set(["render", "check", "tangle", "new"]).isSubset(of: subcommands), "\(subcommands) in\n\(top.stdout)")
    for name in subcommands {
      let help = try HandoutCLI.run([name, "--help"], in: dir)
      XCTAssertEqual(help.status, 0, name)
      XCTAssertEqual(help.stderr, "", name)
      try Expected.assertMatches(help.stdout, "\(name).txt")
      // `handout help NAME` says the same.
      XCTAssertEqual(try HandoutCLI.run(["help", name], in: dir).stdout, help.stdout, name)
    }
  }

  func testHelpNamesEveryOption() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let check = try HandoutCLI.run(["check", "--help"], in: dir)
    XCTAssertEqual(check.status, 0)
    for option in ["--junit", "--update", "--fresh", "--jobs", "--runtime"] {
      XCTAssertTrue(check.stdout.contains(option), "\(option) in\n\(check.stdout)")
    }
    let render = try HandoutCLI.run(["render", "--help"], in: dir)
    XCTAssertEqual(render.status, 0)
    for option in ["--out", "--self-contained", "--templates"] {
      XCTAssertTrue(render.stdout.contains(option), "\(option) in\n\(render.stdout)")
    }
  }

  func testVersion() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let version = try HandoutCLI.run(["--version"], in: dir)
    XCTAssertEqual(version.status, 0)
    XCTAssertEqual(version.stderr, "")
    try Expected.assertMatches(version.stdout, "version.txt")
  }
}
