// The files a run made and the run that made them, from execute (or the cache) to publish.
import Foundation

/// The files a run made, as they travel from execute (or the cache) to publish.
public struct Artifacts: Equatable, Sendable {
  /// The folder holding `<notebook name>/<figure>.svg|png|pdf`: `FigureOutput.files` are relative
  /// to it exactly as they are to the output folder. A cache entry's `figures/`, or, for a run
  /// that is not cached (a trap, a timeout), a scratch folder kept until the next run sweeps it.
  public var figures: URL
  /// The SHA-256 of files under `figures`, by path relative to it, with the stamp each had when it
  /// was hashed (a run just stored): publish takes a hash while the file's stamp holds.
  var hashes: [String: OwnedStamps.Entry] = [:]

  /// The artifacts whose figures are in `figures`; nothing is checked or copied.
  public init(figures: URL) { self.figures = figures }
}

/// A notebook's run with the files it made.
public struct RunOutput: Sendable {
  /// What the run produced (compile errors, traps and timeouts included), before `Checker.check`.
  public var result: RunResult
  /// nil when nothing ran (no code, a compile error).
  public var artifacts: Artifacts?
  /// Absolute paths of the data files the program read through the runtime (`dataFile(_:)`), as
  /// recorded by this run or by the cached run it replays; empty when nothing ran.
  public var dataFiles: [String]
  /// Files of Handout's cache the program read, not its own run's (`Execution.cacheReads`): such a
  /// run is never cached, so a replayed run has none.
  public var cacheReads: [String] = []
  /// Files of the instructor's published handouts the program read (`Execution.instructorReads`):
  /// such a run is never cached, so a replayed run has none.
  public var instructorReads: [String] = []
  /// The processes the program started and the system calls it made that the runtime cannot see
  /// (`Execution.processes`): such a run is never cached, so a replayed run has none.
  public var processes: [String] = []

  /// A run, its files, and the data files it read.
  public init(
    result: RunResult, artifacts: Artifacts?, dataFiles: [String] = [], cacheReads: [String] = [],
    instructorReads: [String] = []
  ) {
    self.result = result
    self.artifacts = artifacts
    self.dataFiles = dataFiles
    self.cacheReads = cacheReads
    self.instructorReads = instructorReads
  }
}
