// The runtime reports where an `expect(` call's parenthesis stands; the page and `--update` want
// where `expect` starts. Fixed here, as the run's events are collected.
import SwiftSyntax

/// `#column` as a default argument names the column of the call's `(`; diagnostics and
/// `--update` want the column of `expect` itself.
enum ExpectColumns {
  static func normalize(_ run: RunResult, notebook: Notebook) -> RunResult {
    var run = run
    for block in notebook.blocks where block.isExecuted {
      guard var result = run.blocks[block.index], result.checks.contains(where: { $0.kind == .expectation })
      else { continue }
      let file = block.syntaxTree
      let converter = SourceLocationConverter(fileName: "", tree: file)
      var starts: [Pair: Int] = [:]
      for call in ExpectCalls.find(in: file) {
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
    }
    return run
  }

  struct Pair: Hashable {
    var line: Int
    var column: Int
  }
}
