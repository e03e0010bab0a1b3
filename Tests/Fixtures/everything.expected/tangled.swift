// Tangled from <fixtures>/everything.md by handout; edit the notebook, not this file.
import Foundation
import Neural
import HandoutKit
setvbuf(stdout, nil, _IOLBF, 0)  // line by line, so prints and traps keep their order
_Handout.start()
_Handout.beginBlock(1, id: "first")
#sourceLocation(file: "<fixtures>/everything.md", line: 40)
let seed: Int = param("seed")
let rate: Double = param("rate")
let name: String = param("label")
let rows = try String(contentsOf: dataFile("data/table.csv"), encoding: .utf8)
  .split(separator: "\n").count
print("seed \(seed), rate \(rate), \(name), \(rows) lines")
_Handout.display {
#sourceLocation(file: "<fixtures>/everything.md", line: 46)
[0.04742587, 0.05752359]
#sourceLocation()
}
_Handout.endBlock(1)
_Handout.inline(0) {
#sourceLocation(file: "<fixtures>/everything.md", line: 54)
                     rows - 1
#sourceLocation()
}
_Handout.inline(1) {
#sourceLocation(file: "<fixtures>/everything.md", line: 54)
                                                             exp(1.0)
#sourceLocation()
}
_Handout.beginBlock(2)
#sourceLocation(file: "<fixtures>/everything.md", line: 57)
expect(Double(rows), equals: 4)
expect([1.0, 2.0], equals: [1.0, 2.0001], tolerance: 1e-3)
#sourceLocation()
_Handout.endBlock(2)
_Handout.beginBlock(3)
#sourceLocation(file: "<fixtures>/everything.md", line: 62)
print("hidden output")
#sourceLocation()
_Handout.endBlock(3)
_Handout.beginBlock(5, id: "figure")
#sourceLocation(file: "<fixtures>/everything.md", line: 70)
progress("drawing")
let figure = Figure(width: 320, height: 240)
figure.axes.line(x: [0, 1, 2], y: [0.5, 0.7310586, 0.8807971], label: "σ")
show(figure, caption: "The sigmoid at three points", alt: "A rising line")
#sourceLocation()
_Handout.endBlock(5)
_Handout.beginBlock(6)
#sourceLocation(file: "<fixtures>/everything.md", line: 77)
let t = Dataset(X: Matrix(rows: 2, cols: 1), Y: Matrix(rows: 2, cols: 1))
print(t.count)
#sourceLocation()
_Handout.endBlock(6)
_Handout.finish()
