// `handout tangle`: print the Swift program made from a notebook (for debugging a notebook).
import ArgumentParser
import Literate

struct Tangle: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the Swift program tangled from a notebook.")

  @Argument(help: "The notebook (.md).")
  var path: String

  func run() throws {
    do {
      print(try Notebook.load(path: path).tangle().source, terminator: "")
    } catch let error as HandoutError {
      print(error.description)
      throw ExitCode.failure
    }
  }
}
