// The notebook-side runtime: what the tangled program calls between blocks, and what it sends
// back to `handout`.
//
// Protocol (the contract with Literate's `Runner`; keep `Literate/RunEvents.swift` in step):
// - `HANDOUT_EVENTS=<file>`: one JSON object per line, appended as things happen:
//     {"event":"begin","block":3}                      a block starts
//     {"event":"end","block":3}                        it finished normally
//     {"event":"value","block":3,"text":"[1] 0.5"}     its last expression, formatted
//     {"event":"inline","inline":0,"text":"0.5"}       an inline `swift EXPR`, formatted
//     {"event":"check","block":3,"file":…,"line":…,"column":…,"passed":false,
//      "expected":"0.5","actual":"0.51","difference":"|Δ| = 0.01 > tolerance 0","literal":"0.51"}
//     {"event":"figure","block":3,"name":"neuron-1","files":{"svg":"02-ann/neuron-1.svg",…},
//      "caption":…,"alt":…,"width":640,"height":480}
//     {"event":"finish"}                               the program reached its end
// - `HANDOUT_NONCE=<random>`: at each block start the runtime flushes stdout and writes the line
//   `\u{1}HANDOUT-<nonce> begin <k>` (and `end <k>`) to stdout, so the runner can cut the
//   interleaved stdout+stderr stream into blocks. A program cannot forge a marker without
//   knowing the per-run nonce. stdout is line-buffered, stderr unbuffered, so lines keep their order.
//   `progress <text>` lines (from `progress(_:)`) are shown live by `handout` and kept out of the output.
// - `HANDOUT_FIGURES=<dir>`, `HANDOUT_NOTEBOOK=<name>`: `show(figure)` writes
//   `<dir>/<name>/<block id or given name>-<n>.{svg,png,pdf}`.
// Without these variables (a notebook program run by hand, or a unit test) everything still
// works: values and failed expectations are printed instead.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One message from the notebook program to `handout` (a line of `HANDOUT_EVENTS`).
public struct RuntimeEvent: Codable, Equatable, Sendable {
  public var event: String
  public var block: Int?
  public var inline: Int?
  public var text: String?
  public var file: String?
  public var line: Int?
  public var column: Int?
  public var passed: Bool?
  public var expected: String?
  public var actual: String?
  public var difference: String?
  /// `check`: the actual value written as a Swift literal, for `handout check --update`.
  public var literal: String?
  public var name: String?
  public var files: [String: String]?
  public var caption: String?
  public var alt: String?
  public var width: Double?
  public var height: Double?

  public init(event: String, block: Int? = nil) {
    self.event = event
    self.block = block
  }
}

/// The calls the tangled program makes. Not for notebook code (hence the underscore).
public enum _Handout {
  final class State: @unchecked Sendable {
    let lock = NSLock()
    var eventsFD: Int32 = -1
    var nonce: String?
    /// When the next training-progress line may be shown (uptime nanoseconds).
    var nextProgress: UInt64 = 0
    var figures: URL?
    var notebook = "notebook"
    var block: Int?
    var blockID: String?
    var figureCounts: [String: Int] = [:]
    /// Events recorded when no `HANDOUT_EVENTS` file is set (tests read them).
    var recorded: [RuntimeEvent] = []
  }
  static let state = State()

  /// Reads the environment. Called once, first (after the tangled program has made stdout
  /// line-buffered with `setvbuf`: in Swift 6 mode this module may not touch C's `stdout`).
  public static func start() {
    let env = ProcessInfo.processInfo.environment
    state.lock.lock()
    defer { state.lock.unlock() }
    if let path = env["HANDOUT_EVENTS"] {
      state.eventsFD = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    }
    state.nonce = env["HANDOUT_NONCE"]
    state.figures = env["HANDOUT_FIGURES"].map { URL(fileURLWithPath: $0) }
    state.notebook = env["HANDOUT_NOTEBOOK"] ?? "notebook"
    if state.nonce != nil { TrainingProgress.handler = trainingProgress }
  }

  /// Training epochs on the status line, at most four times a second (and the last epoch).
  private static let trainingProgress: TrainingProgress.Handler = { epoch, epochs, loss in
    let now = DispatchTime.now().uptimeNanoseconds
    let due = state.lock.withLock {
      guard epoch == epochs || now >= state.nextProgress else { return false }
      state.nextProgress = now + 250_000_000
      return true
    }
    if due { progress("training: epoch \(epoch)/\(epochs), loss \(RFormat.format(loss, digits: 4))") }
  }

  public static func beginBlock(_ k: Int, id: String? = nil) {
    marker("begin \(k)")
    state.lock.lock()
    state.block = k
    state.blockID = id
    state.lock.unlock()
    emit(RuntimeEvent(event: "begin", block: k))
  }

  public static func endBlock(_ k: Int) {
    marker("end \(k)")
    emit(RuntimeEvent(event: "end", block: k))
    state.lock.lock()
    state.block = nil
    state.blockID = nil
    state.lock.unlock()
  }

  public static func finish() {
    fflush(nil)
    emit(RuntimeEvent(event: "finish"))
  }

  /// Shows the value of a block's last expression (nothing for `Void`).
  public static func display<T>(_ body: () throws -> T) rethrows {
    let value = try body()
    displayValue(value)
  }

  public static func display<T>(_ body: () async throws -> T) async rethrows {
    let value = try await body()
    displayValue(value)
  }

  static func displayValue<T>(_ value: T) {
    if T.self == Void.self { return }
    var event = RuntimeEvent(event: "value", block: currentBlock)
    event.text = format(value, inline: false)
    if state.eventsFD < 0 { print(event.text ?? "") }
    emit(event)
  }

  /// Evaluates inline expression `k` of the prose and sends its text.
  public static func inline<T>(_ k: Int, _ body: () throws -> T) rethrows {
    let value = try body()
    var event = RuntimeEvent(event: "inline")
    event.inline = k
    event.text = format(value, inline: true)
    emit(event)
  }

  public static func inline<T>(_ k: Int, _ body: () async throws -> T) async rethrows {
    let value = try await body()
    var event = RuntimeEvent(event: "inline")
    event.inline = k
    event.text = format(value, inline: true)
    emit(event)
  }

  /// The most characters a displayed value shows: a block's value, an inline value.
  public static let displayLimit = (block: 10_000, inline: 1_000)

  /// How a value is shown: numbers as R prints them (a block's value like R's `print`, an inline
  /// value like `format`, 7 significant digits), strings as they are, anything else by
  /// `String(describing:)`; cut at `displayLimit` characters with "… (N more characters)".
  public static func format(_ value: Any, inline: Bool) -> String {
    let text = formatted(value, inline: inline)
    let limit = inline ? displayLimit.inline : displayLimit.block
    guard text.utf8.count > limit, case let count = text.count, count > limit else { return text }
    return String(text.prefix(limit)) + "… (\(count - limit) more characters)"
  }

  private static func formatted(_ value: Any, inline: Bool) -> String {
    func vector(_ v: [Double]) -> String {
      inline ? v.map { RFormat.format($0) }.joined(separator: ", ") : RFormat.print(v)
    }
    switch value {
    case let v as Double: return vector([v])
    case let v as Float: return vector([Double(v)])
    case let v as Int: return inline ? "\(v)" : "[1] \(v)"
    case let v as [Double]: return vector(v)
    case let v as [Float]: return vector(v.map(Double.init))
    case let v as [Int]:
      return inline ? v.map(String.init).joined(separator: ", ") : RFormat.print(v.map(Double.init))
    case let v as String: return v
    default: return String(describing: value)
    }
  }

  static var currentBlock: Int? {
    state.lock.lock()
    defer { state.lock.unlock() }
    return state.block
  }

  /// A progress line for the person waiting (`handout` shows it live on the status line).
  public static func progress(_ message: String) {
    let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    marker("progress \(oneLine)")
  }

  /// Writes a block marker to stdout, after everything printed so far.
  static func marker(_ text: String) {
    guard let nonce = state.nonce else { return }
    fflush(nil)
    writeAll(1, Data("\u{1}HANDOUT-\(nonce) \(text)\n".utf8))
  }

  static func emit(_ event: RuntimeEvent) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard var data = try? encoder.encode(event) else { return }
    data.append(UInt8(ascii: "\n"))
    state.lock.lock()
    defer { state.lock.unlock() }
    guard state.eventsFD >= 0 else {
      state.recorded.append(event)
      return
    }
    writeAll(state.eventsFD, data)
  }

  /// `write(2)` until everything is written (or the descriptor fails).
  static func writeAll(_ fd: Int32, _ data: Data) {
    data.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      var offset = 0
      while offset < raw.count {
        let n = write(fd, base + offset, raw.count - offset)
        if n <= 0 { break }
        offset += n
      }
    }
  }

  /// Creates or replaces the file at `path` with `bytes`, without the fsync `Data.write` adds.
  static func writeFile(_ bytes: [UInt8], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw PlotError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw PlotError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
      offset += n
    }
  }

  /// A line on stderr (C's `stderr` is off limits in Swift 6 mode).
  static func printError(_ text: String) {
    fflush(nil)
    writeAll(2, Data((text + "\n").utf8))
  }

  /// Events recorded in this process when no events file is set (for tests), then forgotten.
  public static func takeRecordedEvents() -> [RuntimeEvent] {
    state.lock.lock()
    defer { state.lock.unlock() }
    let events = state.recorded
    state.recorded = []
    return events
  }
}
