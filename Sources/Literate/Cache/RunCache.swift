// The run cache: a run is a function of its declared inputs, and only of them. The key holds
// everything that can change what the program does or reports: its code and inline expressions
// (not their line numbers), the compiler, the runtime, the engine, the compile flags, the time
// limits, the shell's hard limits the program runs under (`ProgramLimits`), the declared
// environment variables, `GLIBC_TUNABLES` and the files named by the front matter's `data:`.
// Files the program reads through the runtime (`dataFile(_:)`) are known only after a run: the
// entry records each one's content hash, and is valid only while every one still has it. The
// machine's files the program loaded (libraries, fonts: `SystemInputs`) are recorded by stamp.
//
// Prose edits (even ones that move the code down the file) keep the key, and a hit's locations
// are moved to where the same code stands now.
//
// Layout: `<root>/<sha256>/{program, program.swift, run.json, map.json, figures/<name>/…}`.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct RunCache {
  static let binaryName = "program"
  /// Bump when the stored JSON's shape changes.
  static let format = 4
  let root: URL

  /// The content hash: everything declared that can change what the program does or reports.
  func key(notebook: Notebook, options: RunOptions, parameters: [String: String] = [:]) throws -> String {
    let runtime = options.runtime
    var parts = [
      "handout-run-cache \(Self.format) tangle \(Notebook.tangleFormat)",
      try Compiler.identity(options.compile),
      runtime.identity,
      // The engine itself: a rebuilt `handout` may read a run differently.
      Self.engineIdentity,
      Compiler.arguments(
        source: URL(fileURLWithPath: "/x.swift"), output: URL(fileURLWithPath: "/x"), runtime: runtime,
        options: options.compile
      )
      .joined(separator: " "),
      "path \(notebook.path)", "name \(notebook.name)",
      // `dataFile` and `data:` resolve relative paths here.
      "folder \(Runner.notebookFolder(of: notebook))",
      // A cached run that took 65 s must not pass under `timeout: 20`.
      "timeout \(notebook.frontMatter.timeout ?? options.defaultTimeout) compile \(options.compile.timeLimit)",
      // A pass made without `ulimit -t` or `-v` must not be replayed under one.
      ProgramLimits.key,
    ]
    for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
      parts.append("param \(name)=\(value)")
    }
    for name in options.declaredNames(for: notebook) {
      parts.append("env \(name)" + (options.environment[name].map { "=\($0)" } ?? " unset"))
    }
    // What the code reads of the machine (its CPU count, host name, the environment passed on).
    parts += MachineInputs.keyParts(
      MachineInputs.uses(in: notebook, shared: Self.sharedSources(notebook, options)),
      environment: Runner.environment(for: notebook, options: options, extra: [:]),
      other: options.otherMachine)
    // The tunables can say another CPU or other glibc behaviour; the program always runs glibc's
    // generic libm (`Runner.genericLibm`), but what else they change is kept apart.
    if let tunables = options.environment["GLIBC_TUNABLES"], !tunables.isEmpty {
      parts.append("glibc tunables \(tunables)")
    }
    for pattern in notebook.frontMatter.data {
      let matches = DataInputs.expand(pattern, in: Runner.notebookFolder(of: notebook))
      parts.append("data \(pattern): " + (matches.isEmpty ? "no file" : ""))
      for file in matches {
        parts.append("  \(file) \(DataInputs.hash(file) ?? "unreadable")")
      }
    }
    // A block on the page only draws no slide variant of its figures (`pageOnlyBlocks`), one on
    // the slides only nothing else (`slidesOnlyBlocks`).
    let (pageOnly, slidesOnly) = (notebook.pageOnlyBlocks, notebook.slidesOnlyBlocks)
    for block in notebook.blocks where block.isExecuted {
      parts.append(
        "block \(block.index) id \(block.id ?? "-") timeout \(block.timeout.map { "\($0)" } ?? "-") "
          + (pageOnly.contains(block.index) ? "page-only " : "")
          + (slidesOnly.contains(block.index) ? "slides-only " : "")
          + "code \(block.code.utf8.count)\n\(block.code)")
    }
    for inline in notebook.inlines {
      parts.append(
        "inline \(inline.index) after \(inline.afterBlockCount) column \(inline.location.column)\n\(inline.expression)"
      )
    }
    if Self.observesLines(notebook, shared: options.compile.shared != nil) {
      parts.append(
        "lines " + notebook.blocks.filter(\.isExecuted).map { "\($0.firstCodeLine)" }.joined(separator: " "))
      parts.append("inline lines " + notebook.inlines.map { "\($0.location.line)" }.joined(separator: " "))
    }
    return SHA256.hex(parts.joined(separator: "\n\u{0}\n").utf8)
  }

  /// Whether what the program does can depend on the notebook lines its code stands at: `#line`
  /// in its code, inline expressions or shared code (a default argument `= #line` there is the
  /// caller's line). Then a prose edit that moves the code is a miss, not a replay of the old
  /// line (the key otherwise leaves lines out, and a hit's locations are moved).
  static func observesLines(_ notebook: Notebook, shared: Bool) -> Bool {
    let token = "#line"
    if notebook.blocks.contains(where: { $0.isExecuted && $0.code.contains(token) })
      || notebook.inlines.contains(where: { $0.expression.contains(token) })
    {
      return true
    }
    guard shared else { return false }
    return SharedCode.sources(forNotebooksIn: Runner.notebookFolder(of: notebook)).contains { source in
      FileManager.default.contents(atPath: source).map { $0.range(of: Data(token.utf8)) != nil } ?? true
    }
  }

  /// The shared code the notebook's program is compiled with (none when there is no shared module).
  static func sharedSources(_ notebook: Notebook, _ options: RunOptions) -> [String] {
    options.compile.shared == nil
      ? [] : SharedCode.sources(forNotebooksIn: Runner.notebookFolder(of: notebook))
  }

  /// Path, size and modification time of the running executable.
  static let engineIdentity: String = {
    guard let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return "unknown engine" }
    return "engine \(exe.path) \(FileStamp(exe.path)?.description ?? "unreadable")"
  }()

  func entry(_ key: String) -> URL { root.appendingPathComponent(key, isDirectory: true) }

  /// A fresh private folder under the cache root for one compile and run, named after this
  /// process (`tmp-<pid>-<uuid>`). The folders of processes that no longer exist (a `handout`
  /// killed with SIGKILL) are removed first.
  func makeWorkDirectory() throws -> URL {
    removeAbandonedWorkDirectories()
    let pid = ProcessInfo.processInfo.processIdentifier
    let dir = root.appendingPathComponent("tmp-\(pid)-\(UUID().uuidString)", isDirectory: true)
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw HandoutError.file(
        FileError(
          path: root.path,
          reason: "cannot create the cache folder: \(FileError.reason(of: error, at: dir.path))",
          access: .write
        ))
    }
    return dir
  }

  /// Moves the figures of a run that is not cached out of its work folder (which goes when the
  /// run ends) to a scratch folder of this process (`tmp-<pid>-…`), so its failing page can still
  /// show them; the next run's sweep removes it once this process is gone. nil if it cannot.
  func keepScratch(_ figures: URL) -> URL? {
    let pid = ProcessInfo.processInfo.processIdentifier
    let kept = root.appendingPathComponent("tmp-\(pid)-\(UUID().uuidString)-figures", isDirectory: true)
    return (try? FileManager.default.moveItem(at: figures, to: kept)) == nil ? nil : kept
  }

  /// `tmp-<pid>-<uuid>[-figures]` folders whose process is gone; older `tmp-<uuid>` and
  /// `old-<uuid>` folders too. Only names of exactly these shapes, which Handout makes: the cache
  /// folder may be one the user shares (`--cache .`), and a `tmp-notes/` of theirs is theirs.
  private func removeAbandonedWorkDirectories() {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
    for name in names {
      guard let kind = Self.scratchKind(name) else { continue }
      if case .process(let pid) = kind {
        guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
      } else if let stamp = FileStamp(root.appendingPathComponent(name).path),
        Date().timeIntervalSince1970 - Double(stamp.seconds) < 24 * 3600
      {
        continue  // an old-style name: left a day, in case an older `handout` still works in it
      }
      try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
    }
  }

  /// What a scratch folder's name says: made by the process `pid`, or by an older Handout (no pid).
  enum ScratchKind: Equatable { case process(Int32), older }

  /// The kind of a scratch folder Handout names `tmp-<pid>-<uuid>`, `tmp-<pid>-<uuid>-figures`,
  /// `tmp-<uuid>` or `old-<uuid>`; nil for any other name.
  static func scratchKind(_ name: String) -> ScratchKind? {
    func isUUID(_ s: Substring) -> Bool { UUID(uuidString: String(s)) != nil }
    if name.hasPrefix("old-") { return isUUID(name.dropFirst(4)) ? .older : nil }
    guard name.hasPrefix("tmp-") else { return nil }
    var rest = name.dropFirst(4)
    if isUUID(rest) { return .older }
    guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { return nil }
    rest = rest[rest.index(after: dash)...]
    if rest.hasSuffix("-figures") { rest = rest.dropLast("-figures".count) }
    return isUUID(rest) ? .process(pid) : nil
  }

  struct Stored: Codable {
    var result: RunResult
    var map: SourceMap
    var fences: [Int: Int]
    /// The files the program read through the runtime, as they were.
    var inputs: [DataInput]
    /// Every figure file of the entry, relative to its `figures/` folder, as it was stored.
    var figures: [DataInput]
    /// The machine's files the program had loaded (libraries, fonts), by stamp.
    var system: [SystemInput]
    /// What it learnt beside the notebook without reading: folders looked at, listings.
    var probes: [Probe]
  }

  /// The cached result for `key`, its locations moved to where the code stands in `notebook` now;
  /// nil (a miss) when there is none, or when a data file it read, a library or font it loaded or a
  /// figure it holds is no longer what was recorded.
  func load(key: String, notebook: Notebook, program: TangledProgram) -> RunOutput? {
    let dir = entry(key)
    guard let data = try? Data(contentsOf: dir.appendingPathComponent("run.json")),
      let stored = try? JSONDecoder().decode(Stored.self, from: data),
      stored.inputs.allSatisfy({ $0.isCurrent(in: nil) }), stored.system.allSatisfy(\.isCurrent),
      stored.probes.allSatisfy(\.isCurrent),
      stored.figures.allSatisfy({ $0.isCurrent(in: dir.appendingPathComponent("figures").path) })
    else { return nil }
    var result = stored.result
    result.cached = true
    let fences = Dictionary(uniqueKeysWithValues: notebook.blocks.map { ($0.index, $0.fence.line) })
    let relocate = LineRelocation(
      old: stored.map, new: program.map, oldFences: stored.fences, newFences: fences)
    return RunOutput(
      result: relocate.apply(result, path: notebook.path),
      artifacts: Artifacts(figures: dir.appendingPathComponent("figures", isDirectory: true)),
      dataFiles: stored.inputs.map(\.path))
  }

  /// Moves a finished run's folder into the cache under `key` and returns the result pointing at it.
  func store(
    _ result: RunResult, key: String, work: URL, program: TangledProgram, inputs: [DataInput],
    system: [SystemInput] = [], probes: [Probe] = []
  ) throws -> RunOutput {
    let fm = FileManager.default
    let fences = Dictionary(uniqueKeysWithValues: program.fenceLines.map { ($0.key, $0.value) })
    let figureRoot = work.appendingPathComponent("figures").path
    let (figures, hashes) = Self.recordFigures(under: figureRoot)
    let stored = Stored(
      result: result, map: program.map, fences: fences, inputs: inputs, figures: figures, system: system,
      probes: probes)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try? fm.removeItem(at: work.appendingPathComponent("events.jsonl"))
    do {
      try Files.write(encoder.encode(stored), to: work.appendingPathComponent("run.json"))
    } catch {
      throw HandoutError.file(
        FileError(path: work.path, reason: FileError.reason(of: error, at: work.path), access: .write))
    }
    let dir = entry(key)
    try Self.put(work, at: dir)
    var artifacts = Artifacts(figures: dir.appendingPathComponent("figures", isDirectory: true))
    artifacts.hashes = hashes
    return RunOutput(result: result, artifacts: artifacts, dataFiles: inputs.map(\.path))
  }

  /// Puts the finished run's folder `work` in place as the entry `dir`. An entry there already (a
  /// run whose data files changed since, or the same run stored by another render a moment ago)
  /// is exchanged with it in one step: a render that loaded that entry and is copying its figures
  /// finds an entry's files at every moment (moving the old one aside first left none, and the
  /// render published a page whose figures were missing). The old entry, now at `work` (a scratch
  /// name of this process, swept once it is gone if it is stopped here), is then removed.
  static func put(_ work: URL, at dir: URL) throws {
    if rename(work.path, dir.path) == 0 { return }
    var code = errno
    if code == EEXIST || code == ENOTEMPTY {
      code = Files.exchange(work.path, dir.path)
      if code == 0 {
        try? FileManager.default.removeItem(at: work)
        return
      }
    }
    // No exchange here (or it failed): an entry in place is as good as this one (the same
    // declared inputs, or stale and found so at the next load, which runs the notebook again).
    if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("run.json").path) {
      throw HandoutError.file(
        FileError(path: dir.path, reason: String(cString: strerror(code)), access: .write))
    }
  }

  /// Every file under the figures folder `root`, recorded for the entry, and the hash of each by its
  /// path relative to `root` with the stamp it had (moving the entry's folder into place keeps
  /// it), where that stamp may stand for the bytes (`OwnedStamps.trusted`): publish copies these
  /// files and need not hash them again (issue 25).
  /// Hashed on two threads (the program has ended: both cores are free, and this is on the
  /// critical path); the records in the order of `DataInputs.files`.
  static func recordFigures(under root: String) -> ([DataInput], [String: OwnedStamps.Entry]) {
    let files = DataInputs.files(under: root)
    let records = RecordBox(count: files.count)
    DispatchQueue.concurrentPerform(iterations: min(2, files.count)) { part in
      for i in stride(from: part, to: files.count, by: 2) {
        records.set(i, record(files[i], in: root))
      }
    }
    var hashes: [String: OwnedStamps.Entry] = [:]
    var figures: [DataInput] = []
    for (relative, record) in zip(files, records.all) {
      guard let record else { continue }
      figures.append(record.input)
      hashes[relative] = record.hash
    }
    return (figures, hashes)
  }

  /// One figure file recorded, and its hash with its stamp when that may stand for the bytes.
  private static func record(_ relative: String, in root: String) -> (
    input: DataInput, hash: OwnedStamps.Entry?
  )? {
    let full = root + "/" + relative
    var before = stat()
    let start = OwnedStamps.now()
    let regular = lstat(full, &before) == 0 && before.st_mode & S_IFMT == S_IFREG
    guard let input = DataInput(path: relative, in: root) else { return nil }
    var after = stat()
    guard regular, let sha256 = input.sha256, lstat(full, &after) == 0,
      OwnedFile.stampOf(after) == OwnedFile.stampOf(before), OwnedStamps.trusted(before, since: start)
    else { return (input, nil) }
    return (input, OwnedStamps.Entry(sha256: sha256, stamp: OwnedFile.stampOf(before)))
  }
}

/// Results filled in by several threads, each at its own index.
private final class RecordBox: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [(input: DataInput, hash: OwnedStamps.Entry?)?]

  init(count: Int) { items = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ item: (input: DataInput, hash: OwnedStamps.Entry?)?) {
    lock.withLock { items[i] = item }
  }

  var all: [(input: DataInput, hash: OwnedStamps.Entry?)?] { lock.withLock { items } }
}

extension TangledProgram {
  /// Fence line of every block that has code in the program, read from the map's first segment.
  var fenceLines: [Int: Int] {
    var lines: [Int: Int] = [:]
    for s in map.segments {
      if let b = s.blockIndex, lines[b] == nil { lines[b] = s.notebookLine - 1 }
    }
    return lines
  }
}

/// Moves line numbers of a cached run from where the code stood then to where it stands now.
struct LineRelocation {
  var old: SourceMap
  var new: SourceMap
  var oldFences: [Int: Int]
  var newFences: [Int: Int]

  func line(_ l: Int) -> Int {
    for (o, n) in zip(old.segments, new.segments)
    where l >= o.notebookLine && l < o.notebookLine + o.lineCount {
      return n.notebookLine + (l - o.notebookLine)
    }
    for (block, fence) in oldFences where fence == l {
      if let now = newFences[block] { return now }
    }
    return l
  }

  func apply(_ result: RunResult, path: String) -> RunResult {
    var result = result
    func move(_ location: SourceLocation?) -> SourceLocation? {
      guard var location, location.file == path else { return location }
      location.line = line(location.line)
      return location
    }
    for (k, var block) in result.blocks {
      block.checks = block.checks.map { c in
        var c = c
        c.location = move(c.location) ?? c.location
        return c
      }
      if var failure = block.failure {
        failure.location = move(failure.location)
        block.failure = failure
      }
      result.blocks[k] = block
    }
    result.diagnostics = result.diagnostics.map { d in
      var d = d
      d.location = move(d.location)
      return d
    }
    return result
  }
}
