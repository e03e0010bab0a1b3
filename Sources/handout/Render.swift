// `handout render`: run the notebooks and write the HTML handouts, their figures and the index.
import ArgumentParser
import Foundation
import Literate

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Run the notebooks and write HTML handouts, figures and a course index.",
    discussion:
      "A failing notebook (it does not compile, traps, times out or fails a check) keeps its last good handout <name>.html; its failing page is written beside it as <name>.failed.html, and the index says since when it fails. The exit status is then non-zero. A notebook that cannot be parsed keeps its previous handout."
  )

  @OptionGroup var shared: SharedOptions

  @Option(name: .shortAndLong, help: "Output folder.")
  var out: String = "output"

  @Flag(help: "Embed figures, CSS and KaTeX so each handout is one file that can be mailed.")
  var selfContained = false

  @Flag(
    help: ArgumentHelp(
      "Also print each handout to <name>.pdf (A4, page numbers, course and title in the header).",
      discussion:
        "Printed by headless Chromium ($HANDOUT_CHROMIUM, else chromium on PATH, else /usr/bin/chromium). Without Chromium the HTML handouts are still written, except that a handout that has a PDF is kept as it is (page, deck and PDF), and the exit status is non-zero. $SOURCE_DATE_EPOCH, when set, is the date the PDF carries (else the time of printing)."
    ))
  var pdf = false

  @Flag(
    help:
      "Publish a failing notebook's page as <name>.html even over its last good handout (for previews).")
  var publishFailures = false

  @Flag(
    help:
      "Also write each handout's slide deck <name>.slides.html (a slide per # or ## heading and per ---), from the same run."
  )
  var slides = false

  @Option(
    help: ArgumentHelp(
      "Who the handouts are for: instructor (solutions collapsed under their exercises) or student.",
      discussion:
        "The student profile leaves every solution out of what is written (page, figures, self-contained page, slides, PDF, index), not hidden: it is computed from the notebook's program without its solutions, run on its own. check always checks both.",
      valueName: "profile"))
  var profile: Profile = .instructor

  @Flag(
    help:
      "Replace the handouts of the other profile in the output folder (a student render into a folder the instructor's edition was rendered to, or the reverse); without it such a folder is refused."
  )
  var force = false

  @OptionGroup var strictness: StrictOption

  @Option(
    help:
      "Folder of templates overriding the built-in ones (handout.mustache, slides.mustache, title-block.mustache, index.mustache, handout.css, slides.css, print.js); it may hold only the ones it changes."
  )
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
    var request = shared.request(progress: progress, studentEdition: profile == .student)
    var weave = WeaveOptions(
      selfContained: selfContained, generator: "handout \(Handout.configuration.version)")
    if let templates { weave.templatesDirectory = URL(fileURLWithPath: templates, isDirectory: true) }
    var publication = Publication(
      out: URL(fileURLWithPath: out, isDirectory: true), weave: weave,
      options: PublishOptions(
        publishFailures: publishFailures, slides: slides, profile: profile, replaceOtherProfile: force))
    publication.cacheDirectory = shared.cacheDirectory
    publication.printPDF = pdf
    publication.reaper = Signals.reaper
    request.publication = publication
    let report = try shared.render(request, progress: progress)
    report.problems.forEach { progress.error($0.description) }
    let strictFailure =
      slides && SlideFit.report(report.outcomes, strict: strictness.strict, progress: progress)
    let failedWrites = report.problems.contains { $0.severity == .error }
    progress.say(report.published.summary(out: out, slides: slides, pdf: pdf))
    if failedWrites || report.noChromium || strictFailure || report.outcomes.contains(where: \.failed) {
      throw ExitCode.failure
    }
  }
}

extension Profile: ExpressibleByArgument {}
