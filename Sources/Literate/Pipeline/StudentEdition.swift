// The student edition is computed, not filtered: the program a student would have (the notebook
// without its solutions) is tangled, compiled and run on its own, so nothing downstream of a
// solution (a later block's output, an inline value, a thread the solution started, a figure) can
// carry the solution's values into what the student gets. Where public code needs a solution (a
// declaration it uses, a value it prints), the notebook is wrong for the student edition: that is
// a located error naming both places, and no student page is written from it.
import Foundation
import SwiftSyntax

/// A notebook's student edition: its own checked run, and what the run made.
public struct StudentEdition: Sendable {
  /// The notebook without its solutions (what the student program was tangled from).
  public var notebook: Notebook
  /// The student program's checked run, references resolved.
  public var run: RunResult
  /// Its figures.
  public var artifacts: Artifacts?
  /// The data files it read.
  public var dataFiles: [String]
  /// Public code that needs a solution: errors at the public lines, each naming the solution.
  /// Also added to the instructor's run, so `check` fails on them.
  public var dependence: [Diagnostic]
  /// The same errors as the student's folder may say them (its index): each names only the
  /// exercise, never a solution's lines or what it declares.
  public var dependenceForStudents: [Diagnostic] = []
}

extension Notebook {
  /// Each solution division, with the number of the exercise it answers (1-based), in order.
  var solutions: [(division: Division, exercise: Int)] {
    var exercise = 0
    var result: [(division: Division, exercise: Int)] = []
    for node in nodes {
      guard case .open(let d) = node else { continue }
      if d.kind == .exercise { exercise += 1 }
      if d.kind == .solution { result.append((d, exercise)) }
    }
    return result
  }

  /// The notebook a student has: every `::: solution` division gone (its prose, blocks, published
  /// outputs and inline expressions), nothing else changed. Its blocks are numbered anew, as the
  /// notebook without its solutions would number them (`blocks[k].index == k`): a figure's file
  /// name (`block2-1.svg`) and a cell's id (`cell-2`) say nothing of how many solution blocks there
  /// were (`publicBlockIndexes` maps them back). Inline expressions keep their indexes (no file
  /// shows them), and each runs after the blocks that remain above it. nil when the notebook has
  /// no solution.
  public func studentEdition() -> Notebook? {
    let solutions = self.solutions
    guard !solutions.isEmpty else { return nil }
    func inSolution(_ line: Int) -> Bool {
      solutions.contains {
        line >= $0.division.location.line && line <= max($0.division.closingLine, $0.division.location.line)
      }
    }
    var student = self
    var depth = 0
    var removedExecutedBefore: [Int] = []  // fence lines of executed blocks left out
    student.nodes = nodes.filter { node in
      switch node {
      case .open(let d) where d.kind == .solution:
        depth += 1
        return false
      case .close(let d) where d.kind == .solution:
        depth -= 1
        return false
      case .block(let b) where depth > 0:
        if b.isExecuted { removedExecutedBefore.append(b.fence.line) }
        return false
      default:
        return depth == 0
      }
    }
    student.nodes = Self.renumberingBlocks(student.nodes)
    student.inlines = inlines.filter { !inSolution($0.location.line) }.map { inline in
      var inline = inline
      inline.afterBlockCount -= removedExecutedBefore.filter { $0 < inline.location.line }.count
      return inline
    }
    student.warnings = warnings.filter { $0.location.map { !inSolution($0.line) } ?? true }
    return student
  }
}

extension Notebook {
  /// `nodes` with their blocks numbered 0, 1, 2… in order, each published output following its
  /// block's new number.
  static func renumberingBlocks(_ nodes: [Node]) -> [Node] {
    var number: [Int: Int] = [:]
    return nodes.map { node in
      switch node {
      case .block(var block):
        let k = number.count
        number[block.index] = k
        block.index = k
        return .block(block)
      case .published(var published):
        published.blockIndex = number[published.blockIndex] ?? published.blockIndex
        return .published(published)
      default:
        return node
      }
    }
  }

  /// The index in this notebook of each block its student edition keeps, by the student
  /// edition's index: the blocks outside every solution, in order.
  var publicBlockIndexes: [Int] {
    var depth = 0
    var result: [Int] = []
    for node in nodes {
      switch node {
      case .open(let d) where d.kind == .solution: depth += 1
      case .close(let d) where d.kind == .solution: depth -= 1
      case .block(let b) where depth == 0: result.append(b.index)
      default: break
      }
    }
    return result
  }
}

extension StudentEdition {
  /// Runs `student` (the notebook's student edition) and judges it against the instructor's run:
  /// every error of the student program that the full program does not have is public code that
  /// needs a solution.
  static func run(
    _ student: Notebook, of notebook: Notebook, instructor: RunResult, options: RunOptions
  ) throws -> StudentEdition {
    // Tangled at the student's own lines, so `#line` in public code says nothing of the solutions
    // above it; what the run reports is moved back to the instructor's lines, where it is judged.
    let lines = StudentLines(notebook)
    var output = try Runner.run(lines.notebook(student), options: options)
    output.result = lines.backwards.run(output.result)
    let checked = CrossReferences.apply(
      student, to: Checker.check(student, output.result), reusing: instructor)
    var found = Self.dependence(student: checked, instructor: instructor, notebook: notebook)
    if let read = readNotebookWithSolutions(student, dataFiles: output.dataFiles) {
      let message =
        "this notebook's code reads \(read), a notebook with solutions, which the student edition leaves out; "
        + "the student's page would show what the code makes of them: read another file"
      let at = SourceLocation(file: notebook.path, line: 1)
      found.insert((Diagnostic(.error, message, at: at), Diagnostic(.error, message, at: at)), at: 0)
    }
    if let read = output.cacheReads.first {
      let message =
        "this notebook's code reads \(URL(fileURLWithPath: read).lastPathComponent), a file of Handout's cache, "
        + "which holds the instructor's programs and runs, solutions and all; "
        + "the student's page would show what the code makes of it: read another file"
      let at = SourceLocation(file: notebook.path, line: 1)
      found.insert((Diagnostic(.error, message, at: at), Diagnostic(.error, message, at: at)), at: 0)
    }
    if let read = InstructorProducts.read(output, notebook: student) {
      found.insert(InstructorProducts.error(reading: read, notebook: notebook.path), at: 0)
    }
    if let refused = unseenProcess(output, options: options, notebook: notebook.path) {
      found.insert(refused, at: 0)
    }
    var edition = StudentEdition(
      notebook: student, run: checked, artifacts: output.artifacts, dataFiles: output.dataFiles,
      dependence: found.map(\.instructors))
    edition.dependenceForStudents = found.map(\.students)
    return edition
  }

  /// The error at the notebook's first line for a published student edition whose program started
  /// a process (or made a system call the runtime cannot see): what that process read, an
  /// instructor's handout or a notebook with solutions, is not seen, and would be on the student's
  /// page. `check` (nothing published) only warns, as for any run (`ReadsLog.processWarnings`).
  static func unseenProcess(_ output: RunOutput, options: RunOptions, notebook: String)
    -> (Diagnostic, Diagnostic)?
  {
    guard options.publishesStudentEdition, let first = output.processes.first else { return nil }
    let name = first.split(separator: " ").first.map(String.init) ?? first
    let message =
      "this notebook's code starts a process (\(name)) whose reads Handout cannot see: it could put a "
      + "solution (an instructor's handout, a notebook with solutions) on the student's page, so the "
      + "student edition is not published; read the files from Swift instead"
    let at = SourceLocation(file: notebook, line: 1)
    return (Diagnostic(.error, message, at: at), Diagnostic(.error, message, at: at))
  }

  /// The name of a notebook with solutions (this one, or another) that the student program read,
  /// through `dataFile` or a `data:` glob; nil when it read none. Its file is the instructor's, so
  /// what the program made of it would carry the solutions into the student's page. Judged by what
  /// the file holds, whatever its name: a symlink `notes.txt` to the notebook, or a hard link
  /// `copy.csv` of it, is the same text (only names ending in `.md` were looked at). A file without
  /// the word `solution` is not parsed.
  static func readNotebookWithSolutions(_ notebook: Notebook, dataFiles: [String]) -> String? {
    let folder = Pipeline.folder(of: notebook.path)
    var read = dataFiles
    for pattern in notebook.frontMatter.data { read += DataInputs.expand(pattern, in: folder) }
    for path in DataInputs.unique(read) {
      guard DataInputs.isRegularOrAbsent(path),
        let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped),
        data.range(of: Data("solution".utf8)) != nil,
        let other = try? Notebook.parse(data: data, path: path), !other.solutions.isEmpty
      else { continue }
      return URL(fileURLWithPath: path).lastPathComponent
    }
    return nil
  }

  /// The errors of the student run that the instructor's run does not have, each said as a
  /// dependence on a solution, at its public place: as the instructor reads it (the solution's
  /// line, the name it declares) and as the student's folder may say it (the exercise only).
  static func dependence(student: RunResult, instructor: RunResult, notebook: Notebook)
    -> [(instructors: Diagnostic, students: Diagnostic)]
  {
    let solutions = notebook.solutions
    guard !solutions.isEmpty else { return [] }
    let declarations = solutionDeclarations(notebook)
    let instructorErrors = Set(
      instructor.diagnostics.filter { $0.severity == .error }.compactMap { $0.location.map(key) })
    var result: [(instructors: Diagnostic, students: Diagnostic)] = []
    var seen = Set<String>()

    func add(_ location: SourceLocation?, _ what: String, name: String?) {
      guard let location, seen.insert(key(location)).inserted else { return }
      // The solution named: the one declaring the missing name, else the last one above.
      let declared = name.flatMap { declarations[$0] }
      let solution =
        declared.flatMap { d in solutions.first { $0.division.location.line == d.solutionLine } }
        ?? solutions.last { $0.division.location.line < location.line } ?? solutions[0]
      var message =
        "\(what) depends on the solution of exercise \(solution.exercise) (line \(solution.division.location.line))"
      if let name, let declared {
        message += ": `\(name)` is declared there, at line \(declared.line)"
      }
      message +=
        ", which the student edition leaves out; declare what it needs before the exercise, or move this into the solution"
      let students =
        "\(what) depends on the solution of exercise \(solution.exercise), which the student edition leaves out; "
        + "the instructor edition shows what"
      result.append((Diagnostic(.error, message, at: location), Diagnostic(.error, students, at: location)))
    }

    for diagnostic in student.diagnostics where diagnostic.severity == .error {
      guard let location = diagnostic.location, !instructorErrors.contains(key(location)) else { continue }
      add(location, "this code", name: missingName(in: diagnostic.message))
    }
    let original = notebook.publicBlockIndexes
    for (k, block) in student.blocks {
      let full = original.indices.contains(k) ? instructor.blocks[original[k]] : nil
      if let failure = block.failure, full?.failure == nil {
        add(failure.location, "this block", name: nil)
      }
      for check in block.checks where !check.passed {
        let passedInFull =
          full?.checks.contains { $0.kind == check.kind && $0.passed && sameCheck($0, check) } ?? false
        if passedInFull {
          add(
            check.location, check.kind == .publishedOutput ? "this published output" : "this check", name: nil
          )
        }
      }
    }
    return result.sorted {
      let (a, b) = ($0.instructors.location, $1.instructors.location)
      return (a?.line ?? 0, a?.column ?? 0) < (b?.line ?? 0, b?.column ?? 0)
    }
  }

  private static func key(_ l: SourceLocation) -> String { "\(l.line):\(l.column)" }

  /// Whether two checks are the same statement of the notebook (a published output is located at
  /// its first differing line when it fails, at its fence when it passes: same block then).
  private static func sameCheck(_ a: CheckResult, _ b: CheckResult) -> Bool {
    a.kind == .publishedOutput || a.location == b.location
  }

  /// The name swiftc could not find (`cannot find 'answer' in scope`), if the message says one.
  static func missingName(in message: String) -> String? {
    guard let match = message.firstMatch(of: #/cannot find (?:type )?'([^']+)' in scope/#) else { return nil }
    return String(match.1)
  }

  /// Every top-level name a solution block declares: its line and its solution's opening line.
  static func solutionDeclarations(_ notebook: Notebook) -> [String: (line: Int, solutionLine: Int)] {
    var result: [String: (line: Int, solutionLine: Int)] = [:]
    var current: Division?
    for node in notebook.nodes {
      switch node {
      case .open(let d) where d.kind == .solution: current = d
      case .close(let d) where d.kind == .solution: current = nil
      case .block(let block) where block.isExecuted:
        guard let solution = current else { continue }
        let tree = block.syntaxTree
        let converter = SourceLocationConverter(fileName: "", tree: tree)
        for statement in tree.statements {
          for (name, node) in declaredNames(statement.item) where result[name] == nil {
            let line =
              block.firstCodeLine + converter.location(for: node.positionAfterSkippingLeadingTrivia).line - 1
            result[name] = (line, solution.location.line)
          }
        }
      default: break
      }
    }
    return result
  }

  private static func declaredNames(_ item: CodeBlockItemSyntax.Item) -> [(String, Syntax)] {
    if let v = item.as(VariableDeclSyntax.self) {
      return v.bindings.flatMap { b in b.pattern.identifierPatterns.map { ($0.identifier.text, Syntax($0)) } }
    }
    if let f = item.as(FunctionDeclSyntax.self) { return [(f.name.text, Syntax(f.name))] }
    if let s = item.as(StructDeclSyntax.self) { return [(s.name.text, Syntax(s.name))] }
    if let c = item.as(ClassDeclSyntax.self) { return [(c.name.text, Syntax(c.name))] }
    if let e = item.as(EnumDeclSyntax.self) { return [(e.name.text, Syntax(e.name))] }
    if let t = item.as(TypeAliasDeclSyntax.self) { return [(t.name.text, Syntax(t.name))] }
    if let p = item.as(ProtocolDeclSyntax.self) { return [(p.name.text, Syntax(p.name))] }
    return []
  }
}
