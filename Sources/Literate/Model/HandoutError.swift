// Every failure the engine reports, and the one place its text for a person is made.
import Foundation

/// Why a stage could not produce its value.
///
/// Problems *in a notebook* (bad attribute, unclosed fence, compile error) carry `Diagnostic`s with
/// `file:line:column`; problems *around* the notebook (no swiftc, no runtime library, unwritable
/// output folder) carry the path or tool and what to do about it.
public enum HandoutError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The notebook itself is wrong; every diagnostic names its place.
  case notebook([Diagnostic])
  /// The file is not UTF-8 text; `offset` is the first bad byte, at `line`:`column` (in characters).
  case notUTF8(path: String, line: Int, column: Int, offset: Int)
  /// `swiftc` is missing or could not start.
  case toolchain(String)
  /// `libHandoutRuntime` and its modules were not found in any of the places searched.
  case runtimeMissing(searched: [String])
  /// A file or folder could not be read or written (the one I/O error: `FileError`): a notebook
  /// or shared file unread, an output or cache folder unwritten (then the previous handout is
  /// untouched).
  case file(FileError)
  /// The command asked for something no notebook has (a `--param` none declares, a folder
  /// without notebooks); nothing ran.
  case usage(String)

  /// The text a person reads, made here only: `path:line:column: error: …` lines for a notebook's
  /// own problems, else `error: …` naming the path or tool and what to do about it.
  public var description: String {
    switch self {
    case .notebook(let diagnostics):
      return diagnostics.map(\.description).joined(separator: "\n")
    case .notUTF8(let path, let line, let column, let offset):
      return
        "\(path):\(line):\(column): error: not UTF-8 text (byte offset \(offset)); save the notebook as UTF-8 "
        + "(e.g. `iconv -f latin1 -t utf-8`)"
    case .toolchain(let message):
      return "error: \(message)"
    case .runtimeMissing(let searched):
      return "error: the notebook runtime (libHandoutRuntime) was not found in "
        + searched.joined(separator: ", ")
        + "; build it with `swift build --product HandoutRuntime` or pass --runtime DIR (or set HANDOUT_RUNTIME)"
    case .file(let error):
      return "error: \(error)" + (error.access == .write ? " (the previous handout is unchanged)" : "")
    case .usage(let message):
      return "error: \(message)"
    }
  }

  /// The diagnostics to print, one per line, for any error.
  public var diagnostics: [Diagnostic] {
    if case .notebook(let d) = self { return d }
    if case .notUTF8(let path, let line, let column, _) = self {
      let text = description
      let message = text.range(of: ": error: ").map { String(text[$0.upperBound...]) } ?? text
      return [Diagnostic(.error, message, at: SourceLocation(file: path, line: line, column: column))]
    }
    return [
      Diagnostic(
        .error, description.hasPrefix("error: ") ? String(description.dropFirst(7)) : description, at: nil)
    ]
  }
}

/// A file or folder that could not be read or written: its path (the one a person knows, not a
/// staging name) and the system's reason. Every stage's I/O error is one of these; the text made
/// from it is `path: reason` (`cannot read path: reason` when it says which), said in each
/// caller's own terms (a cache, a handout, an asset).
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
  /// Whether the file was being read or written.
  public enum Access: String, Sendable {
    /// The file was being read.
    case read
    /// The file was being written.
    case write
  }

  /// The file or folder.
  public var path: String
  /// What the system said (`No space left on device`).
  public var reason: String
  /// Reading or writing, when the error says which (nil: the caller's words say it).
  public var access: Access? = nil

  /// `cannot read path: reason` (or `write`), or `path: reason`.
  public var description: String {
    access.map { "cannot \($0.rawValue) \(path): \(reason)" } ?? "\(path): \(reason)"
  }
  /// The reason alone (Foundation's `localizedDescription`).
  public var errorDescription: String? { reason }

  /// The error for `path`, with the system's `reason`, reading or writing as `access` says.
  public init(path: String, reason: String, access: Access? = nil) {
    self.path = path
    self.reason = reason
    self.access = access
  }

  /// The same error, said as one of reading the file.
  public var reading: FileError { FileError(path: path, reason: reason, access: .read) }
  /// The same error, said as one of writing the file.
  public var writing: FileError { FileError(path: path, reason: reason, access: .write) }

  init(_ url: URL, _ reason: String) { self.init(path: url.path, reason: reason) }

  /// The system's text for the error number `code`.
  init(_ url: URL, errno code: Int32) { self.init(url, String(cString: strerror(code))) }

  /// Any error of a file operation on `url`, said as a `FileError` at `url` (the path a person
  /// knows, not the staging file the error may name) with the error's reason: a `FileError`'s, a
  /// weave's I/O error's, a Foundation error's.
  init(_ url: URL, _ error: Error) {
    switch error {
    case let error as FileError: self.init(url, error.reason)
    case HandoutError.file(let error): self.init(url, error.reason)
    case WeaveError.io(_, let message): self.init(url, message)
    default: self.init(url, FileError.reason(of: error, at: url.path))
    }
  }
}

/// Why weaving failed. `description` is the text a person reads.
public enum WeaveError: Error, Equatable, CustomStringConvertible {
  /// A template file is in neither the templates folder nor the fallback.
  case templateMissing(name: String, searched: [String])
  /// A mustache syntax error, with the template file and position.
  case templateSyntax(file: String, line: Int, column: Int, message: String)
  /// KaTeX is not installed where expected.
  case katexMissing(path: String)
  /// Reading or writing a file failed.
  case io(path: String, message: String)

  /// The sentence a person reads: what is wrong, where, and what to do.
  public var description: String {
    switch self {
    case .templateMissing(let name, let searched):
      "template '\(name)' not found (looked in: \(searched.joined(separator: ", "))); "
        + "restore the package's templates/ folder or pass --templates DIR holding it"
    case .templateSyntax(let file, let line, let column, let message):
      "\(file):\(line):\(column): error: template syntax: \(message)"
    case .katexMissing(let path):
      "KaTeX not found at \(path): install it with `apt-get install libjs-katex fonts-katex`"
    case .io(let path, let message):
      "\(path): \(message)"
    }
  }
}
