// `handout tangle`: print the Swift program made from a notebook (for debugging a notebook).
import ArgumentParser
import Foundation
import Literate

struct Tangle: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tangle",
    abstract: "Print the Swift program tangled from a notebook.")

  @Argument(help: "The notebook (.md).")
  var path: String

  /// The program on stdout; a notebook that cannot be read or tangled is an error on stderr and
  /// exit status 2 (stdout stays empty, so a redirect never yields half a program).
  func run() throws {
    do {
      print(try Notebook.load(path: path).tangle().source, terminator: "")
    } catch let error as HandoutError {
      writeStandardError(Report.terminalSafe(error.description) + "\n")
      throw ExitCode(2)
    }
  }
}
