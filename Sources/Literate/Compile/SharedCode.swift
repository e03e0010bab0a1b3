// Shared course code: the `.swift` files in `_shared/` beside the notebooks, compiled once per
// run into a module `Shared` that every notebook of that folder imports (`@testable`, so its
// internal declarations need no `public`). Its content hash is part of each notebook's cache key:
// editing a shared file re-runs exactly the notebooks of that folder, and only those.
//
// Each file is compiled as `_shared/<name>.swift`, its path from the notebooks' folder, whatever
// path `handout` was given: its `#filePath` (a helper's own, or one it passes on) is the same when
// the course is rendered as `handout render notebooks` or as `handout render /home/…/notebooks`.
//
// Layout: `<cache>/shared-<sha256>/{libShared.so, Shared.swiftmodule, ok}`.
import Foundation

/// A compiled shared module, ready to link.
public struct SharedModule: Equatable, Sendable {
  /// The module's name in notebook code.
  public static let name = "Shared"
  /// Holds `libShared.so` and `Shared.swiftmodule`.
  public var directory: URL
}

/// What building a folder's shared code gave.
public enum SharedCodeBuild: Sendable {
  /// The folder has no `_shared/*.swift`.
  case none
  /// Compiled now, or found in the cache from an earlier run: link and import it.
  case built(SharedModule)
  /// Compile errors, located in the shared files themselves.
  case failed([Diagnostic])
}

/// The course's shared code (`_shared/*.swift` beside the notebooks): finding it, and compiling
/// it once per folder into the module `Shared`, cached by content (see the top of this file).
public enum SharedCode {
  /// The folder name, beside the notebooks.
  public static let folderName = "_shared"

  /// The `.swift` files of `<notebookFolder>/_shared`, sorted; empty when there are none.
  public static func sources(forNotebooksIn notebookFolder: String) -> [String] {
    let dir = (notebookFolder.isEmpty ? "." : notebookFolder) + "/" + folderName
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".swift") && !$0.hasPrefix(".") }.sorted().map { "\(dir)/\($0)" }
  }

  /// Compiles the shared code of the notebooks in `notebookFolder`, or finds it in the cache.
  /// - Throws: `HandoutError.toolchain` (no compiler, a compiler crash), `.output` (cache unwritable).
  public static func build(forNotebooksIn notebookFolder: String, options: RunOptions) throws
    -> SharedCodeBuild
  {
    let sources = sources(forNotebooksIn: notebookFolder)
    guard !sources.isEmpty else { return .none }
    var compile = options.compile
    compile.shared = nil
    var parts = [
      "handout-shared 2", try Compiler.identity(compile), options.runtime.identity,
      arguments(sources: [], output: URL(fileURLWithPath: "/x"), runtime: options.runtime, options: compile)
        .joined(separator: " "),
    ]
    for source in sources {
      guard let data = FileManager.default.contents(atPath: source) else {
        throw HandoutError.file(FileError(path: source, reason: "cannot read shared code", access: .read))
      }
      parts.append("file \(compiledName(of: source)) \(data.count)\n" + String(decoding: data, as: UTF8.self))
    }
    let key = SHA256.hex(parts.joined(separator: "\n\u{0}\n").utf8)
    let dir = options.cacheDirectory.appendingPathComponent("shared-\(key)", isDirectory: true)
      .standardizedFileURL
    let module = SharedModule(directory: dir)
    if FileManager.default.fileExists(atPath: dir.appendingPathComponent("ok").path) { return .built(module) }

    let cache = RunCache(root: options.cacheDirectory)
    let work = try cache.makeWorkDirectory().standardizedFileURL
    options.reaper?.add(folder: work.path)
    defer {
      try? FileManager.default.removeItem(at: work)
      options.reaper?.remove(folder: work.path)
    }
    let swiftc = try Compiler.swiftcPath(compile)
    let copies = try named(sources, in: work)
    let result = try ChildProcess.run(
      swiftc,
      arguments(
        sources: copies, output: work.appendingPathComponent(libraryFile), runtime: options.runtime,
        options: compile),
      timeLimit: compile.timeLimit, reaper: options.reaper)
    guard result.termination != nil else {
      return .failed([
        Diagnostic(
          .error,
          "compiling the shared code took longer than \(Runner.formatSeconds(compile.timeLimit)) s and was stopped",
          at: SourceLocation(file: sources[0], line: 1))
      ])
    }
    if result.status != 0 {
      let errors = diagnostics(result.output, sources: sources)
      guard !errors.isEmpty else {
        throw HandoutError.toolchain(
          "swiftc failed on the shared code in \(notebookFolder)/\(folderName) without naming a line (exit \(result.status)): "
            + String(result.output.suffix(2000)))
      }
      return .failed(errors)
    }
    try? FileManager.default.createDirectory(
      at: work.appendingPathComponent("ok"), withIntermediateDirectories: true)
    do {
      try FileManager.default.moveItem(at: work, to: dir)
    } catch {
      // Another `handout` stored the same module meanwhile: theirs is as good.
      guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("ok").path) else {
        throw HandoutError.file(
          FileError(path: dir.path, reason: FileError.reason(of: error, at: dir.path), access: .write))
      }
    }
    return .built(module)
  }

  /// The name a shared file is compiled as: `_shared/<name>.swift`.
  static func compiledName(of source: String) -> String {
    folderName + "/" + URL(fileURLWithPath: source).lastPathComponent
  }

  /// A copy of each source in `work`, its first line a `#sourceLocation` that names it as
  /// `compiledName(of:)` says (its lines as they are); the copies' paths.
  static func named(_ sources: [String], in work: URL) throws -> [String] {
    let folder = work.appendingPathComponent("sources", isDirectory: true)
    return try sources.map { source in
      let name = compiledName(of: source)
      let copy = folder.appendingPathComponent(URL(fileURLWithPath: source).lastPathComponent)
      do {
        let text = try Files.read(URL(fileURLWithPath: source))
        try Files.write(
          Data("#sourceLocation(file: \"\(TangledProgram.literal(name))\", line: 1)\n".utf8) + text,
          to: copy)
      } catch {
        throw HandoutError.file(FileError(path: source, reason: FileError.reason(of: error, at: source)))
      }
      return copy.path
    }
  }

  #if os(macOS)
    static let libraryFile = "libShared.dylib"
  #else
    static let libraryFile = "libShared.so"
  #endif

  /// swiftc's arguments for the shared library and its module, with the notebook's own flags.
  static func arguments(sources: [String], output: URL, runtime: RuntimeLocation, options: CompileOptions)
    -> [String]
  {
    let dir = output.deletingLastPathComponent().path
    let notebook = Compiler.arguments(
      source: URL(fileURLWithPath: "/x.swift"), output: URL(fileURLWithPath: "/x"), runtime: runtime,
      options: options)
    // The notebook's flags without its module name, source and output.
    var args: [String] = []
    var i = 0
    while i < notebook.count {
      if ["-module-name", "-o"].contains(notebook[i]) {
        i += 2
        continue
      }
      if notebook[i] != "/x.swift" { args.append(notebook[i]) }
      i += 1
    }
    return args + [
      "-module-name", SharedModule.name, "-parse-as-library", "-enable-testing", "-emit-library",
      "-emit-module", "-emit-module-path", "\(dir)/\(SharedModule.name).swiftmodule",
    ] + sources + ["-o", output.path]
  }

  /// The compiler's errors (with their notes) in the shared files, each at the file's path as
  /// `handout` was given it (swiftc names it as `compiledName(of:)` says).
  static func diagnostics(_ output: String, sources: [String]) -> [Diagnostic] {
    var paths: [String: String] = [:]
    for source in sources {
      paths[TangledProgram.literal(compiledName(of: source))] = source
      paths[source] = source
      paths[URL(fileURLWithPath: source).standardizedFileURL.path] = source
    }
    var result: [Diagnostic] = []
    for line in output.split(separator: "\n") {
      guard var d = Compiler.parseDiagnosticLine(String(line)), let file = d.location?.file,
        let source = paths[file]
      else { continue }
      d.location?.file = source
      switch d.severity {
      case .error:
        if !result.contains(d) { result.append(d) }
      case .note:
        if var last = result.popLast() {
          last.notes.append(d)
          result.append(last)
        }
      case .warning: continue
      }
    }
    return result
  }
}
