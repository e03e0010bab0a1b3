// `handout check`: run the notebooks and verify every published number.
import ArgumentParser
import Foundation
import Literate

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the notebooks and verify every expectation and published output.",
    discussion:
      "Prints one line per failure as notebook.md:LINE:COL: error: …, and exits 0 only if every check passes."
  )

  @OptionGroup var shared: SharedOptions

  @Option(help: "Also write the results as JUnit XML to this file (for CI).")
  var junit: String?

  @Option(
    help: ArgumentHelp(
      "Check only share K of N (1 ≤ K ≤ N), for a CI matrix of N jobs.",
      discussion:
        "The notebooks sorted by file name go to shards 1, 2, …, N, 1, 2, … in turn: every job computes the same split.",
      valueName: "K/N"))
  var shard: Shard?

  @Flag(
    help:
      "Rewrite failing published outputs and expect(…, equals:) values in the notebooks from what the code now produces."
  )
  var update = false

  func run() throws {
    let progress = ProgressPrinter()
    let outcomes = try shared.processAll(progress: progress) { shard?.select($0) ?? $0 }
    var unfixed = outcomes.filter(\.failed)
    if update {
      unfixed = try applyUpdates(outcomes, progress: progress)
    }
    if let junit {
      do {
        try Report.junit(outcomes).write(toFile: junit, atomically: true, encoding: .utf8)
      } catch {
        progress.error("error: cannot write \(junit): \(error.localizedDescription)")
        throw ExitCode(2)
      }
    }
    if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" {
      Report.githubAnnotations(outcomes).forEach { print($0) }
    }
    let failed = outcomes.filter(\.failed).count
    progress.say(
      failed == 0
        ? "all \(outcomes.count) notebook\(outcomes.count == 1 ? "" : "s") passed"
        : "\(failed) of \(outcomes.count) notebook\(outcomes.count == 1 ? "" : "s") failed\(update ? " (\(unfixed.count) still failing after --update)" : "")"
    )
    if !unfixed.isEmpty { throw ExitCode.failure }
  }

  /// Rewrites the notebooks; returns the outcomes that still fail for reasons an update cannot fix.
  func applyUpdates(_ outcomes: [NotebookOutcome], progress: ProgressPrinter) throws -> [NotebookOutcome] {
    var unfixed: [NotebookOutcome] = []
    for outcome in outcomes {
      guard let notebook = outcome.notebook, let run = outcome.run else {
        if outcome.failed { unfixed.append(outcome) }
        continue
      }
      let onlyChecksFailed =
        run.diagnostics.allSatisfy { $0.severity != .error }
        && run.blocks.values.allSatisfy { $0.failure == nil }
      if !onlyChecksFailed { unfixed.append(outcome) }
      guard let source = try? String(contentsOfFile: notebook.path, encoding: .utf8) else { continue }
      let (updated, changes) = Updater.update(source: source, notebook: notebook, run: run)
      guard !changes.isEmpty, updated != source else { continue }
      do {
        try updated.write(toFile: notebook.path, atomically: true, encoding: .utf8)
      } catch {
        progress.error("error: cannot write \(notebook.path): \(error.localizedDescription)")
        throw ExitCode(2)
      }
      progress.say(changes.map(\.description).joined(separator: "\n"))
    }
    return unfixed
  }
}
