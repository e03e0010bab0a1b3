// The notebook's compiler started before its program exists. `swift-frontend` spends ~20 ms
// starting (loading and relocating its 210 MB binary, LLVM's set-up) before it opens its source, and
// a cold render's `handout` spends ~35 ms before it has a program to give it (start-up, parse,
// tangle, the run's key). On a render whose cache holds no run, the frontend is started at once on
// a named pipe where the source will be, with the arguments the compile will use; the compile
// writes the program into the pipe. Whatever it is given, the frontend opens its source once and
// reads it to its end, so the object is byte for byte a regular file's (bench/README.md, 55.).
import Foundation

/// One frontend started ahead, in the run folder it will compile in; taken once by the first
/// compile of `notebook`, or discarded.
final class FrontendAhead: @unchecked Sendable {
  /// The notebook whose compile takes it.
  let notebook: String
  /// The run's folder (`RunCache.makeWorkDirectory`), holding the named pipe `program.swift`.
  let work: URL
  /// The frontend's arguments; the compile takes it only when it would run the same.
  let arguments: [String]
  let started: ChildProcess.Started
  private let reaper: ProcessReaper?
  private let lock = NSLock()
  private var taken = false
  /// A compile fed it or abandoned it: it has ended and been waited for.
  private var used = false

  /// How many compiles fed a frontend started ahead (tests count them).
  static let fed = LoadCounter()

  var source: URL { work.appendingPathComponent(RunCache.binaryName + ".swift") }

  private init(
    notebook: String, work: URL, arguments: [String], started: ChildProcess.Started, reaper: ProcessReaper?
  ) {
    (self.notebook, self.work, self.arguments, self.started, self.reaper) =
      (notebook, work, arguments, started, reaper)
  }

  /// Starts the frontend for `notebook` when its compile is certain enough: the run cache holds no
  /// run at all (`--fresh` too), and the toolchain is one `DirectToolchain` runs. nil otherwise, or
  /// when anything fails (the compile then starts its frontend as before). Called on a thread that
  /// lives until the frontend has ended (the render's).
  static func start(notebook: String, options: RunOptions) -> FrontendAhead? {
    guard !options.cachedOnly, !options.useCache || !RunCache(root: options.cacheDirectory).holdsRuns,
      let swiftc = try? Compiler.swiftcPath(options.compile),
      let toolchain = DirectToolchain.locate(swiftc: swiftc),
      let work = try? RunCache(root: options.cacheDirectory).makeWorkDirectory()
    else { return nil }
    options.reaper?.add(folder: work.path)
    let source = work.appendingPathComponent(RunCache.binaryName + ".swift")
    let arguments = toolchain.frontendArguments(
      source: source, object: source.deletingPathExtension().appendingPathExtension("o"),
      runtime: options.runtime, options: options.compile, directory: FileManager.default.currentDirectoryPath)
    guard mkfifo(source.path, 0o600) == 0,
      let started = try? ChildProcess.start(
        toolchain.frontend, arguments, environment: ChildProcess.toolEnvironment(), contained: false,
        reaper: options.reaper)
    else {
      try? FileManager.default.removeItem(at: work)
      options.reaper?.remove(folder: work.path)
      return nil
    }
    return FrontendAhead(
      notebook: notebook, work: work, arguments: arguments, started: started, reaper: options.reaper)
  }

  /// Itself, the first time it is asked for `path`'s compile.
  func take(for path: String) -> FrontendAhead? {
    lock.withLock {
      guard path == notebook, !taken else { return nil }
      taken = true
      return self
    }
  }

  /// Gives the frontend `text` as its source and waits for it to end, at most `timeLimit` seconds;
  /// then `program.swift` is a regular file with `text`, as a compile without it leaves it.
  func compile(_ text: Data, timeLimit: Double) throws -> ChildProcess.Result {
    lock.withLock { used = true }
    let fed = DispatchSemaphore(value: 0)
    let path = source.path
    // Opening a named pipe to write waits until the frontend opens it to read.
    let writer = Thread {
      // A frontend that ended unread makes `write` fail with EPIPE, not stop the process: SIGPIPE,
      // sent to this thread, stays pending on it and goes with it (whoever embeds `Literate`).
      var pipeSignal = sigset_t()
      sigemptyset(&pipeSignal)
      sigaddset(&pipeSignal, SIGPIPE)
      pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
      let fd = open(path, O_WRONLY | O_CLOEXEC)
      if fd >= 0 {
        text.withUnsafeBytes { bytes in
          var done = 0
          while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }  // the frontend ended (EPIPE)
            done += n
          }
        }
        close(fd)
      }
      fed.signal()
    }
    writer.start()
    let result = started.finish(timeLimit: timeLimit)
    // A frontend that ended without opening the pipe leaves the writer waiting in `open`: a reader
    // opened and closed here lets it through (to EPIPE).
    while fed.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
      let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
      if fd >= 0 { close(fd) }
    }
    Self.fed.increment()
    try replacePipe(with: text)
    return result
  }

  /// Ends the frontend unused and leaves `text` in `program.swift`, for a compile that runs its own.
  func abandon(writing text: Data) throws {
    lock.withLock { used = true }
    started.child.signalGroup(SIGKILL)
    _ = started.finish()
    try replacePipe(with: text)
  }

  private func replacePipe(with text: Data) throws {
    unlink(source.path)
    do {
      try Files.write(text, to: source)
    } catch {
      throw HandoutError.file(
        FileError(path: source.path, reason: FileError.reason(of: error, at: source.path), access: .write))
    }
  }

  /// Ends the frontend unless a compile used it, and removes its folder unless a compile took it
  /// (the run's own cleanup removes it then). Called when the render's runs are over.
  func discard() {
    let (wasTaken, wasUsed) = lock.withLock { () -> (Bool, Bool) in
      defer { (taken, used) = (true, true) }
      return (taken, used)
    }
    if !wasUsed {
      started.child.signalGroup(SIGKILL)
      _ = started.finish()
    }
    if !wasTaken {
      try? FileManager.default.removeItem(at: work)
      reaper?.remove(folder: work.path)
    }
  }

}
