import Foundation
import XCTest

@testable import Literate

/// The course's published numbers are guarded: a temporary copy of a real notebook with one
/// published number changed must fail, at the line of that number. (`make test` also runs
/// `handout check notebooks/` on the unchanged course, which must pass.)
final class CourseTests: XCTestCase {
  static let notebooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("notebooks")

  /// Runs `notebooks/<name>` with `old` replaced by `new` (once) and returns the failed checks.
  func failedChecks(_ name: String, replacing old: String, with new: String) throws -> (
    failures: [CheckResult], line: Int
  ) {
    let source = try String(contentsOf: Self.notebooks.appendingPathComponent(name), encoding: .utf8)
    let range = try XCTUnwrap(source.range(of: old), "\(old) is not in \(name)")
    let line = source[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    let changed = source.replacingCharacters(in: range, with: new)
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(changed, name, in: dir)
    let (_, run) = try Support.run(changed, path: path, options: try Support.options())
    XCTAssertTrue(run.diagnostics.filter { $0.severity == .error }.isEmpty, "\(run.diagnostics)")
    return (run.checks.filter { !$0.passed }, line)
  }

  func testChangingThePublishedNeuronOutputFailsAtItsBlock() throws {
    // The slide's `[1] 0.04742587 …`, printed by the hand-written loop, one digit off.
    let (failures, line) = try failedChecks(
      "02-ann-from-scratch.md",
      replacing: "[1] 0.04742587 0.05752359 0.95730271 0.96489475\n```\n\nWe nearly",
      with: "[1] 0.04742587 0.05752359 0.95730271 0.96489476\n```\n\nWe nearly")
    XCTAssertEqual(failures.count, 1, "\(failures)")
    let failure = try XCTUnwrap(failures.first)
    XCTAssertEqual(failure.kind, .publishedOutput)
    // Reported at the published text's first line: the line that was changed.
    XCTAssertEqual(failure.location.line, line)
    XCTAssertTrue(failure.actual.contains("0.96489475"), failure.actual)
    XCTAssertTrue(failure.expected.contains("0.96489476"), failure.expected)
  }

  func testChangingTheNumberASolutionPublishesFailsAtItsLine() throws {
    // Notebook 02's exercise: its solution is run and checked like the rest of the notebook.
    let (failures, line) = try failedChecks(
      "02-ann-from-scratch.md", replacing: "w1 = 2   w2 = 2\n", with: "w1 = 2   w2 = 2.5\n")
    XCTAssertEqual(failures.count, 1, "\(failures)")
    let failure = try XCTUnwrap(failures.first)
    XCTAssertEqual(failure.kind, .publishedOutput)
    XCTAssertEqual(failure.location.line, line)
  }

  func testChangingAPublishedExpectationFailsAtItsLine() throws {
    // The lm summary's slope, as the slide prints it, in an `expect`.
    let (failures, line) = try failedChecks(
      "01-gradient-descent.md", replacing: "expect(b.estimate, equals: 1.94753, tolerance: 5e-6)",
      with: "expect(b.estimate, equals: 1.94763, tolerance: 5e-6)")
    XCTAssertEqual(failures.count, 1, "\(failures)")
    let failure = try XCTUnwrap(failures.first)
    XCTAssertEqual(failure.kind, .expectation)
    XCTAssertEqual(failure.location.line, line)
    XCTAssertEqual(failure.location.column, 1)
    XCTAssertEqual(failure.expected, "1.94763")
  }
}
