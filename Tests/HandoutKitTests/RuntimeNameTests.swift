import XCTest

@testable import HandoutKit

/// The runtime writes figures under the notebook's output name exactly as `handout` made it
/// (`HANDOUT_NOTEBOOK`), so the publisher finds them; a name that could leave the figure root is
/// refused.
final class RuntimeNameTests: XCTestCase {
  func testTheNotebookNameIsUsedAsGivenUnlessItLeavesTheFolder() {
    XCTAssertEqual(_Handout.folderName("my notes v1.2"), "my notes v1.2")
    XCTAssertEqual(_Handout.folderName("02-ann"), "02-ann")
    XCTAssertEqual(_Handout.folderName("a..b"), "a..b")
    for bad in ["", ".", "..", "a/b", "../x", "/etc", "a\u{0}b"] {
      XCTAssertNil(_Handout.folderName(bad), bad)
    }
  }
}
