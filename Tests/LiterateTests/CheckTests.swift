import XCTest

@testable import Literate

final class CheckTests: XCTestCase {
  func testExactComparisonIgnoresTrailingSpaces() {
    XCTAssertTrue(Checker.compare(expected: "[1] 1 2  \n", actual: "[1] 1 2\n\n", tolerance: nil).passed)
    XCTAssertTrue(Checker.compare(expected: "Call:\nlm()", actual: "\nCall:\nlm()\n", tolerance: nil).passed)
    XCTAssertFalse(Checker.compare(expected: "Call:\nlm()", actual: "Call:\n\nlm()", tolerance: nil).passed)
    let r = Checker.compare(expected: "a\nb", actual: "a\nc", tolerance: nil)
    XCTAssertFalse(r.passed)
    XCTAssertEqual(r.line, 1)
    XCTAssertEqual(r.difference, "line 2 differs: published `b`, printed `c`")
    XCTAssertEqual(Checker.compare(expected: "a", actual: "a\nb", tolerance: nil).line, 1)
    XCTAssertEqual(Checker.compare(expected: "a\nb", actual: "a", tolerance: nil).line, 1)
    XCTAssertFalse(Checker.compare(expected: "1.0", actual: "1.00", tolerance: nil).passed)
  }

  func testToleranceComparesNumbersTokenByToken() {
    let published = "[1] 0.04742587 0.05752359 0.95730271 0.96489475"
    XCTAssertTrue(
      Checker.compare(
        expected: published, actual: "[1]  0.047425871 0.05752359 0.9573027 0.96489475", tolerance: 1e-7
      ).passed)
    let r = Checker.compare(
      expected: published, actual: "[1] 0.04742587 0.05752359 0.95740271 0.96489475", tolerance: 1e-6)
    XCTAssertFalse(r.passed)
    XCTAssertEqual(r.line, 0)
    XCTAssertTrue(
      r.difference?.contains("number 4: published 0.95730271, printed 0.95740271") == true, r.difference ?? ""
    )
    XCTAssertFalse(Checker.compare(expected: "alpha = 1.5", actual: "beta = 1.5", tolerance: 1).passed)
    XCTAssertFalse(Checker.compare(expected: "1 2", actual: "1 2 3", tolerance: 1).passed)
    XCTAssertTrue(
      Checker.compare(
        expected: "x1 = -1e-3, w_2 = 2", actual: "x1 = -0.001, w_2 = 2.0000001", tolerance: 1e-6
      ).passed)
    XCTAssertEqual(Checker.numbers(in: "x1 = -1.5e+2, [3]").1, [-150, 3])
    XCTAssertEqual(Checker.numbers(in: "x1 = -1.5e+2, [3]").0, "x1 = #, [#]")
  }

  func testPublishedChecksAreAddedToTheBlock() throws {
    let nb = try Notebook.parse(source: "```swift\ny\n```\n```output\n[1] 1\n[1] 2\n```\n", path: "n.md")
    var run = RunResult(blocks: [0: BlockResult(blockIndex: 0, text: "[1] 1\n", value: "[1] 3")])
    run = Checker.check(nb, run)
    let check = try XCTUnwrap(run.blocks[0]?.checks.first)
    XCTAssertEqual(check.kind, .publishedOutput)
    XCTAssertFalse(check.passed)
    XCTAssertEqual(check.location, SourceLocation(file: "n.md", line: 6, column: 1))
    XCTAssertEqual(check.replacement, "[1] 1\n[1] 3")
    XCTAssertTrue(run.failed)
    // Checking twice does not add the check twice.
    XCTAssertEqual(Checker.check(nb, run).blocks[0]?.checks.count, 1)
  }

  func testUpdateRewritesOnlyTheFailedValues() throws {
    let source =
      "\u{FEFF}# T\r\n\r\n```swift\r\nlet y = 2.5\r\nexpect(y, equals: 2.4, tolerance: 0.01)\r\nexpect(y, equals: 2.5)\r\n  expect([y],\r\n    equals: [1.0])\r\ny\r\n```\r\n```output\r\nold\r\n```\r\nprose stays  \r\n"
    let nb = try Notebook.parse(source: source, path: "u.md")
    var run = RunResult(blocks: [
      0: BlockResult(
        blockIndex: 0, text: "", value: "[1] 2.5\n[1] 2.5",
        checks: [
          {
            var c = CheckResult(
              kind: .expectation, location: SourceLocation(file: "u.md", line: 5, column: 1), passed: false,
              expected: "2.4", actual: "2.5")
            c.replacement = "2.5"
            return c
          }(),
          CheckResult(
            kind: .expectation, location: SourceLocation(file: "u.md", line: 6, column: 1), passed: true,
            expected: "2.5", actual: "2.5"),
          {
            var c = CheckResult(
              kind: .expectation, location: SourceLocation(file: "u.md", line: 7, column: 3), passed: false,
              expected: "[1.0]", actual: "[2.5]")
            c.replacement = "[2.5]"
            return c
          }(),
        ])
    ])
    run = Checker.check(nb, run)
    let (updated, changes) = Updater.update(source: source, notebook: nb, run: run)
    XCTAssertEqual(
      updated,
      "\u{FEFF}# T\r\n\r\n```swift\r\nlet y = 2.5\r\nexpect(y, equals: 2.5, tolerance: 0.01)\r\nexpect(y, equals: 2.5)\r\n  expect([y],\r\n    equals: [2.5])\r\ny\r\n```\r\n```output\r\n[1] 2.5\r\n[1] 2.5\r\n```\r\nprose stays  \r\n"
    )
    XCTAssertEqual(changes.map(\.location.line), [5, 8, 11])
    XCTAssertEqual(changes[0].description, "u.md:5:19: updated expected value: 2.4 → 2.5")
  }

  func testUpdateLeavesTrueFalseClaimsAlone() throws {
    // `expect(claim, equals: true)` is a statement about the code; flipping it would invert it.
    let source = "```swift\nlet e = 0.3\nexpect(e < 0.1, equals: true)\nexpect(e, equals: 0.2)\n```\n"
    let nb = try Notebook.parse(source: source, path: "b.md")
    func failed(_ line: Int, _ expected: String, _ actual: String) -> CheckResult {
      var c = CheckResult(
        kind: .expectation, location: SourceLocation(file: "b.md", line: line, column: 1), passed: false,
        expected: expected, actual: actual)
      c.replacement = actual
      return c
    }
    let run = RunResult(blocks: [
      0: BlockResult(blockIndex: 0, checks: [failed(3, "true", "false"), failed(4, "0.2", "0.3")])
    ])
    let (updated, changes) = Updater.update(source: source, notebook: nb, run: Checker.check(nb, run))
    XCTAssertEqual(
      updated, "```swift\nlet e = 0.3\nexpect(e < 0.1, equals: true)\nexpect(e, equals: 0.3)\n```\n")
    XCTAssertEqual(changes.map(\.location.line), [4])
  }

  func testReportFormats() throws {
    let nb = try Notebook.parse(source: "```swift\nexpect(1, equals: 2)\n```\n", path: "r.md")
    let run = RunResult(blocks: [
      0: BlockResult(
        blockIndex: 0,
        checks: [
          CheckResult(
            kind: .expectation, location: SourceLocation(file: "r.md", line: 2, column: 1), passed: false,
            expected: "2", actual: "1",
            difference: "differs by -1")
        ])
    ])
    let outcome = NotebookOutcome(path: "r.md", notebook: nb, run: run, error: nil, seconds: 1)
    XCTAssertEqual(
      outcome.problems.map(\.description),
      ["r.md:2:1: error: expectation failed: differs by -1\n  expected: 2\n  actual:   1"])
    let xml = Report.junit([outcome])
    XCTAssertTrue(xml.contains("<testsuite name=\"r.md\" tests=\"3\" failures=\"1\""), xml)
    XCTAssertTrue(xml.contains("<failure message=\"expectation failed: differs by -1\">"), xml)
    XCTAssertEqual(
      Report.githubAnnotations([outcome]),
      ["::error file=r.md,line=2,col=1::expectation failed: differs by -1%0A  expected: 2%0A  actual:   1"])
  }

  func testSHA256() {
    XCTAssertEqual(SHA256.hex("".utf8), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(SHA256.hex("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      SHA256.hex(String(repeating: "a", count: 1000).utf8),
      "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }
}
