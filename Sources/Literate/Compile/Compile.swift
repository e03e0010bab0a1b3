// Stage 3, compile: the tangled program → an executable linked against libHandoutRuntime.
import Foundation

/// Where the notebook runtime was built: `libHandoutRuntime.so` and `Modules/` (the Swift modules
/// `Neural`, `RCompat`, `Plot`, `HandoutKit`), plus the folder holding CCairo's module map, which a client of
/// the non-resilient `Plot` module must see too.
public struct RuntimeLocation: Equatable, Sendable {
  /// The folder holding the library and `Modules/` (`.build/debug`, or `lib/handout` installed).
  public var buildDirectory: URL
  /// The folder holding CCairo's `module.modulemap`; nil when none was found, and then no `-I`
  /// is passed for it.
  public var cairoModuleDirectory: URL?

  #if os(macOS)
    static let libraryFile = "libHandoutRuntime.dylib"
  #else
    static let libraryFile = "libHandoutRuntime.so"
  #endif

  /// `libHandoutRuntime.so` (`.dylib` on macOS) in `buildDirectory`; `locate` checked it exists,
  /// `init` does not.
  public var library: URL { buildDirectory.appendingPathComponent(Self.libraryFile) }

  /// A location as given, without checks; `locate` finds and checks one.
  public init(buildDirectory: URL, cairoModuleDirectory: URL?) {
    self.buildDirectory = buildDirectory
    self.cairoModuleDirectory = cairoModuleDirectory
  }

  /// Finds the runtime: `explicit` (`--runtime DIR`), else `$HANDOUT_RUNTIME`, else the folder
  /// of the running executable (`handout` and the test bundle sit next to the library in
  /// `.build/<config>/`), else `../lib/handout` from it (an installed Handout, `make install`).
  public static func locate(
    explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    throws -> RuntimeLocation
  {
    var candidates: [URL] = []
    if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
    if let env = environment["HANDOUT_RUNTIME"], !env.isEmpty { candidates.append(URL(fileURLWithPath: env)) }
    if explicit == nil, let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
      candidates.append(exe.deletingLastPathComponent())
      candidates.append(exe.deletingLastPathComponent().appendingPathComponent("../lib/handout"))
    }
    for dir in candidates {
      let dir = dir.standardizedFileURL
      let fm = FileManager.default
      guard fm.fileExists(atPath: dir.appendingPathComponent(libraryFile).path),
        fm.fileExists(atPath: dir.appendingPathComponent("Modules/HandoutKit.swiftmodule").path)
      else { continue }
      return RuntimeLocation(buildDirectory: dir, cairoModuleDirectory: findCairoModuleMap(from: dir))
    }
    throw HandoutError.runtimeMissing(searched: candidates.map(\.path))
  }

  /// `CCairo/` inside the runtime folder (an installed Handout), else `Sources/CCairo` of the
  /// package the build folder belongs to (searched upwards).
  static func findCairoModuleMap(from dir: URL) -> URL? {
    let installed = dir.appendingPathComponent("CCairo")
    if FileManager.default.fileExists(atPath: installed.appendingPathComponent("module.modulemap").path) {
      return installed
    }
    var d = dir
    for _ in 0..<8 {
      let candidate = d.appendingPathComponent("Sources/CCairo")
      if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("module.modulemap").path) {
        return candidate
      }
      d = d.deletingLastPathComponent()
    }
    return nil
  }

  /// Changes whenever the runtime is rebuilt: path, size and modification time of the library.
  public var identity: String {
    "\(library.path) \(FileStamp(library.path)?.description ?? "unreadable")"
  }
}

/// How the notebook program is compiled.
public struct CompileOptions: Equatable, Sendable {
  /// `-O` instead of `-Onone`. Off by default: measured on the single-neuron notebook (10 000
  /// epochs), a check takes 2.7 s unoptimised and 4.5 s optimised, because compiling costs more
  /// than the loop saves (the heavy kernels live in the runtime library, compiled by SwiftPM);
  /// and only unoptimised code keeps the frame chain the crash backtracer needs to name the
  /// notebook line of a trap. Turn it on for notebooks with long hand-written loops.
  public var optimize: Bool
  /// The compiler; `$HANDOUT_SWIFTC`, else `swiftc` on `PATH`.
  public var swiftc: String?
  /// Seconds the compile may take (120): a notebook compiles in one or two, but one of
  /// thousands of blocks, or one that makes the type checker search, could take many minutes.
  public var timeLimit: Double
  /// The course's shared code for this notebook's folder (`SharedCode`), linked and imported.
  public var shared: SharedModule?

  /// Options; by default `-Onone`, `$HANDOUT_SWIFTC` else `swiftc` on `PATH`, 120 s, no shared
  /// code.
  public init(
    optimize: Bool = false, swiftc: String? = nil, timeLimit: Double = 120, shared: SharedModule? = nil
  ) {
    self.optimize = optimize
    self.swiftc = swiftc
    self.timeLimit = timeLimit
    self.shared = shared
  }
}

/// Stage 3: compiles a tangled program with `swiftc`'s flags (on Linux running the driver's jobs
/// itself, see `DirectToolchain`). The one place that knows the flags and reads the compiler's
/// diagnostics back into notebook places.
/// A notebook program compiled: the executable and where its lines came from in the notebook.
public struct CompiledProgram: Sendable {
  /// The executable, linked against `libHandoutRuntime` (and the course's shared module).
  public var binary: URL
  /// The tangled program's map from generated lines to notebook lines.
  public var map: SourceMap
}

/// What compiling a notebook program gave.
public enum Compilation: Sendable {
  /// It compiled.
  case compiled(CompiledProgram)
  /// The compiler's errors, each at its notebook line and column (never empty).
  case failed([Diagnostic])

  /// The errors; empty when it compiled.
  public var errors: [Diagnostic] {
    if case .failed(let errors) = self { errors } else { [] }
  }
}

/// The compile stage: which `swiftc`, its identity for the cache key, its arguments, and the
/// compile of a tangled program into a `CompiledProgram` or located errors.
public enum Compiler {
  /// The `swiftc` executable to run, or a `.toolchain` error saying what to install.
  public static func swiftcPath(_ options: CompileOptions) throws -> String {
    let name = options.swiftc ?? ProcessInfo.processInfo.environment["HANDOUT_SWIFTC"] ?? "swiftc"
    if name.contains("/") {
      guard FileManager.default.isExecutableFile(atPath: name) else {
        throw HandoutError.toolchain(
          "the Swift compiler \(name) is missing or not executable; install the Swift toolchain (swift.org/install) or point HANDOUT_SWIFTC at swiftc"
        )
      }
      return name
    }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let path = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw HandoutError.toolchain(
      "\(name) was not found on PATH; install the Swift toolchain (swift.org/install) or set HANDOUT_SWIFTC")
  }

  /// Which compiler this is, for the cache key, without starting it: the resolved `swiftc`
  /// binary and the `swift-frontend` beside it, each as path, size and modification time.
  /// (Asking `swiftc --version` started the driver and the frontend: 0.4 s, a seventh of a cold
  /// render.) A reinstalled or updated toolchain changes a size or a time, and so the key.
  public static func identity(_ options: CompileOptions) throws -> String {
    let path = try swiftcPath(options)
    let real = URL(fileURLWithPath: path).resolvingSymlinksInPath()
    let frontend = real.deletingLastPathComponent().appendingPathComponent("swift-frontend")
    var lines = ["swiftc \(path)"]
    for file in [real, frontend.resolvingSymlinksInPath()] {
      lines.append("\(file.path) \(FileStamp(file.path)?.description ?? "unreadable")")
    }
    return lines.joined(separator: "\n")
  }

  /// Whether the toolchain of `swiftc` has LLVM's linker beside it (`ld.lld`): it links a notebook
  /// program in 0.12 s where gold, the driver's default on Linux, takes 0.2–0.3 s.
  static func hasLLD(swiftc: String) -> Bool {
    #if os(Linux)
      let dir = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().deletingLastPathComponent()
      return FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("ld.lld").path)
    #else
      return false
    #endif
  }

  /// The arguments after `swiftc`.
  public static func arguments(
    source: URL, output: URL, runtime: RuntimeLocation, options: CompileOptions, lld: Bool = false
  )
    -> [String]
  {
    let build = runtime.buildDirectory.path
    var args = [
      // -assert-config Debug keeps the stdlib's trap messages ("Fatal error: Index out of range")
      // and `assert` in optimised code. Line tables give the backtracer the notebook lines; full
      // -g also emits and wraps a module for a debugger, half a second of every cold render.
      "-swift-version", "5", "-gline-tables-only", options.optimize ? "-O" : "-Onone", "-assert-config",
      "Debug",
      "-suppress-warnings",
      // One `file:line:col: note: …` line per note (the default style draws notes into a snippet).
      "-diagnostic-style", "llvm",
      "-module-name", "Notebook",
      "-I", "\(build)/Modules", "-L", build, "-lHandoutRuntime",
      "-Xlinker", "-rpath", "-Xlinker", build,
    ]
    if lld { args.append("-use-ld=lld") }
    if let cairo = runtime.cairoModuleDirectory { args += ["-I", cairo.path] }
    if let shared = options.shared {
      let dir = shared.directory.path
      args += ["-I", dir, "-L", dir, "-l\(SharedModule.name)", "-Xlinker", "-rpath", "-Xlinker", dir]
    }
    args += [source.path, "-o", output.path]
    return args
  }

  /// Compiles `program` into the executable `output`: the compiled program, or the compiler's
  /// errors as notebook diagnostics (a compile that ran past `options.timeLimit` is an error at the
  /// notebook's first line).
  /// - Throws: `HandoutError.toolchain` when the compiler could not run, or failed without
  ///   saying anything about the notebook (a crash, a linker that could not write on a full
  ///   disk): that is not the notebook's error, so it must not be reported as one.
  public static func compile(
    _ program: TangledProgram, notebook: Notebook, runtime: RuntimeLocation, options: CompileOptions,
    output: URL, reaper: ProcessReaper? = nil
  ) throws -> Compilation {
    let source = output.deletingPathExtension().appendingPathExtension("swift")
    do {
      try Files.write(Data(program.source.utf8), to: source)
    } catch {
      throw HandoutError.file(
        FileError(path: source.path, reason: FileError.reason(of: error, at: source.path), access: .write))
    }
    let swiftc = try swiftcPath(options)
    let lld = hasLLD(swiftc: swiftc)
    // The driver's jobs run by Handout where the toolchain is laid out as expected (DirectCompile.swift).
    let result =
      try DirectToolchain.locate(swiftc: swiftc)?.compile(
        source: source, output: output, runtime: runtime, options: options, lld: lld, reaper: reaper)
      ?? ChildProcess.run(
        swiftc, arguments(source: source, output: output, runtime: runtime, options: options, lld: lld),
        timeLimit: options.timeLimit, reaper: reaper)
    guard result.termination != nil else {
      return .failed([
        Diagnostic(
          .error,
          "compiling the notebook took longer than \(Runner.formatSeconds(options.timeLimit)) s and was stopped; "
            + "split the notebook, or move long code into shared files",
          at: SourceLocation(file: notebook.path, line: 1))
      ])
    }
    if result.status == 0 && FileManager.default.isExecutableFile(atPath: output.path) {
      return .compiled(CompiledProgram(binary: output, map: program.map))
    }
    let diagnostics = parseDiagnostics(
      result.output, notebook: notebook, program: program, generatedFile: source.path)
    if diagnostics.isEmpty { throw HandoutError.toolchain(failure(result, notebook: notebook.path)) }
    return .failed(diagnostics)
  }

  /// What a compile that failed without an error in the notebook says (a full disk: the linker's
  /// own line). One stopped by the file-size limit (`ulimit -f`: SIGXFSZ, or EFBIG) says that in one
  /// line: swiftc's crash report and backtrace (a page of it) are about the compiler, not at fault.
  static func failure(_ result: ChildProcess.Result, notebook path: String) -> String {
    let text = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    let signal: Int32? =
      switch result.termination {
      case .signaled(let s): s
      default: nil
      }
    if signal == SIGXFSZ || text.contains("signal \(SIGXFSZ)")
      || text.contains(String(cString: strerror(EFBIG)))
    {
      return "swiftc could not write the program of \(path): the file-size limit (ulimit -f) stopped it; "
        + "raise it (ulimit -f unlimited) and render again"
    }
    return "swiftc failed on \(path) without an error in the notebook (exit \(result.status)"
      + (signal.map { ", \(Runner.signalName($0))" } ?? "")
      + "): \(text.isEmpty ? "no message" : String(text.suffix(2000)))"
  }

  /// `file:line:col: error: message` lines of swiftc's output (`-diagnostic-style llvm`), as
  /// notebook diagnostics, each with the `note:` lines that follow it. Places in the generated
  /// program (glue, should not happen) are mapped back through the source map when possible.
  /// Only lines naming the notebook, the generated program or another absolute path are
  /// diagnostics: the source lines swiftc echoes below each may look like one.
  static func parseDiagnostics(
    _ output: String, notebook: Notebook, program: TangledProgram, generatedFile: String
  )
    -> [Diagnostic]
  {
    let generatedName = URL(fileURLWithPath: generatedFile).lastPathComponent
    func mapped(_ location: SourceLocation) -> SourceLocation {
      guard
        location.file == generatedFile
          || URL(fileURLWithPath: location.file).lastPathComponent == generatedName
      else { return location }
      if let line = program.map.notebookLine(forGeneratedLine: location.line) {
        return SourceLocation(file: notebook.path, line: line, column: location.column)
      }
      return SourceLocation(file: notebook.path, line: 1)
    }
    var result: [Diagnostic] = []
    /// Whether the last header was an error that was kept (its notes follow it).
    var inError = false
    // swiftc names the notebook by its `#sourceLocation` literal as written (its file name,
    // `c\\d.md` for `c\d.md`, `\u{a}` for a newline): that name, where a line starts with it and
    // a colon, stands as one token (it may hold a colon itself) and means the notebook. Only there:
    // a short name (`a.md`) may stand in a message, or end another file's path (`data.md`).
    let token = "\u{0}notebook\u{0}"
    let names = Set([TangledProgram.sourceName(of: notebook.path), notebook.path]).filter { !$0.isEmpty }
      .sorted { $0.count > $1.count }
    let named = output.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      guard let name = names.first(where: { line.hasPrefix($0 + ":") }) else { return String(line) }
      return token + line.dropFirst(name.count)
    }.joined(separator: "\n")
    for line in named.split(separator: "\n") {
      guard var parsed = parseDiagnosticLine(String(line)) else { continue }
      if let file = parsed.location?.file {
        parsed.location?.file = file.replacingOccurrences(of: token, with: notebook.path)
      }
      parsed.message = parsed.message.replacingOccurrences(of: token, with: notebook.path)
      guard let location = parsed.location,
        location.file == notebook.path || location.file == generatedFile || location.file.hasPrefix("/")
      else { continue }
      switch parsed.severity {
      case .error:
        let d = Diagnostic(.error, parsed.message, at: mapped(location))
        inError = !result.contains { $0.location == d.location && $0.message == d.message }
        if inError { result.append(d) }
      case .note:
        guard inError, !result.isEmpty else { continue }
        let note = Diagnostic(.note, parsed.message, at: mapped(location))
        if !result[result.count - 1].notes.contains(note) { result[result.count - 1].notes.append(note) }
      case .warning:
        inError = false
      }
    }
    return result
  }

  /// Parses `path:line:col: severity: message` (the first `: severity: ` of the line ends the place).
  static func parseDiagnosticLine(_ line: String) -> Diagnostic? {
    let marks = [Diagnostic.Severity.error, .warning, .note].compactMap { severity in
      line.range(of: ": \(severity.rawValue): ").map { (severity, $0) }
    }
    guard let (severity, range) = marks.min(by: { $0.1.lowerBound < $1.1.lowerBound }) else { return nil }
    let head = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
    guard head.count >= 3, let l = Int(head[head.count - 2]), let c = Int(head[head.count - 1]) else {
      return nil
    }
    let file = head.dropLast(2).joined(separator: ":")
    return Diagnostic(
      severity, String(line[range.upperBound...]), at: SourceLocation(file: file, line: l, column: c))
  }
}
