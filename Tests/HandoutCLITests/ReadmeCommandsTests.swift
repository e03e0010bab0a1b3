import Foundation
import XCTest

/// README.md's "Commands" block is what `handout SUB --help` says: every option it shows exists,
/// and every option a subcommand has is in it or among the common options the README lists under
/// it (`--runtime`, `--cache`, `--optimize`). The commands it writes out elsewhere (`-o`) parse.
final class ReadmeCommandsTests: XCTestCase {
  static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("README.md")

  /// The long options (`--out`) and short ones (`-o`) in `text`.
  static func options(in text: some StringProtocol) -> Set<String> {
    Set(
      text.split(whereSeparator: { " []|…,".contains($0) }).compactMap { word -> String? in
        let option = word.prefix { $0 == "-" || $0.isLetter || $0.isNumber || $0 == "_" }
        return option.hasPrefix("-") && option.count > 1 && !option.hasSuffix("-") ? String(option) : nil
      })
  }

  /// The lines of README's "### Commands" code block, by subcommand.
  static func synopsis() throws -> [String: String] {
    let text = try String(contentsOf: readme, encoding: .utf8)
    let heading = try XCTUnwrap(text.range(of: "### Commands\n\n```\n"))
    let end = try XCTUnwrap(text.range(of: "\n```\n", range: heading.upperBound..<text.endIndex))
    var lines: [String: String] = [:]
    for line in text[heading.upperBound..<end.lowerBound].split(separator: "\n") {
      let words = line.split(separator: " ")
      XCTAssertEqual(words.first, "handout", String(line))
      let usage = line.split(separator: "#").first ?? ""
      lines[String(words[1])] = String(usage)
    }
    return lines
  }

  func testTheCommandsBlockShowsEveryOptionOfEverySubcommandAndNoOther() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let lines = try Self.synopsis()
    XCTAssertEqual(Set(lines.keys), ["render", "check", "preview", "new", "tangle"])
    let common: Set = ["--runtime", "--cache", "--optimize", "--version", "--help", "-h"]
    for (name, line) in lines.sorted(by: { $0.key < $1.key }) {
      let help = try HandoutCLI.run([name, "--help"], in: dir)
      XCTAssertEqual(help.status, 0, help.stderr)
      // The options' own lines (`  -o, --out <out>`), not the options their descriptions mention.
      let options = (help.stdout.components(separatedBy: "\nOPTIONS:\n").last ?? "").split(separator: "\n")
        .filter { $0.hasPrefix("  -") }.map { $0.prefix { $0 != "<" }.split(separator: " ").prefix(2) }
      let has = Self.options(in: options.map { $0.joined(separator: " ") }.joined(separator: " "))
      let shown = Self.options(in: line)
      XCTAssertEqual(shown.subtracting(has), [], "README shows options `handout \(name)` does not have")
      XCTAssertEqual(
        has.subtracting(shown).subtracting(common).filter { $0.hasPrefix("--") }, [],
        "options of `handout \(name)` the README's Commands block leaves out")
    }
  }

  /// The option spellings the README's prose and examples use parse: in a folder without
  /// notebooks each stops at "nothing to do" (2), never at a usage error (64).
  func testTheOptionsTheReadmeWritesOutParse() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    for arguments in [
      ["render", "notebooks/03-x.md", "-o", "output"],
      ["render", "--profile", "student", "--out", "student"],
      ["check", "--param", "seed=7"], ["render", "--slides", "--strict"], ["check", "--shard", "1/4"],
      ["check", "--junit", "report.xml"], ["new", "my-course", "--shards", "4"],
    ] {
      let parsed = try HandoutCLI.run(arguments, in: dir)
      XCTAssertEqual(parsed.status, arguments[0] == "new" ? 0 : 2, "\(arguments): \(parsed.stderr)")
    }
  }
}
