// Stage 4, run: compile (or reuse) the notebook program, execute it in a child process with a
// time limit, and collect what each block produced.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the runner reports while it works (the CLI prints it).
public enum RunProgress: Sendable {
  case cached(notebook: String)
  case compiling(notebook: String)
  case running(notebook: String)
  case block(notebook: String, index: Int, line: Int)
  /// The notebook's own `progress("epoch 300 of 10000")`.
  case message(notebook: String, text: String)
}

public struct RunOptions: Sendable {
  public var runtime: RuntimeLocation
  public var compile: CompileOptions
  /// Compiled programs and their results, by content hash.
  public var cacheDirectory: URL
  /// false (`--fresh`): ignore what is cached (the new result is still stored).
  public var useCache: Bool
  /// Seconds for the whole program when the front matter has no `timeout` (300).
  public var defaultTimeout: Double
  /// Captured text per block beyond this many bytes is dropped, with a note (1 MB).
  public var maxBlockOutput: Int
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

public enum Runner {
  /// Runs a notebook's code: from the cache when every declared input is unchanged (see
  /// `RunCache.key`), else compiled and executed. Compile errors, traps and timeouts come back
  /// inside the `RunResult` (so the handout can still be written with them marked); only a
  /// broken environment (no swiftc, a compiler crash, an unwritable cache) throws.
  ///
  /// Only a run that reached the end of the program with exit status 0 and wrote every figure
  /// is stored: a trap, a kill from outside (out of memory), a timeout or a full disk are not
  /// facts about the notebook's inputs, so they must not be replayed.
  public static func run(_ notebook: Notebook, options: RunOptions) throws -> RunResult {
    let program = notebook.tangle(sharedModule: options.compile.shared.map { _ in SharedModule.name })
    if notebook.blocks.allSatisfy({ !$0.isExecuted }) && notebook.inlines.isEmpty {
      return RunResult()
    }
    let parameters = try options.parameterValues(for: notebook)
    let cache = RunCache(root: options.cacheDirectory)
    let key = try cache.key(notebook: notebook, options: options, parameters: parameters)
    if options.useCache, let hit = cache.load(key: key, notebook: notebook, program: program) {
      options.progress?(.cached(notebook: notebook.path))
      return hit
    }

    let work = try cache.makeWorkDirectory()
    options.reaper?.add(folder: work.path)
    defer {
      try? FileManager.default.removeItem(at: work)
      options.reaper?.remove(folder: work.path)
    }
    let binary = work.appendingPathComponent(RunCache.binaryName)
    options.progress?(.compiling(notebook: notebook.path))
    let errors = try Compiler.compile(
      program, notebook: notebook, runtime: options.runtime, options: options.compile, output: binary,
      reaper: options.reaper)
    // Compiled first all the same, so every error of the notebook is reported at once.
    let order = notebook.useBeforeDeclaration()
    if !errors.isEmpty || !order.isEmpty {
      return RunResult(
        diagnostics: (errors + order).sorted { ($0.location?.line ?? 0) < ($1.location?.line ?? 0) })
    }

    options.progress?(.running(notebook: notebook.path))
    let figures = work.appendingPathComponent("figures", isDirectory: true)
    let started = Date()
    var execution = try execute(
      binary: binary, notebook: notebook, figures: figures, options: options, parameters: parameters)
    guard execution.complete else { return execution.result }
    execution.result.figureDirectory = nil
    guard let inputs = DataInputs.record(execution.dataFiles, notChangedSince: started) else {
      // A data file changed while the program ran: which version it read is unknown.
      execution.result.figureDirectory = figures.path
      return execution.result
    }
    return try cache.store(execution.result, key: key, work: work, program: program, inputs: inputs)
  }

  /// The environment of the notebook program: small and fixed, so that nothing of the shell
  /// `handout` was started from reaches the code unless the notebook declares it.
  ///
  /// - `PATH` (`/usr/local/bin:/usr/bin:/bin`), `LANG=C.UTF-8`, `LC_ALL=C.UTF-8`, `TZ=UTC`;
  /// - `HOME` as `handout` has it (caches such as fontconfig's live there; no value depends on it);
  /// - `NEURAL_*` (thread count, vector path: Neural gives the same bits whatever they say) and
  ///   `GLIBC_TUNABLES` (what a different CPU would be), so a course can be tested for that;
  /// - every declared variable (`env:` in the front matter, `--env NAME`) that is set, also
  ///   `PATH` or `LANG` when declared; these values are part of the cache key;
  /// - then `extra` (the runtime's channel: `HANDOUT_EVENTS`, `HANDOUT_NONCE`, …).
  static func environment(for notebook: Notebook, options: RunOptions, extra: [String: String])
    -> [String: String]
  {
    let from = options.environment
    var environment = [
      "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC",
    ]
    if let home = from["HOME"] { environment["HOME"] = home }
    for (name, value) in from where name.hasPrefix("NEURAL_") || name == "GLIBC_TUNABLES" {
      environment[name] = value
    }
    for name in options.declaredNames(for: notebook) {
      environment[name] = from[name]
    }
    environment.merge(extra) { _, new in new }
    return environment
  }

  /// The folder notebook code runs in: the notebook's own, so `"points.csv"` and
  /// `dataFile("points.csv")` name the file beside the notebook wherever `handout` was started.
  static func workingDirectory(of notebook: Notebook) -> String {
    URL(fileURLWithPath: notebook.path).standardizedFileURL.deletingLastPathComponent().path
  }

  /// What one execution of the program gave.
  struct Execution {
    var result: RunResult
    /// The program reached its end with exit status 0, every figure was written, nothing timed out.
    var complete: Bool
    /// Absolute paths of the data files the program read through the runtime (`dataFile(_:)`).
    var dataFiles: [String]
  }

  /// Executes a compiled notebook program and collects its events and output per block.
  static func execute(
    binary: URL, notebook: Notebook, figures: URL, options: RunOptions, parameters: [String: String] = [:]
  ) throws -> Execution {
    let fm = FileManager.default
    let figures = figures.standardizedFileURL
    try? fm.createDirectory(at: figures, withIntermediateDirectories: true)
    let events = binary.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("events.jsonl")
    try? fm.removeItem(at: events)
    fm.createFile(atPath: events.path, contents: nil)
    let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    let environment = Self.environment(
      for: notebook, options: options,
      extra: [
        "HANDOUT_EVENTS": events.path, "HANDOUT_NONCE": nonce, "HANDOUT_FIGURES": figures.path,
        "HANDOUT_NOTEBOOK": notebook.name,
        "HANDOUT_PARAMS": String(
          decoding: (try? JSONEncoder.sorted.encode(parameters)) ?? Data("{}".utf8), as: UTF8.self),
        // The crash backtracer gives the notebook line of a trap (the program has line tables).
        "SWIFT_BACKTRACE":
          "enable=yes,interactive=no,color=no,sanitize=no,threads=crashed,registers=none,images=none,limit=24,top=0,output-to=stderr",
      ])

    let demux = OutputDemux(
      nonce: nonce, cap: options.maxBlockOutput,
      onBlock: { index in
        let line = notebook.blocks.first { $0.index == index }?.fence.line ?? 0
        options.progress?(.block(notebook: notebook.path, index: index, line: line))
      },
      onProgress: { message in options.progress?(.message(notebook: notebook.path, text: message)) })

    let child: SpawnedProcess
    do {
      child = try SpawnedProcess(
        executable: binary.path, arguments: [], environment: environment,
        directory: workingDirectory(of: notebook), reaper: options.reaper)
    } catch let failure as SpawnFailure {
      throw HandoutError.toolchain("the notebook program could not start: \(failure.reason)")
    }
    let reader = child.output
    let readerDone = DispatchSemaphore(value: 0)
    let thread = Thread {
      while true {
        let data = reader.availableData
        if data.isEmpty { break }
        demux.consume(data)
      }
      readerDone.signal()
    }
    thread.start()

    let start = Date()
    let total = notebook.frontMatter.timeout ?? options.defaultTimeout
    let blockTimeouts = Dictionary(
      notebook.blocks.compactMap { b in b.timeout.map { (b.index, $0) } }, uniquingKeysWith: { a, _ in a })
    var timedOut: (block: Int?, limit: Double, which: String)?
    // Woken the moment the program exits; until then every 20 ms, to watch the time limits.
    while !child.wait(until: .now() + .milliseconds(20)) {
      let now = Date()
      let (current, since) = demux.currentBlock
      if let current, let limit = blockTimeouts[current], let since, now.timeIntervalSince(since) > limit {
        timedOut = (current, limit, "block timeout=\(formatSeconds(limit))")
      } else if now.timeIntervalSince(start) > total {
        timedOut = (
          current, total,
          notebook.frontMatter.timeout == nil
            ? "default timeout" : "front-matter timeout: \(formatSeconds(total))"
        )
      }
      if timedOut != nil { break }
    }
    // Whatever the program started (a `Process`, a shell) ends with it: the whole group goes.
    child.finish()
    let termination = child.termination ?? .signaled(SIGKILL)
    if readerDone.wait(timeout: .now() + 2) == .timedOut { try? reader.close() }

    let parsed = RunEvents.parse((try? Data(contentsOf: events)) ?? Data())
    var result = RunResult(figureDirectory: figures.path)
    result.parameters = parameters
    result.inlineValues = parsed.inlineValues
    let segments = demux.finish()
    for block in notebook.blocks where parsed.begun.contains(block.index) {
      var r = BlockResult(blockIndex: block.index)
      r.text = segments.text[block.index] ?? ""
      r.value = parsed.values[block.index]
      r.figures = parsed.figures[block.index] ?? []
      r.checks = parsed.checks[block.index] ?? []
      result.blocks[block.index] = r
    }
    // Checks made outside any block (inline expressions) belong to the run.
    for check in parsed.checks[-1] ?? [] where !check.passed {
      result.diagnostics.append(
        Diagnostic(.error, "expected \(check.expected), got \(check.actual)", at: check.location))
    }
    // A figure that could not be written fails at its `show(…)`; the handout must not go out
    // without it.
    for failure in parsed.figureFailures {
      result.diagnostics.append(failure)
    }

    result = ExpectColumns.normalize(result, notebook: notebook)
    let crashed = parsed.begun.subtracting(parsed.ended).max()
    let finished = parsed.finished
    if let timedOut {
      let message =
        "timed out after \(formatSeconds(timedOut.limit)) s (\(timedOut.which)); the program was stopped"
      if let k = timedOut.block ?? crashed, var r = result.blocks[k] {
        r.failure = Diagnostic(.error, message, at: notebook.blocks.first { $0.index == k }?.fence)
        result.blocks[k] = r
      } else {
        result.diagnostics.append(
          Diagnostic(.error, message, at: SourceLocation(file: notebook.path, line: 1)))
      }
    } else if !finished || termination != .exited(0) {
      let k = crashed
      let raw = k.flatMap { segments.text[$0] } ?? segments.outside
      let crash = CrashReport(output: raw, notebookPath: notebook.path)
      let status: String
      switch termination {
      case .signaled(let signal): status = "crashed (\(signalName(signal)))"
      case .exited(let code): status = "exited with status \(code)"
      }
      let message: String
      if let thrown = crash.uncaughtError {
        message = "\(thrown) (an error thrown here was not caught, so the program stopped)"
      } else {
        message =
          crash.message.map { "\($0) (the program \(status))" } ?? "the program \(status) before it finished"
      }
      if let k, var r = result.blocks[k] {
        r.text = crash.text
        r.failure = Diagnostic(
          .error, message, at: crash.location ?? notebook.blocks.first { $0.index == k }?.fence)
        result.blocks[k] = r
      } else {
        result.diagnostics.append(
          Diagnostic(.error, message, at: crash.location ?? SourceLocation(file: notebook.path, line: 1)))
      }
    }
    let complete =
      timedOut == nil && finished && termination == .exited(0) && parsed.figureFailures.isEmpty
    return Execution(result: result, complete: complete, dataFiles: parsed.dataFiles)
  }

  static func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? String(Int(s)) : String(s)
  }

  static func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [
      SIGILL: "SIGILL, a Swift runtime trap", SIGTRAP: "SIGTRAP, a Swift runtime trap", SIGSEGV: "SIGSEGV",
      SIGBUS: "SIGBUS", SIGABRT: "SIGABRT", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL",
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

/// The trap message and notebook location in a crashed block's output, and the output without
/// the backtrace.
struct CrashReport {
  var text: String
  var message: String?
  var location: SourceLocation?
  /// The description of an error thrown by top-level `try` and never caught (the runtime reports
  /// it as `Fatal error: Error raised at top level: …`).
  var uncaughtError: String?

  init(output: String, notebookPath: String) {
    var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var backtrace: [String] = []
    if let start = lines.firstIndex(where: {
      $0.hasPrefix("*** Signal") || $0.hasPrefix("*** Program crashed") || $0.hasPrefix("💣")
    }) {
      backtrace = Array(lines[start...])
      lines = Array(lines[..<start])
    }
    // `<file>:<line>: Fatal error: <message>` (also Precondition failed, Assertion failed, …).
    let kinds = ["Fatal error", "Precondition failed", "Assertion failed", "Unexpectedly found nil"]
    if let i = lines.lastIndex(where: { line in kinds.contains { line.contains($0) } }) {
      let line = lines[i]
      let start = kinds.compactMap { line.range(of: $0)?.lowerBound }.min() ?? line.startIndex
      message = String(line[start...]).trimmingCharacters(in: .whitespaces)
      let topLevel = "Fatal error: Error raised at top level: "
      if let m = message, m.hasPrefix(topLevel) { uncaughtError = String(m.dropFirst(topLevel.count)) }
      // fatalError/precondition in notebook code name the notebook line themselves.
      let prefix = line[..<start]
      if prefix.hasPrefix(notebookPath + ":") {
        let parts = prefix.dropFirst(notebookPath.count + 1).split(separator: ":")
        if let l = parts.first.flatMap({ Int($0) }) { location = SourceLocation(file: notebookPath, line: l) }
      }
      lines.remove(at: i)
    }
    // The first backtrace frame in the notebook: `… at /abs/notebooks/x.md:21:8` (the backtracer
    // makes the path absolute).
    let absolute = URL(fileURLWithPath: notebookPath).standardizedFileURL.path
    for frame in backtrace {
      guard let r = frame.range(of: " at ", options: .backwards) else { continue }
      let parts = frame[r.upperBound...].split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count >= 3, let l = Int(parts[parts.count - 2]), let c = Int(parts[parts.count - 1]) else {
        continue
      }
      let file = parts.dropLast(2).joined(separator: ":")
      if file == notebookPath || file == absolute || file.hasSuffix("/" + notebookPath) {
        location = SourceLocation(file: notebookPath, line: l, column: max(c, 1))
        break
      }
    }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    text = lines.joined(separator: "\n")
    if !text.isEmpty, output.hasSuffix("\n") { text += "\n" }
  }
}

/// Cuts the program's interleaved stdout+stderr into blocks at the runtime's marker lines
/// (`\u{1}HANDOUT-<nonce> begin <k>` / `end <k>`), keeping at most `cap` bytes per block.
final class OutputDemux: @unchecked Sendable {
  private let lock = NSLock()
  private let prefix: [UInt8]
  private let cap: Int
  private let onBlock: (Int) -> Void
  private let onProgress: (String) -> Void
  private var pending: [UInt8] = []
  private var current: Int?
  private var currentSince: Date?
  private var buffers: [Int: [UInt8]] = [:]
  private var dropped: [Int: Int] = [:]
  private var outside: [UInt8] = []

  init(
    nonce: String, cap: Int, onBlock: @escaping (Int) -> Void,
    onProgress: @escaping (String) -> Void = { _ in }
  ) {
    prefix = Array("\u{1}HANDOUT-\(nonce) ".utf8)
    self.cap = cap
    self.onBlock = onBlock
    self.onProgress = onProgress
  }

  var currentBlock: (Int?, Date?) {
    lock.lock()
    defer { lock.unlock() }
    return (current, currentSince)
  }

  func consume(_ data: Data) {
    var started: [Int] = []
    var progressLines: [String] = []
    lock.lock()
    pending += data
    while true {
      if let at = find(prefix, in: pending) {
        guard let newline = pending[at...].firstIndex(of: UInt8(ascii: "\n")) else {
          append(Array(pending[..<at]))
          pending.removeFirst(at)
          break
        }
        append(Array(pending[..<at]))
        let words = String(decoding: pending[(at + prefix.count)..<newline], as: UTF8.self).split(
          separator: " ")
        pending.removeFirst(newline + 1)
        if words.first == "progress" {
          progressLines.append(words.dropFirst().joined(separator: " "))
        } else if words.count == 2, let k = Int(words[1]) {
          if words[0] == "begin" {
            current = k
            currentSince = Date()
            started.append(k)
          } else {
            current = nil
            currentSince = nil
          }
        }
      } else {
        // Keep a tail that could be the start of a marker split across reads.
        let keep = min(pending.count, prefix.count - 1)
        append(Array(pending[..<(pending.count - keep)]))
        pending.removeFirst(pending.count - keep)
        break
      }
    }
    lock.unlock()
    started.forEach(onBlock)
    progressLines.forEach(onProgress)
  }

  private func append(_ bytes: [UInt8]) {
    guard !bytes.isEmpty else { return }
    guard let k = current else {
      if outside.count < cap { outside += bytes.prefix(cap - outside.count) }
      return
    }
    let have = buffers[k, default: []].count
    let room = max(0, cap - have)
    buffers[k, default: []] += bytes.prefix(room)
    if bytes.count > room { dropped[k, default: 0] += bytes.count - room }
  }

  /// The first occurrence of `needle`. `memchr` finds the candidates: a block printing 100 MB goes
  /// through here byte by byte, and a Swift loop over it took ~10 s in a debug build.
  private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count, let first = needle.first else { return nil }
    return haystack.withUnsafeBytes { raw -> Int? in
      guard let base = raw.baseAddress else { return nil }
      var i = 0
      let last = haystack.count - needle.count
      while i <= last {
        guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
        let at = base.distance(to: UnsafeRawPointer(hit))
        if memcmp(base + at, needle, needle.count) == 0 { return at }
        i = at + 1
      }
      return nil
    }
  }

  struct Segments {
    var text: [Int: String]
    var outside: String
  }

  func finish() -> Segments {
    lock.lock()
    defer { lock.unlock() }
    append(pending)
    pending = []
    var text: [Int: String] = [:]
    for (k, bytes) in buffers {
      var s = String(decoding: bytes, as: UTF8.self)
      if let n = dropped[k] {
        if !s.hasSuffix("\n") { s += "\n" }
        s += "[handout: \(n) more bytes of output were dropped; a block keeps at most \(cap) bytes]\n"
      }
      text[k] = s
    }
    return Segments(text: text, outside: String(decoding: outside, as: UTF8.self))
  }
}
