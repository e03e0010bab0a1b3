import XCTest

@testable import Literate

/// `Pipeline.render`, the one entry `handout render`, `check` and `preview` wire their options to.
final class RenderEntryTests: XCTestCase {
  static let withParameter =
    "---\nparams:\n  seed: 3\n---\n# A\n\n```swift\nlet seed: Int = param(\"seed\")\nprint(\"seed \\(seed)\")\n```\n"
  static let plain = "# B\n\n```swift\nprint(\"plain\")\n```\n"

  func testEachNotebookIsParsedOnceWhateverTheFormats() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    _ = try Support.write(Self.withParameter, "a.md", in: notebooks)
    _ = try Support.write(Self.plain, "b.md", in: notebooks)
    var options = try Support.options()
    options.parameters = ["seed": "7"]
    var request = RenderRequest(paths: [notebooks.path]) { options }
    request.publication = Publication(
      out: dir.appendingPathComponent("out"), weave: WeaveOptions(), options: PublishOptions(slides: true))
    let before = Pipeline.loads.value
    let report = try Pipeline.render(request)
    XCTAssertEqual(
      Pipeline.loads.value - before, 2, "two notebooks, each parsed once (params checked on the same parse)")
    XCTAssertEqual(report.outcomes.map(\.failed), [false, false])
    XCTAssertTrue(report.outcomes[0].run?.blocks[0]?.text.contains("seed 7") ?? false)
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/b.slides.html").path))
  }

  func testAParameterNoNotebookDeclaresStopsEverythingBeforeItRuns() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.plain, "b.md", in: dir)
    var options = try Support.options()
    options.parameters = ["sede": "7"]
    var request = RenderRequest(paths: [path]) { options }
    var ran: [String] = []
    request.willRun = { ran = $0 }
    XCTAssertThrowsError(try Pipeline.render(request)) { error in
      XCTAssertEqual(
        (error as? HandoutError)?.description,
        "error: --param sede: no notebook declares a parameter 'sede' under params: (declared: none)")
    }
    XCTAssertEqual(ran, [])
  }

  func testCheckingWritesNothing() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.plain, "b.md", in: dir)
    let options = try Support.options()
    let report = try Pipeline.render(RenderRequest(paths: [path]) { options })
    XCTAssertEqual(report.outcomes.map(\.failed), [false])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["b.md"])
  }
}
