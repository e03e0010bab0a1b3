// Stage execute: a compiled notebook program → an `Execution` (what each block produced, and how
// the program ended). The program runs in its own session in a private folder of its own
// (`RunFolder`) with a fixed environment (`Runner.environment`), under the notebook's time limits.
import Foundation
import HandoutProtocol

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a notebook program ended.
public enum ExitReason: Equatable, Sendable {
  /// It reached its end (`finish` sent) and exited with status 0.
  case finished
  /// `exit(code)`, or status 0 without reaching its end.
  case exited(Int32)
  /// A signal: a trap (SIGILL, SIGTRAP), a crash, a kill from outside (out of memory).
  case signaled(Int32)
  /// A time limit ran out and `handout` stopped it.
  case timedOut(TimeLimit)
}

/// A time limit that ran out.
public struct TimeLimit: Equatable, Sendable {
  /// The block that was running, if any.
  public var block: Int?
  /// Seconds.
  public var seconds: Double
  /// Which limit: `block timeout=5`, `front-matter timeout: 20`, `default timeout`.
  public var which: String
}

/// What one execution of a notebook program gave.
public struct Execution: Sendable {
  /// What each block produced, with the failure (if any) placed at its block.
  public var result: RunResult
  /// How the program ended; a run is cached only when it is `.finished` (see `complete`).
  public var exit: ExitReason
  /// Absolute paths of the data files the program read through the runtime (`dataFile(_:)`), and
  /// of the files it opened for reading beside the notebook or those (`OpenedFiles`).
  public var dataFiles: [String]
  /// The machine's files the program had loaded (libraries, fonts, fontconfig's configuration),
  /// absolute; not those of the run's own folders (its binary, its `HOME`), which go with the run.
  public var loadedFiles: [String] = []
  /// Figures that could not be written, each at its `show(…)` call.
  public var figureFailures: [Diagnostic]
  /// Where the figures were written.
  public var artifacts: Artifacts
  /// What the run learnt beside the notebook without reading (folders looked at, listings).
  var probes: [Probe] = []
  /// The processes the program started (the commands), and the system calls by number the runtime
  /// could not record (`getdents64 through syscall`): such a run is not cached.
  var processes: [String] = []
  /// Files of Handout's cache the program opened, not its own run's (another run's program or
  /// output, the instructor's with its solutions): such a run is not cached, and a student
  /// edition that read one is refused (`StudentEdition.run`).
  var cacheReads: [String] = []
  /// Files of the instructor's published handouts the program opened (`InstructorProducts`): such
  /// a run is not cached, and a student edition that read one is refused.
  var instructorReads: [String] = []

  /// Finished, and every figure written: the only kind of run the cache keeps.
  public var complete: Bool { exit == .finished && figureFailures.isEmpty }
}

extension Runner {
  /// Executes the compiled notebook program `binary` and collects its events and its output per
  /// block. Figures are written under `figures`.
  /// - Throws: `HandoutError.toolchain` when the program cannot start at all.
  public static func execute(
    binary: URL, notebook: Notebook, figures: URL, options: RunOptions, parameters: [String: String] = [:]
  ) throws -> Execution {
    // Nothing a run writes outlives it: not into the next run, not into the student edition's.
    let folder = try RunFolder.make(for: notebook)
    options.reaper?.add(folder: folder.root.path)
    return try execute(
      binary: binary, notebook: notebook, figures: figures, options: options, parameters: parameters,
      in: folder)
  }

  /// `execute` in `folder`, a run folder made for this run and given to the reaper; it is removed
  /// when the run ends.
  static func execute(
    binary: URL, notebook: Notebook, figures: URL, options: RunOptions, parameters: [String: String],
    in folder: RunFolder
  ) throws -> Execution {
    var folder = folder
    let program = named(binary, notebook.name)
    folder.program = (program, notebook.name)
    defer {
      if program != binary { try? FileManager.default.removeItem(at: program.deletingLastPathComponent()) }
    }
    let figures = figures.standardizedFileURL
    try? FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
    let events = binary.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("events.jsonl")
    try? FileManager.default.removeItem(at: events)
    FileManager.default.createFile(atPath: events.path, contents: nil)
    let reads = events.deletingLastPathComponent().appendingPathComponent("reads.log")
    try? FileManager.default.removeItem(at: reads)
    FileManager.default.createFile(atPath: reads.path, contents: nil)
    let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let environment = Self.environment(
      for: notebook, options: options,
      extra: channel(
        events: events, reads: reads, nonce: nonce, figures: figures, notebook: notebook,
        parameters: parameters
      ).merging(folder.environment) { _, own in own })
    defer {
      // When `handout` is being stopped, the reaper removes it once the program is gone.
      if options.reaper?.isStopping != true {
        folder.remove()
        options.reaper?.remove(folder: folder.root.path)
      }
    }
    let demux = OutputDemux(
      nonce: nonce, cap: options.maxBlockOutput,
      onBlock: { index in
        let line = notebook.blocks.first { $0.index == index }?.fence.line ?? 0
        options.progress?(.block(notebook: notebook.path, index: index, line: line))
      },
      onProgress: { message in options.progress?(.message(notebook: notebook.path, text: message)) })

    let child: SpawnedProcess
    do {
      // Named as the notebook, not by the binary's path: `CommandLine.arguments` shows no cache
      // folder nor a scratch folder's random name, and is the same on every machine and run.
      child = try SpawnedProcess(
        executable: program.path, name: notebook.name, arguments: [], environment: environment,
        directory: folder.workingDirectory.path, reaper: options.reaper)
    } catch let failure as SpawnFailure {
      throw HandoutError.toolchain("the notebook program could not start: \(failure.reason)")
    }
    let readerDone = startReading(child.output, into: demux)
    let limit = watchTimeLimits(child, demux: demux, notebook: notebook, options: options)
    // Whatever the program started (a `Process`, a shell) ends with it: the whole session goes.
    child.finish()
    // A grandchild that escaped the session and holds the pipe must not hang the runner.
    if readerDone.wait(timeout: .now() + 2) == .timedOut { try? child.output.close() }

    var parsed = RunEvents.parse((try? Data(contentsOf: events)) ?? Data())
    // The log has every read, also those of a block that crashed (its `opened` event never came).
    let log = ReadsLog.parse((try? Data(contentsOf: reads)) ?? Data())
    parsed.openedFiles += log.read
    parsed.rename(TangledProgram.sourceName(of: notebook.path), to: notebook.path)
    // A place the notebook's own code named with `#filePath` (a helper passing it on to `expect`).
    parsed.rename(URL(fileURLWithPath: notebook.path).lastPathComponent, to: notebook.path)
    let exit: ExitReason
    switch (limit, child.termination ?? .signaled(SIGKILL)) {
    case (let limit?, _): exit = .timedOut(limit)
    case (nil, .exited(0)) where parsed.finished: exit = .finished
    case (nil, .exited(let code)): exit = .exited(code)
    case (nil, .signaled(let signal)): exit = .signaled(signal)
    }
    return execution(
      parsed, log: log, exit: exit, segments: demux.finish(), notebook: notebook, folder: folder,
      files: (binary, program, figures), options: options, parameters: parameters)
  }

  /// What the run gave, from its events, its reads log, its output cut into blocks and how it ended.
  static func execution(
    _ parsed: RunEvents, log: ReadsLog, exit: ExitReason, segments: OutputDemux.Segments, notebook: Notebook,
    folder: RunFolder, files: (binary: URL, program: URL, figures: URL), options: RunOptions,
    parameters: [String: String]
  ) -> Execution {
    var parsed = parsed
    let (binary, program, figures) = files
    var result = collect(parsed, segments, notebook: notebook, figures: figures)
    result.parameters = parameters
    result = ExpectColumns.normalize(result, notebook: notebook)
    result = placeFailure(
      exit, in: result, parsed: parsed, output: segments, notebook: notebook, folder: folder)
    // What the page and the terminal show names files as the notebook's folder does, never the
    // run's private folder (gone by then, and a random name on the page).
    result.diagnostics += writeWarnings(
      parsed, notebook: notebook, folder: folder, binary: binary, program: program, figures: figures)
    result.diagnostics += processWarnings(log, notebook: notebook)
    let probes = learnt(
      log, &parsed, folder: folder,
      excluded: ownFolders(folder, binary: binary, program: program, figures: figures) + [
        options.cacheDirectory
      ])
    result = folder.relative(result)
    let own = [folder.root, binary.deletingLastPathComponent()].map {
      $0.resolvingSymlinksInPath().path + "/"
    }
    return Execution(
      result: result, exit: exit,
      dataFiles: read(
        parsed, in: folder, binary: binary, program: program, figures: figures, cache: options.cacheDirectory),
      loadedFiles: (parsed.loadedFiles
        + OpenedFiles.inMachineFolders(parsed.openedFiles, written: parsed.writtenFiles.map(\.1)))
        .filter { file in !own.contains(where: file.hasPrefix) },
      figureFailures: parsed.figureFailures, artifacts: Artifacts(figures: figures), probes: probes,
      processes: log.processes.map(\.command) + log.unseen.map(\.call),
      cacheReads: OpenedFiles.inputs(
        parsed.openedFiles, notebookFolder: options.cacheDirectory.path, declared: [],
        excluded: ownFolders(folder, binary: binary, program: program, figures: figures)),
      instructorReads: InstructorProducts.reads(
        parsed.dataFiles + parsed.openedFiles,
        excluded: ownFolders(folder, binary: binary, program: program, figures: figures) + [
          options.cacheDirectory
        ]))
  }

  /// The files the run read: those it named through `dataFile`, and those it opened beside the
  /// notebook or them without it (`OpenedFiles`), each once.
  static func read(
    _ parsed: RunEvents, in folder: RunFolder, binary: URL, program: URL, figures: URL, cache: URL
  ) -> [String] {
    let own = ownFolders(folder, binary: binary, program: program, figures: figures)
    let opened = OpenedFiles.inputs(
      parsed.openedFiles, notebookFolder: folder.notebookFolder, declared: parsed.dataFiles, excluded: own)
    let elsewhere = OpenedFiles.elsewhere(
      parsed.openedFiles, excluded: own + [cache], written: parsed.writtenFiles.map(\.1))
    return DataInputs.unique(parsed.dataFiles + opened + elsewhere)
  }

  /// The runtime's channel: where it writes events and figures, its marker nonce, the notebook's
  /// output name, folder and parameters, and the crash backtracer's settings.
  static func channel(
    events: URL, reads: URL, nonce: String, figures: URL, notebook: Notebook, parameters: [String: String]
  ) -> [String: String] {
    [
      ChannelVariable.events.rawValue: events.path, ChannelVariable.reads.rawValue: reads.path,
      ChannelVariable.nonce.rawValue: nonce,
      ChannelVariable.figures.rawValue: figures.path, ChannelVariable.notebook.rawValue: notebook.name,
      ChannelVariable.folder.rawValue: notebookFolder(of: notebook),
      ChannelVariable.parameters.rawValue: String(
        decoding: (try? JSONEncoder.sorted.encode(parameters)) ?? Data("{}".utf8), as: UTF8.self),
      // The crash backtracer gives the notebook line of a trap (the program has line tables).
      "SWIFT_BACKTRACE":
        "enable=yes,interactive=no,color=no,sanitize=no,threads=crashed,registers=none,images=none,limit=24,top=0,output-to=stderr",
    ]
  }

  /// Feeds everything read from `output` to `demux` on a thread of its own; the semaphore is
  /// signalled at the end of the stream.
  static func startReading(_ output: FileHandle, into demux: OutputDemux) -> DispatchSemaphore {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      while true {
        let data = output.availableData
        if data.isEmpty { break }
        demux.consume(data)
      }
      done.signal()
    }
    thread.start()
    return done
  }

  /// Waits for the program to end, waking every 20 ms to watch the block's and the notebook's
  /// time limits; returns the limit that ran out first, or nil when the program ended in time.
  static func watchTimeLimits(
    _ child: SpawnedProcess, demux: OutputDemux, notebook: Notebook, options: RunOptions
  ) -> TimeLimit? {
    let start = Date()
    let total = notebook.frontMatter.timeout ?? options.defaultTimeout
    let blockTimeouts = Dictionary(
      notebook.blocks.compactMap { b in b.timeout.map { (b.index, $0) } }, uniquingKeysWith: { a, _ in a })
    while !child.wait(until: .now() + .milliseconds(20)) {
      let now = Date()
      let (current, since) = demux.currentBlock
      if let current, let limit = blockTimeouts[current], let since, now.timeIntervalSince(since) > limit {
        return TimeLimit(block: current, seconds: limit, which: "block timeout=\(formatSeconds(limit))")
      }
      if now.timeIntervalSince(start) > total {
        let which =
          notebook.frontMatter.timeout == nil
          ? "default timeout" : "front-matter timeout: \(formatSeconds(total))"
        return TimeLimit(block: current, seconds: total, which: which)
      }
    }
    return nil
  }

  /// The run's result from the program's events and its output cut into blocks.
  static func collect(
    _ parsed: RunEvents, _ segments: OutputDemux.Segments, notebook: Notebook, figures: URL
  ) -> RunResult {
    var result = RunResult()
    result.inlineValues = parsed.inlineValues
    for block in notebook.blocks where parsed.begun.contains(block.index) {
      var r = BlockResult(blockIndex: block.index)
      r.text = segments.text[block.index] ?? ""
      r.value = parsed.values[block.index]
      r.figures = parsed.figures[block.index] ?? []
      r.checks = parsed.checks[block.index] ?? []
      result.blocks[block.index] = r
      if let printed = segments.cut[block.index] {
        // The page says so under the output; the terminal, where a check is read, says it here.
        let megabytes = String(format: "%.1f", Double(printed) / 1_000_000)
        result.diagnostics.append(
          Diagnostic(
            .warning,
            "this block printed \(megabytes) MB; a block keeps 1 MB of output, so its handout shows the start "
              + "and says how much was dropped (print less: a summary, or every 100th epoch)", at: block.fence
          ))
      }
    }
    // Checks made outside any block (inline expressions) belong to the run.
    for check in parsed.checks[-1] ?? [] where !check.passed {
      result.diagnostics.append(
        Diagnostic(.error, "expected \(check.expected), got \(check.actual)", at: check.location))
    }
    // A figure that could not be written fails at its `show(…)`: no handout goes out without it.
    result.diagnostics += parsed.figureFailures
    // A figure that leaves points out, or draws nothing, is said where it is shown; the run passes.
    result.diagnostics += parsed.figureWarnings
    return result
  }

  /// Puts the reason a program did not finish where a person looks for it: on the block that was
  /// running (with the trap's message and notebook line), else on the run. A file it did not find
  /// that is there beside the notebook gets the `folder`'s hint (read it through `dataFile`).
  static func placeFailure(
    _ exit: ExitReason, in result: RunResult, parsed: RunEvents, output segments: OutputDemux.Segments,
    notebook: Notebook, folder: RunFolder? = nil
  ) -> RunResult {
    var result = result
    let crashed = parsed.begun.subtracting(parsed.ended).max()
    func place(_ message: String, block k: Int?, at location: SourceLocation?, text: String? = nil) {
      if let k, var r = result.blocks[k] {
        if let text { r.text = text }
        r.failure = Diagnostic(
          .error, message, at: location ?? notebook.blocks.first { $0.index == k }?.fence)
        result.blocks[k] = r
      } else {
        result.diagnostics.append(
          Diagnostic(.error, message, at: location ?? SourceLocation(file: notebook.path, line: 1)))
      }
    }
    let status: String
    switch exit {
    case .finished: return result
    case .timedOut(let limit):
      place(
        "timed out after \(formatSeconds(limit.seconds)) s (\(limit.which)); the program was stopped",
        block: limit.block ?? crashed, at: nil)
      return result
    case .signaled(SIGXCPU) where ProgramLimits.hard(RLIMIT_CPU) != nil:
      place(ProgramLimits.explanation(signal: SIGXCPU) ?? "", block: crashed, at: nil)
      return result
    case .signaled(let signal): status = "crashed (\(signalName(signal)))"
    case .exited(let code): status = "exited with status \(code)"
    }
    let raw = crashed.flatMap { segments.text[$0] } ?? segments.outside
    // The loader stopped it before `main`: a name no library defines (`-z now`).
    if parsed.begun.isEmpty, exit == .exited(127), let symbol = UndefinedSymbol(output: raw) {
      place(symbol.message, block: nil, at: symbol.location(in: notebook))
      return result
    }
    let crash = CrashReport(output: raw, notebookPath: notebook.path)
    var message =
      crash.uncaughtError.map { "\($0) (an error thrown here was not caught, so the program stopped)" }
      ?? crash.message.map { "\($0) (the program \(status))" } ?? "the program \(status) before it finished"
    let ran = notebook.blocks.filter { $0.isExecuted && parsed.begun.contains($0.index) }
    if let hint = folder?.hint(for: raw, literals: RunFolder.literals(in: ran)) { message += "; " + hint }
    if case .signaled(let signal) = exit, let limit = ProgramLimits.explanation(signal: signal) {
      message += "; " + limit
    }
    place(message, block: crashed, at: crash.location, text: crash.text)
    return result
  }
}

extension Runner {
  /// `binary` hard-linked as `<its folder>/run/<name>`, for the program to run by the notebook's
  /// name: `ProcessInfo.processInfo.processName` is `name`, and the paths that name the executable
  /// (`ProcessInfo.processInfo.arguments[0]`, `Bundle.main`'s, `/proc/self/exe`, the mapping of
  /// `#dsohandle`) are said as `name` in `.` (`RunFolder.relative`), never the cache's scratch
  /// folder. `binary` itself when it cannot be linked, or `name` is no file name or holds a
  /// control character: `/proc/self/maps` writes a newline as `\012`, and the crash backtracer,
  /// which finds the executable there, could then not read its line table (a trap was at its
  /// block, not its line).
  static func named(_ binary: URL, _ name: String) -> URL {
    guard !name.isEmpty, !name.contains("/"), name != ".", name != "..",
      !name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    else { return binary }
    let folder = binary.deletingLastPathComponent().appendingPathComponent("run", isDirectory: true)
    let linked = folder.appendingPathComponent(name)
    try? FileManager.default.removeItem(at: folder)
    guard mkdir(folder.path, 0o700) == 0 else { return binary }
    guard link(binary.path, linked.path) == 0 else {
      rmdir(folder.path)
      return binary
    }
    return linked
  }
}
