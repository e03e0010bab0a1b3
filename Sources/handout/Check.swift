// `handout check`: run the notebooks and verify every published number.
import ArgumentParser
import Foundation
import Literate

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
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

  @OptionGroup var strictness: StrictOption

  func run() throws {
    let progress = ProgressPrinter()
    if let junit {
      do {
        try Publisher.refuseInStudentEdition(
          junit, what: "the report shows the solutions' failures, their lines and values")
      } catch let error as HandoutError {
        progress.error(error.description)
        throw ExitCode(2)
      }
    }
    // Both editions: a solution is checked, and so is the program a student has without it.
    let outcomes = try shared.processAll(progress: progress, studentEdition: true) { shard?.select($0) ?? $0 }
    let failed = outcomes.filter(\.failed).count
    // With --update, what the notebooks on disk now give: the rewritten ones are checked again,
    // so a rewrite that does not make them pass cannot be reported as a success.
    var final = outcomes
    if update {
      let rewritten = try applyUpdates(outcomes, progress: progress)
      if !rewritten.isEmpty {
        progress.say(
          "checking the \(rewritten.count) updated notebook\(rewritten.count == 1 ? "" : "s") again")
        let again = try shared.processAll(progress: progress, studentEdition: true) { _ in rewritten }
        for outcome in again {
          if let k = final.firstIndex(where: { $0.path == outcome.path }) { final[k] = outcome }
        }
      }
    }
    if let junit {
      do {
        try Report.junit(final).write(toFile: junit, atomically: true, encoding: .utf8)
      } catch {
        progress.error("error: cannot write \(junit): \(FileError.reason(of: error, at: junit))")
        throw ExitCode(2)
      }
    }
    if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" {
      Report.githubAnnotations(final).forEach { print($0) }
    }
    // The decks' slides too: one that would shrink below 75 % is a warning (an error with --strict).
    let strictFailure = SlideFit.report(final, strict: strictness.strict, progress: progress)
    let total = "\(outcomes.count) notebook\(outcomes.count == 1 ? "" : "s")"
    let stillFailing = final.filter(\.failed)
    if failed == 0 {
      progress.say("all \(total) passed")
    } else if !update {
      progress.say("\(failed) of \(total) failed")
    } else if stillFailing.isEmpty {
      progress.say("\(failed) of \(total) failed; all pass after --update")
    } else {
      let left = stillFailing.reduce(0) { $0 + max(1, $1.problems.count) }
      progress.say(
        "\(failed) of \(total) failed; \(stillFailing.count) of \(total) still fail\(stillFailing.count == 1 ? "s" : "") "
          + "after --update (\(left) problem\(left == 1 ? "" : "s") left)")
    }
    if !stillFailing.isEmpty || strictFailure { throw ExitCode.failure }
  }

  /// Rewrites the failing notebooks' published outputs and `expect` literals from what their code
  /// produced, keeping every other byte (a byte-order mark, CRLF line endings); prints each
  /// change and returns the paths of the notebooks it rewrote.
  func applyUpdates(_ outcomes: [NotebookOutcome], progress: ProgressPrinter) throws -> [String] {
    var rewritten: [String] = []
    for outcome in outcomes where outcome.failed {
      guard let notebook = outcome.notebook, let run = outcome.run else { continue }
      // Where the notebook really is: a notebook that is a symlink stays one, and the file it
      // names is rewritten.
      let url = URL(fileURLWithPath: notebook.path).resolvingSymlinksInPath()
      let source: String
      do {
        let data = try Data(contentsOf: url)
        // Saved again while it was checked (an editor open on it): the run's lines and columns
        // are not this text's, and rewriting them would write into the wrong lines.
        guard (try? Notebook.parse(data: data, path: notebook.path)) == notebook else {
          progress.error(
            "error: \(notebook.path) changed while it was checked; it was not updated (run check --update again)"
          )
          continue
        }
        // Decoded by hand: Foundation's UTF-8 reading drops a byte-order mark.
        source = String(decoding: data, as: UTF8.self)
      } catch {
        progress.error(
          "error: cannot read \(notebook.path): \(FileError.reason(of: error, at: notebook.path))")
        continue
      }
      let result = Updater.rewrite(source: source, notebook: notebook, run: run)
      guard !result.changes.isEmpty, result.source != source else { continue }
      if let problem = Updater.readOnlyProblem(url) {
        progress.error("error: \(notebook.path) \(problem)")
        continue
      }
      do {
        // In one step, with the notebook's permissions: never half written, whenever it is stopped.
        try Updater.write(result.source, over: url)
      } catch {
        progress.error(
          "error: cannot write \(notebook.path): \(FileError.reason(of: error, at: notebook.path))")
        throw ExitCode(2)
      }
      progress.say(result.changes.map(\.description).joined(separator: "\n"))
      rewritten.append(outcome.path)
    }
    return rewritten
  }
}
