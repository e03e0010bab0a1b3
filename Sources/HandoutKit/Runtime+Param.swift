// `param("seed")`: a value the notebook declares in its front matter's `params:` and that
// `handout render --param seed=7` can override.
import Foundation

/// A type a notebook parameter can have: `Int`, `Double`, `Bool` or `String`, as its default
/// in the front matter is written (`7`, `0.5`, `true`, `text`).
public protocol ParameterValue {
  /// The value from its text as `handout` sends it; nil when the text is not of this type.
  init?(parameterText: String)
}

extension Int: ParameterValue {
  /// A decimal integer, as `Int("7")` reads it.
  public init?(parameterText: String) { self.init(parameterText) }
}

extension Double: ParameterValue {
  /// A number, as `Double("0.5")` reads it.
  public init?(parameterText: String) { self.init(parameterText) }
}

extension Bool: ParameterValue {
  /// `true` or `false`.
  public init?(parameterText: String) { self.init(parameterText) }
}

extension String: ParameterValue {
  /// The text as it is.
  public init?(parameterText: String) { self = parameterText }
}

/// The value of the notebook parameter `name` in this run: `--param name=value` if given, else
/// the default in the front matter's `params:`.
///
///     ---
///     params:
///       seed: 1
///     ---
///     let seed: Int = param("seed")
///
/// Stops the program with an error at the call when `name` is not declared, or when the
/// declaration's type is not `T`. Run by hand (not under `handout`), a parameter has no value:
/// the call stops the program too.
public func param<T: ParameterValue>(
  _ name: String, as type: T.Type = T.self, file: StaticString = #file, line: UInt = #line
) -> T {
  let values = _Handout.state.lock.withLock { _Handout.state.parameters }
  guard let values else {
    fatalError(
      "param(\"\(name)\"): no parameters; this notebook runs under `handout`", file: file, line: line)
  }
  guard let text = values[name] else {
    let known = values.keys.sorted().joined(separator: ", ")
    fatalError(
      "param(\"\(name)\"): not declared in the front matter's params: (declared: \(known.isEmpty ? "none" : known))",
      file: file, line: line)
  }
  guard let value = T(parameterText: text) else {
    fatalError("param(\"\(name)\"): its value \(text) is not a \(T.self)", file: file, line: line)
  }
  return value
}
