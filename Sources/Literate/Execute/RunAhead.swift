// What a run needs that the compile does not, made on another thread while the frontend compiles
// (issue 25). On a cold render the frontend holds one core for ~200 ms and `handout`'s next step,
// the run, waits for it; what came between the linker's end and the program's start was on the
// critical path: the declaration-order check of every block (swift-syntax walks, ~2 ms) and the
// run's private folder, whose making first lists the system's temporary folder for abandoned ones
// (5 ms on a machine whose /tmp holds 13 000 entries). Both are the same whenever they are made;
// the folder is given to the reaper as soon as it exists, and removed when no run takes it.
import Foundation

/// The declaration-order errors of a notebook and its run folder, made beside the compile.
final class RunAhead: @unchecked Sendable {
  private let group = DispatchGroup()
  private let reaper: ProcessReaper?
  private var order: [Diagnostic] = []
  private var folder: Result<RunFolder, Error> = .failure(CancellationError())
  private var taken = false

  /// Starts both for `notebook` on another thread; the folder is made in `parent`.
  init(
    _ notebook: Notebook, reaper: ProcessReaper?, parent: URL = FileManager.default.temporaryDirectory
  ) {
    self.reaper = reaper
    DispatchQueue.global(qos: .userInitiated).async(group: group) {
      self.order = notebook.useBeforeDeclaration()
      self.folder = Result { try RunFolder.make(for: notebook, in: parent) }
      if case .success(let made) = self.folder {
        reaper?.add(folder: made.root.path)
        // A signal came while it was made: the reaper may have removed its folders already.
        if reaper?.isStopping == true { made.remove() }
      }
    }
  }

  /// The uses of a name before its declaration ran (`Notebook.useBeforeDeclaration`).
  func orderErrors() -> [Diagnostic] {
    group.wait()
    return order
  }

  /// The run folder, the caller's from now on (given to the reaper; `execute` removes it).
  /// - Throws: `HandoutError.file` when it could not be made.
  func takeFolder() throws -> RunFolder {
    group.wait()
    taken = true
    return try folder.get()
  }

  /// Removes the folder unless a run took it (the compile failed, or threw).
  func discard() {
    group.wait()
    guard !taken, case .success(let made) = folder, reaper?.isStopping != true else { return }
    made.remove()
    reaper?.remove(folder: made.root.path)
  }
}
