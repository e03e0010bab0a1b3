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
import SwiftSyntax

#if canImport(Glibc)
  import Glibc
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
  /// The executable as it runs (`Runner.named`), and the name `relative` says it by (the
  /// notebook's, as its `argv[0]`), its folder said as `.`.
  var program: (url: URL, name: String)? = nil
  /// What stands for the deepest folder holding the notebook's folder and its `data:` files.
  var tree: URL { root.appendingPathComponent("work", isDirectory: true) }
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
    let root: URL
    switch ProcessFolders.make(in: parent, prefix: prefix) {
    case .success(let made): root = made
    case .failure(let problem):
      throw HandoutError.file(
        FileError(
          path: problem.path, reason: "cannot make the notebook program's private folder: \(problem.reason)"))
    }
    let folder = Runner.notebookFolder(of: notebook)
    let files = notebook.frontMatter.data.filter { !$0.hasPrefix("/") }
      .flatMap { DataInputs.expand($0, in: folder) }.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    let own = URL(fileURLWithPath: folder).pathComponents
    // The deepest folder holding the notebook's folder and every data file: `work/` stands for it.
    var depth = own.count
    for file in files {
      let parts = URL(fileURLWithPath: file).pathComponents.dropLast()
      depth = min(depth, zip(own, parts).prefix { $0 == $1 }.count)
    }
    // A FIFO, a device or a socket has no content to copy: reading one waited for ever (a FIFO
    // without a writer) or without end (`/dev/zero`), and `handout` hung before the run.
    for file in files {
      var info = stat()
      guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
        try? FileManager.default.removeItem(at: root)
        throw HandoutError.file(
          FileError(
            path: file,
            reason: "the front matter's data: names it, but it is not a file (a FIFO, a device or a socket); "
              + "list only files there"))
      }
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
    ProcessFolders.removeAbandoned(in: parent, prefix: prefix)
  }

  /// `text` with every path into the folder said as the notebook's folder would name it: the
  /// working directory's files by their relative names (`data.csv`), a folder `data:` copied from
  /// above the notebook's folder as `../data/x.csv`, the working directory itself as `.`. A person
  /// reading a message looks for the file where the notebook is (the run's folder is gone by
  /// then), and a page never shows the run's random name.
  func relative(_ text: String) -> String {
    let programFolder = program?.url.deletingLastPathComponent().path
    let up = workingDirectory.pathComponents.count - tree.pathComponents.count
    let treeName = up == 0 ? "." : Array(repeating: "..", count: up).joined(separator: "/")
    // The notebook's own folder (`dataFile` gives paths there), and the folder `work/` stands for.
    let outside = Self.realFolders(notebookFolder: notebookFolder, up: up, treeName: treeName)
    let ascii = Self.isASCII(text)
    guard
      Self.contains(text, Self.prefix, ascii: ascii)
        || programFolder.map { Self.contains(text, $0, ascii: ascii) } == true
        || outside.contains(where: { Self.contains(text, $0.folder, ascii: ascii) })
    else { return text }
    var result = text
    // The run's own `$TMPDIR` and `$HOME` by those names; the longest folders first. The
    // executable (in the cache's scratch folder) by the notebook's name, in `.`.
    let executable = program.map { [($0.url.path, $0.name), ($0.url.deletingLastPathComponent().path, ".")] }
    let folders =
      (executable ?? []) + [
        (workingDirectory.path, "."), (temporary.path, "$TMPDIR"), (home.path, "$HOME"),
        (tree.path, treeName),
      ]
    for (folder, name) in folders {
      // Also as the program may see it, its symbolic links resolved (`$TMPDIR` through a link).
      let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
      for form in Set([folder, real]) {
        result = result.replacingOccurrences(of: form + "/", with: name == "." ? "" : name + "/")
        result = result.replacingOccurrences(of: form, with: name)
      }
    }
    // Last: the run's folders may lie inside the notebook's (a cache in it holds the program).
    return Self.replacingPaths(outside, in: result)
  }

  /// Whether `text` holds `needle` as Foundation's `contains` says. Where both are ASCII that is
  /// byte for byte, and `bytes(_:contain:)` says it: Foundation's search (`CFStringFind`, through
  /// UTF-16) took 8 ms of a cold render of notebook 02 after its run, on its passed checks' long
  /// expected texts. `ascii`: whether `text` is (`isASCII`).
  static func contains(_ text: String, _ needle: String, ascii: Bool) -> Bool {
    guard ascii, isASCII(needle), !needle.isEmpty,
      let found = text.utf8.withContiguousStorageIfAvailable({ haystack in
        needle.utf8.withContiguousStorageIfAvailable { bytes(haystack, contain: $0) }
      }), let found
    else { return text.contains(needle) }
    return found
  }

  /// Whether the bytes of `needle` (not empty) stand in `haystack`: `memchr` for its first byte,
  /// `memcmp` for the rest.
  static func bytes(_ haystack: UnsafeBufferPointer<UInt8>, contain needle: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    guard let first = needle.first, let wanted = needle.baseAddress, let base = haystack.baseAddress,
      needle.count <= haystack.count
    else { return false }
    let last = haystack.count - needle.count
    var at = 0
    while at <= last, let hit = memchr(base + at, Int32(first), last - at + 1) {
      let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
      if memcmp(base + offset, wanted, needle.count) == 0 { return true }
      at = offset + 1
    }
    return false
  }

  /// Whether every byte of `text` is ASCII.
  static func isASCII(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } }
      ?? text.utf8.allSatisfy { $0 < 0x80 }
  }

  /// The notebook's folder as `.` and the folder `work/` stands for (`up` levels above it) as
  /// `treeName`, each also with its symbolic links resolved; the longer first. None for `/`, whose
  /// name is in every path.
  static func realFolders(notebookFolder: String, up: Int, treeName: String) -> [(
    folder: String, name: String
  )] {
    let own = URL(fileURLWithPath: notebookFolder)
    var named = [(own, ".")]
    if up > 0 {
      named.append(
        (Self.appending(own.pathComponents.dropLast(up).dropFirst(), to: URL(fileURLWithPath: "/")), treeName)
      )
    }
    var result: [(folder: String, name: String)] = []
    for (url, name) in named {
      for form in Set([url.standardizedFileURL.path, url.resolvingSymlinksInPath().path])
      where form != "/" && !form.isEmpty {
        result.append((form, name))
      }
    }
    return result.sorted { $0.folder.count > $1.folder.count }
  }

  /// `text` with each of `folders` said by its name where it stands as a whole path or the start
  /// of one: not inside a longer name (`notebooks-old` is not `notebooks`) or a longer path.
  static func replacingPaths(_ folders: [(folder: String, name: String)], in text: String) -> String {
    func isNamePart(_ c: Character) -> Bool { c.isLetter || c.isNumber || "-_.~".contains(c) }
    var result = text
    for (folder, name) in folders {
      var out = ""
      var rest = Substring(result)
      while let found = rest.range(of: folder) {
        let before = found.lowerBound > rest.startIndex ? rest[rest.index(before: found.lowerBound)] : nil
        let after = found.upperBound < rest.endIndex ? rest[found.upperBound] : nil
        out += rest[..<found.lowerBound]
        if let before, isNamePart(before) {
          out += rest[found]
        } else if after == "/" {
          out += name == "." ? "" : name + "/"
          rest = rest[rest.index(after: found.upperBound)...]
          continue
        } else if after.map(isNamePart) == true {
          out += rest[found]
        } else {
          out += name
        }
        rest = rest[found.upperBound...]
      }
      result = out + rest
    }
    return result
  }

  /// `result` with every text a person reads from it (printed output, values, failures, checks,
  /// inline values, diagnostics) said by `relative(_:)`.
  func relative(_ result: RunResult) -> RunResult {
    var result = result
    for (k, var block) in result.blocks {
      block.text = relative(block.text)
      block.value = block.value.map(relative)
      if let message = block.failure?.message { block.failure?.message = relative(message) }
      for c in block.checks.indices {
        block.checks[c].expected = relative(block.checks[c].expected)
        block.checks[c].actual = relative(block.checks[c].actual)
        block.checks[c].difference = block.checks[c].difference.map(relative)
      }
      result.blocks[k] = block
    }
    result.inlineValues = result.inlineValues.mapValues(relative)
    for d in result.diagnostics.indices {
      result.diagnostics[d].message = relative(result.diagnostics[d].message)
    }
    return result
  }

  /// What to add to a failure whose text (`output`) says a file was not found, when that file
  /// is there beside the notebook: the program looked for it in its private folder. nil otherwise.
  /// `code`: the string literals of the blocks that ran (`RunFolder.literals(in:)`). When the
  /// text names no such file, a file a literal names that is beside the notebook but not in the
  /// run's folder is the likely cause (`FileManager.default.contents(atPath: "x.csv")!` stops on
  /// nil and names nothing): the hint then says "if".
  func hint(for output: String, literals: [String] = []) -> String? {
    func advice(_ path: String) -> String {
      "notebook code runs in a private folder of its own, not the notebook's: read `\(path)` through "
        + "dataFile(\"\(path)\") or list it under `data:` in the front matter"
    }
    let notFound = ["No such file", "doesn’t exist", "doesn't exist", "Code=260", "Code=4 "]
    let here = workingDirectory.path + "/"
    if notFound.contains(where: { output.contains($0) }) {
      for var path in Self.filePaths(in: output) {
        if path.hasPrefix(here) { path.removeFirst(here.count) }
        if isBesideTheNotebookOnly(path) { return advice(path) }
      }
    }
    for path in literals where isBesideTheNotebookOnly(path) {
      return "if it stopped reading `\(path)`: " + advice(path)
    }
    return nil
  }

  /// Whether the relative `path` names a file beside the notebook that the run's folder does not
  /// have (not copied in by `data:`).
  private func isBesideTheNotebookOnly(_ path: String) -> Bool {
    guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\n") else { return false }
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: "\(notebookFolder)/\(path)", isDirectory: &isFolder)
      && !isFolder.boolValue && !FileManager.default.fileExists(atPath: here(path))
  }

  private func here(_ path: String) -> String { workingDirectory.appendingPathComponent(path).path }

  /// Whether `literal` is the argument of a `dataFile(…)` call (read the right way already).
  private static func isDataFileArgument(_ literal: StringLiteralExprSyntax) -> Bool {
    guard let call = literal.parent?.parent?.parent?.as(FunctionCallExprSyntax.self) else { return false }
    return call.calledExpression.as(DeclReferenceExprSyntax.self)?.baseName.text == "dataFile"
  }

  /// The plain string literals (no interpolation) of `blocks`' code, in order, each once, but the
  /// arguments of `dataFile(…)`.
  static func literals(in blocks: [Block]) -> [String] {
    var seen = Set<String>()
    var result: [String] = []
    for block in blocks {
      for token in block.syntaxTree.tokens(viewMode: .sourceAccurate) {
        guard case .stringSegment(let text) = token.tokenKind,
          let literal = token.parent?.parent?.parent?.as(StringLiteralExprSyntax.self),
          literal.segments.count == 1, !isDataFileArgument(literal), seen.insert(text).inserted
        else { continue }
        result.append(text)
      }
    }
    return result
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
