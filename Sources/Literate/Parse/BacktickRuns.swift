// Backtick runs, for finding where a code span closes in linear time.

/// Where the next backtick run of a given length starts: maximal runs, grouped by length, each group
/// read with a cursor that only moves forward (the lexer asks with ever larger `from`).
struct BacktickRuns {
  private var starts: [Int: [Int]] = [:]
  private var cursors: [Int: Int] = [:]

  /// `isBacktick[k]` for every position of the text.
  init(_ isBacktick: some Collection<Bool>) {
    var k = 0
    var runStart: Int?
    for b in isBacktick {
      if b, runStart == nil { runStart = k }
      if !b, let start = runStart {
        starts[k - start, default: []].append(start)
        runStart = nil
      }
      k += 1
    }
    if let start = runStart { starts[k - start, default: []].append(start) }
  }

  /// The start of the first maximal run of exactly `length` backticks at or after `from`.
  /// `from` must not decrease between calls with the same `length`.
  mutating func first(length: Int, from: Int) -> Int? {
    guard let list = starts[length] else { return nil }
    var c = cursors[length] ?? 0
    while c < list.count, list[c] < from { c += 1 }
    cursors[length] = c
    return c < list.count ? list[c] : nil
  }
}
