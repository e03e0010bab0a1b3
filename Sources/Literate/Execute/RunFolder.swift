// The folder a notebook program runs in: private to one run. It is made empty (mode 0700) before
// the program starts and removed after it ends, so a file one run writes (an instructor's
// solution saving its weights) can never be read by another run (the student edition's, the next
// render's), and a plain relative read of a file beside the notebook fails instead of becoming an
// input the cache key does not know. Data reaches the program through `dataFile(_:)` (which
// resolves against the notebook's folder, `HANDOUT_FOLDER`) or the front matter's `data:`, whose
// files are copied in at the same relative paths.
//
// The program's `HOME` and `TMPDIR` are folders of the run too (`home/`, `tmp/` beside the working
// tree `work/`): a solution that saves its weights to `NSTemporaryDirectory()` or `$HOME` must
// not hand them to the student edition's run, or to the next render, through a folder every run
// shares. (A path written out in full, `/tmp/x` or `/dev/shm/x`, is still the machine's, and so is
// `NSHomeDirectory()`, which Foundation reads from the user database on Linux.)
//
// Like a print's scratch folder it lives in the system's temporary folder (`$TMPDIR`, else /tmp),
// which every user of the machine can list, and is named after the `handout` that made it
// (`handout-run-<pid>-<uuid>`): one whose `handout` was killed with SIGKILL is removed by the next
// run; SIGINT and SIGTERM remove it through the reaper.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The private folder of one run of a notebook program.
struct RunFolder {
  static let prefix = "handout-run-"
  /// The folder made for the run; removed after it.
  let root: URL
  /// Where the program starts: `root/work`, or the folder in it that stands for the notebook's
  /// folder when a `data:` file lies above the notebook's folder (`../data/*.csv`).
  let workingDirectory: URL
  /// The notebook's folder (absolute), which `workingDirectory` stands for.
  let notebookFolder: String
  /// The program's `HOME`: empty when the run starts.
  var home: URL { root.appendingPathComponent("home", isDirectory: true) }
  /// The program's `TMPDIR`: empty when the run starts.
  var temporary: URL { root.appendingPathComponent("tmp", isDirectory: true) }
  /// The variables that point the program at the run's own folders rather than the machine's.
  var environment: [String: String] { ["HOME": home.path, "TMPDIR": temporary.path] }

  /// A new private folder in `parent` for a run of `notebook`, with the files its `data:` globs
  /// name copied in; abandoned folders in `parent` are removed first.
  /// - Throws: `HandoutError.file` when the folder cannot be made or a data file not copied.
  static func make(for notebook: Notebook, in parent: URL = FileManager.default.temporaryDirectory) throws
    -> RunFolder
  {
    removeAbandoned(in: parent)
    let pid = ProcessInfo.processInfo.processIdentifier
    let root = parent.appendingPathComponent("\(prefix)\(pid)-\(UUID().uuidString)", isDirectory: true)
    guard mkdir(root.path, 0o700) == 0 else {
      let reason = String(cString: strerror(errno))
      throw HandoutError.file(
        FileError(path: root.path, reason: "cannot make the notebook program's private folder: \(reason)"))
    }
    let folder = Runner.notebookFolder(of: notebook)
    let files = notebook.frontMatter.data.filter { !$0.hasPrefix("/") }
      .flatMap { DataInputs.expand($0, in: folder) }.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    let own = URL(fileURLWithPath: folder).pathComponents
    // The deepest folder holding the notebook's folder and every data file: the root stands for it.
    var depth = own.count
    for file in files {
      let parts = URL(fileURLWithPath: file).pathComponents.dropLast()
      depth = min(depth, zip(own, parts).prefix { $0 == $1 }.count)
    }
    let tree = root.appendingPathComponent("work", isDirectory: true)
    let run = RunFolder(
      root: root, workingDirectory: Self.appending(own[depth...], to: tree), notebookFolder: folder)
    do {
      for made in [tree, run.home, run.temporary] {
        try FileManager.default.createDirectory(
          at: made, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
      }
      try FileManager.default.createDirectory(at: run.workingDirectory, withIntermediateDirectories: true)
      for file in Set(files).sorted() {
        let copy = Self.appending(URL(fileURLWithPath: file).pathComponents[depth...], to: tree)
        try FileManager.default.createDirectory(
          at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        // The content, not a link: a relative link (`a.csv -> ../shared/a.csv`) copied as a link
        // would point nowhere in the run's folder, an absolute one at the user's file, which the
        // program could then write.
        let content = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
        try FileManager.default.copyItem(atPath: content, toPath: copy.path)
      }
    } catch {
      run.remove()
      throw HandoutError.file(FileError(path: root.path, reason: "cannot copy the notebook's data: \(error)"))
    }
    return run
  }

  static func appending(_ components: ArraySlice<String>, to url: URL) -> URL {
    components.reduce(url) { $0.appendingPathComponent($1, isDirectory: true) }
  }

  /// Removes the folder and everything in it (a straggler that escaped the run may still be
  /// writing: tried a few times).
  func remove() {
    for _ in 0..<3 where FileManager.default.fileExists(atPath: root.path) {
      try? FileManager.default.removeItem(at: root)
    }
  }

  /// Removes the run folders in `parent` whose `handout` no longer exists. Other names, and
  /// folders of live processes, are left alone.
  static func removeAbandoned(in parent: URL) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    for name in names where name.hasPrefix(prefix) {
      let rest = name.dropFirst(prefix.count)
      guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
        UUID(uuidString: String(rest[rest.index(after: dash)...])) != nil,
        kill(pid, 0) != 0 && errno == ESRCH
      else { continue }
      try? fm.removeItem(atPath: parent.appendingPathComponent(name).path)
    }
  }

  /// What to add to a failure whose text (`output`) says a file was not found, when that file
  /// is there beside the notebook: the program looked for it in its private folder. nil otherwise.
  func hint(for output: String) -> String? {
    let notFound = ["No such file", "doesn’t exist", "doesn't exist", "Code=260", "Code=4 "]
    guard notFound.contains(where: { output.contains($0) }) else { return nil }
    let here = workingDirectory.path + "/"
    for var path in Self.filePaths(in: output) {
      if path.hasPrefix(here) { path.removeFirst(here.count) }
      guard !path.isEmpty, !path.hasPrefix("/"),
        FileManager.default.fileExists(atPath: "\(notebookFolder)/\(path)")
      else { continue }
      return
        "notebook code runs in a private folder of its own, not the notebook's: read `\(path)` through "
        + "dataFile(\"\(path)\") or list it under `data:` in the front matter"
    }
    return nil
  }

  /// The values of `NSFilePath=` in an error's description (Foundation's `NSError` text: the
  /// user-info entries, `, `-separated, in any order, closed by `}`).
  static func filePaths(in text: String) -> [String] {
    var paths: [String] = []
    var rest = Substring(text)
    while let key = rest.range(of: "NSFilePath=") {
      rest = rest[key.upperBound...]
      let value = rest.prefix { $0 != "\n" }
      let end = [value.range(of: ", NS")?.lowerBound, value.range(of: "}")?.lowerBound].compactMap { $0 }
        .min()
      paths.append(String(value[..<(end ?? value.endIndex)]))
    }
    return paths
  }
}
