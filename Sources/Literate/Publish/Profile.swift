// Who a handout is for. A profile is a pure filter over the values publish weaves (the notebook and
// its checked run), applied once before every format is made from them: the run is the same for
// every profile (one cache entry, never a second run), and `check` never filters.
import Foundation

/// Who the written handout is for: `render --profile student|instructor`.
///
/// `check` ignores profiles: it always runs and checks every solution, so CI verifies them.
public enum Profile: String, Sendable, CaseIterable {
  /// Everything; each solution collapsed under its exercise. The default.
  case instructor
  /// Solutions absent from everything written (page, self-contained page, figures folder, index),
  /// not hidden.
  case student

  /// The notebook and run as this profile's reader gets them.
  ///
  /// `instructor`: both unchanged. `student`: without every `::: solution` division: its nodes
  /// (prose, blocks, published outputs, the division's own markers), the results of its blocks
  /// (printed text, displayed values, figures, checks), its inline expressions and their values, and
  /// every check, diagnostic, compiler note and warning located in its lines (an `expect` inside a
  /// function the solution declared, called by a later block). A failure among what was removed
  /// leaves one error at the solution's opening line that says no more, so a failing notebook
  /// still reads as failing (`RunResult.failed` is unchanged).
  ///
  /// The result is for weaving only: blocks and inline expressions keep their indexes (with gaps
  /// where solutions were), so it is never tangled. Locations are judged by the divisions'
  /// `location.line…closingLine`; a division built by hand with `closingLine` 0 covers its
  /// opening line only.
  public func apply(_ notebook: Notebook, _ run: RunResult) -> (Notebook, RunResult) {
    guard self == .student else { return (notebook, run) }
    var filter = SolutionFilter(notebook: notebook)
    return (filter.notebook(), filter.run(run))
  }
}

/// The student profile's filter: which nodes, lines and results belong to solutions.
private struct SolutionFilter {
  let source: Notebook
  /// Each solution division with the number of the exercise it answers (1-based).
  private(set) var solutions: [(division: Division, exercise: Int)] = []
  /// The nodes outside every solution, in order.
  private var kept: [Node] = []
  /// Blocks inside a solution, with the position of that solution in `solutions`.
  private var removedBlocks: [(block: Int, solution: Int)] = []
  /// Solutions (positions in `solutions`) some failure was removed from.
  private var failing = Set<Int>()

  init(notebook: Notebook) {
    source = notebook
    var exercise = 0
    var inside: Int? = nil
    for node in notebook.nodes {
      switch node {
      case .open(let d) where d.kind == .exercise:
        exercise += 1
      case .open(let d) where d.kind == .solution:
        // A solution stands inside an exercise, never inside another solution (the parser says so).
        solutions.append((d, exercise))
        inside = solutions.count - 1
        continue
      case .close(let d) where d.kind == .solution:
        inside = nil
        continue
      case .block(let b):
        if let inside { removedBlocks.append((b.index, inside)) }
      default: break
      }
      if inside == nil { kept.append(node) }
    }
  }

  /// The position in `solutions` of the solution whose lines hold `location`, if any.
  func solution(at location: SourceLocation?) -> Int? {
    guard let location, !solutions.isEmpty else { return nil }
    let sameFile =
      location.file == source.path
      || URL(fileURLWithPath: location.file).lastPathComponent
        == URL(fileURLWithPath: source.path).lastPathComponent
    guard sameFile else { return nil }
    return solutions.firstIndex { s in
      location.line >= s.division.location.line
        && location.line <= max(s.division.closingLine, s.division.location.line)
    }
  }

  func notebook() -> Notebook {
    var notebook = source
    notebook.nodes = kept
    notebook.inlines = source.inlines.filter { solution(at: $0.location) == nil }
    notebook.warnings = source.warnings.compactMap(outside)
    return notebook
  }

  mutating func run(_ run: RunResult) -> RunResult {
    var result = run
    // The full run's numbering counts what the student does not see: weave numbers this run anew.
    result.references = nil
    for (k, s) in removedBlocks {
      guard let removed = result.blocks.removeValue(forKey: k) else { continue }
      if removed.failure != nil || removed.checks.contains(where: { !$0.passed }) { failing.insert(s) }
    }
    for (k, block) in result.blocks { result.blocks[k] = filtered(block) }
    for inline in source.inlines where solution(at: inline.location) != nil {
      result.inlineValues.removeValue(forKey: inline.index)
    }
    var diagnostics: [Diagnostic] = []
    for diagnostic in run.diagnostics {
      if let kept = outside(diagnostic) {
        diagnostics.append(kept)
      } else if diagnostic.severity == .error, let s = solution(at: diagnostic.location) {
        failing.insert(s)
      }
    }
    for s in failing.sorted() { diagnostics.append(stand(in: s)) }
    result.diagnostics = diagnostics
    return result
  }

  /// The student program's own run, with `failing`'s stand-ins for the solutions that failed in
  /// the full run (they still fail the student's handout, saying nothing of what failed).
  func studentRun(_ own: RunResult, failing: [Diagnostic]) -> RunResult {
    var result = own
    let standIns = failing.filter { d in
      solutions.contains {
        d.location == $0.division.location && d.message.hasPrefix("the solution to exercise")
      }
    }
    result.diagnostics = own.diagnostics.compactMap(outside) + standIns
    return result
  }

  /// A remaining block's result without the checks located in a solution; a failure located in
  /// one is replaced by a message that names only the exercise.
  private mutating func filtered(_ block: BlockResult) -> BlockResult {
    var block = block
    block.checks = block.checks.filter { check in
      guard let s = solution(at: check.location) else { return true }
      if !check.passed { failing.insert(s) }
      return false
    }
    if let failure = block.failure {
      if let s = solution(at: failure.location) {
        block.failure = Diagnostic(
          .error, "stopped in the code of the solution to exercise \(solutions[s].exercise)",
          at: solutions[s].division.location)
      } else {
        block.failure = outside(failure)
      }
    }
    return block
  }

  /// `diagnostic` without its notes located in a solution; nil when it is located in one itself.
  private func outside(_ diagnostic: Diagnostic) -> Diagnostic? {
    guard solution(at: diagnostic.location) == nil else { return nil }
    var diagnostic = diagnostic
    diagnostic.notes = diagnostic.notes.filter { solution(at: $0.location) == nil }
    return diagnostic
  }

  /// The error that stands for what failed in solution `s`: where it starts, and nothing of it.
  private func stand(in s: Int) -> Diagnostic {
    Diagnostic(
      .error,
      "the solution to exercise \(solutions[s].exercise) failed (a check, or its code stopped); "
        + "the instructor edition shows what",
      at: solutions[s].division.location)
  }
}

extension SolutionFilter {
  /// `error` (why a notebook did not parse or run) as the student gets it: each diagnostic located
  /// in a solution replaced by one error at that solution's opening line that names only its
  /// exercise; the others as they are, without their notes located in a solution.
  func error(_ error: HandoutError) -> HandoutError {
    switch error {
    case .notebook, .notUTF8: break
    default: return error
    }
    var diagnostics: [Diagnostic] = []
    var named = Set<Int>()
    for diagnostic in error.diagnostics {
      if let s = solution(at: diagnostic.location) {
        guard diagnostic.severity == .error, named.insert(s).inserted else { continue }
        diagnostics.append(
          Diagnostic(
            .error,
            "the solution to exercise \(solutions[s].exercise) does not parse; the instructor edition shows why",
            at: solutions[s].division.location))
      } else {
        var kept = diagnostic
        kept.notes = diagnostic.notes.filter { solution(at: $0.location) == nil }
        diagnostics.append(kept)
      }
    }
    return .notebook(diagnostics)
  }

  /// What the parser makes of the notebook at `path` although it has errors: its divisions, a
  /// division left open running to the end of the file. Nil when the file cannot be read.
  static func partialNotebook(at path: String) -> Notebook? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var scanner = NotebookScanner(source: String(decoding: data, as: UTF8.self), path: path)
    var notebook = scanner.scan()
    notebook.nodes = notebook.nodes.map { node in
      guard case .open(var division) = node, division.closingLine == 0 else { return node }
      division.closingLine = Int.max
      return .open(division)
    }
    return notebook
  }
}

extension NotebookOutcome {
  /// The outcome as `profile`'s reader gets it.
  ///
  /// `student`: the student edition's own run when there is one (`RunOptions.studentEdition`):
  /// its values, figures and checks come from the program without solutions, with one error that
  /// names only the exercise for each solution that failed in the full run. Where public code
  /// needs a solution, there is no page to write (the error says where, nothing of the solution).
  /// For a notebook that did not parse or could not run, its error without anything located in a
  /// solution (each such diagnostic names only the exercise); a notebook that did not parse is
  /// read again to find its solutions, and when it cannot be, every diagnostic located in it
  /// becomes one error that says no more.
  public func applying(_ profile: Profile) -> NotebookOutcome {
    guard profile == .student else { return self }
    var outcome = self
    guard let notebook, let run else {
      if let error {
        if let source = notebook ?? SolutionFilter.partialNotebook(at: path) {
          outcome.error = SolutionFilter(notebook: source).error(error)
          if case .notebook(let diagnostics) = outcome.error {
            outcome.error = .notebook(diagnostics.map(StudentLines(source).diagnostic))
          }
        } else if error.diagnostics.contains(where: { $0.location != nil }) {
          outcome.error = .notebook([
            Diagnostic(
              .error, "the notebook does not parse; the instructor edition shows why",
              at: SourceLocation(file: path, line: 1))
          ])
        }
      }
      return outcome
    }
    // Every line the student reads is the student's notebook's (see StudentLines).
    let lines = StudentLines(notebook)
    if let student, !student.dependence.isEmpty {
      outcome.run = nil
      outcome.artifacts = nil
      outcome.error = .notebook(student.dependenceForStudents.map(lines.diagnostic))
      return outcome
    }
    var filter = SolutionFilter(notebook: notebook)
    outcome.notebook = filter.notebook()
    outcome.run = filter.run(run)
    if let student {
      outcome.run = filter.studentRun(student.run, failing: outcome.run?.diagnostics ?? [])
      outcome.artifacts = student.artifacts
      // Its blocks as the student's program numbered them (the run is keyed by these).
      outcome.notebook?.nodes = student.notebook.nodes
    }
    outcome.notebook = outcome.notebook.map(lines.notebook)
    outcome.run = outcome.run.map(lines.run)
    return outcome
  }
}
