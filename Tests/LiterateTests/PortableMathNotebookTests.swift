import XCTest

@testable import Literate

/// A notebook's own `exp`, `log`, `tanh`, … are Neural's portable functions (HandoutKit re-exports
/// them by name so they shadow glibc's), compiled and run for real through swiftc.
final class PortableMathNotebookTests: XCTestCase {
  static let notebook = """
    # Portable math

    ```swift
    func phi(_ s: Double) -> Double { 1 / (1 + exp(-s)) }  // the lecture's neuron, as written there
    let xs = [1.0, -0.1, 0.3, 2.5, 7.25, -12.5, 0.0123, 100.5]
    let unary: [(String, (Double) -> Double, (Double) -> Double, (Double) -> Double)] = [
      ("exp", { exp($0) }, portableExp, { Foundation.exp($0) }),
      ("expm1", { expm1($0) }, portableExpm1, { Foundation.expm1($0) }),
      ("log", { log(abs($0)) }, { portableLog(abs($0)) }, { Foundation.log(abs($0)) }),
      ("log1p", { log1p(abs($0)) }, { portableLog1p(abs($0)) }, { Foundation.log1p(abs($0)) }),
      ("tanh", { tanh($0) }, portableTanh, { Foundation.tanh($0) }),
      ("sin", { sin($0) }, portableSin, { Foundation.sin($0) }),
      ("cos", { cos($0) }, portableCos, { Foundation.cos($0) }),
      ("phi", phi, { 1 / (1 + portableExp(-$0)) }, { 1 / (1 + Foundation.exp(-$0)) }),
    ]
    for (name, notebook, portable, glibc) in unary {
      let same = xs.allSatisfy { notebook($0).bitPattern == portable($0).bitPattern }
      let differsFromGlibc = xs.contains { notebook($0).bitPattern != glibc($0).bitPattern }
      print(name, same ? "portable" : "NOT portable", differsFromGlibc ? "differs from glibc" : "")
    }
    ```
    """

  func testNotebookCodeCallsThePortableFunctions() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.notebook, "portable.md", in: dir)
    let (_, run) = try Support.run(Self.notebook, path: path, options: try Support.options())
    XCTAssertEqual(run.diagnostics, [])
    let lines = try XCTUnwrap(run.blocks[0]?.text).split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 8, "\(lines)")
    for line in lines {
      XCTAssertTrue(line.contains(" portable"), line)
    }
    // At least one input tells exp and tanh from glibc's, so the lines above could have failed: glibc's
    // exp(1) is 2.718281828459045 (correctly rounded), the portable one's a last bit above.
    for name in ["exp", "tanh"] {
      XCTAssertTrue(
        lines.first { $0.hasPrefix(name + " ") }?.hasSuffix("differs from glibc") ?? false, "\(lines)")
    }
  }
}
