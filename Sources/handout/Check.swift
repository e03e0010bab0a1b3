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
      "Rewrite failing published outputs and expect(…, equals: LITERAL) values in the notebooks from what the code now produces; exits non-zero while any check still fails."
  )
  var update = false

  func run() throws {
    let progress = ProgressPrinter()
    // Both editions: a solution is checked, and so is the program a student has without it.
    let outcomes = try shared.processAll(progress: progress, studentEdition: true) { shard?.select($0) ?? $0 }
    var stillFailing = 0
    if update {
      stillFailing = try applyUpdates(outcomes, progress: progress)
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
    let after = " (\(stillFailing) check\(stillFailing == 1 ? "" : "s") still failing after --update)"
    progress.say(
      failed == 0
        ? "all \(outcomes.count) notebook\(outcomes.count == 1 ? "" : "s") passed"
        : "\(failed) of \(outcomes.count) notebook\(outcomes.count == 1 ? "" : "s") failed\(update ? after : "")"
    )
    if update ? stillFailing > 0 : failed > 0 { throw ExitCode.failure }
  }

  /// Rewrites the notebooks; returns how many problems still fail after the rewrite: every failed
  /// check the update left as it was, and every error it cannot fix (a notebook that does not
  /// parse or compile, a block that traps or times out), each counted once.
  func applyUpdates(_ outcomes: [NotebookOutcome], progress: ProgressPrinter) throws -> Int {
    var stillFailing = 0
    for outcome in outcomes where outcome.failed {
      // Everything but failed checks: parse and compile errors, traps, timeouts.
      let otherProblems = outcome.problems.count - (outcome.run?.checks.filter { !$0.passed }.count ?? 0)
      stillFailing += otherProblems
      guard let notebook = outcome.notebook, let run = outcome.run else { continue }
      let source: String
      do {
        source = try String(contentsOfFile: notebook.path, encoding: .utf8)
      } catch {
        progress.error("error: cannot read \(notebook.path): \(error.localizedDescription)")
        stillFailing += run.checks.filter { !$0.passed }.count
        continue
      }
      let result = Updater.rewrite(source: source, notebook: notebook, run: run)
      guard !result.changes.isEmpty, result.source != source else {
        stillFailing += run.checks.filter { !$0.passed }.count
        continue
      }
      stillFailing += result.unresolved.count
      do {
        try result.source.write(toFile: notebook.path, atomically: true, encoding: .utf8)
      } catch {
        progress.error("error: cannot write \(notebook.path): \(error.localizedDescription)")
        throw ExitCode(2)
      }
      progress.say(result.changes.map(\.description).joined(separator: "\n"))
    }
    return stillFailing
  }
}
