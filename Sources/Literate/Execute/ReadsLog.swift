// The reads log (`HANDOUT_READS`, CReads.h): every file the program opened, looked at or listed,
// and every process it started, written by the runtime as it happens. The `opened` events come at
// block starts and at the end, so a program that crashed in a block lost that block's reads: the
// page named no file, and `handout preview` did not watch the file whose edit would fix it.
import Foundation

struct ReadsLog {
  /// Opened for reading ('r'), absolute.
  var read: [String] = []
  /// Looked at ('l'): `stat`, `access`.
  var looked: [String] = []
  /// Listed ('d'), and listed as a tree ('t').
  var listed: [String] = []
  var trees: [String] = []
  /// The processes started ('x'): the block (nil outside any) and the command as given.
  var started: [(block: Int?, command: String)] = []
  /// The system calls made by number that the runtime could not record ('u'): the block and the
  /// call (`getdents64 through syscall`).
  var unseen: [(block: Int?, call: String)] = []

  /// Entries `<kind><block> <path>\0`; a torn last entry (the program killed mid-write) is left out.
  static func parse(_ data: Data) -> ReadsLog {
    var log = ReadsLog()
    let entries = data.split(separator: 0, omittingEmptySubsequences: true)
    for (i, entry) in entries.enumerated() {
      if i == entries.count - 1, data.last != 0 { break }
      guard let kind = entry.first, let space = entry.firstIndex(of: UInt8(ascii: " ")) else { continue }
      let block = Int(String(decoding: entry[entry.index(after: entry.startIndex)..<space], as: UTF8.self))
      let text = String(decoding: entry[entry.index(after: space)...], as: UTF8.self)
      switch kind {
      case UInt8(ascii: "r"): log.read.append(text)
      case UInt8(ascii: "l"): log.looked.append(text)
      case UInt8(ascii: "d"): log.listed.append(text)
      case UInt8(ascii: "t"): log.trees.append(text)
      case UInt8(ascii: "x"): log.started.append((block.flatMap { $0 >= 0 ? $0 : nil }, text))
      case UInt8(ascii: "u"): log.unseen.append((block.flatMap { $0 >= 0 ? $0 : nil }, text))
      default: continue
      }
    }
    return log
  }

  /// The processes started, but the Swift runtime's crash reporter (`swift-backtrace`, started
  /// when the program traps: a run that is not cached anyway, and not the notebook's doing).
  var processes: [(block: Int?, command: String)] {
    started.filter { !$0.command.hasSuffix("swift-backtrace") && !$0.command.contains("/swift-backtrace-") }
  }
}

extension Runner {
  /// What the run learnt beside the notebook or its data (not under `excluded`) without reading:
  /// the probes, and the regular files and absent paths it looked at, added to `parsed`'s data files.
  static func learnt(_ log: ReadsLog, _ parsed: inout RunEvents, folder: RunFolder, excluded: [URL])
    -> [Probe]
  {
    let test = OpenedFiles.Beside(
      notebookFolder: folder.notebookFolder, declared: parsed.dataFiles, excluded: excluded)
    // A path beside the notebook or its data, or the folder of one of those (`../data`, listed);
    // or one elsewhere but the machine's folders (`~/datasets`), as a read there is.
    let beside = { (path: String) -> String? in
      func kept(_ path: String) -> String? { test.kept(path) ?? test.elsewhere(path) }
      return kept(path) ?? kept(path + "/_").map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }
    let written = Set(parsed.writtenFiles.compactMap { beside($0.1) })
    parsed.dataFiles += lookedFiles(log, beside: beside, written: written)
    return probes(log, beside: beside, excluded: excluded.map { $0.standardizedFileURL.path })
  }

  /// What the run learnt beside the notebook or its data without reading (`Probe`): the paths it
  /// looked at that are folders or links (regular files and absent paths are data inputs, see
  /// `lookedFiles`), and the folders it listed.
  static func probes(_ log: ReadsLog, beside: (String) -> String?, excluded: [String]) -> [Probe] {
    var probes: [Probe] = []
    var seen = Set<[UInt8]>()
    func add(_ path: String, _ how: Probe.How) {
      guard let kept = beside(path), seen.insert(Array("\(how) \(kept)".utf8)).inserted else { return }
      let probe = Probe(path: kept, how: how, excluded: how == .tree ? excluded : [])
      if how != .looked || (probe.answer != "file" && probe.answer != "absent") { probes.append(probe) }
    }
    log.looked.forEach { add($0, .looked) }
    log.listed.forEach { add($0, .listed) }
    log.trees.forEach { add($0, .tree) }
    return probes.sorted {
      Array("\($0.how) \($0.path)".utf8).lexicographicallyPrecedes(Array("\($1.how) \($1.path)".utf8))
    }
  }

  /// The paths looked at beside the notebook or its data that are regular files or absent: their
  /// content (or absence) keys the run as a data file's does. Not those the run wrote itself (an
  /// atomic write looks at its file first): what it found is its own doing, and a file written
  /// while it ran would keep it out of the cache (`DataInputs.record`).
  static func lookedFiles(_ log: ReadsLog, beside: (String) -> String?, written: Set<String>) -> [String] {
    log.looked.compactMap(beside).filter {
      !written.contains($0) && ["file", "absent"].contains(Probe.kind($0))
    }
  }

  /// A warning at its block for each process the program started, and each system call by
  /// number the runtime could not record: what they read is not seen, so the run is not cached.
  static func processWarnings(_ log: ReadsLog, notebook: Notebook) -> [Diagnostic] {
    var seen = Set<String>()
    func warning(_ block: Int?, _ key: String, _ message: String) -> Diagnostic? {
      guard seen.insert("\(block ?? -1) \(key)").inserted else { return nil }
      let fence =
        notebook.blocks.first { $0.index == block }?.fence ?? SourceLocation(file: notebook.path, line: 1)
      return Diagnostic(.warning, message, at: fence)
    }
    let rerun = "so this run is not cached and runs again at each render"
    return log.processes.compactMap { block, command in
      let name = command.split(separator: " ").first.map(String.init) ?? command
      return warning(
        block, command,
        "the code started a process (\(name)): the files it reads are not seen, \(rerun); "
          + "read the files from Swift to have it cached")
    }
      + log.unseen.compactMap { block, call in
        warning(
          block, call,
          "the code made a system call the runtime cannot see (\(call)): what it reads is not seen, "
            + "\(rerun); call the C library's function (stat, opendir…) or Foundation's instead")
      }
  }
}
