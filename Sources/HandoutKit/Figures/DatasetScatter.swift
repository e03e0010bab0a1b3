// A dataset with two inputs, drawn by class in the colours and markers of every decision field.
import Foundation

/// The points of a dataset with two inputs, by class: class 0 orange circles, class 1 blue
/// crosses, then ``ClassColors``'s further colours and markers, each class a legend entry.
///
/// The same colours, markers, edges and square plane (the data's range plus `margin`, 1:1) as
/// ``decisionBoundary(network:data:test:decision:resolution:margin:plane:steps:dataName:title:xLabel:yLabel:width:height:style:fill:)``,
/// so the data before training and the field after it read alike. Orange and blue stay apart
/// for deuteranopes, and the markers differ in shape too, so a greyscale print keeps the classes.
///
/// - Parameters:
///   - data: the points (first two input columns), drawn with a white edge.
///   - test: held-out points, drawn with a black edge.
///   - margin: how far the plane reaches past the points.
///   - plane: the plane to draw instead of the data's (one plane for all figures of a dataset).
///   - dataName: the dataset's name for the alt text ("two moons").
///   - title: the figure's title, if any.
///   - xLabel: the first input's axis label.
///   - yLabel: the second input's axis label.
///   - width: the figure's width in points.
///   - height: the figure's height in points.
///   - style: text, line and marker scale (`.talk` for slides).
/// - Precondition: `data` (and `test`) have at least 2 input columns.
public func scatter(
  dataset data: Dataset, test: Dataset? = nil, margin: PlaneMargin = .absolute(1), plane: InputPlane? = nil,
  dataName: String? = nil, title: String? = nil, xLabel: String = "x₁", yLabel: String = "x₂",
  width: Double = 520, height: Double = 440, style: FigureStyle = .paper
) -> Figure {
  precondition(data.X.cols >= 2, "scatter(dataset:): the data needs 2 input columns, it has \(data.X.cols)")
  precondition(test.map { $0.X.cols >= 2 } ?? true, "scatter(dataset:): the test data needs 2 input columns")
  let plane = plane ?? InputPlane([data] + (test.map { [$0] } ?? []), margin: margin)
  let figure = plane.figure(
    size: FigureSize(width: width, height: height, style: style), title: title, xLabel: xLabel, yLabel: yLabel
  )
  let ax = figure.axes
  let labels = data.classLabels
  let classes = max(data.classes ?? 2, (labels.max() ?? 0) + 1)
  drawClassPoints(data, test: test, classes: classes, into: ax)
  let counts = (0..<classes).map { c in "\(labels.filter { $0 == c }.count) class \(c)" }
  var alt = "Scatter of \(data.count) points"
  if let dataName { alt += " of \(dataName)" }
  alt += " by class: " + counts.joined(separator: ", ")
  alt += " (class 0 orange circles, class 1 blue crosses)"
  if let test { alt += "; \(test.count) test points with black edges" }
  figure.altText = alt + "."
  return figure
}
