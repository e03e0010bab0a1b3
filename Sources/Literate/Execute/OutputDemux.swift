// The notebook program's stdout+stderr, cut into blocks at the runtime's marker lines.
import Foundation
import HandoutProtocol

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Cuts the program's interleaved stdout+stderr into blocks at the runtime's marker lines
/// (`\u{1}HANDOUT-<nonce> begin <k>` / `end <k>`), keeping at most `cap` bytes per block.
final class OutputDemux: @unchecked Sendable {
  private let lock = NSLock()
  private let prefix: [UInt8]
  private let cap: Int
  private let onBlock: (Int) -> Void
  private let onProgress: (String) -> Void
  private var pending: [UInt8] = []
  private var current: Int?
  private var currentSince: Date?
  private var buffers: [Int: [UInt8]] = [:]
  private var dropped: [Int: Int] = [:]
  private var outside: [UInt8] = []

  init(
    nonce: String, cap: Int, onBlock: @escaping (Int) -> Void,
    onProgress: @escaping (String) -> Void = { _ in }
  ) {
    prefix = Array(BlockMarker.prefix(nonce: nonce).utf8)
    self.cap = cap
    self.onBlock = onBlock
    self.onProgress = onProgress
  }

  var currentBlock: (Int?, Date?) {
    lock.lock()
    defer { lock.unlock() }
    return (current, currentSince)
  }

  func consume(_ data: Data) {
    var started: [Int] = []
    var progressLines: [String] = []
    lock.lock()
    pending += data
    while true {
      if let at = find(prefix, in: pending) {
        guard let newline = pending[at...].firstIndex(of: UInt8(ascii: "\n")) else {
          append(Array(pending[..<at]))
          pending.removeFirst(at)
          break
        }
        append(Array(pending[..<at]))
        let marker = BlockMarker(
          payload: String(decoding: pending[(at + prefix.count)..<newline], as: UTF8.self))
        pending.removeFirst(newline + 1)
        switch marker {
        case .progress(let text): progressLines.append(text)
        case .begin(let k):
          current = k
          currentSince = Date()
          started.append(k)
        case .end:
          current = nil
          currentSince = nil
        case nil: break
        }
      } else {
        // Keep a tail that could be the start of a marker split across reads.
        let keep = min(pending.count, prefix.count - 1)
        append(Array(pending[..<(pending.count - keep)]))
        pending.removeFirst(pending.count - keep)
        break
      }
    }
    lock.unlock()
    started.forEach(onBlock)
    progressLines.forEach(onProgress)
  }

  private func append(_ bytes: [UInt8]) {
    guard !bytes.isEmpty else { return }
    guard let k = current else {
      if outside.count < cap { outside += bytes.prefix(cap - outside.count) }
      return
    }
    let have = buffers[k, default: []].count
    let room = max(0, cap - have)
    buffers[k, default: []] += bytes.prefix(room)
    if bytes.count > room { dropped[k, default: 0] += bytes.count - room }
  }

  /// The first occurrence of `needle`. `memchr` finds the candidates: a block printing 100 MB goes
  /// through here byte by byte, and a Swift loop over it took ~10 s in a debug build.
  private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count, let first = needle.first else { return nil }
    return haystack.withUnsafeBytes { raw -> Int? in
      guard let base = raw.baseAddress else { return nil }
      var i = 0
      let last = haystack.count - needle.count
      while i <= last {
        guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
        let at = base.distance(to: UnsafeRawPointer(hit))
        if memcmp(base + at, needle, needle.count) == 0 { return at }
        i = at + 1
      }
      return nil
    }
  }

  struct Segments {
    var text: [Int: String]
    var outside: String
    /// How many bytes each block that printed more than it keeps printed in all.
    var cut: [Int: Int] = [:]
  }

  func finish() -> Segments {
    lock.lock()
    defer { lock.unlock() }
    append(pending)
    pending = []
    var text: [Int: String] = [:]
    var cut: [Int: Int] = [:]
    for (k, bytes) in buffers {
      var s = String(decoding: bytes, as: UTF8.self)
      if let n = dropped[k] {
        if !s.hasSuffix("\n") { s += "\n" }
        s += "[handout: \(n) more bytes of output were dropped; a block keeps at most \(cap) bytes]\n"
        cut[k] = bytes.count + n
      }
      text[k] = s
    }
    return Segments(text: text, outside: String(decoding: outside, as: UTF8.self), cut: cut)
  }
}
