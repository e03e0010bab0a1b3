import Foundation
import XCTest

/// One change a `handout` process makes to the file system, found by tracing it with strace: the
/// `ordinal`-th call of `syscall` by its main thread (strace counts each system call and each
/// thread apart), and the call as traced with its fds' paths, run-specific names blanked.
struct CrashPoint: CustomStringConvertible {
  var syscall: String
  var ordinal: Int
  var call: String
  var description: String { "before \(syscall) #\(ordinal): \(call)" }
}

/// Stops a real `handout` at chosen changes to the file system: strace kills it (or fails the
/// call) on entering the `ordinal`-th call of a system call by its main thread, where every write
/// of render, publish and `check --update` happens. Child processes (the compiler, the notebook
/// program, Chromium) are not traced, so they are never what is stopped. The same process in the
/// same folders makes the same calls in the same order, so the same points are stopped every run;
/// each stop is checked against the call it meant to stop.
enum CrashPoints {
  /// The calls that change files: every one is a point (an `openat` only with `O_CREAT`). Not
  /// `write`: every file is written whole under a staging or temporary name that nothing reads,
  /// then renamed into place, so a stop at a write leaves what a stop at the `openat` that made
  /// the file leaves; and the main thread's count of writes varies from run to run (Dispatch wakes
  /// its threads by writing to an eventfd), so a write could not be stopped at the same point.
  static let changes = [
    "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "unlink", "unlinkat",
    "mkdir",
    "mkdirat", "rmdir", "openat", "creat", "truncate", "ftruncate", "fchmod", "chmod", "fchmodat", "fchown",
    "chown", "utimensat", "fsync",
  ]

  /// strace, which the Makefile installs for the tests; under CI=true its absence fails the test.
  static func strace() throws -> URL {
    for path in ["/usr/bin/strace", "/bin/strace"] where FileManager.default.isExecutableFile(atPath: path) {
      return URL(fileURLWithPath: path)
    }
    if ProcessInfo.processInfo.environment["CI"] == "true" {
      XCTFail("strace is not installed (make test installs it: APT_TEST)")
    }
    throw XCTSkip("strace is not installed")
  }

  /// `handout arguments` in `dir` under strace with `options`; its status and output.
  static func traced(_ options: [String], _ arguments: [String], in dir: URL, cache: URL) throws -> (
    status: Int32, output: String
  ) {
    let process = try Support.handoutProcess(arguments, in: dir, cache: cache)
    let exe = try XCTUnwrap(process.executableURL)
    process.executableURL = try strace()
    process.arguments = ["-qq"] + options + [exe.path] + arguments
    return try Support.output(of: process)
  }

  /// Every change to the files under `folders` that `handout arguments` makes, in order.
  static func points(_ arguments: [String], in dir: URL, cache: URL, under folders: [URL]) throws
    -> [CrashPoint]
  {
    let log = dir.appendingPathComponent("strace-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: log) }
    let options = ["-f", "--seccomp-bpf", "-y", "-s", "0", "-o", log.path, "-e", "signal=none"]
    let run = try traced(
      options + ["-e", "trace=" + changes.joined(separator: ",")], arguments, in: dir, cache: cache)
    let lines = try Support.text(log).split(separator: "\n").map(String.init)
    XCTAssertGreaterThan(lines.count, 10, "strace: \(run.output)")
    let main = try XCTUnwrap(lines.first?.split(separator: " ").first.map(String.init))
    var counts: [String: Int] = [:]
    var points: [CrashPoint] = []
    let prefixes = folders.map { blank($0.standardizedFileURL.path + "/") }
    for line in lines {
      let words = line.split(separator: " ", maxSplits: 1)
      guard words.count == 2, words[0] == main,
        let (name, call) = parse(words[1].trimmingCharacters(in: .whitespaces))
      else { continue }
      counts[name, default: 0] += 1
      if name == "openat" && !call.contains("O_CREAT") { continue }
      guard prefixes.contains(where: { call.contains($0) }) else { continue }
      points.append(CrashPoint(syscall: name, ordinal: counts[name]!, call: call))
    }
    return points
  }

  /// The points that change what a reader can see (anything not only in a staging or scratch
  /// entry), and the first of each run of those that only write into one: a stop anywhere in such
  /// a run leaves the same visible files.
  static func visible(_ points: [CrashPoint]) -> [CrashPoint] {
    points.indices.filter { i in !hidden(points[i]) || i == 0 || !hidden(points[i - 1]) }.map { points[$0] }
  }

  /// Whether `point` changes only a staging or scratch entry, which no reader sees. (The working
  /// folder, `AT_FDCWD<…>`, is not what the call changes: it counted, and every call made
  /// relative to it was visible.)
  static func hidden(_ point: CrashPoint) -> Bool {
    let paths = paths(point)
    return !paths.isEmpty
      && paths.allSatisfy {
        $0.contains("/.handout-staging-") || $0.contains("/tmp-") || $0.contains("/.dat.")
      }
  }

  /// The paths a traced call names (its quoted paths, and its fds' but the working folder's).
  static func paths(_ point: CrashPoint) -> [String] {
    point.call.matches(of: #/"(/[^"]*)"|(AT_FDCWD)?<(/[^>]*)>/#).compactMap { match in
      match.2 != nil ? nil : String(match.1 ?? match.3 ?? "")
    }
  }

  /// What a change of publish does: writes into its staging folder; swaps a handout, a page, a
  /// deck, the assets or the index into place; makes a page's or a deck's link; writes the
  /// manifest; records the publish stamps in the cache (or removes what is gone: `other`).
  enum Phase: CaseIterable {
    case staging, swap, links, manifest, cache, other
  }

  /// The phase of `point`, from its call and the paths it names.
  static func phase(_ point: CrashPoint) -> Phase {
    let paths = paths(point)
    if paths.contains(where: { $0.contains("/publish-stamps/") }) { return .cache }
    if ["link", "linkat", "symlink", "symlinkat"].contains(point.syscall) { return .links }
    if paths.contains(where: { $0.hasSuffix("/.handout-manifest.json") }) { return .manifest }
    if ["rename", "renameat", "renameat2"].contains(point.syscall), let target = paths.last,
      !target.contains("/.handout-staging-")
    {
      return .swap
    }
    return hidden(point) ? .staging : .other
  }

  /// `count` of `points` (all when they are fewer): first the first point of each of `phases`
  /// (after the render's first), then the rest spread evenly from the first to the last; in order.
  static func spread(_ points: [CrashPoint], count: Int, phases: [Phase] = []) -> [CrashPoint] {
    guard points.count > count else { return points }
    var chosen = Set<Int>()
    for phase in phases where chosen.count < count {
      // Not the render's first change: a stop before it leaves what was there.
      let own = points.indices.filter { self.phase(points[$0]) == phase }
      if let first = own.first(where: { $0 > 0 }) ?? own.first { chosen.insert(first) }
    }
    let rest = points.indices.filter { !chosen.contains($0) }
    let more = count - chosen.count
    if more == 1 { chosen.insert(rest[rest.count / 2]) }
    if more > 1 { chosen.formUnion((0..<more).map { rest[$0 * (rest.count - 1) / (more - 1)] }) }
    return chosen.sorted().map { points[$0] }
  }

  /// Runs `handout arguments` and stops it at `point`: killed on entering the call (or, with
  /// `injecting: "error=ENOSPC"`, the call fails and it goes on). Fails the test when the call
  /// stopped is not `point`'s, unless `anyCall` (a render that finds other files makes other
  /// calls: it is stopped at the same ordinal of the same system call, or not at all).
  @discardableResult
  static func stop(
    _ arguments: [String], in dir: URL, cache: URL, at point: CrashPoint,
    injecting: String = "signal=SIGKILL",
    anyCall: Bool = false, file: StaticString = #filePath, line: UInt = #line
  ) throws -> (status: Int32, output: String) {
    let log = dir.appendingPathComponent("strace-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: log) }
    let options = [
      "-y", "-s", "0", "-o", log.path, "-e", "signal=none", "-e", "trace=\(point.syscall)",
      "-e", "inject=\(point.syscall):\(injecting):when=\(point.ordinal)",
    ]
    let result = try traced(options, arguments, in: dir, cache: cache)
    let calls = try Support.text(log).split(separator: "\n").compactMap { parse(String($0)) }
    let stopped =
      calls.count >= point.ordinal ? calls[point.ordinal - 1].call : "nothing (\(calls.count) calls)"
    if !anyCall { XCTAssertEqual(stopped, point.call, "the stop meant \(point)", file: file, line: line) }
    return result
  }

  /// `name(arguments) = result` as traced: the name, and the call without its result, with fd
  /// numbers and the names a run makes up (UUIDs, mkstemp's suffixes) blanked.
  /// A call another thread interrupted (`… <unfinished ...>`) counts where it started.
  static func parse(_ line: String) -> (name: String, call: String)? {
    let unfinished = " <unfinished ...>"
    guard let open = line.firstIndex(of: "("),
      let end = line.hasSuffix(unfinished)
        ? line.range(of: unfinished, options: .backwards) : line.range(of: ") = ", options: .backwards)
    else { return nil }
    let name = String(line[..<open])
    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
    return (name, blank(String(line[..<end.lowerBound]) + ")"))
  }

  /// `text` with fd numbers and the names a run makes up (UUIDs, mkstemp's suffixes, process ids) blanked.
  static func blank(_ text: String) -> String {
    var call = text
    call.replace(#/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/#, with: "U")
    call.replace(#/\.dat\.nosync[0-9A-Za-z.]+/#, with: ".dat.X")
    call.replace(#/handout-update-\d+-/#, with: "handout-update-P-")
    call.replace(#/\b\d+</#, with: "<")
    return call
  }
}
