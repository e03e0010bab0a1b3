import XCTest

@testable import Literate

/// Issue 14: an installed Handout, a new course, shared code, data tables and parameters.
final class CourseOfOnesOwnTests: XCTestCase {
  /// The package's root, from this file's path.
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Runs `executable` in `dir` with a plain environment; its status and output.
  func run(_ executable: String, _ arguments: [String], in dir: URL) throws -> (status: Int32, output: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    for name in ["HANDOUT_RUNTIME", "HANDOUT_CACHE", "HANDOUT_TEMPLATES", "GITHUB_ACTIONS"] {
      env.removeValue(forKey: name)
    }
    process.environment = env
    return try Support.output(of: process)
  }

  /// `scripts/install.sh` of the built `handout` into a temporary prefix.
  func install() throws -> (prefix: URL, handout: String) {
    let build = try Support.runtime().buildDirectory
    guard FileManager.default.isExecutableFile(atPath: build.appendingPathComponent("handout").path) else {
      throw XCTSkip("handout is not built")
    }
    let prefix = try Support.temporaryDirectory(self).appendingPathComponent("prefix")
    let script = Self.packageRoot.appendingPathComponent("scripts/install.sh").path
    let installed = try run("/bin/bash", [script, build.path, prefix.path], in: Self.packageRoot)
    XCTAssertEqual(installed.status, 0, installed.output)
    return (prefix, prefix.appendingPathComponent("bin/handout").path)
  }

  /// A PREFIX that cannot be made (a file stands there) is one line naming it and why, and
  /// nothing is installed (mkdir said it once for each of three folders).
  func testInstallingWhereAFileStandsSaysSoOnce() throws {
    let build = try Support.runtime().buildDirectory
    let dir = try Support.temporaryDirectory(self)
    let prefix = dir.appendingPathComponent("afile")
    try Support.write("a file\n", to: prefix)
    let script = Self.packageRoot.appendingPathComponent("scripts/install.sh").path
    let installed = try run("/bin/bash", [script, build.path, prefix.path], in: Self.packageRoot)
    XCTAssertEqual(installed.status, 1, installed.output)
    XCTAssertEqual(
      installed.output.split(separator: "\n").count, 1, "one line: \(installed.output)")
    XCTAssertTrue(
      installed.output.hasPrefix("install.sh: cannot install into \(prefix.path): "), installed.output)
    XCTAssertTrue(
      installed.output.contains("Not a directory; choose a PREFIX you can write"), installed.output)
    XCTAssertEqual(try Support.text(prefix), "a file\n")
  }

  func testAnInstalledHandoutStartsACourseThatRendersAndChecks() throws {
    let (prefix, handout) = try install()
    let outside = try Support.temporaryDirectory(self)
    XCTAssertFalse(outside.path.hasPrefix(Self.packageRoot.path), "the course lives outside the source tree")
    let made = try run(handout, ["new", "course"], in: outside)
    XCTAssertEqual(made.status, 0, made.output)
    let course = outside.appendingPathComponent("course")
    for file in [
      "notebooks/01-first-network.md", "data/points.csv", ".gitignore", ".github/workflows/handout.yml",
      "README.md",
    ] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: course.appendingPathComponent(file).path), file)
    }
    XCTAssertNotEqual(
      try run(handout, ["new", "course"], in: outside).status, 0, "refuses a folder that has files")

    let check = try run(handout, ["check"], in: course)
    XCTAssertEqual(check.status, 0, check.output)
    XCTAssertTrue(
      check.output.contains("ok   notebooks/01-first-network.md: 3/3 checks passed"), check.output)
    // Found in the prefix, not in this checkout.
    let lib = prefix.appendingPathComponent("lib/handout").path
    XCTAssertTrue(FileManager.default.fileExists(atPath: lib + "/CCairo/module.modulemap"))

    let render = try run(handout, ["render"], in: course)
    XCTAssertEqual(render.status, 0, render.output)
    let page = try String(
      contentsOf: course.appendingPathComponent("output/01-first-network.html"), encoding: .utf8)
    XCTAssertTrue(page.contains("40 points, 2 classes"), "the CSV-driven number")
    XCTAssertTrue(page.contains("katex"), "math")
    XCTAssertTrue(
      FileManager.default.fileExists(
        atPath: course.appendingPathComponent("output/01-first-network/boundary-1.svg").path))
    XCTAssertTrue(page.contains("<a class=\"xref\" href=\"#fig-boundary\">Figure 1</a>"), "the reference")
    XCTAssertTrue(page.contains("callout-tip") && page.contains("class=\"solution\""), "a tip and a solution")
    // The installed templates make the student's edition and its deck too.
    let student = try run(
      handout, ["render", "--profile", "student", "--slides", "-o", "student"], in: course)
    XCTAssertEqual(student.status, 0, student.output)
    for file in ["student/01-first-network.html", "student/01-first-network.slides.html"] {
      let text = try String(contentsOf: course.appendingPathComponent(file), encoding: .utf8)
      XCTAssertTrue(text.contains("Count the classes"), "\(file) sets the exercise")
      XCTAssertFalse(text.contains("of class 1"), "\(file) leaves its solution out")
    }

    // A row added to the CSV: the published count no longer holds, and check says so.
    let csv = course.appendingPathComponent("data/points.csv")
    let rows = try String(contentsOf: csv, encoding: .utf8)
    try (rows + "0.1,0.2,1\n").write(to: csv, atomically: true, encoding: .utf8)
    let after = try run(handout, ["check"], in: course)
    XCTAssertEqual(after.status, 1, after.output)
    XCTAssertTrue(after.output.contains("41 points, 2 classes"), after.output)

    // Parameters: an override re-runs (not cached), a typo and a wrong type are errors naming them.
    try rows.write(to: csv, atomically: true, encoding: .utf8)
    let seeded = try run(handout, ["check", "--param", "seed=7"], in: course)
    XCTAssertFalse(seeded.output.contains("cached"), seeded.output)
    XCTAssertEqual(try run(handout, ["render", "--param", "seed=7"], in: course).status, 0)
    let header = try String(
      contentsOf: course.appendingPathComponent("output/01-first-network.html"), encoding: .utf8)
    XCTAssertTrue(
      header.contains(
        "Parameters: <code>seed = 7</code> <span class=\"param-default\">(default 1)</span> <code>epochs = 300</code>"
      ),
      "the page says its parameters")
    let typo = try run(handout, ["check", "--param", "sed=7"], in: course)
    XCTAssertEqual(typo.status, 2)
    XCTAssertTrue(typo.output.contains("--param sed: no notebook declares a parameter 'sed'"), typo.output)
    let wrongType = try run(handout, ["check", "--param", "seed=abc"], in: course)
    XCTAssertEqual(wrongType.status, 1)
    XCTAssertTrue(
      wrongType.output.contains(
        "notebooks/01-first-network.md:6:3: error: --param seed=abc: 'seed' is an integer (default 1)"),
      wrongType.output)

    let removed = try run(
      "/bin/bash", [Self.packageRoot.path + "/scripts/install.sh", "--uninstall", prefix.path], in: outside)
    XCTAssertEqual(removed.status, 0)
    XCTAssertFalse(FileManager.default.fileExists(atPath: handout))
  }

  // MARK: shared code

  func testSharedCodeIsCompiledOnceAndReRunsExactlyItsNotebooks() throws {
    let dir = try Support.temporaryDirectory(self)
    let course = dir.appendingPathComponent("course")
    let other = dir.appendingPathComponent("other")
    let shared = course.appendingPathComponent("_shared")
    try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    let helper = shared.appendingPathComponent("helpers.swift")
    try "func twice(_ x: Int) -> Int { 2 * x }\n".write(to: helper, atomically: true, encoding: .utf8)
    let a = try Support.write("```swift\nprint(twice(2))\n```\n", "a.md", in: course)
    let b = try Support.write("```swift\nprint(twice(5))\n```\n", "b.md", in: course)
    let c = try Support.write("```swift\nprint(3)\n```\n", "c.md", in: other)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    func texts(_ outcomes: [NotebookOutcome]) -> [String] {
      outcomes.map { $0.run?.blocks[0]?.text ?? "\($0.error?.description ?? "no run")" }
    }

    let first = Pipeline.processAll([a, b, c], jobs: 1, options: options)
    XCTAssertEqual(texts(first), ["4\n", "10\n", "3\n"])
    let again = Pipeline.processAll([a, b, c], jobs: 1, options: options)
    XCTAssertEqual(again.map { $0.run?.cached }, [true, true, true])

    try "func twice(_ x: Int) -> Int { x + x + 1 }\n".write(to: helper, atomically: true, encoding: .utf8)
    let edited = Pipeline.processAll([a, b, c], jobs: 1, options: options)
    XCTAssertEqual(texts(edited), ["5\n", "11\n", "3\n"])
    XCTAssertEqual(
      edited.map { $0.run?.cached }, [false, false, true], "exactly the notebooks that import it")

    // A compile error: at its line in the shared file, reported once.
    try "func twice(_ x: Int) -> Int {\n  x + \"a\"\n}\n".write(to: helper, atomically: true, encoding: .utf8)
    let broken = Pipeline.processAll([a, b, c], jobs: 1, options: options)
    let errors = broken.flatMap(\.problems)
    let located = errors.filter { $0.location?.file == "\(course.path)/_shared/helpers.swift" }
    XCTAssertEqual(located.count, 1, errors.map(\.description).joined(separator: "\n"))
    XCTAssertEqual(located.first?.location?.line, 2)
    XCTAssertTrue(
      broken[1].problems.first?.message.hasPrefix(
        "the shared code in \(course.path)/_shared does not compile")
        == true, "\(broken[1].problems)")
    XCTAssertNil(broken[2].error, "a folder without shared code is unaffected")
  }

  // MARK: data tables

  func testCSVTablesAndTheirErrors() throws {
    let dir = try Support.temporaryDirectory(self)
    try "a;b;kind\n1;2;cat\n3;4;dog\n5;6;bird\n".write(
      to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
    try "a,b,y\n1,2,0\n3,,1\n".write(
      to: dir.appendingPathComponent("gap.csv"), atomically: true, encoding: .utf8)
    try "1\t0.5\n2\t1.5\n".write(
      to: dir.appendingPathComponent("bare.tsv"), atomically: true, encoding: .utf8)
    let path = try Support.write(
      """
      ```swift
      let t = try Dataset(csv: "t.csv", label: "kind", separator: ";")
      print(t.X.rows, t.X.cols, t.Y.cols, t.labels ?? [])
      let bare = try Dataset(csv: "bare.tsv", label: "V2", classes: false, header: false, separator: "\\t")
      print(bare.count, bare.Y.storage)
      ```

      ```swift
      do { _ = try Dataset(csv: "gap.csv", label: "y") } catch { print(error) }
      do { _ = try Dataset(csv: "t.csv", features: ["x"], label: "kind", separator: ";") } catch { print(error) }
      ```
      """, "csv.md", in: dir)
    let (_, run) = try Support.run(
      try String(contentsOfFile: path, encoding: .utf8), path: path,
      options: try Support.options(cache: dir.appendingPathComponent("cache")))
    // Classes numbered in sorted order: bird 0, cat 1, dog 2 → one-hot, 3 columns.
    XCTAssertEqual(run.blocks[0]?.text, "3 2 3 [1, 2, 0]\n2 [0.5, 1.5]\n", "\(run)")
    XCTAssertEqual(run.blocks[1]?.text.isEmpty, false)
    XCTAssertEqual(
      run.blocks[1]?.text,
      "gap.csv: row 2, column 2 ('b'): missing value\n"
        + "t.csv: no column 'x' (the header has 'a', 'b', 'kind')\n")
  }
}
