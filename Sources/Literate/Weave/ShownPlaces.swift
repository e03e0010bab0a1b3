// The places a page names (a failure's, a check's, a problem's) as the page names the notebook
// (`Notebook.shownPath`), whichever path `handout` was given: the terminal keeps the path as typed,
// which is where the person who typed it looks.
import Foundation

extension Notebook {
  /// `file` as the page names it: the notebook itself as `shownPath`, a file under its folder (its
  /// shared code) under `shownPath`'s folder; any other file as it is.
  func shown(_ file: String) -> String {
    if file == path { return shownPath }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let given = URL(fileURLWithPath: file).standardizedFileURL.path
    guard given.hasPrefix(folder + "/") else { return file }
    let shownFolder = URL(fileURLWithPath: shownPath).deletingLastPathComponent().relativePath
    let rest = String(given.dropFirst(folder.count + 1))
    return shownFolder == "." ? rest : shownFolder + "/" + rest
  }

  /// `location` with its file as the page names it.
  func shown(_ location: SourceLocation) -> SourceLocation {
    var location = location
    location.file = shown(location.file)
    return location
  }

  /// `diagnostic` and its notes placed as the page names them.
  func shown(_ diagnostic: Diagnostic) -> Diagnostic {
    var diagnostic = diagnostic
    diagnostic.location = diagnostic.location.map(shown)
    diagnostic.notes = diagnostic.notes.map(shown)
    return diagnostic
  }
}

extension RunResult {
  /// The run with every place it names (diagnostics, block failures, checks) as the page of
  /// `notebook` names it (`Notebook.shown`).
  func shown(for notebook: Notebook) -> RunResult {
    var run = self
    run.diagnostics = diagnostics.map(notebook.shown)
    for (k, var block) in blocks {
      block.failure = block.failure.map(notebook.shown)
      for i in block.checks.indices { block.checks[i].location = notebook.shown(block.checks[i].location) }
      run.blocks[k] = block
    }
    return run
  }
}
