// What notebook code can learn from the machine rather than from the course: its host name, its
// CPU count, its memory, the user and their home folder, the system's version, the environment
// `handout` passes on (`NEURAL_*`), the process id, the clock and the kernel's files. A page that
// prints one shows a number of the machine that rendered it, and the run cache replayed it on
// another machine (a course's CI restoring `.handout-cache`) or after `taskset -c 0 handout render`:
// `activeProcessorCount` printed 2 from a run stored with 1.
//
// The runtime cannot tell these apart from the libraries' own use (Neural and the runtime size their
// worker pools by `activeProcessorCount`; Foundation reads the environment at start), so they are
// found in the code itself, by name, in the blocks, inline expressions and shared code. Each fact
// the code names is a warning at its first place in each block (the page depends on the machine),
// and, when the fact has one value per machine, that value is in the run's cache key: a render on
// another machine, or with another CPU count, runs again. The pid, the clock and `/proc` have a new
// value at every run: a warning only (a cached run shows the stored run's, as a fresh one would
// show its own).
import Foundation
import SwiftSyntax

#if canImport(Glibc)
  import Glibc
#endif

/// A fact of the machine notebook code can read.
enum MachineFact: String, CaseIterable, Sendable {
  case host, processors, vector, memory, user, home, system, environment, process, clock, kernel, fetched

  /// The names in code that read it (identifiers, at any place: a static scan).
  var names: Set<String> {
    switch self {
    case .host: ["hostName", "gethostname", "uname"]
    case .processors:
      [
        "processorCount", "activeProcessorCount", "get_nprocs", "get_nprocs_conf", "sched_getaffinity",
        "_SC_NPROCESSORS_ONLN", "_SC_NPROCESSORS_CONF",
      ]
    // Neural's answer: the widest the CPU runs, or `NEURAL_ISA`.
    case .vector: ["ProductISA"]
    case .memory: ["physicalMemory", "_SC_PHYS_PAGES", "_SC_AVPHYS_PAGES", "sysinfo"]
    case .user:
      [
        "userName", "fullUserName", "NSUserName", "NSFullUserName", "getlogin", "getpwuid", "getuid",
        "geteuid",
      ]
    case .home: ["NSHomeDirectory", "homeDirectoryForCurrentUser", "NSHomeDirectoryForUser", "homeDirectory"]
    case .system: ["operatingSystemVersion", "operatingSystemVersionString", "isOperatingSystemAtLeast"]
    case .environment: ["environment", "getenv", "secure_getenv", "environ"]
    case .process: ["processIdentifier", "getpid", "getppid", "gettid", "globallyUniqueString"]
    case .clock:
      [
        "CFAbsoluteTimeGetCurrent", "clock_gettime", "gettimeofday", "timeIntervalSinceNow", "systemUptime",
        "ContinuousClock", "SuspendingClock", "DispatchTime", "DispatchWallTime",
      ]
    case .kernel: []
    case .fetched: ["dlsym", "dlvsym"]
    }
  }

  /// What the warning calls it.
  var description: String {
    switch self {
    case .host: "the machine's host name"
    case .processors: "the machine's CPU count"
    case .vector: "the CPU's vector instructions"
    case .memory: "the machine's memory size"
    case .user: "the user's name"
    case .home: "the user's home folder"
    case .system: "the system's version"
    case .environment: "the environment (NEURAL_* and the like are the shell's)"
    case .process: "the process id"
    case .clock: "the clock"
    case .kernel: "a file of /proc or /sys"
    case .fetched: "a C function fetched by name, which may ask the machine for anything"
    }
  }

  /// Its value here, for the cache key; nil for a fact with a new value at every run.
  /// `environment`: the program's (`Runner.environment`, without the run's own folders).
  func value(environment: [String: String]) -> String? {
    let info = ProcessInfo.processInfo
    switch self {
    case .host: return MachineInputs.hostName()
    // `Parallel.threads` is the count capped by `NEURAL_THREADS`.
    case .processors:
      return "\(info.processorCount) \(info.activeProcessorCount) \(environment["NEURAL_THREADS"] ?? "")"
    case .vector: return "\(MachineInputs.vectorFlags()) \(environment["NEURAL_ISA"] ?? "")"
    case .memory: return "\(info.physicalMemory)"
    case .user: return "\(getuid()) \(info.userName) \(info.fullUserName)"
    case .home: return MachineInputs.homeFolder()
    case .system: return info.operatingSystemVersionString
    case .environment:
      return environment.filter { !["HOME", "TMPDIR"].contains($0.key) }.sorted { $0.key < $1.key }
        .map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    case .process, .clock, .kernel: return nil
    // A name built at run time (`dlsym(nil, "get" + "env")`): every value of the machine.
    case .fetched:
      return MachineFact.allCases.filter { $0 != .fetched }.compactMap { $0.value(environment: environment) }
        .joined(separator: "\n")
    }
  }
}

enum MachineInputs {
  /// A place where code names a fact.
  struct Use: Equatable {
    var fact: MachineFact
    var name: String
    var location: SourceLocation
  }

  /// Each fact the code names, at its first place in each block, inline expression and shared
  /// file (`shared`: the shared code's paths), in the order of the notebook.
  static func uses(in notebook: Notebook, shared: [String] = []) -> [Use] {
    var uses: [Use] = []
    for block in notebook.blocks where block.isExecuted {
      uses += find(block.syntaxTree) { line, column in
        SourceLocation(
          file: notebook.path, line: block.firstCodeLine + line - 1, column: column + block.fence.column - 1)
      }
    }
    for inline in notebook.inlines {
      uses += find(SwiftSource.parse(inline.expression)) { _, column in
        SourceLocation(
          file: notebook.path, line: inline.location.line, column: inline.location.column + column - 1)
      }
    }
    for path in shared {
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
      uses += find(SwiftSource.parse(text)) { line, column in
        SourceLocation(file: path, line: line, column: column)
      }
    }
    return uses
  }

  /// The first use of each fact in `tree`, placed by `place(line, column)`.
  static func find(_ tree: SourceFileSyntax, place: (Int, Int) -> SourceLocation) -> [Use] {
    let converter = SourceLocationConverter(fileName: "", tree: tree)
    var found: [Use] = []
    let tokens = Array(tree.tokens(viewMode: .sourceAccurate))
    for (i, token) in tokens.enumerated() {
      guard let (fact, name) = fact(of: tokens, at: i), !found.contains(where: { $0.fact == fact }) else {
        continue
      }
      let l = converter.location(for: token.positionAfterSkippingLeadingTrivia)
      found.append(Use(fact: fact, name: name, location: place(l.line, l.column)))
    }
    return found
  }

  /// Names that are a fact only as a member (`ProcessInfo.processInfo.environment`, not a variable
  /// of the notebook's own called `environment`).
  static let memberNames: Set<String> = [
    "hostName", "processorCount", "activeProcessorCount", "physicalMemory", "userName", "fullUserName",
    "homeDirectoryForCurrentUser", "homeDirectory", "operatingSystemVersion", "operatingSystemVersionString",
    "isOperatingSystemAtLeast", "environment", "processIdentifier", "globallyUniqueString",
    "timeIntervalSinceNow",
    "systemUptime",
  ]

  /// The fact the token at `i` names, and how it is named: an identifier of a fact's `names`,
  /// `Date()` or `.now`, `Host.current()`, a string naming a file of `/proc` or `/sys`.
  static func fact(of tokens: [TokenSyntax], at i: Int) -> (MachineFact, String)? {
    let token = tokens[i]
    switch token.tokenKind {
    case .identifier(let name):
      let member = i > 0 && tokens[i - 1].tokenKind == .period
      if let fact = MachineFact.allCases.first(where: { $0.names.contains(name) }),
        member || !memberNames.contains(name)
      {
        return (fact, name)
      }
      let next = tokens.indices.contains(i + 1) ? tokens[i + 1].tokenKind : .endOfFile
      let after = tokens.indices.contains(i + 2) ? tokens[i + 2].tokenKind : .endOfFile
      if name == "Date", next == .leftParen, after == .rightParen { return (.clock, "Date()") }
      if name == "Host", next == .period, after == .identifier("current") { return (.host, "Host.current()") }
      if name == "now", member { return (.clock, ".now") }
      if name == "threads", member, i >= 2, tokens[i - 2].tokenKind == .identifier("Parallel") {
        return (.processors, "Parallel.threads")
      }
      return nil
    case .stringSegment(let text):
      guard text.contains("/proc/") || text.contains("/sys/") || text == "/proc" else { return nil }
      return (.kernel, "\"\(text)\"")
    default:
      return nil
    }
  }

  /// The cache key's lines for the facts `uses` names that have one value per machine (`other`:
  /// another machine's values instead, `RunOptions.otherMachine`).
  static func keyParts(_ uses: [Use], environment: [String: String], other: [MachineFact: String] = [:])
    -> [String]
  {
    Set(uses.map(\.fact)).sorted { $0.rawValue < $1.rawValue }.compactMap { fact in
      guard let value = fact.value(environment: environment) else { return nil }
      return "machine \(fact.rawValue) \(other[fact] ?? value)"
    }
  }

  /// A warning at each use: the page shows a value of the machine that renders it.
  static func warnings(_ uses: [Use]) -> [Diagnostic] {
    uses.map { use in
      let message =
        use.fact.value(environment: [:]) == nil
        ? "the code reads \(use.fact.description) (\(use.name)): what the page shows from it is new at every run "
          + "and differs on every machine, and a cached run shows the run it kept; show only what does not depend on it"
        : "the code reads \(use.fact.description) (\(use.name)): what the page shows from it depends on the machine "
          + "that renders the handout; the run is cached for this value only, and a render elsewhere may show another"
      return Diagnostic(.warning, message, at: use.location)
    }
  }

  /// The vector extensions of the CPU that Neural chooses among (`/proc/cpuinfo`'s first `flags`).
  static func vectorFlags() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return "unknown" }
    let wanted: Set<Substring> = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]
    return line.split(separator: " ").filter(wanted.contains).sorted().joined(separator: ",")
  }

  /// `gethostname`'s answer and `uname`'s fields.
  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    _ = gethostname(&buffer, buffer.count - 1)
    var names = utsname()
    _ = uname(&names)
    func text<T>(_ field: T) -> String {
      withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
    let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return [host, text(names.nodename), text(names.release), text(names.version), text(names.machine)]
      .joined(separator: " ")
  }

  /// The user's home folder in the user database (Foundation's `NSHomeDirectory()` reads it, not `HOME`).
  static func homeFolder() -> String {
    guard let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir else { return "none" }
    return String(cString: dir)
  }
}
