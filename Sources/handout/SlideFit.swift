// Slides that would not fit: `render --slides` and `check` warn about each, `--strict` fails.
import ArgumentParser
import Foundation
import Literate

/// `--strict`, shared by `render` and `check`.
struct StrictOption: ParsableArguments {
  @Flag(
    help:
      "Treat warnings about slides as errors: a slide whose content would need to shrink below 75 % to fit (split it with ---) fails the command."
  )
  var strict = false
}

enum SlideFit {
  /// Prints one line per slide of the outcomes' decks that would shrink below 75 %
  /// (`file:line:col: warning: slide "…" of the deck (render --slides) overflows by N px; split it
  /// with ---`; an error with `strict`). Returns whether `strict` makes any of them fail the command.
  static func report(_ outcomes: [NotebookOutcome], strict: Bool, progress: ProgressPrinter) -> Bool {
    var any = false
    for outcome in outcomes {
      guard let notebook = outcome.notebook, let run = outcome.run else { continue }
      for var warning in Weave.slideOverflows(notebook: notebook, run: run, options: WeaveOptions()) {
        if strict { warning.severity = .error }
        progress.error(warning.description)
        any = true
      }
    }
    return strict && any
  }
}
