// Which executed blocks only one medium shows: the program draws only the figure files that
// medium uses, and the run cache's key holds where each block stands.
import Foundation

extension Notebook {
  /// The indices of the blocks inside `::: handout`: on the page only, never
  /// on a deck. The program is told (`beginBlock(k, pageOnly: true)`) and draws no slide variant
  /// of their figures; the run cache's key holds it, so a block moved into or out of the division
  /// runs again.
  public var pageOnlyBlocks: Set<Int> { blockPlacements.page }

  /// The indices of the blocks inside `::: slides` or speaker notes (`::: notes`), and not inside
  /// `::: handout`: on the deck only, never on the page or its PDF. The program is told
  /// (`beginBlock(k, slidesOnly: true)`) and draws only the slide variant of their figures (no
  /// page SVG, PNG or PDF: nothing would show or link them); the run cache's key holds it.
  public var slidesOnlyBlocks: Set<Int> { blockPlacements.slides }

  /// The blocks on the page only and those on the slides only, by index.
  private var blockPlacements: (page: Set<Int>, slides: Set<Int>) {
    var (handout, slides) = (0, 0)
    var found: (page: Set<Int>, slides: Set<Int>) = ([], [])
    for node in nodes {
      switch node {
      case .open(let division) where division.kind == .handout: handout += 1
      case .close(let division) where division.kind == .handout: handout -= 1
      case .open(let division) where division.kind == .slides || division.kind == .notes: slides += 1
      case .close(let division) where division.kind == .slides || division.kind == .notes: slides -= 1
      case .block(let block) where handout > 0: found.page.insert(block.index)
      case .block(let block) where slides > 0: found.slides.insert(block.index)
      default: continue
      }
    }
    return found
  }
}
