// Options every subcommand that runs notebooks shares.
import ArgumentParser
import Foundation
import Literate

#if canImport(Glibc)
  import Glibc
#endif

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
        "Notebook code sees a small fixed environment (PATH, its own HOME and TMPDIR, LANG, TZ, …) and only the variables declared here or in its front matter's env: list; their values are part of the cache key.",
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
    try Publisher.refuseInStudentEdition(
      cacheDirectory, what: "the cache holds every notebook's program, solutions included")
    let env = ProcessInfo.processInfo.environment
    var options = RunOptions(
      runtime: location, compile: CompileOptions(optimize: optimize),
      cacheDirectory: URL(fileURLWithPath: cacheDirectory, isDirectory: true), useCache: !fresh,
      progress: { progress.report($0) }, environment: env, declaredEnvironment: environment,
      reaper: Signals.reaper, parameters: parameterValues)
    options.studentEdition = studentEdition
    return options
  }

  /// The request to run every notebook named (those `select` keeps), with progress printed; set its
  /// `publication` to publish too.
  func request(
    progress: ProgressPrinter, studentEdition: Bool = false, select: @escaping ([String]) -> [String] = { $0 }
  ) -> RenderRequest {
    var request = RenderRequest(paths: paths, jobs: jobs) {
      try runOptions(progress: progress, studentEdition: studentEdition)
    }
    request.select = select
    request.finished = { progress.finished($0) }
    request.message = { progress.error($0) }
    return request
  }

  /// Runs `request` (`Pipeline.render`): an error that stops everything is printed, and exits 2.
  /// A signal stops it as `Signals` says.
  func render(_ request: RenderRequest, progress: ProgressPrinter) throws -> RenderReport {
    if let problem = Self.addressSpaceProblem() ?? Self.stackProblem() ?? Self.openFilesProblem() {
      progress.error(problem)
      throw ExitCode(2)
    }
    if let problem = RunOptions.neuralISAProblem(ProcessInfo.processInfo.environment) {
      progress.error("warning: " + problem)
    }
    var request = request
    let publishes = request.publication != nil
    Signals.install(publishes ? .rendering : .checking, progress: progress)
    request.runsEnded = {
      // Said before the look: a signal from here on may find a handout published.
      if publishes { Signals.enter(.writing) }
      // A signal arrived: its handler is ending the children and then `handout` (128 + signal);
      // nothing may be reported, written or exited with another status meanwhile.
      if Signals.reaper.isStopping { Signals.waitForExit() }
    }
    do {
      return try Pipeline.render(request)
    } catch let error as HandoutError {
      progress.error(error.description)
      if let hint = Hints.forPaths(paths) { progress.error(hint) }
      throw ExitCode(2)
    }
  }

  /// The smallest address-space limit (`ulimit -v`) a render runs under, in MiB: the whole course
  /// rendered with `--slides` at 1 GiB (debug and release `handout`, the compiler and the notebook
  /// programs under the same limit).
  static let addressSpaceNeeded: rlim_t = 1024

  /// Why nothing can run under this process's address-space limit (`ulimit -v`), or nil. Below
  /// `addressSpaceNeeded` something fails that no error reports: below 256 MiB `handout` cannot
  /// make its threads (libdispatch waits for one for ever, deaf to Ctrl-C; the preview server
  /// traps), and at 390–490 MiB a render trapped in Foundation reading the compiler's output,
  /// crashed, or waited for ever beside a compiler that had died.
  static func addressSpaceProblem() -> String? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max
    else { return nil }
    let mebibytes = limit.rlim_cur / (1024 * 1024)
    guard mebibytes < addressSpaceNeeded else { return nil }
    return "error: the address-space limit (ulimit -v) is \(mebibytes) MiB: handout, swiftc and the notebook "
      + "programs need \(addressSpaceNeeded) MiB at least; raise it (ulimit -v unlimited)"
  }

  /// The fewest files `handout` needs open at once (a render with two jobs and a print used about
  /// 30; below ~16 the first compile failed with a pipe or a template that could not be opened).
  static let openFilesNeeded: rlim_t = 64

  /// Why nothing can run under this process's open-files limit (`ulimit -n`), or nil. A soft limit
  /// below `openFilesNeeded` is raised to the hard one (at most 1024) first, as Go's runtime does:
  /// only a hard limit that low is an error (each open, pipe and template read failed with "Too many
  /// open files", which read as a missing template, a broken toolchain or a file of the user's).
  static func openFilesProblem() -> String? {
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    guard getrlimit(resource, &limit) == 0, limit.rlim_cur < openFilesNeeded else { return nil }
    var raised = limit
    raised.rlim_cur = min(limit.rlim_max, 1024)
    if raised.rlim_cur >= openFilesNeeded, setrlimit(resource, &raised) == 0 { return nil }
    return "error: the open-files limit (ulimit -n) is \(limit.rlim_max): handout needs \(openFilesNeeded) "
      + "at least; raise it (ulimit -n 1024)"
  }

  /// The stack `handout` and its children are given (Linux's usual default), and the least they
  /// run with: with a soft limit of 128 KiB the Swift runtime's demangler overflowed the main
  /// thread's stack, and `handout` crashed.
  static let stackWanted: rlim_t = 8 << 20
  static let stackNeeded: rlim_t = 1 << 20

  /// Raises a soft stack limit below `stackWanted` as far as the hard one allows. Linux grows the
  /// main thread's stack against the limit as it is when the stack grows, and the compiler and
  /// notebook programs inherit it; `stackProblem` says when it is still too small.
  static func raiseStackLimit() {
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_STACK.rawValue)
    guard getrlimit(resource, &limit) == 0, limit.rlim_cur < stackWanted else { return }
    var raised = limit
    raised.rlim_cur = min(limit.rlim_max, stackWanted)
    _ = setrlimit(resource, &raised)
  }

  /// Why nothing can run under this process's stack limit (`ulimit -s`), or nil.
  static func stackProblem() -> String? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit) == 0, limit.rlim_cur < stackNeeded
    else { return nil }
    return
      "error: the stack limit (ulimit -s) is \(limit.rlim_cur / 1024) KiB: handout, swiftc and the notebook "
      + "programs need \(stackNeeded >> 10) KiB at least; raise it (ulimit -s 8192)"
  }

  /// Parses, runs and checks every notebook named (those `select` keeps), printing progress and
  /// every problem.
  func processAll(
    progress: ProgressPrinter, studentEdition: Bool = false, select: @escaping ([String]) -> [String] = { $0 }
  ) throws -> [NotebookOutcome] {
    try render(
      request(progress: progress, studentEdition: studentEdition, select: select), progress: progress
    )
    .outcomes
  }
}
