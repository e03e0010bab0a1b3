// The files the program opened for reading, beyond those it declared through `dataFile(_:)`:
// `CReads` records every `open`/`fopen` for reading in the process (notebook code, Foundation,
// SwiftCSV, Cairo), and the runtime sends what it recorded as `opened` events, at each block's
// start and at the end. `handout` keys the run on the ones beside the notebook or its data, so a
// file reached through a data file's folder (`dataFile("a.txt").deletingLastPathComponent()`)
// cannot replay a stale run when it is edited.
import Foundation
import HandoutProtocol

@_implementationOnly import CReads

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension _Handout {
  /// Starts recording the files opened for reading (under `handout` only), each also written at
  /// once to the reads log at `log` when given.
  static func startRecordingReads(log: String?) {
    handout_reads_start(log.map { open($0, O_WRONLY | O_APPEND | O_CLOEXEC) } ?? -1)
  }

  /// Entries of the reads log name block `k` from now on.
  static func recordReads(inBlock k: Int) {
    handout_reads_block(Int32(clamping: k))
  }

  /// Sends an `opened` event with the files opened for reading since the last one, and those
  /// opened for writing or renamed into place, if any.
  static func reportOpenedFiles() {
    guard state.lock.withLock({ state.eventsFD >= 0 }) else { return }
    var length = 0
    guard let buffer = handout_reads_take(&length) else { return }
    defer { free(buffer) }
    // Each entry: `r` (read) or `w` (written), then the path.
    let entries = UnsafeRawBufferPointer(start: buffer, count: length).split(separator: 0)
    func paths(_ kind: Character) -> [String] {
      entries.filter { $0.first == kind.asciiValue }.map { String(decoding: $0.dropFirst(), as: UTF8.self) }
    }
    let (read, written) = (paths("r"), paths("w"))
    if !read.isEmpty || !written.isEmpty { emit(.opened(files: read, written: written)) }
  }
}
