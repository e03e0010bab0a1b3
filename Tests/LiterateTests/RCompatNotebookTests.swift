import XCTest

@testable import Literate

/// Notebook code sees R compatibility (`RRandom`, `LinearModel`, `RFormat`, `rSum`) through the
/// imports the tangler writes (`Neural`, `HandoutKit`), now that it lives in its own module that
/// HandoutKit re-exports; and it sees `Matrix.storage` read-only. Compiled and run for real.
final class RCompatNotebookTests: XCTestCase {
  func testNotebookCodeUsesRsRandomNumbersLmAndFormattingWithoutAnImport() throws {
    let notebook = """
      # The lecture's regression

      ```swift
      var rng = RRandom(seed: 123)
      let data = Dataset.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &rng)
      let fit = try LinearModel(x: data.X.column(0), y: data.Y.column(0))
      print(RFormat.format(RFormat.signif(fit.residualStandardError, digits: 4)))
      print(RFormat.formatC(fit.rSquared, digits: 4))
      print(RFormat.print([rSum([0.1, 0.2, 0.3]), rMean([1, 2])]))
      ```
      """
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(notebook, "lm.md", in: dir)
    let (_, run) = try Support.run(notebook, path: path, options: try Support.options())
    XCTAssertEqual(run.diagnostics, [])
    // The lecture's slide: "Residual standard error: 0.9707", "Multiple R-squared:  0.7721".
    XCTAssertEqual(run.blocks[0]?.text, "0.9707\n0.7721\n[1] 0.6 1.5\n")
  }

  func testNotebookCodeCannotWriteAMatrixsStorage() throws {
    let notebook = """
      # Writing storage

      ```swift
      var m = Matrix(rows: 2, cols: 2)
      m[0, 1] = 1
      m.storage[0] = 1
      ```
      """
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(notebook, "storage.md", in: dir)
    let (_, run) = try Support.run(notebook, path: path, options: try Support.options())
    let errors = run.diagnostics.filter { $0.severity == .error }
    XCTAssertEqual(errors.count, 1, "\(run.diagnostics)")
    // The element subscript is the way to write; the flat storage is read-only outside Neural.
    XCTAssertEqual(errors.first?.location?.line, 6, "\(run.diagnostics)")
    XCTAssertTrue(
      errors.first?.message.contains("'storage' setter is inaccessible") == true, "\(run.diagnostics)")
  }
}
