// A feed-forward network drawn as layers of nodes joined by its weights.
import Foundation

/// The network as layers of nodes, inputs on the left. Each weight `w` is an edge coloured by
/// its sign on the decision field's colours (blue positive, orange negative) and as wide as
/// `|w|` on an absolute scale: `|w| ∈ [0, maxWeight]` maps linearly to `edgeWidths` (TensorFlow
/// Playground maps [0, 5] to 1–10 px); larger weights get the widest line. Each unit's bias
/// fills its node on the same colours over [−maxWeight, maxWeight] (colour bar "bias b").
/// Hidden units are listed top to bottom in the order of the neuron maps (`L1·h1` first);
/// the legend shows sample widths. `edgeWidths` defaults to 0.5–8 pt, or 0.4–4 pt when two
/// adjacent layers have more than 64 weights between them (a thick hairball hides the nodes).
/// - Precondition: at least one layer; `maxWeight > 0`.
public func networkDiagram(
  network: Sequential, maxWeight: Double = 5, edgeWidths: ClosedRange<Double>? = nil,
  inputNames: [String]? = nil, title: String? = nil, width: Double? = nil, height: Double? = nil
) -> Figure {
  precondition(!network.layers.isEmpty, "networkDiagram: the network has no layers")
  precondition(maxWeight > 0, "networkDiagram: maxWeight must be positive")
  let sizes = [network.inputs] + network.layers.map(\.outputs)
  let tallest = Double(sizes.max() ?? 1)
  let densest = network.layers.map { $0.inputs * $0.outputs }.max() ?? 0
  let edgeWidths = edgeWidths ?? (densest > 64 ? 0.4...4 : 0.5...8)
  let figure = Figure(
    width: width ?? max(480, Double(sizes.count) * 150 + 170),
    height: height ?? max(320, tallest * 26 + 90))
  figure.title = title
  let ax = figure.axes
  ax.showAxes = false
  ax.legend = .outsideRight
  let L = network.layers.count
  ax.xLimits = -0.45...(Double(L) + 0.35)
  ax.yLimits = (-tallest / 2 - 0.2)...(tallest / 2 + 0.9)
  let scale = WeightScale(maxWeight: maxWeight, edgeWidths: edgeWidths)
  drawWeights(of: network, on: ax, scale: scale, alpha: densest > 64 ? 0.7 : 0.85)
  drawUnits(of: network, on: ax, scale: scale, inputNames: inputNames, top: tallest / 2 + 0.35)
  drawLegend(on: ax, scale: scale)

  let weights = network.layers.flatMap(\.W.storage)
  let largest = weights.map(abs).max() ?? 0
  figure.altText =
    "Diagram of \(FigureText.network(network)): \(sizes.map(String.init).joined(separator: ", ")) "
    + "units from input to output, every weight an edge, blue for positive and orange for negative, "
    + "wider for larger |w| (0 to \(FigureText.number(maxWeight)) maps to \(FigureText.number(edgeWidths.lowerBound))–"
    + "\(FigureText.number(edgeWidths.upperBound)) pt; largest |w| here \(FigureText.number(largest))); "
    + "node colour shows each unit's bias; hidden units top to bottom in the order of the neuron maps."
  return figure
}

/// How a weight looks: `|w| ∈ [0, maxWeight]` maps linearly onto `edgeWidths`, its sign onto
/// Playground's full orange and blue (edges are thin, so they need the strong colours), and a
/// bias onto the same colours over [−maxWeight, maxWeight].
private struct WeightScale {
  let maxWeight: Double
  let edgeWidths: ClosedRange<Double>
  let field: ColorMap

  init(maxWeight: Double, edgeWidths: ClosedRange<Double>) {
    (self.maxWeight, self.edgeWidths) = (maxWeight, edgeWidths)
    field = ColorMap.probability(domain: -maxWeight...maxWeight)
  }

  func width(_ w: Double) -> Double {
    let t = min(abs(w), maxWeight) / maxWeight
    return edgeWidths.lowerBound + t * (edgeWidths.upperBound - edgeWidths.lowerBound)
  }

  func color(_ w: Double) -> Color { field.color(w >= 0 ? maxWeight : -maxWeight) }
}

/// The height of unit `unit` (from 0) of a layer of `count` units: centred on 0, the first on top.
private func unitY(_ unit: Int, of count: Int) -> Double { Double(count - 1) / 2 - Double(unit) }

/// Every weight as an edge, thin first so strong weights lie on top.
private func drawWeights(of network: Sequential, on ax: Axes, scale: WeightScale, alpha: Double) {
  var edges: [(from: (Double, Double), to: (Double, Double), w: Double)] = []
  for (l, layer) in network.layers.enumerated() {
    for i in 0..<layer.inputs {
      for j in 0..<layer.outputs {
        edges.append(
          (
            (Double(l), unitY(i, of: layer.inputs)), (Double(l + 1), unitY(j, of: layer.outputs)),
            layer.W[i, j]
          ))
      }
    }
  }
  for e in edges.sorted(by: { abs($0.w) < abs($1.w) }) where e.w.isFinite {
    ax.segment(
      from: e.from, to: e.to,
      style: LineStyle(color: scale.color(e.w).withAlpha(alpha), width: scale.width(e.w)))
  }
}

/// The nodes (inputs white and named, units filled by their bias) and the column headings at `top`.
private func drawUnits(
  of network: Sequential, on ax: Axes, scale: WeightScale, inputNames: [String]?, top: Double
) {
  let L = network.layers.count
  let inputs = inputNames ?? (0..<network.inputs).map { "x\(subscriptDigits($0 + 1))" }
  for i in 0..<network.inputs {
    ax.circle(
      x: 0, y: unitY(i, of: network.inputs), radius: 10, fill: .white, edge: Theme.frame, edgeWidth: 1)
    if i < inputs.count {
      ax.text(
        inputs[i], x: 0, y: unitY(i, of: network.inputs), size: 10, horizontal: .center, vertical: .center)
    }
  }
  for (l, layer) in network.layers.enumerated() {
    for j in 0..<layer.outputs {
      let b = layer.bias == .none ? 0 : layer.b[0, j]
      let fill = scale.field.color(b)
      let y = unitY(j, of: layer.outputs)
      ax.circle(x: Double(l + 1), y: y, radius: 10, fill: fill, edge: Theme.frame, edgeWidth: 1)
      let short =
        l == L - 1 ? (layer.outputs == 1 ? "ŷ" : "ŷ\(subscriptDigits(j + 1))") : "h\(subscriptDigits(j + 1))"
      ax.text(
        short, x: Double(l + 1), y: y, size: 10, color: fill.lightness < 0.45 ? .white : Theme.text,
        horizontal: .center, vertical: .center)
    }
  }
  ax.text("input", x: 0, y: top, size: 10.5, horizontal: .center, vertical: .bottom)
  for (l, layer) in network.layers.enumerated() {
    let heading = l == L - 1 ? "output (\(layer.activation))" : "L\(l + 1) (\(layer.activation))"
    ax.text(heading, x: Double(l + 1), y: top, size: 10.5, horizontal: .center, vertical: .bottom)
  }
}

/// The legend: sample widths on the absolute scale and the sign colours; the bias colour bar.
private func drawLegend(on ax: Axes, scale: WeightScale) {
  let maxWeight = scale.maxWeight
  let samples = [maxWeight / 5, maxWeight / 2, maxWeight].map { ($0 * 100).rounded() / 100 }
  for w in samples {
    let suffix = w == maxWeight ? " or more" : ""
    ax.legendEntry(
      "|w| = \(FigureText.number(w))\(suffix)", line: LineStyle(color: Theme.frame, width: scale.width(w)))
  }
  ax.legendEntry("w > 0", line: LineStyle(color: scale.color(1), width: 3))
  ax.legendEntry("w < 0", line: LineStyle(color: scale.color(-1), width: 3))
  attachColorBar(
    to: ax, map: scale.field, label: "bias b", ticks: Ticks.extended(-maxWeight, maxWeight, count: 5),
    x: -0.1...0.1, y: -0.1...0.1)
}

/// `12` → `₁₂`.
func subscriptDigits(_ n: Int) -> String {
  let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
  return String(String(n).compactMap { c in c.wholeNumberValue.map { digits[$0] } })
}
