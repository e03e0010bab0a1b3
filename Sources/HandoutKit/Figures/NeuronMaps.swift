// What each neuron of a 2-input network computes over the input plane: the TensorFlow
// Playground view, one small heatmap per unit, rows by layer.
import Foundation

/// The colour map a layer's activations are shown in, fixed by the activation's `outputRange` so
/// that panels compare: a signed bounded range (tanh [−1, 1]) on the diverging field colours; a
/// non-negative bounded range (sigmoid [0, 1]) and a range from a floor up (ReLU, softplus
/// [0, max]) on viridis; an output the loss reads as class probabilities (a `crossEntropyPair`:
/// sigmoid or softmax) as P(class) on the diverging probability colours (as in the decision
/// boundary); an unbounded activation symmetric about 0.
struct LayerColoring: Equatable {
  var map: ColorMap
  var label: String
  var ticks: [Double]

  static func of(_ activation: any Activation, isOutput: Bool, values: [Double]) -> LayerColoring {
    let finite = values.filter(\.isFinite)
    let hi = finite.max() ?? 1
    let lo = finite.min() ?? 0
    let range = activation.outputRange
    let (floor, ceiling) = (range.lowerBound, range.upperBound)
    let label = "\(activation) activation"
    let pair = activation.crossEntropyPair
    if pair == .categorical || (isOutput && pair != nil) {
      return LayerColoring(map: ClassColors.field, label: "P(class)", ticks: [0, 0.5, 1])
    }
    switch (floor.isFinite, ceiling.isFinite) {
    case (true, true):
      let ticks = [floor, (floor + ceiling) / 2, ceiling]
      let map = floor < 0 ? ClassColors.field.with(domain: range) : .viridis(domain: range)
      return LayerColoring(map: map, label: label, ticks: ticks)
    case (true, false):
      let top = hi > floor ? hi : floor + 1
      return LayerColoring(
        map: .viridis(domain: floor...top), label: label, ticks: Ticks.extended(floor, top, count: 3))
    default:
      let m = max(abs(lo), abs(hi), 1e-9)
      return LayerColoring(
        map: ClassColors.field.with(domain: -m...m), label: label, ticks: Ticks.extended(-m, m, count: 3))
    }
  }
}

/// Panel title of unit `unit` (from 0) of layer `layer` (from 0): `L1·h3` for hidden units,
/// `output` (or `output·k` when there are several) for the last layer. The network diagram
/// labels its nodes the same way.
func neuronTitle(layer: Int, unit: Int, layers: Int, units: Int) -> String {
  if layer == layers - 1 { return units == 1 ? "output" : "output·\(unit + 1)" }
  return "L\(layer + 1)·h\(unit + 1)"
}

/// Every unit's activation over the input plane as a small heatmap, hidden layers in rows
/// (L1 first; a layer wider than `maxColumns` wraps onto further rows), then the output units.
///
/// Colour domains are fixed by the activation and shared by all panels of a layer (see
/// `LayerColoring`): tanh [−1, 1] diverging, sigmoid [0, 1] and ReLU [0, max over the layer's
/// maps] sequential, a sigmoid output as P(class 1) on the decision field's colours. The
/// colouring most layers use gets one colour bar for the whole grid; a layer coloured
/// differently (usually the output) gets its own bar in the cell after its last panel.
/// All panels share one square plane (the data's plane with `margin`, or `plane`), and the
/// whole grid is one batched forward pass of `resolution²` rows.
///
/// - Parameters:
///   - network: a network with 2 inputs.
///   - data: the training data; it fixes the plane, and its points are drawn small and faint on
///     every map when `showData` is set.
///   - resolution: cells per side of every map.
///   - margin: how far the plane reaches past the points.
///   - plane: the plane to draw instead of the data's.
///   - maxColumns: panels per row before a layer wraps.
///   - showData: draw the data's points on every map.
///   - cellSize: the side of one panel's cell in points (the figure's size follows).
///   - title: the figure's title, if any.
/// - Precondition: the network has 2 inputs; `resolution ≥ 2`; `maxColumns ≥ 2`.
public func neuronMaps(
  network: Sequential, data: Dataset, resolution: Int = 200, margin: PlaneMargin = .absolute(1),
  plane: InputPlane? = nil, maxColumns: Int = 8, showData: Bool = false, cellSize: Double = 88,
  title: String? = nil
) -> Figure {
  precondition(network.inputs == 2, "neuronMaps: the network needs 2 inputs, it has \(network.inputs)")
  precondition(resolution >= 2, "neuronMaps: resolution must be at least 2")
  precondition(maxColumns >= 2, "neuronMaps: maxColumns must be at least 2")
  let plane = plane ?? InputPlane([data], margin: margin)
  let outputs = Array(network.activations(plane.samples(resolution)).dropFirst())
  let L = network.layers.count

  let colorings = network.layers.indices.map { l in
    LayerColoring.of(network.layers[l].activation, isOutput: l == L - 1, values: outputs[l].storage)
  }
  // The colouring of most layers (ties: the first hidden layer's) gets the figure's bar.
  let shared =
    colorings.max { a, b in
      colorings.filter { $0 == a }.count < colorings.filter { $0 == b }.count
    } ?? colorings[0]
  let columns = min(maxColumns, network.layers.map(\.outputs).max() ?? 1)
  // Rows per layer; a layer with its own bar needs a free cell after its last panel.
  var placements: [(layer: Int, firstRow: Int)] = []
  var row = 0
  var needsExtraColumn = false
  for l in 0..<L {
    placements.append((l, row))
    let units = network.layers[l].outputs
    let rowsNeeded = (units + columns - 1) / columns
    if colorings[l] != shared && units % columns == 0 { needsExtraColumn = true }
    row += rowsNeeded
  }
  let gridColumns = columns + (needsExtraColumn ? 1 : 0)
  // Cells hold a `cellSize` square map plus its title and some air; the figure adds its
  // padding and the shared colour bar (about 75 pt with its labels).
  let titleHeight = title == nil ? 0.0 : 26.0
  let figure = Figure(
    width: Double(gridColumns) * (cellSize + 20) + 83,
    height: Double(row) * (cellSize + 34) + 8 + titleHeight, rows: row, columns: gridColumns)
  figure.title = title
  for panel in figure.panels {
    panel.showAxes = false
    panel.legend = .hidden
  }
  for (l, firstRow) in placements {
    let units = network.layers[l].outputs
    let coloring = colorings[l]
    for u in 0..<units {
      drawUnitMap(
        on: figure.panel(row: firstRow + u / columns, column: u % columns), plane: plane,
        values: plane.grid(outputs[l], column: u, resolution: resolution), map: coloring.map,
        title: neuronTitle(layer: l, unit: u, layers: L, units: units), data: showData ? data : nil)
    }
    if coloring != shared {
      let lastRow = firstRow + (units - 1) / columns
      let column = units % columns == 0 ? columns : units % columns
      let panel = figure.panel(row: lastRow, column: column)
      let label = coloring.label == "P(class)" ? (units == 1 ? "P(class 1)" : "P(class)") : coloring.label
      ColorBarPanel.draw(into: panel, map: coloring.map, label: label, ticks: coloring.ticks)
    }
  }
  let sharedLabel =
    shared.label == "P(class)" ? (network.outputs == 1 ? "P(class 1)" : "P(class)") : shared.label
  figure.colorBar(shared.map, label: sharedLabel, ticks: shared.ticks)
  let hiddenUnits = network.layers.dropLast().map(\.outputs).reduce(0, +)
  figure.altText =
    "Neuron maps of \(FigureText.network(network)): each of the \(hiddenUnits) hidden units' and the "
    + "output's activation over the input plane x₁ from \(FigureText.number(plane.x.lowerBound)) to "
    + "\(FigureText.number(plane.x.upperBound)), x₂ from \(FigureText.number(plane.y.lowerBound)) to "
    + "\(FigureText.number(plane.y.upperBound)), one row per layer, panels titled L1·h1, L1·h2, …, output; "
    + "colours: " + Array(Set(colorings.map(\.label))).sorted().joined(separator: ", ") + "."
  return figure
}

/// One unit's map: its activation `values` over `plane` as a heatmap on `map`, framed, titled,
/// with `data`'s points drawn small and faint when given.
private func drawUnitMap(
  on ax: Axes, plane: InputPlane, values: Grid, map: ColorMap, title: String, data: Dataset?
) {
  // No ticks on thumbnails (the plane is the same for all, stated in the alt text and
  // caption); axes off and a drawn frame, so the colour-bar cells lay out the same way.
  ax.aspect = .equal
  ax.xLimits = plane.x
  ax.yLimits = plane.y
  ax.title = title
  ax.heatmap(values, map: map, showColorBar: false)
  ax.rectangle(x: plane.x, y: plane.y, edge: LineStyle(color: Theme.frame, width: 0.8))
  guard let data else { return }
  let labels = data.classLabels
  for c in Set(labels).sorted() {
    let rows = labels.indices.filter { labels[$0] == c }
    ax.scatter(
      x: rows.map { data.X[$0, 0] }, y: rows.map { data.X[$0, 1] },
      style: MarkerStyle(
        shape: .circle, radius: 1.2, fill: ClassColors.color(c).withAlpha(0.6), edge: nil, edgeWidth: 0))
  }
}
