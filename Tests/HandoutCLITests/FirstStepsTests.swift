import Foundation
import XCTest

/// A new instructor's first commands, each wrong in a way a newcomer's is: `handout` where there
/// is no course, a subcommand mistyped, a folder of Quarto or R Markdown files. Each error says
/// what to do, on stderr, exit 2.
final class FirstStepsTests: XCTestCase {
  func testHandoutOutsideACourseSaysHowToStartOne() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    for arguments in [[], ["render"], ["check"]] {
      let result = try HandoutCLI.run(arguments, in: dir)
      XCTAssertEqual(result.status, 2, "\(arguments)")
      XCTAssertEqual(result.stdout, "")
      XCTAssertEqual(
        result.stderr,
        "error: cannot read notebooks: no such file or folder\n"
          + "hint: there is no notebooks/ folder here: run handout in a course's folder, start one with "
          + "`handout new DIR`, or name the notebooks (`handout render x.md`)\n", "\(arguments)")
    }
  }

  func testAMistypedSubcommandNamesTheSubcommands() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let result = try HandoutCLI.run(["chek"], in: dir)
    XCTAssertEqual(result.status, 2)
    XCTAssertEqual(
      result.stderr,
      "error: cannot read chek: no such file or folder\n"
        + "hint: chek is no subcommand (did you mean check?); they are render, check, preview, tangle and new\n"
    )
    // A path that is not like a subcommand gets no hint.
    let other = try HandoutCLI.run(["check", "lecture-1.md"], in: dir)
    XCTAssertEqual(other.stderr, "error: cannot read lecture-1.md: no such file or folder\n")
  }

  func testAFolderOfQuartoOrRMarkdownFilesSaysTheyAreNotRead() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let folder = dir.appendingPathComponent("lectures")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for name in ["01-intro.qmd", "02-mlp.Rmd", "03-cnn.ipynb"] {
      try "# x\n".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let result = try HandoutCLI.run(["check", "lectures"], in: dir)
    XCTAssertEqual(result.status, 2)
    XCTAssertEqual(
      result.stderr,
      "error: no notebooks (*.md) in lectures\n"
        + "hint: lectures holds 01-intro.qmd, 02-mlp.Rmd and 03-cnn.ipynb: Handout reads Markdown notebooks "
        + "named *.md (```swift blocks run; rename a .qmd or .Rmd to .md and see what check says)\n")
  }
}
