// `handout`: Markdown notebooks about neural networks in, checked HTML handouts out.
// A thin command line over `Literate`: each subcommand parses its options and calls the stages.
import ArgumentParser
import CSpawn
import Literate

#if canImport(Glibc)
  import Glibc
#endif

@main
struct Handout: ParsableCommand {
  // Every command names itself (`commandName:`): else ArgumentParser derives each subcommand's
  // name from `String(describing:)` of its type at every start, and each such description is a
  // search of every loaded library's protocol conformances: ~2 ms of a warm render (issue 25).
  static let configuration = CommandConfiguration(
    commandName: "handout",
    abstract:
      "Run Markdown notebooks about neural networks, check their numbers, and write HTML handouts, slide decks and PDFs.",
    version: "0.1.0",
    subcommands: [Render.self, Check.self, Preview.self, Tangle.self, New.self],
    defaultSubcommand: Render.self)

  /// Before anything else (and before any thread): `handout`'s environment leaves the block that
  /// /proc/<pid>/environ shows, so a notebook program (root may read any process's) cannot learn
  /// a variable it was not given; and a write beyond `ulimit -f` fails with EFBIG, reported with
  /// its file, instead of killing `handout` with SIGXFSZ; a reader of its output gone (`handout
  /// render | head -1`) loses the lines it did not read, and no longer ends the render with
  /// SIGPIPE (children get every signal's default back: `CSpawn`); a small stack limit is raised
  /// (`SharedOptions.raiseStackLimit`).
  static func main() {
    cspawn_hide_environment()
    Strays.adoptOrphans()
    signal(SIGXFSZ, SIG_IGN)
    signal(SIGPIPE, SIG_IGN)
    SharedOptions.raiseStackLimit()
    main(nil)
  }
}
