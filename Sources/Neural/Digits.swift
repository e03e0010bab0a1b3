import Foundation

extension Dataset {
  /// The 8×8 handwritten digits, as scikit-learn's `load_digits()` gives them: 1,797 images of
  /// 64 pixels (row by row, each a count of 0…16 inked pixels in a 4×4 block of a 32×32 scan),
  /// one-hot targets for the 10 digits, and each image's digit in `labels`.
  ///
  /// The test set of the UCI "Optical Recognition of Handwritten Digits" data (Alpaydin & Kaynak,
  /// 1998) from scikit-learn's wheel (BSD 3-clause; the licence is in `Digits+Data.swift`), compiled
  /// into Neural: no file to find at run time, no network. Pixels are left at 0…16 so numbers
  /// match scikit-learn's; divide by 16 (`X.map { $0 / 16 }`) before training a network.
  public static let digits: Dataset = {
    let glyphs = Array("0123456789abcdefg".unicodeScalars)
    var pixels: [Double] = []
    var labels: [Int] = []
    pixels.reserveCapacity(1797 * 64)
    for line in digitsTable.split(separator: "\n") {
      let scalars = Array(line.unicodeScalars)
      precondition(scalars.count == 65, "Dataset.digits: a line of \(scalars.count) characters")
      for s in scalars.prefix(64) { pixels.append(Double(glyphs.firstIndex(of: s) ?? 0)) }
      labels.append(Int(String(scalars[64])) ?? 0)
    }
    return Dataset(X: Matrix(rows: labels.count, cols: 64, pixels), labels: labels, classes: 10)
  }()
}
