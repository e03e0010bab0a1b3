import XCTest

@testable import Literate

/// A `Set` or `Dictionary` prints its elements in the order of their hashes, and Swift seeds its
/// hashing afresh in every process: without a fixed seed, the same notebook printed a dictionary in
/// another order on every run, so its page changed and a published output failed at random.
final class HashOrderTests: XCTestCase {
  func testASetPrintsInTheSameOrderOnEveryRun() throws {
    let source = """
      # Order

      ```swift
      let words = Set((0..<40).map { "w\\($0)" })
      print(words.joined(separator: " "))
      print(Dictionary(uniqueKeysWithValues: (0..<12).map { ("k\\($0)", $0) }))
      ```
      """
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "order.md", in: dir)
    var printed: Set<String> = []
    for _ in 0..<3 {
      let (_, run) = try Support.run(source, path: path, options: try Support.options(useCache: false))
      let block = try XCTUnwrap(run.blocks[0])
      XCTAssertNil(block.failure)
      printed.insert(block.text)
    }
    XCTAssertEqual(printed.count, 1, "three runs printed \(printed.count) different orders:\n\(printed)")
  }
}
