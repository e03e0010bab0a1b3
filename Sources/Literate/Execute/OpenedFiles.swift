// Which of the files a notebook program opened for reading (`opened` events, CReads.h) are inputs
// of its run. A program reads data through `dataFile(_:)`, which records the file; but a path built
// from a data file's folder (`dataFile("a.txt").deletingLastPathComponent()
// .appendingPathComponent("b.txt")`), or a file of a folder it listed, is read without a record,
// and an edit of it replayed the stale run from the cache. So every file the program opened in the
// notebook's folder (or below it), or in the folder of a file it read through `dataFile`
// (`../data/`), counts as read through `dataFile`: its content is in the run's entry. Files
// elsewhere (the machine's libraries, fonts and configuration, which `SystemInputs` stamps; `/tmp/x`)
// and the run's own folders (its private folder, the program, the figures it writes) do not.
import Foundation

enum OpenedFiles {
  /// The files of `opened` (absolute, as the program named them) under `notebookFolder` or under
  /// the folder of one of `declared`, and not under any of `excluded`; each compared by its bytes,
  /// also with the folders' symbolic links resolved.
  static func inputs(_ opened: [String], notebookFolder: String, declared: [String], excluded: [URL])
    -> [String]
  {
    func forms(_ url: URL) -> [[UInt8]] {
      Set([url.standardizedFileURL.path, url.resolvingSymlinksInPath().path]).map { Array(($0 + "/").utf8) }
    }
    let beside =
      forms(URL(fileURLWithPath: notebookFolder, isDirectory: true))
      + declared.flatMap { forms(URL(fileURLWithPath: $0).deletingLastPathComponent()) }
    let own = excluded.flatMap(forms)
    return opened.compactMap { path in
      let standard = URL(fileURLWithPath: path).standardizedFileURL.path
      let bytes = Array(standard.utf8)
      guard beside.contains(where: { bytes.starts(with: $0) }),
        !own.contains(where: { bytes.starts(with: $0) })
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
    return parsed.writtenFiles.compactMap { block, file in
      guard
        let kept = OpenedFiles.inputs(
          [file], notebookFolder: folder.notebookFolder, declared: parsed.dataFiles,
          excluded: ownFolders(folder, binary: binary, program: program, figures: figures)
        ).first,
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
