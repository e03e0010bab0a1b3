// Options every subcommand that runs notebooks shares.
import ArgumentParser
import Foundation
import Literate

struct SharedOptions: ParsableArguments {
  @Argument(help: "Notebooks (.md) or folders of them.")
  var paths: [String] = ["notebooks"]

  @Option(name: .shortAndLong, help: "How many notebooks run at once (each in its own process).")
  var jobs: Int = 1

  @Flag(help: "Ignore cached results: recompile and re-run every notebook.")
  var fresh = false

  @Option(
    help: ArgumentHelp(
      "Folder holding libHandoutRuntime and its Modules/.",
      discussion: "Default: $HANDOUT_RUNTIME, else the folder of this executable."))
  var runtime: String?

  @Option(
    help: ArgumentHelp(
      "Cache folder for compiled notebooks and their results.",
      discussion: "Default: $HANDOUT_CACHE, else .handout-cache"))
  var cache: String?

  @Flag(
    help:
      "Compile notebook code with -O: slower to compile, faster hand-written loops; traps then name the block rather than the line."
  )
  var optimize = false

  @Option(
    name: .customLong("env"),
    help: ArgumentHelp(
      "An environment variable the notebooks may read (repeatable).",
      discussion:
        "Notebook code sees only PATH, HOME, LANG, TZ and the variables declared here or in its front matter's env: list; their values are part of the cache key.",
      valueName: "NAME"))
  var environment: [String] = []

  @Option(
    name: .customLong("param"),
    help: ArgumentHelp(
      "Set a notebook parameter declared under params: in the front matter (repeatable).",
      discussion:
        "The value must have the type of the parameter's default; parameters are part of the cache key.",
      valueName: "NAME=VALUE"))
  var parameters: [String] = []

  /// The cache folder: `--cache`, else `$HANDOUT_CACHE`, else `.handout-cache`.
  var cacheDirectory: String {
    cache ?? ProcessInfo.processInfo.environment["HANDOUT_CACHE"] ?? ".handout-cache"
  }

  /// `--param` as name → value.
  var parameterValues: [String: String] {
    Dictionary(
      parameters.compactMap { p in
        p.firstIndex(of: "=").map { (String(p[..<$0]), String(p[p.index(after: $0)...])) }
      },
      uniquingKeysWith: { _, last in last })
  }

  func validate() throws {
    if let bad = parameters.first(where: { p in
      guard let eq = p.firstIndex(of: "=") else { return true }
      return !FrontMatter.isVariableName(String(p[..<eq]))
    }) {
      throw ValidationError("--param \(bad): expected NAME=VALUE, like --param seed=7")
    }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    if let bad = environment.first(where: { !FrontMatter.isVariableName($0) }) {
      throw ValidationError("--env \(bad): not an environment variable name (letters, digits and _)")
    }
  }

  /// The run options, or an error message for a person.
  /// - Parameter studentEdition: also run each notebook's student program (`RunOptions`).
  func runOptions(progress: ProgressPrinter, studentEdition: Bool = false) throws -> RunOptions {
    let location = try RuntimeLocation.locate(explicit: runtime)
    let env = ProcessInfo.processInfo.environment
    var options = RunOptions(
      runtime: location, compile: CompileOptions(optimize: optimize),
      cacheDirectory: URL(fileURLWithPath: cacheDirectory, isDirectory: true), useCache: !fresh,
      progress: { progress.report($0) }, environment: env, declaredEnvironment: environment,
      reaper: Signals.reaper, parameters: parameterValues)
    options.studentEdition = studentEdition
    return options
  }

  /// Parses, runs and checks every notebook named (those `select` keeps), printing progress and
  /// every problem.
  func processAll(
    progress: ProgressPrinter, studentEdition: Bool = false, select: ([String]) -> [String] = { $0 }
  ) throws -> [NotebookOutcome] {
    let notebooks: [String]
    let options: RunOptions
    do {
      notebooks = try Pipeline.notebookPaths(paths)
      options = try runOptions(progress: progress, studentEdition: studentEdition)
    } catch let error as HandoutError {
      progress.error(error.description)
      throw ExitCode(2)
    }
    // A parameter no notebook declares is a typo: say so before anything runs.
    let declared = Set(
      notebooks.flatMap { (try? Notebook.load(path: $0))?.frontMatter.parameters.map(\.name) ?? [] })
    if let unknown = parameterValues.keys.sorted().first(where: { !declared.contains($0) }) {
      progress.error(
        "error: --param \(unknown): no notebook declares a parameter '\(unknown)' under params: "
          + "(declared: \(declared.isEmpty ? "none" : declared.sorted().joined(separator: ", ")))")
      throw ExitCode(2)
    }
    Signals.install()
    if notebooks.isEmpty {
      progress.error("error: no notebooks (*.md) in \(paths.joined(separator: ", "))")
      throw ExitCode(2)
    }
    let outcomes = Pipeline.processAll(select(notebooks), jobs: jobs, options: options) { outcome in
      progress.finished(outcome)
    }
    // A signal arrived: its handler is ending the children and then `handout` (128 + signal);
    // nothing may be reported, written or exited with another status meanwhile.
    if Signals.reaper.isStopping { Signals.waitForExit() }
    return outcomes
  }
}
