// A render of some notebooks of a course folder changes the course's order around them: the
// handouts already there whose previous/next links (or course name) no longer match are woven
// again from their cached runs, so every page's links are right after any render. Their code
// does not run again: a neighbour whose run is not cached keeps its page, and a note says so
// (publish does the same for one whose notebook changed since its page was written:
// `Publisher.samePage`).
import Foundation

extension Pipeline {
  /// `outcomes` and, after them, the neighbours in `publication.out` whose links `outcomes`
  /// change, each from its cached run (`RunOptions.cachedOnly`); `neighbours` names them for
  /// `PublishOptions.neighbours`, and `notes` names those left as they are.
  static func withNeighbours(
    _ outcomes: [NotebookOutcome], _ publication: Publication, options: RunOptions, jobs: Int
  ) -> (outcomes: [NotebookOutcome], neighbours: Set<String>, notes: [Diagnostic]) {
    let stale = Publisher.staleNeighbours(of: outcomes, in: publication.out, options: publication.options)
    guard !stale.isEmpty else { return (outcomes, [], []) }
    var cached = options
    cached.useCache = true
    cached.cachedOnly = true
    cached.progress = nil
    let found = processAll(stale.map(\.path), jobs: jobs, options: cached)
    var result = outcomes
    var names = Set<String>()
    var notes: [Diagnostic] = []
    for (neighbour, outcome) in zip(stale, found) {
      // The name it has in the folder: a notebook that now parses under another name is not it.
      guard outcome.run != nil, !outcome.failed, outcome.notebook?.name == neighbour.name else {
        // Why, truly: a run from the cache that fails its checks now is not a missing run.
        let why =
          outcome.run == nil
          ? "its run is not in the cache (render it too to update it)"
          : "it fails now (render it too to see why)"
        notes.append(
          Diagnostic(
            .note, "\(neighbour.name).html still links to its previous neighbours: \(why)",
            at: SourceLocation(file: neighbour.path, line: 1)))
        continue
      }
      result.append(outcome)
      names.insert(neighbour.name)
    }
    return (result, names, notes)
  }
}
