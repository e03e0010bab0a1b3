// The engine's child processes (swiftc, the notebook program, Chromium): the one file that starts
// them (through `CSpawn`), waits for them and kills them.
//
// Each child starts in a session (and so a process group) of its own, with an explicit
// environment, working folder and signal state, and its stdout and stderr on one pipe. Whatever it
// starts in turn stays in that session, even in a group of its own (Foundation's `Process` puts
// every child in a new group, so a notebook's `Process("sleep", "1000")` escapes a group kill), so
// a time limit, the end of the run and a Ctrl-C to `handout` end all of it: every process of the
// session is found in /proc and killed.
//
// What leaves the session (`setsid`, a double fork) and what outlives `handout` itself (even a
// SIGKILL) is the keeper's: each child runs under a keeper process (see `CSpawn.h`), a child
// subreaper that ends every descendant when the child ends or `handout` dies. One keeper per
// child rather than `handout` as the subreaper: the descendants of two notebooks running at once
// (or of swiftc and Chromium) never mix, and no process `handout` started itself can be taken for
// an orphan.
//
// Why not Foundation's `Process` or `posix_spawn`: neither can set a parent-death signal between
// fork and exec. Why not swift-subprocess (in the package mirror): its API is async-only, while
// the runner watches time limits from a plain thread per notebook, and a signal handler must reach
// every live child from outside any task.
import CSpawn
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a child process ended.
public enum Termination: Equatable, Sendable {
  /// `exit(code)` or the end of `main`.
  case exited(Int32)
  /// Killed by a signal (a trap is SIGILL or SIGTRAP, an out-of-memory kill SIGKILL).
  case signaled(Int32)
}

/// The live child process groups of one `handout` run and the scratch folders they work in, so
/// that SIGINT or SIGTERM to `handout` can end them all and clean up.
///
/// One is made per command (`RunOptions.reaper`); it is the only thing a signal handler touches.
public final class ProcessReaper: @unchecked Sendable {
  private let lock = NSLock()
  private var groups: Set<pid_t> = []
  private var folders: Set<String> = []
  private var stopping = false

  /// An empty reaper: no groups, no folders, not stopping.
  public init() {}

  func add(group: pid_t) -> Bool {
    lock.withLock {
      guard !stopping else { return false }
      groups.insert(group)
      return true
    }
  }

  func remove(group: pid_t) { _ = lock.withLock { groups.remove(group) } }
  func add(folder: String) { _ = lock.withLock { folders.insert(folder) } }
  func remove(folder: String) { _ = lock.withLock { folders.remove(folder) } }

  /// Whether `terminateAll` has begun: no new child may start.
  public var isStopping: Bool { lock.withLock { stopping } }

  /// Sends `signal` to every process of every live session, waits up to `grace` seconds for them
  /// to end, then kills what is left with SIGKILL, waits (at most a second) until their runners
  /// have reaped them, and removes the scratch folders. No child starts afterwards, and a runner
  /// leaves its scratch folder to this.
  public func terminateAll(signal: Int32 = SIGTERM, grace: Double = 2) {
    let live = lock.withLock {
      stopping = true
      return groups
    }
    for group in live { Session.signal(group, signal) }
    let deadline = Date().addingTimeInterval(grace)
    while Date() < deadline, lock.withLock({ !groups.isEmpty }) { usleep(10_000) }
    for group in lock.withLock({ groups }) { Session.kill(group) }
    let reaped = Date().addingTimeInterval(1)
    while Date() < reaped, lock.withLock({ !groups.isEmpty }) { usleep(10_000) }
    for folder in lock.withLock({ folders }) {
      // A process that was writing into it as it died can leave a file behind the first pass.
      for _ in 0..<3 where FileManager.default.fileExists(atPath: folder) {
        try? FileManager.default.removeItem(atPath: folder)
      }
    }
  }
}

/// Why a child could not start (`strerror`'s words).
struct SpawnFailure: Error {
  var reason: String
}

/// One running child in its own session, under its keeper; its stdout and stderr arrive on
/// `output`.
final class SpawnedProcess: @unchecked Sendable {
  /// The child's pid, which is also its session's and its group's id.
  let pid: pid_t
  /// The read end of the child's stdout+stderr pipe.
  let output: FileHandle
  private let reaper: ProcessReaper?
  private let exited = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var status: Int32?
  /// The keeper wrote the child's status: it had ended and reaped every descendant first.
  private var keeperReported = false

  /// Starts `executable` with exactly `environment`, in `directory`, stdin from /dev/null.
  ///
  /// Must be called on a thread that lives until the child has ended (the child's parent-death
  /// signal follows the thread that started it): every caller waits for the child where it started it.
  /// `name`: the program's `argv[0]` (by default `executable`). `contained`: its keeper is the init
  /// of a user and PID namespace of its own where the kernel allows it (`CSpawn.h`); the toolchain's
  /// keepers are plain forks.
  /// - Throws: `SpawnFailure` when it cannot start (missing, not executable, no processes left).
  init(
    executable: String, name: String? = nil, arguments: [String], environment: [String: String],
    directory: String?, contained: Bool = true, reaper: ProcessReaper?
  ) throws {
    var fds: [Int32] = [-1, -1]
    guard GNU.pipe2(&fds, O_CLOEXEC) == 0 else {
      throw SpawnFailure(reason: "no pipe: \(String(cString: strerror(errno)))")
    }
    let argv = ([name ?? executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var keeper: pid_t = 0
    var program: pid_t = 0
    var statusFD: Int32 = -1
    var started: Int32 = 0
    Strays.starting {
      started = argv.withUnsafeBufferPointer { args in
        envp.withUnsafeBufferPointer { env in
          cspawn_start(
            executable, args.baseAddress, env.baseAddress, directory, fds[1], contained ? 1 : 0, &keeper,
            &program, &statusFD)
        }
      }
      return started == 0 ? keeper : nil
    }
    close(fds[1])
    guard started == 0 else {
      close(fds[0])
      throw SpawnFailure(reason: String(cString: strerror(started)))
    }
    self.pid = program
    self.reaper = reaper
    output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
    if let reaper, !reaper.add(group: program) {
      Session.kill(program)
    }
    // The waiter reaps the keeper the moment it ends (after the child and everything it started);
    // the keeper has written the child's wait status, or nothing if it was killed itself.
    let (keeperPID, statusPipe) = (keeper, statusFD)
    let waiter = Thread { [self] in
      while waitpid(keeperPID, nil, 0) < 0 && errno == EINTR {}
      Strays.ended(keeperPID)
      var raw = SIGKILL
      let count = withUnsafeMutableBytes(of: &raw) { read(statusPipe, $0.baseAddress, $0.count) }
      let reported = count == MemoryLayout<Int32>.size
      if !reported { raw = SIGKILL }
      close(statusPipe)
      lock.withLock { (status, keeperReported) = (raw, reported) }
      exited.signal()
    }
    waiter.start()
  }

  /// Waits for the child to end, at most until `deadline`; true if it ended.
  func wait(until deadline: DispatchTime = .distantFuture) -> Bool {
    guard exited.wait(timeout: deadline) == .success else { return false }
    exited.signal()  // later waits return at once
    return true
  }

  /// How it ended; nil while it runs.
  var termination: Termination? {
    lock.withLock {
      guard let raw = status else { return nil }
      let signal = raw & 0x7f
      return signal == 0 ? .exited((raw >> 8) & 0xff) : .signaled(signal)
    }
  }

  /// Sends `signal` to the child's whole group (the child and everything it started).
  func signalGroup(_ signal: Int32) {
    kill(-pid, signal)
  }

  /// Ends whatever of the session is still running (the child has ended, or is ended now) and
  /// forgets it. Called once the run is over, however it ended.
  ///
  /// A child whose keeper reported its status left nothing: the keeper killed and reaped every
  /// descendant before it wrote the status. Only otherwise is the session searched in /proc (every
  /// process's `stat`, 2–5 ms, after each of a cold render's compile, link and run).
  func finish() {
    if !lock.withLock({ keeperReported }) {
      Session.kill(pid)
      // The keeper was killed: what its program detached is `handout`'s now (`Strays`).
      Strays.collect(after: pid)
    }
    _ = wait()
    reaper?.remove(group: pid)
  }
}

/// The processes of a session, found through /proc.
enum Session {
  /// Sends SIGKILL to every process of session `id` (the group first, then each member, so one
  /// that forks meanwhile is caught on the next pass), until none is left or after ten passes.
  static func kill(_ id: pid_t) {
    Glibc.kill(-id, SIGKILL)
    for _ in 0..<10 {
      let members = self.members(id)
      if members.isEmpty { return }
      for member in members { Glibc.kill(member, SIGKILL) }
    }
  }

  /// Sends `signal` to every live process of session `id`.
  static func signal(_ id: pid_t, _ signal: Int32) {
    Glibc.kill(-id, signal)
    for member in members(id) { Glibc.kill(member, signal) }
  }

  /// Live (not zombie) processes whose session is `id`.
  static func members(_ id: pid_t) -> [pid_t] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var result: [pid_t] = []
    for name in names {
      guard let pid = pid_t(name), let stat = FileManager.default.contents(atPath: "/proc/\(name)/stat")
      else { continue }
      // `pid (comm) state ppid pgrp session …`; comm may hold spaces and parentheses.
      guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { continue }
      let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
      guard fields.count > 3, fields[0].first != UInt8(ascii: "Z"),
        pid_t(String(decoding: fields[3], as: UTF8.self)) == id
      else { continue }
      result.append(pid)
    }
    return result
  }
}

/// glibc's GNU extensions that Swift's Glibc module does not show, looked up once by name.
private enum GNU {
  typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

  private static let pipe2Function = dlsym(nil, "pipe2").map {
    unsafeBitCast($0, to: Pipe2.self)
  }
  private static let spawnLock = NSLock()

  /// `pipe2(2)`; without it, `pipe` and `FD_CLOEXEC` under a lock that every spawn here takes, so no
  /// other child of ours inherits the pipe between the two calls.
  static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
    if let pipe2Function { return pipe2Function(fds, flags) }
    return spawnLock.withLock {
      guard pipe(fds) == 0 else { return -1 }
      _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
      _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
      return 0
    }
  }
}

/// A short-lived child whose output is wanted whole (swiftc). The notebook program itself runs
/// through `Runner`, which streams, caps and times out.
enum ChildProcess {
  struct Result {
    /// nil when the time limit ended it.
    var termination: Termination?
    var output: String

    var status: Int32 {
      switch termination {
      case .exited(let code): code
      case .signaled(let signal): 128 + signal
      case nil: -1
      }
    }
  }

  /// What the toolchain (the compiler, Clang, the linker) is given of `handout`'s environment:
  /// where to find programs and where temporary files go, nothing else. Every other variable
  /// the shell sets (`CPATH`, `LIBRARY_PATH`, `SDKROOT`, `SOURCE_DATE_EPOCH`, …) could change a
  /// compile without being in the run's cache key (a stale run replayed), or break every compile
  /// (`SOURCE_DATE_EPOCH` past 9999: "clang importer creation failed"). Where Clang's module cache
  /// in the home folder cannot be written, `XDG_CACHE_HOME` too (`ModuleCache`).
  static func toolEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    -> [String: String]
  {
    var tools = environment.filter { ["PATH", "TMPDIR"].contains($0.key) }
    if let cache = ModuleCache.fallback { tools["XDG_CACHE_HOME"] = cache }
    return tools
  }

  /// Runs `executable` to its end, or until `timeLimit` seconds have passed (then its group is
  /// killed and `termination` is nil). By default with the toolchain's environment.
  ///
  /// For the toolchain (the compiler, the linker and their drivers): its keeper is a plain fork, a
  /// subreaper with parent-death signals, without the namespaces of the notebook program's keeper
  /// (which guard against code that kills its keeper: the toolchain is not the notebook's code).
  /// Making, entering and tearing them down cost each compile, link and link plan 0.3–1 ms
  /// (bench/README.md, 53.).
  static func run(
    _ executable: String, _ arguments: [String],
    environment: [String: String] = toolEnvironment(), timeLimit: Double = .infinity,
    reaper: ProcessReaper? = nil
  ) throws -> Result {
    do {
      return try runOrFail(
        executable, arguments, environment: environment, timeLimit: timeLimit, contained: false,
        reaper: reaper)
    } catch {
      // Out of descriptors, processes or memory: the machine's or the shell's limit, not the toolchain.
      let limits = [EMFILE, ENFILE, EAGAIN, ENOMEM].map { String(cString: strerror($0)) }
      let advice =
        limits.contains(where: error.reason.contains)
        ? "a limit of this shell or machine was reached (open files: ulimit -n; processes: ulimit -u; "
          + "memory); raise it or end other programs, and render again"
        : "reinstall the Swift toolchain (swift.org/install) or point HANDOUT_SWIFTC at a working swiftc"
      throw HandoutError.toolchain("\(executable) could not start (\(error.reason)); \(advice)")
    }
  }

  /// `run`, for any program: throws `SpawnFailure` when it cannot start, for the caller to word.
  static func runOrFail(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
    timeLimit: Double = .infinity, contained: Bool = true, reaper: ProcessReaper? = nil
  ) throws(SpawnFailure) -> Result {
    let child: SpawnedProcess
    do {
      child = try SpawnedProcess(
        executable: executable, arguments: arguments, environment: environment, directory: directory,
        contained: contained, reaper: reaper)
    } catch let failure as SpawnFailure {
      throw failure
    } catch {
      throw SpawnFailure(reason: "\(error)")
    }
    let collected = Collected()
    let reader = Thread {
      collected.set(child.output.readDataToEndOfFile())
    }
    reader.start()
    let deadline: DispatchTime =
      timeLimit.isFinite ? .now() + .milliseconds(Int(timeLimit * 1000)) : .distantFuture
    let ended = child.wait(until: deadline)
    child.finish()
    // The group is gone, so the pipe's write ends are closed and the reader finishes.
    let data = collected.wait()
    return Result(termination: ended ? child.termination : nil, output: String(decoding: data, as: UTF8.self))
  }
}

/// Bytes read on another thread, handed over once.
private final class Collected: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var data = Data()

  func set(_ data: Data) {
    self.data = data
    done.signal()
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
