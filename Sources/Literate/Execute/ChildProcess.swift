// The engine's child processes (swiftc and the notebook program): the one file that calls
// posix_spawn, waitpid and kill.
//
// Each child starts in a session (and so a process group) of its own, with an explicit
// environment, working folder and signal state, and its stdout and stderr on one pipe. Whatever it
// starts in turn stays in that session, even in a group of its own (Foundation's `Process` puts
// every child in a new group, so a notebook's `Process("sleep", "1000")` escapes a group kill), so
// a time limit, the end of the run and a Ctrl-C to `handout` end all of it: every process of the
// session is found in /proc and killed.
//
// Why not Foundation's `Process`: it puts the child in a new group but not a new session, cannot
// reset ignored signals, and its children outlived `handout`. Why not swift-subprocess (in the
// package mirror): its API is async-only, while the runner watches time limits from a plain thread
// per notebook, and a signal handler must reach every live child from outside any task.
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

/// One running child in its own process group; its stdout and stderr arrive on `output`.
final class SpawnedProcess: @unchecked Sendable {
  let pid: pid_t
  /// The read end of the child's stdout+stderr pipe.
  let output: FileHandle
  private let reaper: ProcessReaper?
  private let exited = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var status: Int32?

  /// Starts `executable` with exactly `environment`, in `directory`, stdin from /dev/null.
  /// - Throws: `SpawnFailure` when it cannot start (missing, not executable, no processes left).
  init(
    executable: String, arguments: [String], environment: [String: String], directory: String?,
    reaper: ProcessReaper?
  ) throws {
    var fds: [Int32] = [-1, -1]
    guard GNU.pipe2(&fds, O_CLOEXEC) == 0 else {
      throw SpawnFailure(reason: "no pipe: \(String(cString: strerror(errno)))")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    if let directory {
      guard GNU.addChdir(&actions, directory) == 0 else {
        close(fds[0])
        close(fds[1])
        throw SpawnFailure(reason: "this C library cannot start a program in \(directory)")
      }
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A group of its own; every signal at its default (a SIGTERM that `handout` ignores while it
    // shuts down would otherwise be ignored by the child too) and none blocked.
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    // glibc's POSIX_SPAWN_SETSID (2.26), which Swift's Glibc module does not show: a new session,
    // and in it a new group, both with the child's pid as their id.
    let setsid: Int32 = 0x80
    posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var spawned: pid_t = 0
    let started = posix_spawn(&spawned, executable, &actions, &attributes, argv, envp)
    let pid = spawned
    close(fds[1])
    guard started == 0 else {
      close(fds[0])
      throw SpawnFailure(reason: String(cString: strerror(started)))
    }
    self.pid = pid
    self.reaper = reaper
    output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
    if let reaper, !reaper.add(group: pid) {
      Session.kill(pid)
    }
    // The waiter reaps the child the moment it ends; `wait` wakes on that.
    let waiter = Thread { [self] in
      var raw: Int32 = 0
      while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
      lock.withLock { status = raw }
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
  func finish() {
    Session.kill(pid)
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
  typealias AddChdir =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

  private static let pipe2Function = dlsym(nil, "pipe2").map {
    unsafeBitCast($0, to: Pipe2.self)
  }
  private static let addChdirFunction = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
    .map { unsafeBitCast($0, to: AddChdir.self) }
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

  /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29); -1 when the C library lacks it.
  static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
    guard let addChdirFunction else { return -1 }
    return addChdirFunction(actions, path)
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

  /// Runs `executable` to its end, or until `timeLimit` seconds have passed (then its group is
  /// killed and `termination` is nil).
  static func run(
    _ executable: String, _ arguments: [String],
    environment: [String: String] = ProcessInfo.processInfo
      .environment, timeLimit: Double = .infinity, reaper: ProcessReaper? = nil
  ) throws -> Result {
    do {
      return try runOrFail(
        executable, arguments, environment: environment, timeLimit: timeLimit, reaper: reaper)
    } catch {
      throw HandoutError.toolchain(
        "\(executable) could not start (\(error.reason)); reinstall the Swift toolchain (swift.org/install) or point HANDOUT_SWIFTC at a working swiftc"
      )
    }
  }

  /// `run`, for any program: throws `SpawnFailure` when it cannot start, for the caller to word.
  static func runOrFail(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
    timeLimit: Double = .infinity, reaper: ProcessReaper? = nil
  ) throws(SpawnFailure) -> Result {
    let child: SpawnedProcess
    do {
      child = try SpawnedProcess(
        executable: executable, arguments: arguments, environment: environment, directory: directory,
        reaper: reaper)
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
