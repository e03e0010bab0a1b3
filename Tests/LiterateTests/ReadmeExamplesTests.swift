import XCTest

@testable import Literate

/// The Swift and Markdown README.md shows beyond its complete small notebook
/// (`DocumentationExampleTests`): "Neural in five lines" prints what its comment says, and every
/// ````markdown example parses.
final class ReadmeExamplesTests: XCTestCase {
  static func readme() throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    return try String(contentsOf: url, encoding: .utf8)
  }

  func testNeuralInFiveLinesPrintsWhatItsCommentSays() throws {
    let text = try Self.readme()
    let start = try XCTUnwrap(text.range(of: "## Neural in five lines\n\n```swift\n"))
    let end = try XCTUnwrap(text.range(of: "```\n", range: start.upperBound..<text.endIndex))
    let code = String(text[start.upperBound..<end.lowerBound])
    let said = try XCTUnwrap(code.components(separatedBy: "// ").last).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let dir = try Support.temporaryDirectory(self)
    let source = "```swift\n\(code)```\n"
    let path = try Support.write(source, "five.md", in: dir)
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertEqual(run.blocks[0]?.text, said + "\n")
  }

  /// Each ````markdown block (the complete notebook, the exercise), its list indentation removed,
  /// is a notebook that parses without a warning.
  func testEveryMarkdownExampleParses() throws {
    let lines = try Self.readme().components(separatedBy: "\n")
    var examples: [String] = []
    var current: [String]?
    var indent = 0
    for line in lines {
      let trimmed = line.drop { $0 == " " }
      if current == nil, trimmed == "````markdown" {
        current = []
        indent = line.count - trimmed.count
      } else if current != nil, trimmed == "````" {
        examples.append(current!.joined(separator: "\n") + "\n")
        current = nil
      } else if current != nil {
        current!.append(String(line.dropFirst(min(indent, line.prefix { $0 == " " }.count))))
      }
    }
    XCTAssertEqual(examples.count, 2)
    for (k, example) in examples.enumerated() {
      let notebook = try Notebook.parse(source: example, path: "example\(k).md")
      XCTAssertEqual(notebook.warnings, [], example)
    }
  }
}
