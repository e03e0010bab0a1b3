// The stage between check and weave: labelled figures, equations and tables get their numbers,
// and every `@label` in prose is resolved against them. Some labels only the run knows
// (`show(…, label:)`), so this runs after it; pure, no files or processes.
import Foundation

extension CrossReferences {
  /// The numbering of `notebook` as woven with `run`, and its reference errors.
  ///
  /// A reference to a figure that is not known is not reported when the run did not reach the end
  /// of every executed block: the figure may be one the run never got to show, and the failure
  /// that stopped it is already reported.
  public static func resolve(_ notebook: Notebook, _ run: RunResult) -> CrossReferences {
    var result = CrossReferences()
    let figures = figures(notebook, run, errors: &result.diagnostics)
    let prose = proseTargets(notebook, errors: &result.diagnostics)
    let references = prose.references + referencesOutsideProse(notebook, run)
    let inAbstract = labelsInTheAbstract(notebook)
    result.diagnostics += inAbstract.map(\.error)
    // Duplicates: the first in document order wins, the later ones are errors (a label shown only
    // on the slides, which takes no number, counts too).
    let unnumbered = (figures.slidesOnly + prose.slidesOnly).map { ($0.label, $0.location, Target?.none) }
    var seen: [String: SourceLocation] = [:]
    for (label, location, target)
      in ((figures.found + prose.found).map { ($0.label, $0.location, $0) } + unnumbered)
      .sorted(by: { ($0.1.line, $0.1.column) < ($1.1.line, $1.1.column) })
    {
      if let first = seen[label] {
        result.diagnostics.append(
          Diagnostic(.error, "duplicate label '\(label)': already used at \(first)", at: location))
      } else {
        seen[label] = location
        if let target { result.targets[label] = target }
      }
    }
    let incomplete = notebook.blocks.contains {
      $0.isExecuted && (run.blocks[$0.index] == nil || run.blocks[$0.index]?.failure != nil)
    }
    let slidesOnly = Set((figures.slidesOnly + prose.slidesOnly).map(\.label))
    for reference in references where result.targets[reference.label] == nil {
      let kind = LabelKind(label: reference.label)
      if kind == .figure, incomplete { continue }
      result.unknown.append(reference)
      var message = "unknown reference @\(reference.label)"
      if figures.hidden.contains(reference.label) {
        message += ": its figure is in a block with output=false, so the page does not show it"
      } else if slidesOnly.contains(reference.label) {
        message +=
          ": its \(kind?.noun ?? "target") is shown only on the slides; the handout (whose numbers the deck "
          + "shows) cannot refer to it"
      } else if inAbstract.contains(where: { $0.label == reference.label }) {
        message += ": its \(kind?.noun ?? "target") is in the abstract, which numbers nothing"
      } else if let near = nearest(reference.label, among: result.targets.keys) {
        message += "; did you mean @\(near)?"
      } else {
        message += ": no \(kind.map(\.noun) ?? "figure, equation or table") has this label"
      }
      result.diagnostics.append(Diagnostic(.error, message, at: reference.location))
    }
    result.diagnostics.sort {
      ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0)
    }
    return result
  }

  /// Where each of `notebook.nodes` is shown, by its index: `.page` inside `::: handout`, `.slides`
  /// inside `::: slides` or speaker notes (the deck's), nil (both) elsewhere.
  static func placements(_ notebook: Notebook) -> [Medium?] {
    var open: [Division.Kind] = []
    return notebook.nodes.map { node in
      switch node {
      case .open(let division): open.append(division.kind)
      case .close: if !open.isEmpty { open.removeLast() }
      default: break
      }
      if open.contains(.handout) { return .page }
      if open.contains(.slides) || open.contains(.notes) { return .slides }
      return nil
    }
  }

  /// The labelled equations and tables of the prose, numbered among those the handout's page
  /// shows (a label inside `::: handout` is marked `pageOnly`); those shown only on the slides,
  /// which take no number; and every reference written in the prose.
  private static func proseTargets(_ notebook: Notebook, errors: inout [Diagnostic]) -> (
    found: [Target], slidesOnly: [(label: String, location: SourceLocation)],
    references: [(label: String, location: SourceLocation)]
  ) {
    var found: [Target] = []
    var slidesOnly: [(label: String, location: SourceLocation)] = []
    var references: [(label: String, location: SourceLocation)] = []
    var counts: [LabelKind: Int] = [:]
    let placements = placements(notebook)
    for (k, node) in notebook.nodes.enumerated() {
      guard case .prose(let prose) = node else { continue }
      func add(_ kind: LabelKind, _ label: String, at location: SourceLocation) {
        guard placements[k] != .slides else { return slidesOnly.append((label, location)) }
        counts[kind, default: 0] += 1
        let number = counts[kind] ?? 0
        found.append(
          Target(
            label: label, number: number, location: location, text: kind.text(number),
            pageOnly: placements[k] == .page))
      }
      for inline in prose.allInlines {
        switch inline {
        case .reference(let label, let location): references.append((label, location))
        case .math(let span):
          if let label = span.label, let location = span.labelLocation { add(.equation, label, at: location) }
        case .captionMarker(let label?, _, let start):
          errors.append(
            Diagnostic(
              .error,
              "the caption of table '\(label)' must follow its table, after one blank line "
                + "(`| a | b |` … then `Table: caption {#\(label)}`)",
              at: start))
        default: break
        }
      }
      for case .table(let table) in prose.allBlocks {
        if let label = table.caption?.label, let location = table.caption?.labelLocation {
          add(.table, label, at: location)
        }
      }
    }
    return (found, slidesOnly, references)
  }

  /// The labelled figures, numbered as the handout's page numbers them (`figureNumbers`; one in
  /// `::: handout` is marked `pageOnly`), the labels of figures in blocks with `output=false` (the
  /// page does not show them) and those of figures shown only on the slides, where they are
  /// written; malformed labels are added to `errors`.
  private static func figures(_ notebook: Notebook, _ run: RunResult, errors: inout [Diagnostic]) -> (
    found: [Target], hidden: Set<String>, slidesOnly: [(label: String, location: SourceLocation)]
  ) {
    var found: [Target] = []
    var hidden: Set<String> = []
    var slidesOnly: [(label: String, location: SourceLocation)] = []
    let numbers = figureNumbers(notebook, run)
    let pageOnly = notebook.pageOnlyBlocks
    for case .block(let block) in notebook.nodes where block.isExecuted {
      guard let figures = run.blocks[block.index]?.figures else { continue }
      for (position, figure) in figures.enumerated() {
        if let label = figure.label, !(LabelKind.isLabel(label) && LabelKind(label: label) == .figure) {
          errors.append(
            Diagnostic(
              .error,
              "figure label '\(label)' must start with `fig-` followed by letters, digits, `-` or `_`",
              at: figureLabelLocation(label, in: block, notebook: notebook)))
        }
        guard let label = figureLabel(figure, position: position, block: block) else { continue }
        let location = figureLabelLocation(figure.label == nil ? nil : label, in: block, notebook: notebook)
        guard let first = numbers[block.index] else {
          if block.showOutput { slidesOnly.append((label, location)) } else { hidden.insert(label) }
          continue
        }
        found.append(
          Target(
            label: label, number: first + position, location: location,
            text: LabelKind.figure.text(first + position), pageOnly: pageOnly.contains(block.index)))
      }
    }
    return (found, hidden, slidesOnly)
  }

  /// The one figure numbering of page and deck: the number of the first figure of each executed
  /// block the handout's page shows with its output, by the block's index. A figure's number is
  /// its number in the handout; the deck shows the same numbers (it excerpts the handout), and a
  /// figure shown only on the slides (`::: slides`, speaker notes) has none.
  static func figureNumbers(_ notebook: Notebook, _ run: RunResult) -> [Int: Int] {
    var numbers: [Int: Int] = [:]
    var next = 1
    var notesDepth = 0
    for node in Medium.page.nodes(of: notebook) {
      switch node {
      case .open(let division) where division.kind == .notes: notesDepth += 1
      case .close(let division) where division.kind == .notes: notesDepth -= 1
      case .block(let block) where notesDepth == 0 && block.isExecuted && block.showOutput:
        guard let figures = run.blocks[block.index]?.figures, !figures.isEmpty else { continue }
        numbers[block.index] = next
        next += figures.count
      default: continue
      }
    }
    return numbers
  }

  /// `run` with its numbering resolved (`RunResult.references`, which every format reads), its
  /// figure captions parsed (`RunResult.captionTrees`; those of `reusing` are not parsed again),
  /// and the reference errors of `resolve` added to its diagnostics (so they fail the notebook as
  /// a failed check does).
  public static func apply(_ notebook: Notebook, to run: RunResult, reusing: RunResult? = nil) -> RunResult {
    var run = run
    run.captionTrees = Prose.figureCaptions(run, known: reusing?.captionTrees ?? [:])
    let references = resolve(notebook, run)
    run.diagnostics += references.diagnostics + leavingTheStudentEdition(notebook, run, full: references)
    run.references = references
    return run
  }

  /// The references written outside the prose runs, each where it is written: in the abstract
  /// and the divisions' titles (placed by the parse stage), and in the caption and the alt text of
  /// each figure the page shows (where the block's code writes it, else the block's fence).
  static func referencesOutsideProse(_ notebook: Notebook, _ run: RunResult) -> [(
    label: String, location: SourceLocation
  )] {
    func references(_ blocks: [MarkdownBlock]) -> [(label: String, location: SourceLocation)] {
      Prose(markdown: "", line: 1, blocks: blocks).allInlines.compactMap {
        if case .reference(let label, let location) = $0 { (label, location) } else { nil }
      }
    }
    var found = references(notebook.frontMatter.abstractBlocks ?? [])
    for case .open(let division) in notebook.nodes {
      found += references([.paragraph(division.titleInlines ?? [])])
    }
    for case .block(let block) in notebook.nodes where block.isExecuted && block.showOutput {
      func add(_ label: String) {
        found.append((label, codeLocation(of: "@" + label, in: block, notebook: notebook) ?? block.fence))
      }
      for figure in run.blocks[block.index]?.figures ?? [] {
        if let caption = figure.caption, !caption.isEmpty {
          references(run.captionTrees[caption] ?? Prose.tree(of: caption, escapeHTML: true)).forEach {
            add($0.label)
          }
        }
        // Its alt text, plain text (the caption's when `show` was given none: said once).
        guard figure.alt != figure.caption else { continue }
        ReferencePlaces.references(inPlainText: figure.alt).forEach { add($0.label) }
      }
    }
    return found
  }

  /// Labelled equations and tables in the abstract, each with its error where its label is written.
  /// The abstract numbers nothing: it stands above the handout as a summary, and the slides leave
  /// it out, so a number there would be one the deck's references point to but never show (and
  /// the deck's first equation would be "(2)").
  static func labelsInTheAbstract(_ notebook: Notebook) -> [(label: String, error: Diagnostic)] {
    let abstract = Prose(markdown: "", line: 1, blocks: notebook.frontMatter.abstractBlocks ?? [])
    var found: [(label: String, kind: LabelKind, location: SourceLocation)] = []
    for case .math(let span) in abstract.allInlines {
      if let label = span.label, let location = span.labelLocation {
        found.append((label, .equation, location))
      }
    }
    for case .table(let table) in abstract.allBlocks {
      if let label = table.caption?.label, let location = table.caption?.labelLocation {
        found.append((label, .table, location))
      }
    }
    return found.map { label, kind, location in
      let error = Diagnostic(
        .error,
        "the abstract cannot hold a numbered \(kind.noun) (the slides leave the abstract out): move the "
          + "\(kind.noun) labelled '\(label)' into the text, or drop its `{#\(label)}` to show it unnumbered",
        at: location)
      return (label, error)
    }
  }

  /// A reference outside every solution to a label inside one: the student edition leaves the
  /// target out, so its page would show a dangling reference. An error where the reference is,
  /// found by resolving the student profile's values too (only when the notebook has a solution).
  static func leavingTheStudentEdition(_ notebook: Notebook, _ run: RunResult, full: CrossReferences)
    -> [Diagnostic]
  {
    let hasSolution = notebook.nodes.contains {
      if case .open(let division) = $0 { division.kind == .solution } else { false }
    }
    guard hasSolution else { return [] }
    let (studentNotebook, studentRun) = Profile.student.apply(notebook, run)
    let student = resolve(studentNotebook, studentRun)
    return student.unknown.compactMap { reference in
      guard let target = full.targets[reference.label] else { return nil }
      return Diagnostic(
        .error,
        "@\(reference.label) refers to \(target.text), which is inside a solution: the student edition leaves "
          + "it out, so this reference would point nowhere; move the reference into the solution or the target "
          + "out of it",
        at: reference.location)
    }
  }

  /// The label of the figure at `position` among those `block` showed: the one `show` gave, else
  /// the block's `id` for its first figure when that id is a figure label (`fig-…`). nil when the
  /// figure has none, or a malformed one.
  static func figureLabel(_ figure: FigureOutput, position: Int, block: Block) -> String? {
    if let label = figure.label {
      return LabelKind.isLabel(label) && LabelKind(label: label) == .figure ? label : nil
    }
    if position == 0, let id = block.id, LabelKind.isLabel(id), LabelKind(label: id) == .figure {
      return id
    }
    return nil
  }

  /// Where `label` is written as a string literal in the block's code (the `show(…, label:)`
  /// call), else the block's fence (a label from the block's `id`, or one the code computed).
  static func figureLabelLocation(_ label: String?, in block: Block, notebook: Notebook) -> SourceLocation {
    guard let label else { return block.fence }
    return codeLocation(of: "\"\(label)\"", in: block, notebook: notebook) ?? block.fence
  }

  /// Where `text` is first written in the block's code, or nil.
  static func codeLocation(of text: String, in block: Block, notebook: Notebook) -> SourceLocation? {
    for (k, line) in block.code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if let range = line.range(of: text) {
        return SourceLocation(
          file: notebook.path, line: block.firstCodeLine + k,
          column: line.distance(from: line.startIndex, to: range.lowerBound) + 1)
      }
    }
    return nil
  }

  /// The known label closest to `label` in edit distance, when it is close enough to be a typo
  /// (at most 2 edits, or a third of the label's length).
  static func nearest(_ label: String, among labels: some Collection<String>) -> String? {
    let limit = max(2, label.count / 3)
    return
      labels
      .map { ($0, editDistance(label, $0)) }
      .filter { $0.1 <= limit }
      .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
  }

  /// Levenshtein distance between two short strings.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in 1...max(1, b.count) where !b.isEmpty {
        let saved = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = saved
      }
    }
    return row[b.count]
  }
}

extension LabelKind {
  /// "figure", "equation", "table".
  var noun: String {
    switch self {
    case .figure: "figure"
    case .equation: "equation"
    case .table: "table"
    }
  }
}
