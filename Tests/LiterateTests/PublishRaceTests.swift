import XCTest

@testable import Literate

/// A folder of the user's made under a handout's name while the handout's products are made (a
/// PDF prints for seconds): it was swapped out with the staged folder and deleted with it.
extension PublishSafetyTests {
  func testAFolderTheUserMakesWhileTheProductsAreMadeIsNotSwappedOut() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let path = try Support.write(figureNotebook(width: 60, passes: true), "p.md", in: dir)
    let outcome = Pipeline.process(path: path, options: try Support.options())
    let notes = out.appendingPathComponent("p/notes.txt")
    var makers = Pipeline.makers
    makers.handout = { order in
      // The user, meanwhile: a folder of their own under the handout's name.
      try Support.write("mine\n", to: notes)
      return try Pipeline.products(for: order)
    }
    let report = try Publisher.publish([outcome], to: out, weave: WeaveOptions(), make: makers)
    XCTAssertEqual(try Support.text(notes), "mine\n", "the user's folder was replaced: \(report.problems)")
    XCTAssertEqual(report.refused, ["p"], "\(report.problems)")
    XCTAssertEqual(try dotEntries(out), [])
  }
}
