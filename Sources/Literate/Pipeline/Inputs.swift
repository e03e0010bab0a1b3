// The files a handout depends on, as a watcher (`handout preview`) needs them: what, when changed,
// can change the page. The same inputs as the run cache's key (see `RunCache.key`), as files.
import Foundation

extension NotebookOutcome {
  /// Every file whose change can change this notebook's handout, sorted, each once: the notebook,
  /// the files its front matter's `data:` globs match now, the data files its run read through
  /// `dataFile(_:)` (`dataFiles`), and its folder's shared code (`_shared/*.swift`, listed now).
  ///
  /// A notebook that did not parse has only itself and its shared code: its globs are unknown
  /// until it parses again. Globs and the shared folder are read from the disk at each call, so a
  /// data file or shared file that appears is among the inputs from then on.
  public var inputFiles: [String] {
    let folder = Pipeline.folder(of: path)
    var files = [path] + dataFiles + SharedCode.sources(forNotebooksIn: folder)
    for pattern in notebook?.frontMatter.data ?? [] {
      files += DataInputs.expand(pattern, in: folder)
    }
    return Array(Set(files)).sorted()
  }
}
