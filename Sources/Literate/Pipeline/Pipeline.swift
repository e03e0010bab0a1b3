// The driver: which notebooks, in what order, how many at once. Each notebook goes
// load → parse → tangle → compile → run → check → resolve references on its own; one failing
// never stops another.
import Foundation

/// The driver: which notebook files, in what order, how many at once. Each notebook goes
/// load → parse → run → check on its own, and one failing never stops another.
public enum Pipeline {
  /// The notebook files named by `paths`: a file as given, a folder's `*.md` files and its
  /// subfolders' (`walk`: not `README.md`, nor in `.` or `_` folders), sorted by path; a file named twice (`a.md`, `./a.md`) once,
  /// as first named. Paths that do not exist are errors, and so are two names that differ only in
  /// Unicode normalization.
  public static func notebookPaths(_ paths: [String]) throws -> [String] {
    var result: [String] = []
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw HandoutError.file(FileError(path: path, reason: "no such file or folder").reading)
      }
      if isDirectory.boolValue {
        result += walk(path).notebooks
      } else {
        result.append(path)
      }
    }
    // One file named twice, by its bytes. Swift's `==` holds `café.md` (é) and `café.md` (e and a
    // combining accent), two files on Linux, for one: the second notebook was silently never run
    // (a false green), so two such names are refused.
    var seen = Set<[UInt8]>()
    var byName: [String: String] = [:]
    var clashes: [Diagnostic] = []
    let unique = result.filter { path in
      let standard = URL(fileURLWithPath: path).standardizedFileURL.path
      guard seen.insert(Array(standard.utf8)).inserted else { return false }
      if let other = byName[standard] {
        clashes.append(
          Diagnostic(
            .error,
            "its name, \(escaped(path)), differs from \(other)'s, \(escaped(other)), only in how its accents "
              + "are encoded (Unicode normalization): Handout takes them for one notebook; rename one of them",
            at: SourceLocation(file: path, line: 1)))
      }
      byName[standard] = path
      return true
    }
    if !clashes.isEmpty { throw HandoutError.notebook(clashes) }
    return unique
  }

  /// Whether the file name `name` ends in `.md` (any case), by its bytes: `hasSuffix` compares
  /// characters, and a character that joins the one after it (U+0600, an Arabic number sign, in
  /// `x\u{600}.md`) makes the dot and itself one, so such a notebook was left out of its folder
  /// without a word, never run, and `check` said all passed (a false green).
  static func isMarkdownName(_ name: String) -> Bool {
    let tail = Array(name.utf8.suffix(3))
    return tail.count == 3 && tail[0] == UInt8(ascii: ".")
      && (tail[1] == UInt8(ascii: "m") || tail[1] == UInt8(ascii: "M"))
      && (tail[2] == UInt8(ascii: "d") || tail[2] == UInt8(ascii: "D"))
  }

  /// Refuses, before anything runs, a notebook whose name differs from a handout's already in `out`
  /// only in Unicode normalization (renamed from `café.md` with é as one code point to `e` and a
  /// combining accent). The manifest's records are keyed by `String`, which holds the two names
  /// for one: the new handout was written beside the old one, which no render removed, and the
  /// next render refused the new one as the user's, for ever after.
  public static func checkNormalizationRenames(_ notebooks: [String], out: URL) throws {
    let manifest = Manifest.load(from: out.appendingPathComponent(Publisher.manifestName))
    let clashes = notebooks.compactMap { path -> Diagnostic? in
      let name = Notebook.name(forPath: path)
      guard let entry = manifest.entry(named: name), Array(entry.name.utf8) != Array(name.utf8) else {
        return nil
      }
      return Diagnostic(
        .error,
        "its name, \(escaped(path)), differs from the handout \(escaped(entry.name + ".html")) in "
          + "\(out.path) only in how its accents are encoded (Unicode normalization): Handout takes them for "
          + "one handout; rename the notebook as it was, or render it into another output folder",
        at: SourceLocation(file: path, line: 1))
    }
    if !clashes.isEmpty { throw HandoutError.notebook(clashes) }
  }

  /// The file name of `path` with every character outside ASCII as `\u{…}`.
  private static func escaped(_ path: String) -> String {
    URL(fileURLWithPath: path).lastPathComponent.unicodeScalars.map {
      $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16, uppercase: true))}"
    }.joined()
  }

  /// Parses, runs and checks one notebook, and resolves its cross-references (`CrossReferences`:
  /// an unknown or duplicate label is an error of the run). Never throws: a failure is in the
  /// outcome.
  public static func process(path: String, options: RunOptions) -> NotebookOutcome {
    process(path: path, parsed: load(path), options: options)
  }

  /// Runs and checks the notebook `parsed` from `path` (or says why it did not parse), and resolves
  /// its cross-references. Never throws: a failure is in the outcome.
  static func process(
    path: String, parsed: Result<Notebook, HandoutError>, options: RunOptions, start: Date = Date()
  ) -> NotebookOutcome {
    let notebook: Notebook
    switch parsed {
    case .success(let value): notebook = value
    case .failure(let error):
      return NotebookOutcome(
        path: path, notebook: nil, run: nil, error: error, seconds: Date().timeIntervalSince(start))
    }
    do {
      let output = try Runner.run(notebook, options: options)
      var run = CrossReferences.apply(notebook, to: Checker.check(notebook, output.result))
      // Where the page shows what the machine says rather than the course (`MachineInputs`).
      run.diagnostics += MachineInputs.warnings(
        MachineInputs.uses(in: notebook, shared: RunCache.sharedSources(notebook, options)))
      var student: StudentEdition?
      var dataFiles = output.dataFiles
      if options.studentEdition, let edition = notebook.studentEdition() {
        // The program a student has, run on its own (see StudentEdition): public code that needs
        // a solution fails the notebook for both editions.
        let result = try StudentEdition.run(edition, of: notebook, instructor: run, options: options)
        run.diagnostics += result.dependence
        student = result
        dataFiles = DataInputs.unique(dataFiles + result.dataFiles)
      } else if options.studentEdition,
        let (instructors, students) = InstructorProducts.read(output, notebook: notebook)
          .map({ InstructorProducts.error(reading: $0, notebook: notebook.path) })
          ?? StudentEdition.unseenProcess(output, options: options, notebook: notebook.path)
      {
        // Without solutions, the student edition is this run: what it read of the instructor's
        // handouts, or what a process it started read, would be on the student's page.
        var edition = StudentEdition(
          notebook: notebook, run: run, artifacts: output.artifacts, dataFiles: output.dataFiles,
          dependence: [instructors])
        edition.dependenceForStudents = [students]
        run.diagnostics += edition.dependence
        student = edition
      }
      var outcome = NotebookOutcome(
        path: path, notebook: notebook, run: run, error: nil,
        seconds: Date().timeIntervalSince(start), artifacts: output.artifacts, dataFiles: dataFiles)
      outcome.student = student
      return outcome
    } catch let error as HandoutError {
      return NotebookOutcome(
        path: path, notebook: notebook, run: nil, error: error, seconds: Date().timeIntervalSince(start))
    } catch {
      let error: HandoutError = (error as? FileError).map { .file($0) } ?? .toolchain("\(error)")
      return NotebookOutcome(
        path: path, notebook: notebook, run: nil, error: error,
        seconds: Date().timeIntervalSince(start))
    }
  }

  /// Processes every notebook, `jobs` at a time (each is its own child process), calling
  /// `finished` as each one ends. The outcomes come back in the order of `paths`.
  /// `parsed`: notebooks already parsed, by path (the others are parsed here).
  public static func processAll(
    _ paths: [String], jobs: Int, options: RunOptions, parsed: [String: Result<Notebook, HandoutError>] = [:],
    finished: (@Sendable (NotebookOutcome) -> Void)? = nil
  ) -> [NotebookOutcome] {
    let shared = sharedCode(for: paths, options: options)
    let results = OutcomeBox(count: paths.count)
    let queue = DispatchQueue(label: "handout.notebooks", attributes: .concurrent)
    let slots = DispatchSemaphore(value: max(1, jobs))
    let group = DispatchGroup()
    for (i, path) in paths.enumerated() {
      slots.wait()
      group.enter()
      queue.async {
        let outcome: NotebookOutcome
        switch shared[folder(of: path)] {
        case .built(let module):
          var options = options
          options.compile.shared = module
          outcome = process(path: path, parsed: parsed[path] ?? load(path), options: options)
        case .failed(let problem):
          outcome = NotebookOutcome(path: path, notebook: nil, run: nil, error: problem(path))
        case nil:
          outcome = process(path: path, parsed: parsed[path] ?? load(path), options: options)
        }
        results.set(i, outcome)
        finished?(outcome)
        slots.signal()
        group.leave()
      }
    }
    group.wait()
    return results.all
  }
}

extension Pipeline {
  /// What each notebook folder's shared code (`_shared/*.swift`) gave.
  enum SharedOutcome {
    case built(SharedModule)
    /// The error for the notebook at a path: the shared files' own errors for the folder's first
    /// notebook, a line pointing there for the others, so each error is reported once.
    case failed(@Sendable (String) -> HandoutError)
  }

  static func folder(of path: String) -> String {
    let dir = (path as NSString).deletingLastPathComponent
    return dir.isEmpty ? "." : dir
  }

  /// Compiles the shared code of every folder `paths` lie in, once, before any notebook runs.
  static func sharedCode(for paths: [String], options: RunOptions) -> [String: SharedOutcome] {
    var outcomes: [String: SharedOutcome] = [:]
    for folder in Set(paths.map(folder(of:))).sorted() {
      guard let first = paths.first(where: { self.folder(of: $0) == folder }) else { continue }
      let result: SharedCodeBuild
      do {
        result = try SharedCode.build(forNotebooksIn: folder, options: options)
      } catch {
        let error = error as? HandoutError ?? .toolchain("\(error)")
        outcomes[folder] = .failed { _ in error }
        continue
      }
      switch result {
      case .none: continue
      case .built(let module): outcomes[folder] = .built(module)
      case .failed(let diagnostics):
        let place = "\(folder)/\(SharedCode.folderName)"
        outcomes[folder] = .failed { path in
          path == first
            ? .notebook(diagnostics)
            : .notebook([
              Diagnostic(
                .error,
                "the shared code in \(place) does not compile (its errors are reported with \(first))",
                at: SourceLocation(file: path, line: 1))
            ])
        }
      }
    }
    return outcomes
  }
}

private final class OutcomeBox: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [NotebookOutcome?]

  init(count: Int) { items = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ outcome: NotebookOutcome) {
    lock.lock()
    items[i] = outcome
    lock.unlock()
  }

  var all: [NotebookOutcome] {
    lock.lock()
    defer { lock.unlock() }
    return items.compactMap { $0 }
  }
}
