// Which of the files a notebook program opened for reading (`opened` events, CReads.h) are inputs
// of its run. A program reads data through `dataFile(_:)`, which records the file; but a path built
// from a data file's folder (`dataFile("a.txt").deletingLastPathComponent()
// .appendingPathComponent("b.txt")`), or a file of a folder it listed, is read without a record,
// and an edit of it replayed the stale run from the cache. So every file the program opened in the
// notebook's folder (or below it), or in the folder of a file it read through `dataFile`
// (`../data/`), counts as read through `dataFile`: its content is in the run's entry. So does a
// file read by its path anywhere else (`~/datasets/x.csv`, `/tmp/x`) but the machine's folders
// (its libraries, fonts and configuration, which `SystemInputs` stamps), the run's own folders (its
// private folder, the program, the figures it writes) and files the run wrote itself.
import Foundation

enum OpenedFiles {
  /// The files of `opened` (absolute, as the program named them) under `notebookFolder` or under
  /// the folder of one of `declared`, and not under any of `excluded`; each compared by its bytes,
  /// also with the folders' symbolic links resolved.
  static func inputs(_ opened: [String], notebookFolder: String, declared: [String], excluded: [URL])
    -> [String]
  {
    let test = Beside(notebookFolder: notebookFolder, declared: declared, excluded: excluded)
    return opened.compactMap(test.kept)
  }

  /// `inputs`' test of one path, its folders standardized and resolved once: asked path by path
  /// (`Runner.learnt`, twice for each of the ~140 paths notebook 02 looks at), resolving every
  /// folder's links again for each took ~35 ms of the cold render's path after the run.
  struct Beside {
    private let beside: [[UInt8]]
    private let own: [[UInt8]]

    init(notebookFolder: String, declared: [String], excluded: [URL]) {
      func forms(_ url: URL) -> [[UInt8]] {
        Set([url.standardizedFileURL.path, url.resolvingSymlinksInPath().path]).map { Array(($0 + "/").utf8) }
      }
      beside =
        forms(URL(fileURLWithPath: notebookFolder, isDirectory: true))
        + declared.flatMap { forms(URL(fileURLWithPath: $0).deletingLastPathComponent()) }
      own = excluded.flatMap(forms)
    }

    /// `path` standardized, if it is one of the inputs; nil otherwise.
    func kept(_ path: String) -> String? {
      let standard = URL(fileURLWithPath: path).standardizedFileURL.path
      let bytes = Array(standard.utf8)
      guard beside.contains(where: { bytes.starts(with: $0) }),
        !own.contains(where: { bytes.starts(with: $0) })
      else { return nil }
      return standard
    }

    /// `path` standardized, if it is elsewhere than the machine's folders and the run's own
    /// (`OpenedFiles.elsewhere`'s rule, with the run's folders resolved once); nil otherwise.
    func elsewhere(_ path: String) -> String? {
      let standard = URL(fileURLWithPath: path).standardizedFileURL.path
      let bytes = Array(standard.utf8)
      let machine = OpenedFiles.machineFolders.map { Array($0.utf8) }
      guard !machine.contains(where: { bytes.starts(with: $0) }) else { return nil }
      let resolved = Array(URL(fileURLWithPath: standard).resolvingSymlinksInPath().path.utf8)
      guard !machine.contains(where: { resolved.starts(with: $0) }),
        !own.contains(where: { bytes.starts(with: $0) || resolved.starts(with: $0) })
      else { return nil }
      return standard
    }
  }
}

extension OpenedFiles {
  /// The machine's own folders: what a program reads there (the C library's locale and time-zone
  /// files, fontconfig's configuration and caches, the fonts) is the machine's, stamped with the
  /// libraries it loaded (`SystemInputs`), not the course's.
  static let machineFolders = [
    "/usr/", "/etc/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/bin/", "/sbin/", "/opt/", "/var/", "/run/",
    "/proc/", "/sys/", "/dev/", "/nix/", "/snap/", "/gnu/",
  ]

  /// The files of `opened` (absolute) anywhere but the machine's folders and `excluded`: a file
  /// read by its path outside the notebook's folder (`~/datasets/x.csv`) keys the run as a data
  /// file does (an edit of it replayed the stale run).
  static func elsewhere(_ opened: [String], excluded: [URL], written: [String] = []) -> [String] {
    let ownFiles = Set(written.map { Array(URL(fileURLWithPath: $0).standardizedFileURL.path.utf8) })
    let own = excluded.flatMap { url in
      Set([url.standardizedFileURL.path, url.resolvingSymlinksInPath().path]).map { Array(($0 + "/").utf8) }
    }
    let machine = machineFolders.map { Array($0.utf8) }
    return opened.compactMap { path in
      let standard = URL(fileURLWithPath: path).standardizedFileURL.path
      let resolved = Array(URL(fileURLWithPath: standard).resolvingSymlinksInPath().path.utf8)
      let bytes = Array(standard.utf8)
      guard !ownFiles.contains(bytes),
        !machine.contains(where: { bytes.starts(with: $0) || resolved.starts(with: $0) }),
        !own.contains(where: { bytes.starts(with: $0) || resolved.starts(with: $0) })
      else { return nil }
      return standard
    }
  }
}

extension OpenedFiles {
  /// The machine's folders whose files are the running system's state, not inputs: a socket, a pid
  /// file, the kernel's views (the runtime records none of /proc, /sys, /dev).
  static let volatileFolders = ["/proc/", "/sys/", "/dev/", "/run/", "/var/run/", "/var/lock/"]

  /// The files of `opened` (absolute) in the machine's folders (`machineFolders`, not
  /// `volatileFolders`) that the run did not write: stamped as the libraries it loaded are
  /// (`SystemInputs`). A data set kept in `/opt/datasets` or `/var/tmp` and read by its path was left
  /// out with the machine's own files, and its edit replayed the stale run; the machine's files the
  /// program reads (locale, time zone, fontconfig's configuration) change only when a package does.
  static func inMachineFolders(_ opened: [String], written: [String] = []) -> [String] {
    let ownFiles = Set(written.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
    return opened.compactMap { path in
      let standard = URL(fileURLWithPath: path).standardizedFileURL.path
      guard machineFolders.contains(where: standard.hasPrefix),
        !volatileFolders.contains(where: standard.hasPrefix),
        !ownFiles.contains(standard)
      else { return nil }
      return standard
    }
  }
}

extension Runner {
  /// A warning at its block for each file the program wrote beside the notebook or its data files
  /// (`OpenedFiles.inputs`) that is there after the run: a cached run does not write it again, and
  /// a notebook that reads it shows what was there when it ran, which depends on which notebook
  /// ran first (`--jobs`, the notebooks' order).
  static func writeWarnings(
    _ parsed: RunEvents, notebook: Notebook, folder: RunFolder, binary: URL, program: URL, figures: URL
  ) -> [Diagnostic] {
    var seen = Set<[UInt8]>()
    let test = OpenedFiles.Beside(
      notebookFolder: folder.notebookFolder, declared: parsed.dataFiles,
      excluded: ownFolders(folder, binary: binary, program: program, figures: figures))
    return parsed.writtenFiles.compactMap { block, file in
      guard
        let kept = test.kept(file),
        FileManager.default.fileExists(atPath: kept), seen.insert(Array(kept.utf8)).inserted
      else { return nil }
      let fence =
        notebook.blocks.first { $0.index == block }?.fence ?? SourceLocation(file: notebook.path, line: 1)
      return Diagnostic(
        .warning,
        "the code wrote \(folder.relative(kept)) beside the notebook: a cached run does not write it again, "
          + "and a notebook that reads it shows what was there when it ran, which depends on which notebook ran "
          + "first (--jobs); keep it in NSTemporaryDirectory() and read it back here, or make it where it is read",
        at: fence)
    }
  }

  /// The run's own folders: its private folder, the program's folders and its figures.
  static func ownFolders(_ folder: RunFolder, binary: URL, program: URL, figures: URL) -> [URL] {
    [folder.root, binary.deletingLastPathComponent(), program.deletingLastPathComponent(), figures]
  }
}
