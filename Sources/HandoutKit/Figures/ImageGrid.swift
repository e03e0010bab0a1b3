// Samples that are small square images (the 8×8 digits), drawn as pictures in a grid, titled by
// their label and, with a network's predictions, the misclassified ones marked.
import Foundation

enum ImageGridStyle {
  /// Ink on paper: 0 white, the largest value near black (scikit-learn shows the digits in
  /// matplotlib's `gray_r`). Domain set per figure.
  static let ink = ColorMap(domain: 0...16, anchors: [.white, Color(hex: 0x1A1A1A)])
  /// The frame of a misclassified image: Okabe–Ito vermillion, twice as wide, so it shows in
  /// greyscale too.
  static let wrong = LineStyle(color: Palette.vermillion, width: 2.4)
  static let right = LineStyle(color: Theme.frame, width: 0.8)
}

/// Samples whose inputs are square images (`q = side²` pixels, row by row, top row first: the
/// 8×8 `Dataset.digits`), one small picture each, in a grid of `columns`.
///
/// Pixels are drawn as crisp cells, 0 white and the data's largest value (16 for the digits)
/// near black, like ink. Each picture is titled by its class (`3`); with `predictions` the title
/// says whether the network got it (`3 ✓`) or what it said instead (`3 → 5`), and a
/// misclassified picture gets a wide vermillion frame (it shows in greyscale too).
///
/// - Parameters:
///   - data: the samples; `X`'s columns are the pixels (a square number of them).
///   - indices: which samples, in order (the first `columns` by default).
///   - predictions: the predicted class of each shown sample (same count as `indices`), or nil.
///   - columns: pictures per row.
///   - cellSize: the side of one picture's cell in points (the figure's size follows).
///   - dataName: the dataset's name for the alt text ("the 8×8 digits").
///   - title: the figure's title, if any.
/// - Precondition: `X.cols` is a square; every index is a sample; `predictions` (if given) has one
///   class per index; `columns ≥ 1`.
public func imageGrid(
  _ data: Dataset, indices: [Int]? = nil, predictions: [Int]? = nil, columns: Int = 10,
  cellSize: Double = 64, dataName: String? = nil, title: String? = nil
) -> Figure {
  let side = Int(Double(data.X.cols).squareRoot().rounded())
  precondition(
    side * side == data.X.cols && side > 0, "imageGrid: \(data.X.cols) inputs are not a square image")
  precondition(columns >= 1, "imageGrid: columns must be at least 1")
  let shown = indices ?? Array(0..<min(columns, data.count))
  precondition(shown.allSatisfy { (0..<data.count).contains($0) }, "imageGrid: an index outside the data")
  precondition(
    predictions == nil || predictions?.count == shown.count, "imageGrid: one prediction per shown sample")
  let count = max(shown.count, 1)
  let gridColumns = min(columns, count)
  let rows = (count + gridColumns - 1) / gridColumns
  let titleHeight = title == nil ? 0.0 : 26.0
  let figure = Figure(
    width: Double(gridColumns) * (cellSize + 12) + 8,
    height: Double(rows) * (cellSize + 30) + 8 + titleHeight,
    rows: rows, columns: gridColumns)
  figure.title = title
  let top = max(data.X.storage.max() ?? 1, 1e-9)
  let ink = ImageGridStyle.ink.with(domain: 0...top)
  let labels = data.classLabels
  var wrong = 0
  for panel in figure.panels {
    panel.showAxes = false
    panel.showGrid = false
    panel.legend = .hidden
    panel.aspect = .equal
  }
  let extent = 0...Double(side)
  for (k, i) in shown.enumerated() {
    let ax = figure.panels[k]
    ax.xLimits = extent
    ax.yLimits = extent
    // Grid rows start at the bottom; the image's first row is its top.
    var colors: [Color] = []
    colors.reserveCapacity(side * side)
    for row in stride(from: side - 1, through: 0, by: -1) {
      for column in 0..<side { colors.append(ink.color(data.X[i, row * side + column])) }
    }
    ax.image(x: extent, y: extent, columns: side, rows: side, colors: colors, smooth: false)
    var frame = ImageGridStyle.right
    if let predicted = predictions?[k] {
      if predicted == labels[i] {
        ax.title = "\(labels[i]) ✓"
      } else {
        ax.title = "\(labels[i]) → \(predicted)"
        frame = ImageGridStyle.wrong
        wrong += 1
      }
    } else {
      ax.title = "\(labels[i])"
    }
    ax.rectangle(x: extent, y: extent, edge: frame)
  }
  var alt = "\(shown.count) \(side)×\(side) images"
  if let dataName { alt += " of \(dataName)" }
  alt += ", dark where the value is high, each titled by its class"
  if predictions != nil {
    alt += " and the network's prediction (✓ when right, an arrow to the wrong class otherwise); "
    alt += "\(wrong) of \(shown.count) misclassified, framed in vermillion"
  }
  figure.altText = alt + "."
  return figure
}
