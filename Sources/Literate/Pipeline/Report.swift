// What `check` and `render` tell a person (terminal), a CI server (JUnit XML) and GitHub
// (workflow annotations) about one or more notebooks.
import Foundation

/// The outcome of one notebook: parsed and run, or stopped early by an error.
public struct NotebookOutcome: Sendable {
  /// The notebook's path as the user named it (or as found in a folder they named).
  public var path: String
  /// The parsed notebook; nil when it could not be read or parsed (`error` says why).
  public var notebook: Notebook?
  /// The checked run; nil when it could not run (`error` says why). Compile errors, traps and
  /// failed checks are in here, not in `error`.
  public var run: RunResult?
  /// Why it could not be parsed or run (unreadable, invalid notebook, no compiler, …).
  public var error: HandoutError?
  /// Seconds spent.
  public var seconds: Double
  /// The files the run made (its figures), for publish.
  public var artifacts: Artifacts?
  /// Absolute paths of the data files the run read through `dataFile(_:)` (`RunOutput.dataFiles`).
  public var dataFiles: [String]
  /// The student edition's own run (`RunOptions.studentEdition`, a notebook with a solution).
  public var student: StudentEdition? = nil

  /// An outcome with every field given; `seconds` defaults to 0, `artifacts` and `dataFiles` to none.
  public init(
    path: String, notebook: Notebook?, run: RunResult?, error: HandoutError?, seconds: Double = 0,
    artifacts: Artifacts? = nil, dataFiles: [String] = []
  ) {
    self.path = path
    self.notebook = notebook
    self.run = run
    self.error = error
    self.seconds = seconds
    self.artifacts = artifacts
    self.dataFiles = dataFiles
  }

  /// Whether the notebook fails: it stopped early (`error`), or its run failed (`RunResult.failed`).
  public var failed: Bool { error != nil || run?.failed == true }

  /// Every error as a diagnostic, in notebook order: parse errors, compile errors, block
  /// failures, failed checks (with expected, actual and difference).
  public var problems: [Diagnostic] {
    if let error { return error.diagnostics.filter { $0.severity == .error } }
    guard let run else { return [] }
    var result = run.diagnostics.filter { $0.severity == .error }
    for k in run.blocks.keys.sorted() {
      guard let block = run.blocks[k] else { continue }
      for check in block.checks where !check.passed {
        result.append(Diagnostic(.error, Report.describe(check), at: check.location))
      }
      if let failure = block.failure { result.append(failure) }
    }
    return result
  }

  /// The parser's warnings, the run's (a block's output cut) and any the error carries; they are
  /// printed and never fail it.
  public var warnings: [Diagnostic] {
    (notebook?.warnings ?? []) + (run?.diagnostics.filter { $0.severity == .warning } ?? [])
      + (error?.diagnostics.filter { $0.severity == .warning } ?? [])
  }
}

/// What `check` and `render` say about outcomes: text for a terminal, JUnit XML for a CI
/// server, workflow commands for GitHub annotations. Pure: it returns text, prints nothing.
public enum Report {
  /// One line (or a few) for a failed check: what was expected, what came out, and how far apart.
  public static func describe(_ check: CheckResult) -> String {
    let what =
      check.kind == .expectation
      ? "expectation failed" : "published output differs from what the code printed"
    var text = what
    if let d = check.difference { text += ": \(d)" }
    let oneLine = !check.expected.contains("\n") && !check.actual.contains("\n")
    if oneLine {
      text += "\n  expected: \(clip(check.expected))\n  actual:   \(clip(check.actual))"
    } else {
      text += "\n  expected:\n" + indent(clip(check.expected)) + "\n  actual:\n" + indent(clip(check.actual))
    }
    return text
  }

  /// What the terminal shows when a notebook is done: its warnings, its problems (a compile
  /// error and each of its notes followed by the notebook line with a caret under the column),
  /// and its summary line; safe to print where GitHub Actions reads commands (`terminalSafe`).
  public static func terminal(_ outcome: NotebookOutcome) -> String {
    var lines = outcome.warnings.map { shown($0).description }
    let compile = outcome.run?.diagnostics ?? []
    for problem in outcome.problems {
      guard let notebook = outcome.notebook, compile.contains(problem) else {
        lines.append(shown(problem).description)
        continue
      }
      for d in [problem] + problem.notes {
        var head = shown(d)
        head.notes = []
        lines.append(head.description)
        if let location = d.location, let excerpt = excerpt(at: location, in: notebook) {
          lines.append(excerpt)
        }
      }
    }
    lines.append(summary(outcome))
    return terminalSafe(lines.joined(separator: "\n"))
  }

  /// A file name as the terminal shows it: every control character escaped, a newline and a
  /// tab too (`a\u{A}b.md`), so a name is one unambiguous piece of a line.
  public static func shownPath(_ path: String) -> String {
    escapingControls(path).replacingOccurrences(of: "\n", with: "\\u{A}").replacingOccurrences(
      of: "\t", with: "\\u{9}")
  }

  /// `d` and its notes with their file names as `shownPath` shows them.
  static func shown(_ d: Diagnostic) -> Diagnostic {
    var d = d
    if let file = d.location?.file { d.location?.file = shownPath(file) }
    d.notes = d.notes.map(shown)
    return d
  }

  /// The notebook line of `location` (in an executed block or an inline expression) and a caret
  /// under its column (swiftc's columns count UTF-8 bytes), or nil for a place elsewhere.
  static func excerpt(at location: SourceLocation, in notebook: Notebook) -> String? {
    guard location.file == notebook.path, let text = sourceLine(location.line, in: notebook) else {
      return nil
    }
    let bytes = Array(text.utf8)
    let before = String(decoding: bytes.prefix(max(0, location.column - 1)), as: UTF8.self)
    let pad =
      before.map { $0 == "\t" ? "\t" : " " }.joined()
      + String(repeating: " ", count: max(0, location.column - 1 - bytes.count))
    let number = String(location.line)
    let width = max(5, number.count)
    return String(repeating: " ", count: width - number.count) + number + " | " + text + "\n"
      + String(repeating: " ", count: width) + " | " + pad + "^"
  }

  /// The text of notebook line `line` as the compiler saw it: a line of an executed block, or of
  /// an inline expression (its first line at its column).
  static func sourceLine(_ line: Int, in notebook: Notebook) -> String? {
    for block in notebook.blocks where block.isExecuted && line >= block.firstCodeLine {
      let lines = block.code.split(separator: "\n", omittingEmptySubsequences: false)
      if line - block.firstCodeLine < lines.count { return String(lines[line - block.firstCodeLine]) }
    }
    for inline in notebook.inlines where line >= inline.location.line {
      let lines = inline.expression.split(separator: "\n", omittingEmptySubsequences: false)
      let k = line - inline.location.line
      guard k < lines.count else { continue }
      return k == 0
        ? String(repeating: " ", count: max(0, inline.location.column - 1)) + lines[0] : String(lines[k])
    }
    return nil
  }

  /// `text` made safe to print: every control character but line feed and tab escaped
  /// (`escapingControls`), and every workflow command GitHub Actions would read in it made inert:
  /// a line whose first non-blank characters are `::` gets a backslash before them
  /// (`\::error …`), and `##[` (the old command form, read anywhere in a line) becomes `##\[`.
  /// What a notebook prints or says in a message (or its file name) cannot then drive the
  /// terminal (OSC 52 writes the clipboard, CSI moves the cursor, CR hides a line) or become an
  /// annotation; the intended `::error file=…` lines (`githubAnnotations`) are printed apart from
  /// this.
  public static func terminalSafe(_ text: String) -> String {
    let text = escapingControls(text)
    guard text.contains("::") || text.contains("##[") else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      var line = String(line).replacingOccurrences(of: "##[", with: "##\\[")
      let blank = line.prefix { $0 == " " || $0 == "\t" }
      if line.dropFirst(blank.count).hasPrefix("::") {
        line.insert("\\", at: line.index(line.startIndex, offsetBy: blank.count))
      }
      return line
    }.joined(separator: "\n")
  }

  /// `text` with each C0 control character but line feed and tab, DEL and each C1 control
  /// (U+0080–U+009F, which some terminals read as ESC sequences) written as Swift writes it in a
  /// literal, `\u{1B}`: visible, unambiguous, and inert on any terminal. A tab stays (it only
  /// moves the cursor right, and carets under a tabbed line need it).
  public static func escapingControls(_ text: String) -> String {
    func isControl(_ s: Unicode.Scalar) -> Bool {
      (s.value < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(s.value)
    }
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isControl(scalar) {
        result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
      } else {
        result.append(scalar)
      }
    }
    return String(result)
  }

  /// The terminal summary line of one notebook: `ok   x.md: 5/5 checks passed (1.2 s)`, or for a
  /// failing one what failed, `FAIL x.md: 1 of 5 checks failed; unknown reference @fig-x … (1.2 s)`
  /// (the failed checks, then the first two other errors in brief), never a count of passed
  /// checks beside FAIL.
  public static func summary(_ outcome: NotebookOutcome) -> String {
    let time = String(format: "%.1f s", outcome.seconds)
    let checks = outcome.run?.checks ?? []
    let failed = checks.filter { !$0.passed }.count
    let cached = outcome.run?.cached == true ? ", cached" : ""
    guard outcome.failed else {
      return
        "ok   \(shownPath(outcome.path)): \(checks.count)/\(checks.count) checks passed (\(time)\(cached))"
    }
    var what: [String] = []
    if failed > 0 { what.append("\(failed) of \(checks.count) check\(checks.count == 1 ? "" : "s") failed") }
    let others: [Diagnostic]
    if let error = outcome.error {
      others = error.diagnostics.filter { $0.severity == .error }
    } else {
      let run = outcome.run ?? RunResult()
      others =
        run.diagnostics.filter { $0.severity == .error }
        + run.blocks.keys.sorted().compactMap { run.blocks[$0]?.failure }
    }
    what += others.prefix(2).map { brief($0.message) }
    if others.count > 2 { what.append("\(others.count - 2) more error\(others.count == 3 ? "" : "s")") }
    if what.isEmpty { what.append("failed") }
    return "FAIL \(shownPath(outcome.path)): \(what.joined(separator: "; ")) (\(time)\(cached))"
  }

  /// The first line of a message, cut after 100 characters.
  static func brief(_ message: String) -> String {
    let line = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
    return line.count <= 100 ? line : String(line.prefix(100)) + "…"
  }

  /// JUnit XML: one test suite per notebook, one test case per check, block and compile step.
  public static func junit(_ outcomes: [NotebookOutcome]) -> String {
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let total = outcomes.reduce(0) { $0 + cases($1).count }
    let failures = outcomes.reduce(0) { $0 + cases($1).filter { $0.failure != nil }.count }
    xml += "<testsuites name=\"handout check\" tests=\"\(total)\" failures=\"\(failures)\">\n"
    for outcome in outcomes {
      let list = cases(outcome)
      xml +=
        "  <testsuite name=\"\(xmlEscape(outcome.path))\" tests=\"\(list.count)\" failures=\"\(list.filter { $0.failure != nil }.count)\" time=\"\(String(format: "%.3f", outcome.seconds))\">\n"
      for c in list {
        xml += "    <testcase classname=\"\(xmlEscape(outcome.path))\" name=\"\(xmlEscape(c.name))\""
        if let failure = c.failure {
          xml +=
            ">\n      <failure message=\"\(xmlEscape(failure.message.split(separator: "\n").first.map(String.init) ?? ""))\">"
          xml += xmlEscape(failure.description) + "</failure>\n    </testcase>\n"
        } else {
          xml += "/>\n"
        }
      }
      xml += "  </testsuite>\n"
    }
    xml += "</testsuites>\n"
    return xml
  }

  struct Case {
    var name: String
    var failure: Diagnostic?
  }

  static func cases(_ outcome: NotebookOutcome) -> [Case] {
    if let error = outcome.error {
      return [
        Case(
          name: "parse and run",
          failure: error.diagnostics.first ?? Diagnostic(.error, error.description, at: nil))
      ]
    }
    guard let run = outcome.run else { return [] }
    var list: [Case] = []
    let compileErrors = run.diagnostics.filter { $0.severity == .error }
    list.append(
      Case(
        name: "program",
        failure: compileErrors.first.map { first in
          var d = first
          d.message = compileErrors.map(\.description).joined(separator: "\n")
          d.notes = []
          return d
        }))
    for k in run.blocks.keys.sorted() {
      guard let block = run.blocks[k] else { continue }
      let fenceLine = outcome.notebook?.blocks.first { $0.index == k }?.fence.line ?? 0
      list.append(Case(name: "block \(k) (line \(fenceLine)) runs", failure: block.failure))
      for check in block.checks {
        let kind = check.kind == .expectation ? "expect" : "published output"
        list.append(
          Case(
            name: "\(kind) at line \(check.location.line)",
            failure: check.passed ? nil : Diagnostic(.error, describe(check), at: check.location)))
      }
    }
    return list
  }

  /// `::error file=…,line=…,col=…::message` lines for GitHub Actions (newlines escaped as %0A);
  /// a compiler note follows its error as a `::notice` at the note's own place.
  public static func githubAnnotations(_ outcomes: [NotebookOutcome]) -> [String] {
    outcomes.flatMap(\.problems).flatMap { d in
      [annotation("error", d)] + d.notes.map { annotation("notice", $0) }
    }
  }

  static func annotation(_ command: String, _ d: Diagnostic) -> String {
    var properties: [String] = []
    if let l = d.location {
      properties = [
        "file=\(annotationEscape(l.file, property: true))", "line=\(l.line)", "col=\(l.column)",
      ]
    }
    let head = properties.isEmpty ? "::\(command)::" : "::\(command) \(properties.joined(separator: ","))::"
    return escapingControls(head + annotationEscape(d.message, property: false))
  }

  static func annotationEscape(_ s: String, property: Bool) -> String {
    var r = s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
      .replacingOccurrences(of: "\n", with: "%0A")
    if property {
      r = r.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
    return r
  }

  static func xmlEscape(_ s: String) -> String {
    var r = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": r += "&amp;"
      case "<": r += "&lt;"
      case ">": r += "&gt;"
      case "\"": r += "&quot;"
      case "'": r += "&apos;"
      case "\n", "\t", "\r": r.unicodeScalars.append(scalar)
      default:
        // XML 1.0 forbids most control characters even as references.
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
          r += "?"
        } else {
          r.unicodeScalars.append(scalar)
        }
      }
    }
    return r
  }

  static func clip(_ s: String, limit: Int = 2000) -> String {
    s.count <= limit ? s : String(s.prefix(limit)) + "… (\(s.count - limit) more characters)"
  }

  static func indent(_ s: String) -> String {
    s.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
  }
}
