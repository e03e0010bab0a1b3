// What a crashed notebook program left on its output: the trap message, the notebook line, the
// text without the backtrace.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The trap message and notebook location in a crashed block's output, and the output without
/// the backtrace.
struct CrashReport {
  var text: String
  var message: String?
  var location: SourceLocation?
  /// The description of an error thrown by top-level `try` and never caught (the runtime reports
  /// it as `Fatal error: Error raised at top level: …`).
  var uncaughtError: String?

  init(output: String, notebookPath: String) {
    // The program names the notebook as its `#sourceLocation` literal is written.
    let names = [notebookPath, TangledProgram.sourceName(of: notebookPath)]
    var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var backtrace: [String] = []
    if let start = lines.firstIndex(where: {
      $0.hasPrefix("*** Signal") || $0.hasPrefix("*** Program crashed") || $0.hasPrefix("💣")
    }) {
      backtrace = Array(lines[start...])
      // The crash reporter's own notes ("swift-runtime: failed to suspend thread N while
      // processing a crash", when another thread is busy, e.g. drawing a figure's files) belong
      // to the report, not to the block's output.
      lines = lines[..<start].filter { !$0.hasPrefix("swift-runtime: ") }
    }
    // `<file>:<line>: Fatal error: <message>` (also Precondition failed, Assertion failed, …).
    let kinds = ["Fatal error", "Precondition failed", "Assertion failed", "Unexpectedly found nil"]
    if let i = lines.lastIndex(where: { line in kinds.contains { line.contains($0) } }) {
      let line = lines[i]
      let start = kinds.compactMap { line.range(of: $0)?.lowerBound }.min() ?? line.startIndex
      message = String(line[start...]).trimmingCharacters(in: .whitespaces)
      let topLevel = "Fatal error: Error raised at top level: "
      if let m = message, m.hasPrefix(topLevel) { uncaughtError = String(m.dropFirst(topLevel.count)) }
      // fatalError/precondition in notebook code name the notebook line themselves.
      let prefix = line[..<start]
      if let name = names.first(where: { prefix.hasPrefix($0 + ":") }) {
        let parts = prefix.dropFirst(name.count + 1).split(separator: ":")
        if let l = parts.first.flatMap({ Int($0) }) { location = SourceLocation(file: notebookPath, line: l) }
      }
      lines.remove(at: i)
    }
    // The first backtrace frame in the notebook: `… at /abs/notebooks/x.md:21:8` (the backtracer
    // makes the path absolute).
    let absolute = names.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    for frame in backtrace {
      guard let r = frame.range(of: " at ", options: .backwards) else { continue }
      let parts = frame[r.upperBound...].split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count >= 3, let l = Int(parts[parts.count - 2]), let c = Int(parts[parts.count - 1]) else {
        continue
      }
      let file = parts.dropLast(2).joined(separator: ":")
      if names.contains(where: { file == $0 || file.hasSuffix("/" + $0) }) || absolute.contains(file) {
        location = SourceLocation(file: notebookPath, line: l, column: max(c, 1))
        break
      }
    }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    text = lines.joined(separator: "\n")
    if !text.isEmpty, output.hasSuffix("\n") { text += "\n" }
  }
}
