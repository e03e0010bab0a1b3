// The notebook-side runtime: what the tangled program calls between blocks, and what it sends
// back to `handout`.
//
// The protocol (environment variables, block markers, the events file) is defined once, in
// `HandoutProtocol/RuntimeEvent.swift`, which `Literate`'s runner reads with the same type.
import Foundation
import HandoutProtocol

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    /// Where the block running is shown: on the page only (`::: handout`), its figures get no
    /// slide variant, since no deck shows them; on the slides only (`::: slides`, speaker notes),
    /// only their slide variant.
    var placement = Placement.both
    var figureCounts: [String: Int] = [:]
    /// The notebook's folder (`HANDOUT_FOLDER`), where `dataFile` looks; nil when run by hand.
    var folder: String?
    /// The notebook's parameters (`HANDOUT_PARAMS`), nil when run by hand.
    var parameters: [String: String]?
    /// Events recorded when no `HANDOUT_EVENTS` file is set (tests read them).
    var recorded: [RuntimeEvent] = []
  }
  static let state = State()

  /// Reads the environment. Called once, first (after the tangled program has made stdout
  /// line-buffered with `setvbuf`: in Swift 6 mode this module may not touch C's `stdout`).
  ///
  /// Takes the channel's variables and removes them from the environment, so notebook code (and
  /// any process it starts) cannot read the nonce or the events file and forge a block's output
  /// or a passing check by accident. The events file is not inherited by child processes either.
  public static func start() {
    var env: [ChannelVariable: String] = [:]
    let block = initialEnvironmentBlock()
    for variable in ChannelVariable.allCases {
      let name = variable.rawValue
      guard let value = getenv(name) else { continue }
      env[variable] = String(cString: value)
      let entry = UnsafeMutableRawPointer(value) - (name.utf8.count + 1)
      let length = name.utf8.count + 1 + strlen(value)
      unsetenv(name)
      // `unsetenv` leaves `NAME=value` where the kernel put it, and /proc/self/environ shows it.
      if let block, UInt(bitPattern: entry) >= block.lowerBound,
        UInt(bitPattern: entry) + UInt(length) <= block.upperBound
      {
        memset(entry, 0, length)
      }
    }
    state.lock.lock()
    defer { state.lock.unlock() }
    if let path = env[.events] {
      state.eventsFD = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
      startRecordingReads(log: env[.reads])
    }
    state.nonce = env[.nonce]
    state.figures = env[.figures].map { URL(fileURLWithPath: $0) }
    state.notebook = env[.notebook] ?? "notebook"
    state.folder = env[.folder]
    state.parameters =
      env[.parameters].flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    if state.nonce != nil { TrainingProgress.handler = trainingProgress }
    if state.figures != nil { prepareFigures() }
  }

  /// Under `handout` (figures are written): loads the fonts on another thread while the first
  /// blocks run (fontconfig and FreeType take 10–15 ms the first time a figure measures text,
  /// which the first `show(…)` would wait for), and makes the program wait for the download files
  /// still being drawn when notebook code calls `exit` (`finish()` waits at the program's end).
  ///
  /// A thread of its own, not a dispatch worker: one of those stays parked with every signal
  /// blocked, and a program that traps later, even one without figures, would have the crash
  /// reporter say "failed to suspend thread" in its block's output.
  private static func prepareFigures() {
    background.onThread {
      let figure = Figure(width: 60, height: 40)
      figure.title = "0"
      _ = try? figure.raster(scale: 1)
    }
    atexit { _Handout.background.waitForAll() }
  }

  /// The bounds of the environment block the program started with (what /proc/self/environ
  /// shows): fields 50 and 51 of /proc/self/stat; nil when they cannot be read.
  private static func initialEnvironmentBlock() -> Range<UInt>? {
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    // After the parenthesised name come fields 3, 4, …; field n is at n - 3.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 48, let start = UInt(fields[47]),
      let end = UInt(fields[48].trimmingCharacters(in: .whitespacesAndNewlines)), start > 0, start < end
    else { return nil }
    return start..<end
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

  /// Starts block `k` (with its `id=` attribute, if any; `pageOnly` for a block inside `::: handout`,
  /// whose figures no deck shows, `slidesOnly` for one inside `::: slides` or speaker notes, whose
  /// figures no page shows): writes the stdout marker and a `begin` event.
  public static func beginBlock(_ k: Int, id: String? = nil, pageOnly: Bool = false, slidesOnly: Bool = false)
  {
    marker(.begin(k))
    state.lock.lock()
    state.block = k
    state.blockID = id
    state.placement = pageOnly ? .page : slidesOnly ? .slides : .both
    state.lock.unlock()
    reportOpenedFiles()
    recordReads(inBlock: k)
    emit(.begin(block: k))
  }

  /// Ends block `k` normally: writes the stdout marker and an `end` event.
  public static func endBlock(_ k: Int) {
    marker(.end(k))
    emit(.end(block: k))
    state.lock.lock()
    state.block = nil
    state.blockID = nil
    state.placement = .both
    state.lock.unlock()
  }

  /// The program reached its end: waits for the figure files still being drawn, flushes every
  /// stream and sends `opened` (the files it opened for reading since the last block began),
  /// `loaded` (the files it had mapped) and `finish`.
  public static func finish() {
    // The figures' download files still being drawn (`background`); a failure is an error at its
    // `show(…)`, before `finish`.
    background.waitForAll()
    fflush(nil)
    reportOpenedFiles()
    reportLoadedFiles()
    emit(.finish)
  }

  /// Shows the value of a block's last expression (nothing for `Void`).
  public static func display<T>(_ body: () throws -> T) rethrows {
    let value = try body()
    displayValue(value)
  }

  /// `display(_:)` for an `async` block's last expression.
  public static func display<T>(_ body: () async throws -> T) async rethrows {
    let value = try await body()
    displayValue(value)
  }

  static func displayValue<T>(_ value: T) {
    if T.self == Void.self { return }
    let text = format(value, inline: false)
    if state.eventsFD < 0 { print(text) }
    emit(.value(block: currentBlock, text: text))
  }

  /// Evaluates inline expression `k` of the prose and sends its text.
  public static func inline<T>(_ k: Int, _ body: () throws -> T) rethrows {
    let value = try body()
    emit(.inline(index: k, text: format(value, inline: true)))
  }

  /// `inline(_:_:)` for an `async` inline expression.
  public static func inline<T>(_ k: Int, _ body: () async throws -> T) async rethrows {
    let value = try await body()
    emit(.inline(index: k, text: format(value, inline: true)))
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
    marker(.progress(message))
  }

  /// Writes a block marker to stdout, after everything printed so far.
  static func marker(_ marker: BlockMarker) {
    guard let nonce = state.nonce else { return }
    fflush(nil)
    writeAll(1, Data(marker.line(nonce: nonce).utf8))
  }

  static func emit(_ event: RuntimeEvent) {
    guard let data = try? event.jsonLine() else { return }
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
