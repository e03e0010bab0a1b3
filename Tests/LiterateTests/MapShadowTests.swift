import Foundation
import XCTest

@testable import Literate

/// A notebook's `map` on a collection is HandoutKit's (`Collection+Map.swift`), compiled with
/// optimisation, instead of the standard library's generic one compiled into the `-Onone` notebook
/// (issue 25: the lecture's `(0..<n).map` was ~25 ms of notebook 02's main thread); it shadows
/// the standard library's, so every `map` a notebook writes checks and behaves as before.
final class MapShadowTests: XCTestCase {
  static let program = """
    import Foundation
    import HandoutKit
    struct Odd: Error {}
    let x: [Double] = [1, 2, 3], noise: [Double] = [0.5, 0.25, 0]
    let n = 3
    print((0..<n).map { i in 3 + 2 * x[i] + noise[i] })
    print((0..<n).map { (i: Int) -> Double in x[i] * 2 }, x.map { $0.rounded() }, (1...2).map { Double($0) / 4 })
    print("héllo".map { $0.uppercased() }.joined(), [2: "b", 1: "a"].map { "\\($0.key)\\($0.value)" }.sorted())
    print(Set([3]).map { $0 * 2 }, [Int]().map { $0 + 1 }, (0..<0).map { Double($0) })
    var order: [Int] = []
    print([3, 1, 2].map { order.append($0); return $0 * 10 }, order)
    func f(_ v: Int) throws -> Int { if v == 2 { throw Odd() }; return v }
    print((try? [1, 2, 3].map(f)) == nil, try [1, 3].map(f))
    do throws(Odd) {
      _ = try [1, 2].map { (v: Int) throws(Odd) -> Int in if v > 1 { throw Odd() }; return v }
    } catch { print("typed", error) }
    let lazy = [1, 2].lazy.map { $0 + 1 }
    print(Array(lazy), Optional(2).map { $0 + 1 }!)

    """

  func testNotebookMapIsHandoutKitsAndBehavesAsTheStandardLibrarys() throws {
    let (executable, output) = try compileAndRunProgram(Self.program)
    XCTAssertEqual(
      output,
      """
      [5.5, 7.25, 9.0]
      [2.0, 4.0, 6.0] [1.0, 2.0, 3.0] [0.25, 0.5]
      HÉLLO ["1a", "2b"]
      [6] [] []
      [30, 10, 20] [3, 1, 2]
      true [1, 3]
      typed Odd()
      [2, 3] 3

      """)
    // The program calls HandoutKit's `Collection.map` (the runtime library's symbol), not a copy
    // of the standard library's emitted into the notebook.
    let nm = try ChildProcess.run("/usr/bin/env", ["nm", "-D", "--undefined-only", executable.path])
    guard nm.status == 0 else { throw XCTSkip("nm did not run: \(nm.output)") }
    XCTAssertTrue(nm.output.contains("$sSl10HandoutKitE3map"), nm.output)
  }
}
