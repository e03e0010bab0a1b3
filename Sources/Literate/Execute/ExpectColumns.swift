// The runtime reports where an `expect(` or `show(` call's parenthesis stands; the page and
// `--update` want where `expect` (or `show`) starts. Fixed here, as the run's events are collected.
import SwiftSyntax

/// `#column` as a default argument names the column of the call's `(`; diagnostics and
/// `--update` want the column of `expect` itself, and a figure's error or warning that of `show`.
enum ExpectColumns {
  static func normalize(_ run: RunResult, notebook: Notebook) -> RunResult {
    var run = run
    let placed = Set(
      run.diagnostics.compactMap { $0.location?.file == notebook.path ? $0.location?.line : nil })
    for block in notebook.blocks where block.isExecuted {
      guard var result = run.blocks[block.index] else { continue }
      let lines =
        block.firstCodeLine..<(block.firstCodeLine + block.code.utf8.count { $0 == UInt8(ascii: "\n") } + 1)
      guard
        result.checks.contains(where: { $0.kind == .expectation }) || placed.contains(where: lines.contains)
      else { continue }
      let file = block.syntaxTree
      let converter = SourceLocationConverter(fileName: "", tree: file)
      var starts: [Pair: Int] = [:]
      for call in ExpectCalls.find(in: file, names: ["expect", "show"]) {
        guard let paren = call.leftParen else { continue }
        let p = converter.location(for: paren.positionAfterSkippingLeadingTrivia)
        let s = converter.location(for: call.positionAfterSkippingLeadingTrivia)
        starts[Pair(line: block.firstCodeLine + p.line - 1, column: p.column)] = s.column
      }
      for i in result.checks.indices where result.checks[i].kind == .expectation {
        let l = result.checks[i].location
        if l.file == notebook.path, let column = starts[Pair(line: l.line, column: l.column)] {
          result.checks[i].location.column = column
        }
      }
      run.blocks[block.index] = result
      for i in run.diagnostics.indices {
        guard let l = run.diagnostics[i].location, l.file == notebook.path,
          let column = starts[Pair(line: l.line, column: l.column)]
        else { continue }
        run.diagnostics[i].location?.column = column
      }
    }
    return run
  }

  struct Pair: Hashable {
    var line: Int
    var column: Int
  }
}
