// W4: the decision boundary of a trained W3 network, as a notebook draws it: HandoutKit's
// `decisionBoundary` on a 500×500 grid (one batched forward pass of 250 000 rows), written as a
// 500×500-pixel PNG like the matplotlib and R peers.

import Foundation
import HandoutKit

func w4(_ arguments: [String]) throws {
  guard arguments.count >= 3 else { fail("usage: handout-bench w4 WEIGHTS OUT.png") }
  let net = try loadWeights(from: arguments[1])
  let figure = decisionBoundary(
    network: net, data: spiralData(), resolution: 500, dataName: "spirals", title: "Decision boundary",
    width: 500, height: 500)
  try figure.write(to: URL(fileURLWithPath: arguments[2]), scale: 1)
  print("wrote \(arguments[2]), 500 x 500 grid")
}
