// Where a run stopped early, and which blocks it never reached.

/// Where a run stopped before its end: the first executed block that failed (a trap, a timeout,
/// `exit`), or after the last block that ran when the program died between blocks. nil when the run
/// ended normally, or never started (a compile error: nothing ran, and the errors say why).
struct RunStop {
  /// The block it stopped in, its 1-based number among the executed blocks, and the notebook line.
  var block: Block
  var number: Int
  var line: Int
  private let executed: [Int: Int]

  init?(notebook: Notebook, run: RunResult) {
    let executed = notebook.blocks.filter(\.isExecuted)
    guard run.failed, !run.blocks.isEmpty else { return nil }
    let failed = executed.enumerated().first { run.blocks[$0.element.index]?.failure != nil }
    let lastRan = executed.enumerated().last { run.blocks[$0.element.index] != nil }
    guard let (offset, block) = failed ?? lastRan,
      executed.dropFirst(offset + 1).contains(where: { run.blocks[$0.index] == nil })
        || run.blocks[block.index]?.failure != nil
    else { return nil }
    self.block = block
    self.number = offset + 1
    self.line = run.blocks[block.index]?.failure?.location?.line ?? block.fence.line
    self.executed = Dictionary(
      uniqueKeysWithValues: executed.enumerated().map { ($0.element.index, $0.offset) })
  }

  /// "block 2, line 9".
  var summary: String { "block \(number), line \(line)" }
  var anchor: String { PageBuilder.anchor(block) }

  /// The position of `later` among the executed blocks when it comes after the stop, else nil.
  func ordinal(of later: Block) -> Int? {
    guard let k = executed[later.index], k + 1 > number else { return nil }
    return k + 1
  }
}
