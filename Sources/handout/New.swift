// `handout new DIR`: a course repository to start from.
import ArgumentParser
import Foundation
import Literate

struct New: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "new",
    abstract: "Start a course: notebooks/, data/, a CI workflow and a README in a new folder.",
    discussion:
      "The example notebook reads data/points.csv, trains a small network, draws its decision boundary and checks its accuracy; `handout render` inside the folder works at once."
  )

  @Argument(help: "The folder to create (it must not exist, or be empty).")
  var directory: String

  @Option(
    help: ArgumentHelp(
      "Check the course in N parallel CI jobs (a matrix over `handout check --shard K/N`).",
      discussion: "For a course of many notebooks; the site is still rendered once, from all of them.",
      valueName: "N"))
  var shards: Int = 1

  func validate() throws {
    // GitHub Actions runs at most 256 jobs of one matrix.
    guard (1...256).contains(shards) else {
      throw ValidationError("--shards must be between 1 and 256 (jobs of one matrix), not \(shards)")
    }
  }

  func run() throws {
    let fm = FileManager.default
    let root = URL(fileURLWithPath: directory, isDirectory: true)
    if let existing = try? fm.contentsOfDirectory(atPath: root.path), !existing.isEmpty {
      writeStandardError("error: \(directory) exists and is not empty; name a new folder\n")
      throw ExitCode(2)
    }
    // A file (or a link to nothing) where the folder or one above it would go.
    if let blocker = FileError.blocker(in: directory) {
      writeStandardError("error: cannot make the course folder \(directory): \(blocker); name a new folder\n")
      throw ExitCode(2)
    }
    do {
      let version = Handout.configuration.version
      for (path, text) in CourseSkeleton.files(version: version, shards: shards) {
        let url = root.appendingPathComponent(path)
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
      }
    } catch {
      writeStandardError(
        "error: cannot write the course into \(directory): \(FileError.reason(of: error, at: directory)); "
          + "name a folder that can be written\n")
      throw ExitCode(2)
    }
    print(
      """
      wrote a course to \(directory)/:
        notebooks/01-first-network.md  an example that trains, draws and checks
        data/points.csv                the table it reads
        .github/workflows/handout.yml  CI: Handout \(Handout.configuration.version) (cached), handout check --junit\(shards > 1 ? " in \(shards) shards" : ""),
                                       the handouts on GitHub Pages from the default branch
      next: cd \(Self.shellWord(directory)) && handout render   (then open output/index.html)
      """)
  }
}

extension New {
  /// `path` as one word a shell reads back as `path` and `cd` as a folder, never an option: as it
  /// is when it holds only plain characters, else in single quotes; `./` before a leading `-`.
  static func shellWord(_ path: String) -> String {
    let word = path.hasPrefix("-") ? "./" + path : path
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/@%+=:,-")
    if !word.isEmpty, word.allSatisfy(plain.contains) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

/// The files of a new course, by path.
enum CourseSkeleton {
  /// The files, with the CI workflow pinned to Handout `version` and checking in `shards` jobs.
  static func files(version: String, shards: Int) -> [(String, String)] {
    [
      ("notebooks/01-first-network.md", notebook),
      ("data/points.csv", points),
      (".gitignore", gitignore),
      (".github/workflows/handout.yml", CourseWorkflow.text(version: version, shards: shards)),
      ("README.md", readme),
    ]
  }

  static let notebook = #"""
    ---
    title: A first network
    subtitle: Two classes in the plane
    course: My course
    params:
      seed: 1
      epochs: 300
    ---

    # The data

    The table `data/points.csv` holds points of two classes in the plane, one per row.

    ```swift
    let data = try Dataset(
      csv: "../data/points.csv", features: ["x1", "x2"], label: "class")
    print("\(data.count) points, \(data.classes ?? 0) classes")
    ```

    ```output
    40 points, 2 classes
    ```

    # A small network

    A network with one hidden layer of four tanh neurons and a sigmoid output,
    $\hat y = \sigma(W_2 \tanh(W_1 x + b_1) + b_2)$, trained with Adam on the cross-entropy loss.

    ```swift
    var rng = SeededRandom(seed: UInt64(param("seed") as Int))
    var net = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.05)
    let epochs: Int = param("epochs")
    let history = try net.train(
      on: data, loss: .binaryCrossEntropy, optimizer: &adam,
      options: .init(epochs: epochs))
    let accuracy = data.accuracy(of: net)
    expect(accuracy, equals: 1.0, "the two classes are separable")
    ```

    ::: slides
    ## What it learned
    :::

    ```swift id=boundary
    let boundary = decisionBoundary(network: net, data: data, dataName: "points.csv")
    show(boundary, caption: "P(class 1) and its 0.5 contour.", label: "fig-boundary")
    ```

    ::: slides

    ---

    :::

    The network classifies `swift accuracy * 100` % of the points correctly; @fig-boundary shows
    where it puts the line between the classes.

    > [!TIP]
    > `handout render --param seed=7` trains from another seed: every number above is computed
    > again and checked, and the page says which parameters made it.

    ::: exercise Count the classes
    How many points of each class does the table hold?

    ::: solution
    ```swift
    let ones = data.Y.storage.filter { $0 == 1 }.count
    print("\(ones) of class 1, \(data.count - ones) of class 0")
    ```

    ```output
    20 of class 1, 20 of class 0
    ```
    :::
    :::

    """#

  /// Two classes, 20 points each, around (−1.2, −0.8) and (1.1, 0.9); separable.
  static let points = """
    x1,x2,class
    -1.35,-0.85,0
    0.74,1.01,1
    0.44,1.01,1
    0.6,1.34,1
    -1.32,-0.57,0
    1.05,0.53,1
    1.26,0.57,1
    0.19,0.76,1
    -1.6,-1.01,0
    1.75,1.06,1
    -1.3,-0.94,0
    0.44,1.27,1
    0.25,-0.23,1
    -1.95,-0.42,0
    1.6,0.97,1
    -0.97,-1.09,0
    -1.43,-0.25,0
    1.29,0.23,1
    1.12,1.49,1
    1.75,1.16,1
    -0.73,-0.69,0
    1.68,-0.01,1
    -0.92,-0.69,0
    1.38,0.62,1
    -0.95,-0.26,0
    -1.02,-0.72,0
    -1.62,-0.9,0
    0.66,0.66,1
    1.4,1.33,1
    1.15,0.32,1
    -1.06,-0.62,0
    1.32,0.87,1
    -1.48,-1.13,0
    -1.96,-1.58,0
    -1.4,-1.23,0
    -1.5,-0.03,0
    -0.7,-0.61,0
    0.9,0.33,1
    -0.97,-0.58,0
    -1.06,-0.82,0

    """

  static let gitignore = """
    # Written by `handout render` and its run cache.
    /output/
    /.handout-cache/

    """

  static let readme = """
    # My course

    Handouts written as notebooks: Markdown with Swift code that really runs, trains the networks and
    draws the figures, and whose published numbers are checked.

    ```sh
    handout render      # notebooks/ -> output/ (open output/index.html)
    handout check       # run everything and verify every published number (what CI runs)
    ```

    - `notebooks/*.md`: one handout each. Front matter (`title`, `params`, `env`, `data`, …), prose with
      `$math$`, ```` ```swift ```` blocks that run in order as one program, ```` ```output ```` blocks that
      publish what a block printed, and `expect(value, equals: …)` checks.
    - `notebooks/_shared/*.swift`: code every notebook of the folder can use (create the folder when
      you need it).
    - `data/`: tables the notebooks read with `Dataset(csv: "../data/…")` or `dataFile("../data/…")`;
      a changed file re-runs exactly the notebooks that read it.
    - `handout render --param seed=7` overrides a notebook's `params:` default.
    - `.github/workflows/handout.yml`: CI restores the pinned Handout (`HANDOUT_VERSION`) from the
      Actions cache, runs `handout check --junit`, and on the default branch publishes the handouts
      to GitHub Pages (Settings > Pages > Source: GitHub Actions).

    """
}
