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
    try assertSameFiles(dir.appendingPathComponent("here"), dir.appendingPathComponent("there"))
  }

  /// A failing page named its failures' places as `handout` was given the notebook
  /// (`./notebooks/fails.md:5:1`, `/tmp/…/notebooks/fails.md:5:1`): rendered from its folder as
  /// `notebooks`, as `./notebooks` and from `/` by its absolute path, the same bytes, each place
  /// named as a passing page names the notebook. The terminal keeps the path as typed.
  func testAFailingPageIsTheSameWhicheverPathHandoutWasGiven() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    let failing = """
      # Fails

      ```swift
      let v = 1.5
      expect(v, equals: 1.25)
      print(v)
      ```

      ```output
      2.0
      ```

      ```swift
      let xs = [1, 2]
      print(xs[xs.count + 3])
      ```

      """
    try Support.write(failing, to: notebooks.appendingPathComponent("fails.md"))
    let ways = [
      ("plain", ["notebooks"], dir), ("dotted", ["./notebooks"], dir),
      ("absolute", [notebooks.path], URL(fileURLWithPath: "/")),
    ]
    for (name, paths, folder) in ways {
      let out = dir.appendingPathComponent(name).path
      let result = try Support.handout(
        ["render"] + paths + ["--out", out, "--slides"], in: folder,
        cache: dir.appendingPathComponent("cache"))
      XCTAssertEqual(result.status, 1, result.output)
      XCTAssertTrue(
        result.output.contains("\(paths[0])/fails.md:5:1: error: expectation failed"), result.output)
    }
    let page = try Support.text(dir.appendingPathComponent("plain/fails.html"))
    XCTAssertTrue(page.contains("notebooks/fails.md:5:1"), page)
    XCTAssertTrue(page.contains("notebooks/fails.md:15:9"), page)
    // The index and the manifest say since when it fails: the time of each render.
    let timed: Set = ["index.html", ".handout-manifest.json"]
    let plain = dir.appendingPathComponent("plain")
    try assertSameFiles(plain, dir.appendingPathComponent("dotted"), except: timed)
    try assertSameFiles(plain, dir.appendingPathComponent("absolute"), except: timed)
  }

  /// The two folders hold the same files with the same bytes (but those named in `except`).
  func assertSameFiles(
    _ one: URL, _ other: URL, except: Set<String> = [], file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let files = try FileManager.default.subpathsOfDirectory(atPath: one.path)
    XCTAssertEqual(
      files.sorted(), try FileManager.default.subpathsOfDirectory(atPath: other.path).sorted(), file: file,
      line: line)
    for name in files where !except.contains(name) {
      let url = one.appendingPathComponent(name)
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
      XCTAssertEqual(
        try Data(contentsOf: url), try Data(contentsOf: other.appendingPathComponent(name)), name, file: file,
        line: line)
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
