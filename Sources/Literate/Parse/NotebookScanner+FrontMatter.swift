// The YAML front matter: every key, its type and its errors at the notebook's line and column.
import Foundation
import Yams

extension NotebookScanner {
  /// Where a YAML node stands in the notebook: 1-based line (kept inside the front matter) and column.
  struct YAMLPlace {
    var firstLine: Int
    var lastLine: Int
    /// The front matter's YAML (where the abstract's references are found).
    var yaml = ""

    func line(_ mark: Yams.Mark?) -> Int { min(max((mark?.line ?? 1) + firstLine - 1, firstLine), lastLine) }
    func column(_ mark: Yams.Mark?) -> Int { max(mark?.column ?? 1, 1) }
  }

  /// The front matter's keys; errors and warnings name their line and column.
  mutating func parseFrontMatter(_ text: String, firstLine: Int) -> FrontMatter {
    var result = FrontMatter()
    // YAML also breaks lines at a lone CR, NEL, LS and PS; the notebook's lines break only at LF,
    // so those become spaces and YAML's line numbers stay the notebook's. (Found by `make fuzz`:
    // a diagnostic at line 107 of a 6-line file.)
    let yaml = String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { ["\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) ? " " : $0 }))
    let place = YAMLPlace(
      firstLine: firstLine, lastLine: firstLine + yaml.utf8.count(where: { $0 == UInt8(ascii: "\n") }) + 1,
      yaml: yaml)
    let node: Yams.Node?
    do {
      node = try Yams.compose(yaml: yaml)
    } catch let yamlError as YamlError {
      let (problem, mark) = describe(yamlError)
      error("front matter is not valid YAML: \(problem)", line: place.line(mark), column: place.column(mark))
      return result
    } catch {
      self.error("front matter is not valid YAML: \(error)", line: firstLine)
      return result
    }
    guard let node else { return result }
    guard let mapping = node.mapping else {
      error("front matter must be `key: value` lines (title, author, …)", line: firstLine)
      return result
    }
    for (key, value) in mapping {
      guard let name = key.string else {
        error("front-matter keys must be words", line: place.line(key.mark), column: place.column(key.mark))
        continue
      }
      frontMatterKey(name, key: key, value: value, place: place, into: &result)
    }
    return result
  }

  /// One `name: value` of the front matter into `result`.
  mutating func frontMatterKey(
    _ name: String, key: Yams.Node, value: Yams.Node, place: YAMLPlace, into result: inout FrontMatter
  ) {
    let (valueLine, valueColumn) = (place.line(value.mark), place.column(value.mark))
    switch name {
    case "timeout":
      if let seconds = value.float, seconds > 0, seconds.isFinite {
        result.timeout = seconds
      } else {
        error("timeout: expected a number of seconds > 0", line: valueLine, column: valueColumn)
      }
    case "params":
      guard let entries = value.mapping else {
        error("params: expected `name: default` lines, like `seed: 1`", line: valueLine, column: valueColumn)
        return
      }
      for (k, v) in entries {
        if let parameter = self.parameter(k, v, place: place) { result.parameters.append(parameter) }
      }
    case "env", "data":
      guard let list = stringList(name, value, place: place) else { return }
      if name == "data" {
        result.data = list
      } else if let bad = list.first(where: { !FrontMatter.isVariableName($0) }) {
        error(
          "env: '\(bad)' is not an environment variable name (letters, digits and _, not starting with a digit)",
          line: valueLine, column: valueColumn)
      } else {
        result.environment = list
      }
    case "execute":
      executeDefaults = executeOptions(value, place: place)
    case "author" where value.scalar == nil:
      result.author = authors(value, place: place)
    case _ where !FrontMatterKeys.known.contains(name):
      warning(
        "unknown front-matter key '\(name)' is ignored (known: \(FrontMatterKeys.known.joined(separator: ", ")))",
        line: place.line(key.mark), column: place.column(key.mark))
    default:
      guard let text = value.scalar?.string else {
        error("\(name): expected text", line: valueLine, column: valueColumn)
        return
      }
      switch name {
      case "title": result.title = text
      case "subtitle": result.subtitle = text
      case "author": result.author = text
      case "date": result.date = text
      case "course": result.course = text
      case "abstract":
        result.abstract = text
        result.abstractBlocks = result.abstractBlocks.map {
          placingReferences($0, of: text, valueLine: valueLine, valueColumn: valueColumn, place: place)
        }
      default: break
      }
    }
  }

  /// One `name: default` of `params:`; its kind is the default's YAML form (an unquoted integer,
  /// number or boolean; anything else is text).
  mutating func parameter(_ key: Yams.Node, _ value: Yams.Node, place: YAMLPlace) -> Parameter? {
    guard let name = key.string, FrontMatter.isVariableName(name), let scalar = value.scalar else {
      error(
        "params: each entry is `name: default` with a name of letters, digits and _ and a single value",
        line: place.line(key.mark), column: place.column(key.mark))
      return nil
    }
    let kind: Parameter.Kind
    let text: String
    if scalar.style == .plain, let i = value.int {
      (kind, text) = (.integer, String(i))
    } else if scalar.style == .plain, let d = value.float, d.isFinite {
      (kind, text) = (.number, "\(d)")
    } else if scalar.style == .plain, let b = value.bool {
      (kind, text) = (.boolean, b ? "true" : "false")
    } else {
      (kind, text) = (.text, scalar.string)
    }
    return Parameter(
      name: name, kind: kind, defaultValue: text,
      location: SourceLocation(file: path, line: place.line(key.mark), column: place.column(key.mark)))
  }

  /// `env:` or `data:` as a list of non-empty strings (a single string is a list of one).
  mutating func stringList(_ name: String, _ value: Yams.Node, place: YAMLPlace) -> [String]? {
    let list = value.sequence.map { $0.compactMap { $0.scalar?.string } } ?? value.scalar.map { [$0.string] }
    guard let list, list.count == (value.sequence?.count ?? 1), list.allSatisfy({ !$0.isEmpty }) else {
      error(
        name == "env"
          ? "env: expected a list of environment variable names, like [SEED, EPOCHS]"
          : "data: expected a list of file names or globs relative to the notebook, like [data/*.csv]",
        line: place.line(value.mark), column: place.column(value.mark))
      return nil
    }
    return list
  }

  /// Notebook line of the front matter's first line (its YAML line 1).
  var frontMatterFirstLine: Int { 2 }

  func describe(_ error: YamlError) -> (String, Yams.Mark?) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      // libyaml's problem alone ("did not find expected ',' or ']'") points at where it gave up;
      // the context names what was open and where it began, which is what needs fixing.
      guard let context, !context.text.isEmpty else { return (problem, mark) }
      return (
        "\(problem) \(context.text) that starts at line \(context.mark.line + frontMatterFirstLine - 1), "
          + "column \(context.mark.column)",
        mark
      )
    case .duplicatedKeysInMapping(let duplicates, let context):
      return ("duplicate key \(duplicates.joined(separator: ", "))", context.mark)
    default:
      return ("\(error)", nil)
    }
  }
}
