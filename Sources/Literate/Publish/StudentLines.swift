// The student edition's own line numbers. A student has the notebook without its solutions, so a
// line the student reads about (a failure's `x.md:57:3`, a check's "line 57", a block's anchor)
// is a line of that notebook: the instructor's line less the lines of every solution above it.
// Left as the instructor's, each would tell where the solutions are and how long they are.
import Foundation

/// Maps the instructor's notebook lines to its student edition's: each solution's lines, from its
/// opening `:::` to its closing one, taken out.
struct StudentLines {
  /// Each solution's first and last line, in order.
  private let removed: [(first: Int, last: Int)]
  /// The notebook's path: only locations in it are moved.
  private let path: String
  /// The other way: a student's line to the instructor's (`backwards`).
  private var toInstructor = false

  init(_ notebook: Notebook) {
    path = notebook.path
    removed = notebook.solutions.map { s in
      (s.division.location.line, max(s.division.closingLine, s.division.location.line))
    }
  }

  /// The inverse map: the student's lines back to the instructor's. The student program is
  /// tangled at the student's lines (its `#line` must not tell how long the solutions above it
  /// are); what its run reports is moved back with this, to be judged beside the instructor's run.
  var backwards: StudentLines {
    var inverse = self
    inverse.toInstructor = !toInstructor
    return inverse
  }

  /// The student's line for the instructor's `line`: less every solution line above it. A line
  /// inside a solution is where the solution stood (the line that follows it in the student's
  /// notebook). 0 (no line) stays 0. `backwards`: the instructor's line for the student's `line`
  /// (the line after a solution when it stands where one stood).
  func line(_ line: Int) -> Int {
    guard line > 0 else { return line }
    if toInstructor {
      var result = line
      for r in removed where result >= r.first { result += r.last - r.first + 1 }
      return result
    }
    var shift = 0
    for r in removed {
      if line > r.last {
        shift += r.last - r.first + 1
      } else {
        if line >= r.first { return r.first - shift }
        break
      }
    }
    return line - shift
  }

  func location(_ location: SourceLocation) -> SourceLocation {
    guard
      location.file == path
        || URL(fileURLWithPath: location.file).lastPathComponent
          == URL(fileURLWithPath: path).lastPathComponent
    else { return location }
    var moved = location
    moved.line = line(location.line)
    return moved
  }

  func diagnostic(_ diagnostic: Diagnostic) -> Diagnostic {
    var moved = diagnostic
    moved.location = diagnostic.location.map(location)
    moved.notes = diagnostic.notes.map(self.diagnostic)
    return moved
  }

  /// `run` with every location moved: diagnostics and their notes, block failures, checks.
  func run(_ run: RunResult) -> RunResult {
    var moved = run
    moved.diagnostics = run.diagnostics.map(diagnostic)
    for (k, var block) in run.blocks {
      block.failure = block.failure.map(diagnostic)
      for c in block.checks.indices { block.checks[c].location = location(block.checks[c].location) }
      moved.blocks[k] = block
    }
    return moved
  }

  /// `notebook` (the student's, solutions already out) with every line its own: its blocks,
  /// published outputs, divisions, prose, inline expressions and warnings.
  func notebook(_ notebook: Notebook) -> Notebook {
    var moved = notebook
    moved.nodes = notebook.nodes.map(node)
    moved.inlines = notebook.inlines.map { inline in
      var inline = inline
      inline.location = location(inline.location)
      return inline
    }
    moved.warnings = notebook.warnings.map(diagnostic)
    return moved
  }

  private func node(_ node: Node) -> Node {
    switch node {
    case .prose(var prose):
      prose.line = line(prose.line)
      return .prose(prose)
    case .block(var block):
      block.fence = location(block.fence)
      block.firstCodeLine = line(block.firstCodeLine)
      block.closingLine = line(block.closingLine)
      return .block(block)
    case .published(var published):
      published.fence = location(published.fence)
      published.firstTextLine = line(published.firstTextLine)
      published.closingLine = line(published.closingLine)
      return .published(published)
    case .open(var division):
      division.location = location(division.location)
      division.closingLine = line(division.closingLine)
      return .open(division)
    case .close(var division):
      division.location = location(division.location)
      division.closingLine = line(division.closingLine)
      return .close(division)
    }
  }
}
