import XCTest

@testable import Literate

/// A page does not depend on the path `handout` was given: a shared helper's
/// `file: String = #filePath` default (its caller's place) and its own `#filePath` said the
/// notebook and the helper as named on the command line (`notebooks/x.md`, or `/home/…/x.md`
/// when started elsewhere), and the colophon named the notebook so too.
final class CallerPathTests: XCTestCase {
  static let helper = """
    func place(file: String = #filePath, line: Int = #line) -> String { "\\(file):\\(line)" }
    func helperFile() -> String { #filePath }
    func placeInHelper() -> String { place() }

    """

  static let notebook = """
    # Places

    ```swift
    print(place(), placeInHelper(), helperFile())
    ```

    """

  /// The course rendered as `handout render notebooks` from its folder and as
  /// `handout render /abs/…/notebooks` from `/`, each with a cache of its own (both run): the
  /// same bytes, the places named from the notebooks' folder.
  func testTheSameCourseRenderedFromAnotherFolderGivesTheSameBytes() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try Support.write(Self.helper, to: notebooks.appendingPathComponent("_shared/helpers.swift"))
    try Support.write(Self.notebook, to: notebooks.appendingPathComponent("places.md"))

    let here = try Support.handout(
      ["render", "notebooks", "--out", "here", "--slides"], in: dir, cache: dir.appendingPathComponent("c1"))
    XCTAssertEqual(here.status, 0, here.output)
    let there = try Support.handout(
      ["render", notebooks.path, "--out", dir.appendingPathComponent("there").path, "--slides"],
      in: URL(fileURLWithPath: "/"), cache: dir.appendingPathComponent("c2"))
    XCTAssertEqual(there.status, 0, there.output)
    XCTAssertFalse(there.output.contains("cached"), "both really ran: \(there.output)")

    let page = try Support.text(dir.appendingPathComponent("here/places.html"))
    XCTAssertTrue(
      page.contains("places.md:4 _shared/helpers.swift:3 _shared/helpers.swift\n"), page)
    XCTAssertTrue(page.contains("from <code>notebooks/places.md</code>"), page)
    let files = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("here").path)
    XCTAssertEqual(
      files.sorted(),
      try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("there").path).sorted())
    for file in files {
      let url = dir.appendingPathComponent("here/\(file)")
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
      XCTAssertEqual(
        try Data(contentsOf: url), try Data(contentsOf: dir.appendingPathComponent("there/\(file)")), file)
    }
  }

  /// A compile error in the shared code is still at its line in the file as `handout` was given it.
  func testACompileErrorInSharedCodeNamesTheFileAsGiven() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try Support.write(
      "let a = 1\nlet b: Int = \"text\"\n", to: notebooks.appendingPathComponent("_shared/bad.swift"))
    try Support.write(Self.notebook, to: notebooks.appendingPathComponent("places.md"))
    let result = try Support.handout(
      ["check", "notebooks"], in: dir, cache: dir.appendingPathComponent("cache"))
    XCTAssertEqual(result.status, 1, result.output)
    XCTAssertTrue(
      result.output.contains("notebooks/_shared/bad.swift:2:14: error: cannot convert"), result.output)
  }
}
