import XCTest

@testable import Literate

/// `NEURAL_*` and `GLIBC_TUNABLES` reach the notebook program but not the cache key: they may
/// change speed, never what a handout shows. A `NEURAL_ISA` the CPU cannot run (or no name at all)
/// made Neural write a warning on the program's standard error, inside the block that first
/// multiplied a matrix: the page showed it, a published output failed, and the cache (which leaves
/// `NEURAL_*` out) replayed it to every later render without the variable.
final class NeuralSettingsTests: XCTestCase {
  let source = """
    ```swift
    let product = Matrix([[1, 2], [3, 4]]) * Matrix([[0, 1], [1, 0]])
    print(product[0, 0], product[1, 1])
    ```

    ```output
    2.0 3.0
    ```
    """

  func text(_ run: RunResult) -> String { run.blocks[0].map(Checker.printed) ?? "" }

  func testANeuralISAThisCPUCannotRunLeavesNoTraceInTheHandout() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "isa.md", in: dir)
    var options = try Support.options(cache: dir.appendingPathComponent("cache"))
    let notebook = try Notebook.load(path: path)
    for isa in ["bogus", "AVX-512", "neon"] {
      options.environment = ["NEURAL_ISA": isa]
      options.useCache = false
      let run = Checker.check(notebook, try Runner.run(notebook, options: options).result)
      XCTAssertEqual(text(run), "2.0 3.0\n", "NEURAL_ISA=\(isa) must not reach the block's output")
      XCTAssertFalse(run.failed, "NEURAL_ISA=\(isa): \(run.checks.map(\.difference))")
    }
    // Stored by a render with a bad name, replayed to one without the variable: the same text.
    options.useCache = true
    options.environment = ["NEURAL_ISA": "bogus"]
    _ = try Runner.run(notebook, options: options)
    options.environment = [:]
    let replayed = try Runner.run(notebook, options: options).result
    XCTAssertTrue(replayed.cached)
    XCTAssertEqual(text(replayed), "2.0 3.0\n")
  }

  /// A name the CPU runs still reaches the program (`make same-bits` renders on each).
  func testANeuralISAThisCPURunsReachesTheProgram() throws {
    let environment = Runner.environment(
      for: try Notebook.parse(source: source, path: "isa.md"),
      options: RunOptions(
        runtime: try Support.runtime(), cacheDirectory: URL(fileURLWithPath: "/nonexistent"),
        environment: ["NEURAL_ISA": "SSE2", "NEURAL_THREADS": "1"]),
      extra: [:])
    XCTAssertEqual(environment["NEURAL_ISA"], "SSE2")
    XCTAssertEqual(environment["NEURAL_THREADS"], "1")
    XCTAssertNil(RunOptions.neuralISAProblem(["NEURAL_ISA": "sse2"]))
    XCTAssertNotNil(RunOptions.neuralISAProblem(["NEURAL_ISA": "bogus"]))
  }
}
