// Compiling a notebook program without the `swiftc` driver. On Linux `swiftc` plans three jobs and
// runs them: `swift-frontend -frontend -c` (the compile), `swift-autolink-extract` (the libraries
// the object asks for) and `clang` (the link). Planning took the driver 50–90 ms of CPU per cold
// render, and autolink-extract another 15 ms (a start of the 210 MB frontend binary to read 300
// bytes): a fifth of the compile. Handout runs the frontend and `clang` itself, with the arguments
// the driver gives them, and reads the object's autolink entries here. `DirectCompileTests` holds
// these arguments against `swiftc -###` and the entries against `swift-autolink-extract`, so a
// toolchain whose driver plans differently fails a test instead of compiling differently.
import Foundation

/// The toolchain around a `swiftc`, laid out as swift.org's Linux toolchains are: `usr/bin/` with
/// `swift-driver` (what `swiftc` links to), `swift-frontend` and `clang`, and the runtime in
/// `usr/lib/swift/linux/`.
struct DirectToolchain: Equatable, Sendable {
  /// `usr/bin/swift-frontend`.
  var frontend: String
  /// `usr/bin/clang`, the driver's link driver.
  var clang: String
  /// The toolchain's `usr`.
  var usr: String
  /// `x86_64` or `aarch64`: the host, which is the target.
  var architecture: String

  var triple: String { "\(architecture)-unknown-linux-gnu" }
  /// `usr/lib/swift/linux`: the runtime libraries, and `<arch>/swiftrt.o`.
  var runtimeLibraries: String { "\(usr)/lib/swift/linux" }

  /// The toolchain of `swiftc` when it is the driver of such a layout; nil otherwise (macOS, another
  /// architecture, a wrapper script, a partial install), and then `swiftc` itself is run.
  static func locate(swiftc: String) -> DirectToolchain? {
    #if os(Linux) && (arch(x86_64) || arch(arm64))
      #if arch(x86_64)
        let architecture = "x86_64"
      #else
        let architecture = "aarch64"
      #endif
      let driver = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath()
      guard driver.lastPathComponent == "swift-driver" else { return nil }
      let bin = driver.deletingLastPathComponent()
      let toolchain = DirectToolchain(
        frontend: bin.appendingPathComponent("swift-frontend").path,
        clang: bin.appendingPathComponent("clang").path, usr: bin.deletingLastPathComponent().path,
        architecture: architecture)
      let fm = FileManager.default
      guard fm.isExecutableFile(atPath: toolchain.frontend), fm.isExecutableFile(atPath: toolchain.clang),
        fm.fileExists(atPath: toolchain.swiftrt)
      else { return nil }
      return toolchain
    #else
      return nil
    #endif
  }

  var swiftrt: String { "\(runtimeLibraries)/\(architecture)/swiftrt.o" }

  /// The frontend job's arguments, in the driver's order (`swiftc -###` of `Compiler.arguments`).
  func frontendArguments(
    source: URL, object: URL, runtime: RuntimeLocation, options: CompileOptions, directory: String
  ) -> [String] {
    var args = [
      "-frontend", "-c", "-primary-file", source.path, "-target", triple, "-disable-objc-interop",
      "-I", "\(runtime.buildDirectory.path)/Modules",
    ]
    if let cairo = runtime.cairoModuleDirectory { args += ["-I", cairo.path] }
    if let shared = options.shared { args += ["-I", shared.directory.path] }
    args += [
      "-assert-config", "Debug", "-no-color-diagnostics", "-Xcc", "-fno-color-diagnostics",
      "-gline-tables-only", "-debug-info-format=dwarf", "-dwarf-version=4", "-suppress-warnings",
      "-swift-version", "5", options.optimize ? "-O" : "-Onone", "-diagnostic-style", "llvm",
      "-empty-abi-descriptor",
    ]
    if !options.optimize { args.append("-enable-anonymous-context-mangled-names") }
    args += [
      "-file-compilation-dir", directory, "-no-auto-bridging-header-chaining", "-module-name", "Notebook",
    ]
    let server = "\(usr)/lib/swift/host/libSwiftInProcPluginServer.so"
    if FileManager.default.fileExists(atPath: server) { args += ["-in-process-plugin-server-path", server] }
    args += [
      "-plugin-path", "\(usr)/lib/swift/host/plugins", "-plugin-path", "\(usr)/local/lib/swift/host/plugins",
    ]
    if options.optimize { args.append("-enable-default-cmo") }
    return args + ["-o", object.path]
  }

  /// The link job's arguments (after `clang`), in the driver's order, with the object's autolink
  /// entries where the driver puts its `@…autolink` response file.
  func linkArguments(
    object: URL, autolink: [String], output: URL, runtime: RuntimeLocation, options: CompileOptions,
    lld: Bool
  ) -> [String] {
    let build = runtime.buildDirectory.path
    let shared = options.shared?.directory.path
    var args = lld ? ["-fuse-ld=lld"] : []
    args += ["-pie", "-Xlinker", "--build-id", "-Xlinker", "-rpath", "-Xlinker", runtimeLibraries, swiftrt]
    args += [object.path] + autolink
    args += ["-L", runtimeLibraries, "-lswiftCore", options.optimize ? "-O3" : "-O0", "--target=\(triple)"]
    args += ["-L", build] + (shared.map { ["-L", $0] } ?? [])
    args += ["-lHandoutRuntime"] + (shared.map { _ in ["-l\(SharedModule.name)"] } ?? [])
    for dir in [build] + (shared.map { [$0] } ?? []) { args += ["-Xlinker", "-rpath", "-Xlinker", dir] }
    return args + ["-o", output.path]
  }

  /// Compiles `source` into the executable `output` as `swiftc` would, within `options.timeLimit`
  /// for both jobs together: what they printed, and how the one that ended the compile ended (nil
  /// when the time ran out). The object file is removed.
  func compile(
    source: URL, output: URL, runtime: RuntimeLocation, options: CompileOptions, lld: Bool,
    reaper: ProcessReaper?
  ) throws -> ChildProcess.Result {
    let started = DispatchTime.now()
    let object = output.deletingPathExtension().appendingPathExtension("o")
    defer { try? FileManager.default.removeItem(at: object) }
    let placeholder = output.deletingLastPathComponent().appendingPathComponent("link-plan.o")
    // The libraries the runtime loads are left to the loader (LoadedLibraries.swift).
    let loaded = LoadedLibraries.needed(byLibraryAt: runtime.library.path)
    let plan = LinkPlan(
      clang: clang,
      arguments: LoadedLibraries.link(
        linkArguments(
          object: placeholder, autolink: [LinkPlan.autolinkPlaceholder], output: output, runtime: runtime,
          options: options, lld: lld), without: loaded),
      placeholderObject: placeholder, reaper: reaper)
    let compiled = try ChildProcess.run(
      frontend,
      frontendArguments(
        source: source, object: object, runtime: runtime, options: options,
        directory: FileManager.default.currentDirectoryPath),
      timeLimit: options.timeLimit, reaper: reaper)
    guard compiled.status == 0 else { return compiled }
    let autolink: [String]
    do {
      autolink = LoadedLibraries.libraries(try AutolinkEntries.read(object: object), without: loaded)
    } catch {
      throw HandoutError.toolchain(
        "swift-frontend wrote an object Handout cannot read (\(object.path): \(error)); "
          + "reinstall the Swift toolchain (swift.org/install)")
    }
    // The linker as `clang` plans it (`LinkPlan`), else `clang` as the link driver.
    let (linker, arguments) =
      plan.command(object: object, autolink: autolink).map { ($0[0], Array($0.dropFirst())) }
      ?? (
        clang,
        LoadedLibraries.link(
          linkArguments(
            object: object, autolink: autolink, output: output, runtime: runtime, options: options, lld: lld),
          without: loaded)
      )
    let spent = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    let linked = try ChildProcess.run(
      linker, arguments, timeLimit: max(options.timeLimit - spent, 0.001), reaper: reaper)
    return ChildProcess.Result(termination: linked.termination, output: compiled.output + linked.output)
  }
}
