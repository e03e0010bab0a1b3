import Foundation
import Neural
import XCTest

final class MatrixTests: XCTestCase {
  func testProductsAgreeWithTransposes() {
    var rng = SeededRandom(seed: 1)
    let A = randomMatrix(3, 4, rng: &rng)
    let B = randomMatrix(4, 5, rng: &rng)
    let C = A * B
    XCTAssertEqual(C[1, 2], (0..<4).reduce(0) { $0 + A[1, $1] * B[$1, 2] }, accuracy: 1e-15)
    let At = A.transposed
    let Bt = B.transposed
    for (x, y) in zip(Matrix.product(At, B, transposeA: true).storage, C.storage) {
      XCTAssertEqual(x, y, accuracy: 1e-14)
    }
    for (x, y) in zip(Matrix.product(A, Bt, transposeB: true).storage, C.storage) {
      XCTAssertEqual(x, y, accuracy: 1e-14)
    }
    for (x, y) in zip(Matrix.product(At, Bt, transposeA: true, transposeB: true).storage, C.storage) {
      XCTAssertEqual(x, y, accuracy: 1e-14)
    }
  }

  func testHelpers() {
    let M = Matrix([[1, 2], [3, 4], [5, 6]])
    XCTAssertEqual(M.columnSums.storage, [9, 12])
    XCTAssertEqual(M.addingRow(Matrix(row: [10, 20])).row(2), [15, 26])
    XCTAssertEqual(M.rows([2, 0]), Matrix([[5, 6], [1, 2]]))
    XCTAssertEqual(Matrix([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]]).argmaxPerRow, [1, 0])
    XCTAssertEqual(Matrix(columns: [[1, 2], [3, 4]]), Matrix([[1, 3], [2, 4]]))
    XCTAssertEqual(
      "\(Matrix([[0.1 + 0.2, -1], [2, 0.000012345]]))", "      0.3        -1\n        2 1.234e-05")
  }
}
