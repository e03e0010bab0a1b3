// Linking a notebook program without starting the `clang` driver after the compile. `clang` as the
// link driver only finds the C start files, GCC's folder and the system's library folders and then
// runs the linker; its start was 10–13 ms of CPU between the frontend's end and the linker's, on
// the critical path of every cold render. `clang -###` prints the linker's command without running
// it, so Handout asks for it while the frontend compiles (the second core is idle then), with
// placeholders for the object and its autolink libraries, and after the compile runs the linker
// itself with them filled in. Anything unexpected in the plan, and `clang` links as before.
import Foundation

/// The linker's command for a notebook program as `clang` would run it, asked for while the
/// frontend compiles.
final class LinkPlan: @unchecked Sendable {
  /// Stands for the object's autolink libraries in the planned command.
  static let autolinkPlaceholder = "-lhandout-autolink-placeholder"

  private let group = DispatchGroup()
  private let placeholderObject: URL
  private var planned: [String]?

  /// Starts `clang -###` with `arguments`: the link's arguments with `placeholderObject` (an
  /// empty file this makes, as `clang` looks for its inputs) in the object's place and
  /// `autolinkPlaceholder` in its libraries'. `command(object:autolink:)` waits for it.
  init(clang: String, arguments: [String], placeholderObject: URL, reaper: ProcessReaper?) {
    self.placeholderObject = placeholderObject
    guard FileManager.default.createFile(atPath: placeholderObject.path, contents: Data()) else { return }
    DispatchQueue.global().async(group: group) {
      guard let result = try? ChildProcess.run(clang, arguments + ["-###"], reaper: reaper),
        result.status == 0,
        let jobs = Self.jobs(in: result.output), jobs.count == 1
      else { return }
      self.planned = jobs[0]
    }
  }

  deinit { try? FileManager.default.removeItem(at: placeholderObject) }

  /// The linker and its arguments for `object` and its `autolink` libraries; nil when `clang`
  /// planned anything but one job naming each placeholder once, or a library is not a plain
  /// `-l` (then `clang` is run as the link driver).
  func command(object: URL, autolink: [String]) -> [String]? {
    group.wait()
    guard let planned, let linker = planned.first, linker.hasPrefix("/"),
      FileManager.default.isExecutableFile(atPath: linker),
      planned.filter({ $0 == placeholderObject.path }).count == 1,
      planned.filter({ $0 == Self.autolinkPlaceholder }).count == 1,
      autolink.allSatisfy({ $0.hasPrefix("-l") && $0.count > 2 })
    else { return nil }
    return planned.flatMap { argument in
      argument == placeholderObject.path
        ? [object.path] : argument == Self.autolinkPlaceholder ? autolink : [argument]
    }
  }

  /// The jobs `clang -###` printed: each line that starts with a space and a quote, as the
  /// arguments it quotes (LLVM's quoting: every argument in double quotes, `"`, `\` and `$`
  /// escaped with a backslash). Nil when such a line is not quoted that way.
  static func jobs(in output: String) -> [[String]]? {
    var jobs: [[String]] = []
    for line in output.split(separator: "\n") where line.hasPrefix(" \"") {
      var arguments: [String] = []
      var current = ""
      var (quoted, escaped) = (false, false)
      for character in line {
        if escaped {
          current.append(character)
          escaped = false
        } else if quoted {
          if character == "\\" {
            escaped = true
          } else if character == "\"" {
            arguments.append(current)
            (current, quoted) = ("", false)
          } else {
            current.append(character)
          }
        } else if character == "\"" {
          quoted = true
        } else if character != " " {
          return nil
        }
      }
      guard !quoted, !arguments.isEmpty else { return nil }
      jobs.append(arguments)
    }
    return jobs
  }
}
