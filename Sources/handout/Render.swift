// `handout render`: run the notebooks and write the HTML handouts, their figures and the index.
import ArgumentParser
import Foundation
import Literate

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the notebooks and write HTML handouts, figures and a course index.",
    discussion:
      "A handout is written even when a check fails (the failure is marked in it); the exit status is then non-zero. A notebook that cannot be parsed keeps its previous handout."
  )

  @OptionGroup var shared: SharedOptions

  @Option(name: .shortAndLong, help: "Output folder.")
  var out: String = "output"

  @Flag(help: "Embed figures, CSS and KaTeX so each handout is one file that can be mailed.")
  var selfContained = false

  @Option(
    help: "Folder of templates overriding the built-in ones (handout.mustache, index.mustache, handout.css).")
  var templates: String?

  func validate() throws {
    // Before any notebook runs: a wrong folder should not cost a whole course's run.
    if let templates, !FileManager.default.fileExists(atPath: templates) {
      throw ValidationError(
        "templates folder \(templates) does not exist; pass a folder holding handout.mustache")
    }
  }

  func run() throws {
    let progress = ProgressPrinter()
    let outcomes = try shared.processAll(progress: progress)
    var options = WeaveOptions(
      selfContained: selfContained, generator: "handout \(Handout.configuration.version)")
    if let templates {
      options.templatesDirectory = URL(fileURLWithPath: templates, isDirectory: true)
    }
    let outURL = URL(fileURLWithPath: out, isDirectory: true)
    let problems: [Diagnostic]
    do {
      problems = try Publisher.publish(outcomes, to: outURL, weave: options)
    } catch let error as HandoutError {
      progress.error(error.description)
      throw ExitCode(2)
    }
    problems.forEach { progress.error($0.description) }
    let written = outcomes.filter { $0.run != nil }.count
    progress.say("wrote \(written) handout\(written == 1 ? "" : "s") and index.html to \(out)/")
    if !problems.isEmpty || outcomes.contains(where: \.failed) { throw ExitCode.failure }
  }
}
