// The two other halves of the protocol (see RuntimeEvent.swift): the environment variables that
// open the channel, and the marker lines on stdout that cut the output into blocks. Both sides use
// these types; neither spells a variable name or a marker word itself.

/// The environment variables through which `handout` gives the notebook program its channel. The
/// runtime takes every one of them (`allCases`) and removes it from the environment.
public enum ChannelVariable: String, CaseIterable, Sendable {
  /// The events file: one `RuntimeEvent` JSON line each.
  case events = "HANDOUT_EVENTS"
  /// The per-run secret that marker lines carry (`BlockMarker`).
  case nonce = "HANDOUT_NONCE"
  /// The folder `show(figure)` writes into.
  case figures = "HANDOUT_FIGURES"
  /// The notebook's output name: figures go to `<figures>/<notebook>/`.
  case notebook = "HANDOUT_NOTEBOOK"
  /// The notebook's parameter values, a JSON object of strings.
  case parameters = "HANDOUT_PARAMS"
  /// The notebook's own folder (absolute): `dataFile(_:)` resolves relative paths against it. The
  /// program itself runs in a private folder of its own, not there.
  case folder = "HANDOUT_FOLDER"
  /// The reads log: every file the program opened, looked at or listed, and every process it
  /// started, written as it happens (a program that crashes loses none; see CReads.h).
  case reads = "HANDOUT_READS"
}

/// A marker line on the program's stdout: `\u{1}HANDOUT-<nonce> <word> <argument>\n`. The runtime
/// writes one as a block starts and ends (after flushing what the block printed), and for a
/// progress line; the runner cuts the interleaved stdout+stderr at them. Without the per-run nonce
/// a program cannot forge one.
public enum BlockMarker: Equatable, Sendable {
  /// Block `k` starts.
  case begin(Int)
  /// Block `k` ended normally.
  case end(Int)
  /// A progress line for the person waiting, on one line (newlines become spaces).
  case progress(String)

  /// What every marker line of the run with `nonce` starts with.
  public static func prefix(nonce: String) -> String { "\u{1}HANDOUT-\(nonce) " }

  /// The whole line, newline included, as the runtime writes it.
  public func line(nonce: String) -> String { Self.prefix(nonce: nonce) + payload + "\n" }

  /// What follows the prefix: `begin 3`, `end 3`, `progress training: epoch 1/10`.
  public var payload: String {
    switch self {
    case .begin(let k): "begin \(k)"
    case .end(let k): "end \(k)"
    case .progress(let text): "progress " + text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
  }

  /// The marker whose payload (the text between the prefix and the newline) is `payload`; nil for
  /// anything else.
  public init?(payload: String) {
    let words = payload.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
    guard let word = words.first else { return nil }
    let argument = words.count > 1 ? String(words[1]) : ""
    switch word {
    case "progress": self = .progress(argument)
    case "begin": guard let k = Int(argument) else { return nil }; self = .begin(k)
    case "end": guard let k = Int(argument) else { return nil }; self = .end(k)
    default: return nil
    }
  }
}
