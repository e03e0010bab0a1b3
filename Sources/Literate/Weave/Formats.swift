// Content per format: `::: slides` is on the deck only, `::: handout` on the page (and so the PDF,
// printed from the page) only. Both walkers take the notebook's nodes through `Medium.nodes(of:)`.
import Foundation

/// Where a woven notebook is shown.
enum Medium {
  /// The handout page, and the PDF printed from it.
  case page
  /// The slide deck.
  case slides

  /// Whether the content of a division of `kind` is shown in this medium.
  func shows(_ kind: Division.Kind) -> Bool {
    switch (self, kind) {
    case (.page, .slides), (.slides, .handout): false
    default: true
    }
  }

  /// The notebook's nodes as this medium shows them: the content of a division it does not show is
  /// left out (blocks in it still ran: one run serves every medium), and the `::: slides` /
  /// `::: handout` lines themselves are never shown (their content stands as if they were not
  /// there). Speaker notes pass through: each walker decides where they go.
  func nodes(of notebook: Notebook) -> [Node] {
    var hidden = 0
    var kept: [Node] = []
    for node in notebook.nodes {
      switch node {
      case .open(let d) where d.kind == .slides || d.kind == .handout:
        if hidden > 0 || !shows(d.kind) { hidden += 1 }
      case .close(let d) where d.kind == .slides || d.kind == .handout:
        if hidden > 0 { hidden -= 1 }
      default:
        if hidden == 0 { kept.append(node) }
      }
    }
    return kept
  }
}
