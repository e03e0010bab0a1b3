// Which block a diagnostic's place is in.
import Foundation

extension PageBuilder {
  /// Finds the block of a location by binary search over the blocks' line ranges, built once per
  /// page (looking through every block for every diagnostic was quadratic).
  struct BlockLocator {
    let notebook: Notebook
    /// Blocks in notebook order with the line after their last code line.
    private let blocks: [(block: Block, end: Int)]
    private let fileName: String

    init(_ notebook: Notebook) {
      self.notebook = notebook
      blocks = notebook.blocks.map { block in
        let lines = block.code.utf8.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        return (block, block.firstCodeLine + lines)
      }
      fileName = URL(fileURLWithPath: notebook.path).lastPathComponent
    }

    func block(containing location: SourceLocation?) -> Block? {
      guard let location else { return nil }
      let sameFile =
        location.file == notebook.path || URL(fileURLWithPath: location.file).lastPathComponent == fileName
      guard sameFile else { return nil }
      // The last block starting at or before the line.
      var low = 0
      var high = blocks.count
      while low < high {
        let mid = (low + high) / 2
        if blocks[mid].block.firstCodeLine <= location.line { low = mid + 1 } else { high = mid }
      }
      guard low > 0, location.line < blocks[low - 1].end else { return nil }
      return blocks[low - 1].block
    }
  }
}
