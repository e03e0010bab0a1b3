import Foundation
import Neural
import XCTest

/// The 8×8 digits as scikit-learn's `load_digits()` gives them. Expected numbers were read from
/// `sklearn/datasets/data/digits.csv.gz` of the scikit-learn 1.9.1 wheel with Python's gzip and
/// csv modules, not from Neural.
final class DigitsTests: XCTestCase {
  func testTheDigitsAreScikitLearns() {
    let digits = Dataset.digits
    XCTAssertEqual(digits.count, 1797)
    XCTAssertEqual(digits.X.cols, 64)
    XCTAssertEqual(digits.classes, 10)
    XCTAssertEqual(digits.Y.cols, 10, "one-hot targets")
    let labels = digits.labels ?? []
    XCTAssertEqual(
      (0..<10).map { d in labels.filter { $0 == d }.count },
      [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    XCTAssertEqual(digits.X.sum, 561_718)
    XCTAssertEqual(digits.X.storage.max(), 16)
    XCTAssertEqual(digits.X.storage.min(), 0)
    // The first image, a 0, row by row.
    XCTAssertEqual(
      digits.X.row(0),
      [
        0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8,
        0,
        0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0,
      ])
    XCTAssertEqual(labels.first, 0)
    // The last, an 8.
    XCTAssertEqual(labels.last, 8)
    XCTAssertEqual(
      Array(digits.X.row(1796).prefix(16)), [0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0])
    XCTAssertEqual(digits.Y.row(1796), [0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
  }
}
