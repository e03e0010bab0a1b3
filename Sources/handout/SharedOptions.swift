// Options every subcommand that runs notebooks shares.
import ArgumentParser
import Foundation
import Literate

struct SharedOptions: ParsableArguments {
  @Argument(help: "Notebooks (.md) or folders of them.")
  var paths: [String] = ["notebooks"]

  @Option(name: .shortAndLong, help: "How many notebooks run at once (each in its own process).")
  var jobs: Int = 1

  @Flag(help: "Ignore cached results: recompile and re-run every notebook.")
  var fresh = false

  @Option(
    help: ArgumentHelp(
      "Folder holding libHandoutRuntime and its Modules/.",
      discussion: "Default: $HANDOUT_RUNTIME, else the folder of this executable."))
  var runtime: String?

  @Option(
    help: ArgumentHelp(
      "Cache folder for compiled notebooks and their results.",
      discussion: "Default: $HANDOUT_CACHE, else .handout-cache"))
  var cache: String?

  @Flag(
    help:
      "Compile notebook code with -O: slower to compile, faster hand-written loops; traps then name the block rather than the line."
  )
  var optimize = false

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
  }

  /// The run options, or an error message for a person.
  func runOptions(progress: ProgressPrinter) throws -> RunOptions {
    let location = try RuntimeLocation.locate(explicit: runtime)
    let env = ProcessInfo.processInfo.environment
    let cacheDir = cache ?? env["HANDOUT_CACHE"] ?? ".handout-cache"
    return RunOptions(
      runtime: location, compile: CompileOptions(optimize: optimize),
      cacheDirectory: URL(fileURLWithPath: cacheDir, isDirectory: true), useCache: !fresh,
      progress: { progress.report($0) })
  }

  /// Parses, runs and checks every notebook named (those `select` keeps), printing progress and
  /// every problem.
  func processAll(progress: ProgressPrinter, select: ([String]) -> [String] = { $0 }) throws
    -> [NotebookOutcome]
  {
    let notebooks: [String]
    let options: RunOptions
    do {
      notebooks = try Pipeline.notebookPaths(paths)
      options = try runOptions(progress: progress)
    } catch let error as HandoutError {
      progress.error(error.description)
      throw ExitCode(2)
    }
    if notebooks.isEmpty {
      progress.error("error: no notebooks (*.md) in \(paths.joined(separator: ", "))")
      throw ExitCode(2)
    }
    return Pipeline.processAll(select(notebooks), jobs: jobs, options: options) { outcome in
      progress.finished(outcome)
    }
  }
}
