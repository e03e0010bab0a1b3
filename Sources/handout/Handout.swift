// `handout`: Markdown notebooks about neural networks in, checked HTML handouts out.
// A thin command line over `Literate`: each subcommand parses its options and calls the stages.
import ArgumentParser
import Literate

@main
struct Handout: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "handout",
    abstract: "Run Markdown notebooks about neural networks, check their numbers, and write HTML handouts.",
    version: "0.1.0",
    subcommands: [Render.self, Check.self, Preview.self, Tangle.self, New.self],
    defaultSubcommand: Render.self)
}
