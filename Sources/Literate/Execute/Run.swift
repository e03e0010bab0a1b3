// Stage 4, run: compile (or reuse) the notebook program, execute it in a child process with a
// time limit, and collect what each block produced.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the runner reports while it works (the CLI prints it). `notebook` is the notebook's path
/// as the user named it.
public enum RunProgress: Sendable {
  /// Every input is unchanged: the results come from the cache, nothing compiles or runs.
  case cached(notebook: String)
  /// No cached result (or `useCache` is false): the program is being compiled.
  case compiling(notebook: String)
  /// The program compiled and is starting.
  case running(notebook: String)
  /// Block `index` (its `Block.index`) began; `line` is its opening fence, 0 if unknown.
  case block(notebook: String, index: Int, line: Int)
  /// The notebook's own `progress("epoch 300 of 10000")`.
  case message(notebook: String, text: String)
}

/// How notebooks are run: runtime, compiler, cache, time limits and the environment the program
/// sees. One per command, shared by every notebook it runs.
public struct RunOptions: Sendable {
  /// Where `libHandoutRuntime` and its modules are (`RuntimeLocation.locate`); its identity is
  /// part of the cache key.
  public var runtime: RuntimeLocation
  /// How the program is compiled; the compiler's identity and the arguments are part of the
  /// cache key.
  public var compile: CompileOptions
  /// Compiled programs and their results, by content hash.
  public var cacheDirectory: URL
  /// false (`--fresh`): ignore what is cached (the new result is still stored).
  public var useCache: Bool
  /// Seconds for the whole program when the front matter has no `timeout` (300).
  public var defaultTimeout: Double
  /// Captured text per block beyond this many bytes is dropped, with a note (1 MB).
  public var maxBlockOutput: Int
  /// Called as each notebook moves on; nil: silent. Called from the worker and output-reading
  /// threads, for several notebooks at once, so it must be thread-safe and quick.
  public var progress: (@Sendable (RunProgress) -> Void)?
  /// The environment `handout` was started with. The notebook program gets only a few fixed
  /// variables from it, plus those declared (see `Runner.environment`).
  public var environment: [String: String]
  /// `--env NAME`: variables every notebook of this run may read, besides its front matter's `env:`.
  public var declaredEnvironment: [String]
  /// The live children of this command, for SIGINT/SIGTERM (the CLI makes one and handles signals).
  public var reaper: ProcessReaper?
  /// `--param name=value`: overrides of the notebooks' `params:` defaults. A notebook that does
  /// not declare a name ignores it.
  public var parameters: [String: String] = [:]
  /// Also run each notebook's student edition, the program without its solutions (`check`, and a
  /// render or preview for the student profile): what the student gets is computed from it.
  public var studentEdition = false
  /// The student edition's pages are published (`render`/`preview --profile student`, not `check`):
  /// a student run that started a process is refused, as what the process read is not seen.
  public var publishesStudentEdition = false
  /// Only what the cache holds: a run that is not cached throws `NotCached` instead of compiling
  /// (a neighbour woven again for its links, whose code must not run again).
  public var cachedOnly = false
  /// Called just before a notebook's program is compiled (not when its run is cached), from the
  /// worker thread: a render starts its inode pool meanwhile (`InodePool`).
  var willCompile: (@Sendable () -> Void)? = nil
  /// Called once the run's key is known, before the cache is asked, from the worker thread: a
  /// render weaves ahead (`publishAhead`) while a cached run's `run.json` is read and checked.
  var keyed: (@Sendable () -> Void)? = nil
  /// What another machine would read for these facts, in place of this one's values (`MachineFact`):
  /// the tests' way to see the cache from another machine.
  var otherMachine: [MachineFact: String] = [:]

  /// Options; by default `.handout-cache` relative to the working folder, the cache used, 300 s,
  /// 1 MB per block, `handout`'s own environment, nothing declared, no reaper (nothing for a
  /// signal handler to end), no `--param`.
  public init(
    runtime: RuntimeLocation, compile: CompileOptions = CompileOptions(),
    cacheDirectory: URL = URL(fileURLWithPath: ".handout-cache"), useCache: Bool = true,
    defaultTimeout: Double = 300,
    maxBlockOutput: Int = 1 << 20, progress: (@Sendable (RunProgress) -> Void)? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment, declaredEnvironment: [String] = [],
    reaper: ProcessReaper? = nil, parameters: [String: String] = [:]
  ) {
    self.parameters = parameters
    self.runtime = runtime
    self.compile = compile
    self.cacheDirectory = cacheDirectory
    self.useCache = useCache
    self.defaultTimeout = defaultTimeout
    self.maxBlockOutput = maxBlockOutput
    self.progress = progress
    self.environment = environment
    self.declaredEnvironment = declaredEnvironment
    self.reaper = reaper
  }

  /// The value of each of the notebook's parameters: `--param` where given, else the default.
  /// - Throws: `HandoutError.notebook` at the declaration of a parameter whose `--param` value is
  ///   not of its type.
  func parameterValues(for notebook: Notebook) throws -> [String: String] {
    var values: [String: String] = [:]
    var problems: [Diagnostic] = []
    for p in notebook.frontMatter.parameters {
      guard let given = parameters[p.name] else {
        values[p.name] = p.defaultValue
        continue
      }
      guard let value = p.value(given) else {
        problems.append(
          Diagnostic(
            .error,
            "--param \(p.name)=\(given): '\(p.name)' is \(p.kind == .integer ? "an integer" : p.kind == .number ? "a number" : "true or false") (default \(p.defaultValue))",
            at: p.location))
        continue
      }
      values[p.name] = value
    }
    if !problems.isEmpty { throw HandoutError.notebook(problems) }
    return values
  }

  /// Every variable the notebook may read: `--env` names and its front matter's `env:`, sorted.
  func declaredNames(for notebook: Notebook) -> [String] {
    Array(Set(declaredEnvironment + notebook.frontMatter.environment)).sorted()
  }
}

/// A run `RunOptions.cachedOnly` did not find in the cache (nothing was compiled or run).
public struct NotCached: Error, CustomStringConvertible {
  /// The notebook's path.
  public var notebook: String
  /// `<notebook>: its run is not in the cache`.
  public var description: String { "\(notebook): its run is not in the cache" }
}

/// Stage 4: runs one notebook's code, from the cache or through compile and execute, and
/// collects what each block produced. Each call is one notebook; `Pipeline` runs several at once.
public enum Runner {
  /// Runs a notebook's code: from the cache when every declared input is unchanged (see
  /// `RunCache.key`), else compiled and executed. Compile errors, traps and timeouts come back
  /// inside the `RunResult` (so the handout can still be written with them marked); only a
  /// broken environment (no swiftc, a compiler crash, an unwritable cache) throws.
  ///
  /// Only a run that reached the end of the program with exit status 0 and wrote every figure
  /// is stored: a trap, a kill from outside (out of memory), a timeout or a full disk are not
  /// facts about the notebook's inputs, so they must not be replayed.
  public static func run(_ notebook: Notebook, options: RunOptions) throws -> RunOutput {
    let program = notebook.tangle(sharedModule: options.compile.shared.map { _ in SharedModule.name })
    if notebook.blocks.allSatisfy({ !$0.isExecuted }) && notebook.inlines.isEmpty {
      return RunOutput(result: RunResult(), artifacts: nil)
    }
    let parameters = try options.parameterValues(for: notebook)
    let cache = RunCache(root: options.cacheDirectory)
    let key = try cache.key(notebook: notebook, options: options, parameters: parameters)
    options.keyed?()
    if options.useCache, let hit = cache.load(key: key, notebook: notebook, program: program) {
      options.progress?(.cached(notebook: notebook.path))
      return hit
    }
    if options.cachedOnly { throw NotCached(notebook: notebook.path) }

    let work = try cache.makeWorkDirectory()
    options.reaper?.add(folder: work.path)
    defer {
      // When `handout` is being stopped, the reaper removes it once the program is gone.
      if options.reaper?.isStopping != true {
        try? FileManager.default.removeItem(at: work)
        options.reaper?.remove(folder: work.path)
      }
    }
    let binary = work.appendingPathComponent(RunCache.binaryName)
    options.progress?(.compiling(notebook: notebook.path))
    options.willCompile?()
    // The order check and the run's folder are made beside the compile (RunAhead.swift).
    let ahead = RunAhead(notebook, reaper: options.reaper)
    defer { ahead.discard() }
    let compilation = try Compiler.compile(
      program, notebook: notebook, runtime: options.runtime, options: options.compile, output: binary,
      reaper: options.reaper)
    // Compiled first all the same, so every error of the notebook is reported at once.
    let order = ahead.orderErrors()
    guard case .compiled(let compiled) = compilation, order.isEmpty else {
      let all = (compilation.errors + order).sorted { ($0.location?.line ?? 0) < ($1.location?.line ?? 0) }
      return RunOutput(result: RunResult(diagnostics: all), artifacts: nil)
    }

    options.progress?(.running(notebook: notebook.path))
    let figures = work.appendingPathComponent("figures", isDirectory: true)
    let started = Date()
    let execution = try execute(
      binary: compiled.binary, notebook: notebook, figures: figures, options: options, parameters: parameters,
      in: try ahead.takeFolder())
    // Not cached: a run that did not finish, one that started a process (what it read is not
    // seen), or one whose data file, library or font, or a folder it listed, changed while it ran
    // (which version it read is unknown). Its figures still go with its (failing) page.
    guard execution.complete, execution.processes.isEmpty, execution.cacheReads.isEmpty,
      execution.instructorReads.isEmpty,
      !Probe.anyChanged(execution.probes, since: started),
      let inputs = DataInputs.record(execution.dataFiles, notChangedSince: started),
      let system = SystemInputs.record(execution.loadedFiles, notChangedSince: started)
    else {
      // `handout` is being stopped (SIGINT/SIGTERM): nothing of this run is kept.
      guard options.reaper?.isStopping != true, let kept = cache.keepScratch(figures) else {
        var output = RunOutput(
          result: execution.result, artifacts: nil, dataFiles: execution.dataFiles,
          cacheReads: execution.cacheReads, instructorReads: execution.instructorReads)
        output.processes = execution.processes
        return output
      }
      // Removed with the other scratch folders if `handout` is stopped before it publishes.
      options.reaper?.add(folder: kept.path)
      var output = RunOutput(
        result: execution.result, artifacts: Artifacts(figures: kept), dataFiles: execution.dataFiles,
        cacheReads: execution.cacheReads, instructorReads: execution.instructorReads)
      output.processes = execution.processes
      return output
    }
    return try cache.store(
      execution.result, key: key, work: work, program: program, inputs: inputs, system: system,
      probes: execution.probes)
  }

  /// The environment of the notebook program: small and fixed, so that nothing of the shell
  /// `handout` was started from reaches the code unless the notebook declares it.
  ///
  /// - `PATH` (`/usr/local/bin:/usr/bin:/bin`), `LANG=C.UTF-8`, `LC_ALL=C.UTF-8`, `TZ=UTC`;
  /// - `SWIFT_DETERMINISTIC_HASHING=1`: Swift seeds its hashing afresh in every process, so a
  ///   printed `Set` or `Dictionary` (or an error's `userInfo`) came out in another order on every run;
  /// - `NEURAL_*` (thread count, vector path: Neural gives the same bits whatever they say; a
  ///   `NEURAL_ISA` this CPU does not run is left out, `RunOptions.neuralISAProblem`) and
  ///   `GLIBC_TUNABLES` (what a different CPU would be), so a course can be tested for that,
  ///   always with glibc's FMA code off (`genericLibm`);
  /// - every declared variable (`env:` in the front matter, `--env NAME`) that is set, also
  ///   `PATH` or `LANG` when declared; these values are part of the cache key;
  /// - then `extra` (the runtime's channel: `HANDOUT_EVENTS`, `HANDOUT_NONCE`, …, and the run
  ///   folder's `HOME` and `TMPDIR`, which no declaration replaces).
  static func environment(for notebook: Notebook, options: RunOptions, extra: [String: String])
    -> [String: String]
  {
    let from = options.environment
    var environment = [
      "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC",
      "SWIFT_DETERMINISTIC_HASHING": "1",
    ]
    for (name, value) in from where name.hasPrefix("NEURAL_") || name == "GLIBC_TUNABLES" {
      environment[name] = value
    }
    for name in options.declaredNames(for: notebook) {
      environment[name] = from[name]
    }
    // One this CPU does not run would print Neural's warning into a block (`NeuralSettings.swift`).
    if RunOptions.neuralISAProblem(from) != nil { environment["NEURAL_ISA"] = nil }
    environment["GLIBC_TUNABLES"] = genericLibm(environment["GLIBC_TUNABLES"])
    environment.merge(extra) { _, new in new }
    return environment
  }

  /// `GLIBC_TUNABLES` with glibc's FMA code turned off, whatever else it says: glibc picks `pow`,
  /// `atan2`, `tan`, `asin`, `sinh`'s `exp`… at load time by CPU feature, and its FMA variants round
  /// differently, so notebook code calling them (and Plot's `log10`/`pow`, RCompat's `lgamma`)
  /// printed other last digits on a CPU without FMA. With FMA, FMA4 and AVX2 off (as `make
  /// same-bits` tries), every x86-64 CPU runs glibc's generic code; Neural does not ask glibc.
  static func genericLibm(_ tunables: String?) -> String {
    let off = "-FMA,-FMA4,-AVX2"
    var parts = (tunables ?? "").split(separator: ":", omittingEmptySubsequences: true).map(String.init)
    if let at = parts.lastIndex(where: { $0.hasPrefix("glibc.cpu.hwcaps=") }) {
      parts[at] += parts[at].hasSuffix("=") ? off : "," + off
    } else {
      parts.append("glibc.cpu.hwcaps=" + off)
    }
    return parts.joined(separator: ":")
  }

  /// The notebook's folder (absolute): `dataFile("points.csv")` and the front matter's `data:`
  /// name files relative to it, wherever `handout` was started. The code itself runs in a private
  /// folder (`RunFolder`).
  static func notebookFolder(of notebook: Notebook) -> String {
    URL(fileURLWithPath: notebook.path).standardizedFileURL.deletingLastPathComponent().path
  }

  static func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? String(Int(s)) : String(s)
  }

  static func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [
      SIGILL: "SIGILL, a Swift runtime trap", SIGTRAP: "SIGTRAP, a Swift runtime trap", SIGSEGV: "SIGSEGV",
      SIGBUS: "SIGBUS", SIGABRT: "SIGABRT", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL",
      SIGXFSZ: "SIGXFSZ, a write beyond the file-size limit (ulimit -f)",
      SIGXCPU: "SIGXCPU, the CPU-time limit (ulimit -t)",
    ]
    return names[signal] ?? "signal \(signal)"
  }
}

extension JSONEncoder {
  /// Keys sorted, so the same value always gives the same bytes.
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }
}
