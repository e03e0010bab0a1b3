// A notebook program that names a symbol no library defines (an `@_silgen_name` of a C function
// that is not there, a runtime library older than the module the notebook compiled against). The
// link leaves the object's symbols to the loader (`LoadedLibraries`) and asks it to bind them all
// at the start (`-z now`), so such a program stops before its first block with the loader's
// `…: symbol lookup error: …/program: undefined symbol: NAME` (status 127). That line names the
// run's scratch executable and a mangled name; this says it as a person needs it: which name, at
// which line of the notebook's code, and why.
import Foundation

struct UndefinedSymbol {
  /// The symbol as the loader named it (`$s8Notebook7missings5Int32VyF`, `handout_missing`).
  var name: String
  /// The symbol demangled (`Notebook.missing() -> Swift.Int32`), or `name` when it is no Swift name.
  var demangled: String

  /// The undefined symbol the loader reported in `output`, if it did.
  init?(output: String) {
    guard let range = output.range(of: "undefined symbol: ") else { return nil }
    let name = output[range.upperBound...].prefix { !$0.isWhitespace && $0 != "," }
    guard !name.isEmpty else { return nil }
    self.name = String(name)
    demangled = Self.demangle(self.name) ?? self.name
  }

  /// What the page and the terminal say.
  var message: String {
    let what = demangled == name ? "`\(name)`" : "`\(demangled)` (symbol `\(name)`)"
    return "the program could not start: no library defines \(what), which the notebook's code uses; "
      + "declare it in a block, link the library that defines it, or rebuild the runtime if it is one of its names"
  }

  /// The first line of an executed block that names the symbol, or the function the demangled
  /// name calls (`missing` of `Notebook.missing() -> Swift.Int32`).
  func location(in notebook: Notebook) -> SourceLocation? {
    let base = demangled.split(separator: "(").first.map { $0.split(separator: ".").last ?? $0 }
    let words = [name] + (base.map { [String($0)] } ?? []).filter { !$0.isEmpty && $0 != name }
    for word in words {
      for block in notebook.blocks where block.isExecuted {
        for (offset, line) in block.code.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        {
          if let found = line.range(of: word) {
            return SourceLocation(
              file: notebook.path, line: block.firstCodeLine + offset,
              column: line.distance(from: line.startIndex, to: found.lowerBound) + block.fence.column)
          }
        }
      }
    }
    return nil
  }

  /// The Swift runtime's demangler; nil for a name that is not a Swift symbol.
  static func demangle(_ name: String) -> String? {
    guard name.hasPrefix("$s") || name.hasPrefix("_T") else { return nil }
    return name.withCString { mangled in
      guard let buffer = swiftDemangle(mangled, strlen(mangled), nil, nil, 0) else { return nil }
      defer { free(buffer) }
      return String(cString: buffer)
    }
  }
}

@_silgen_name("swift_demangle")
private func swiftDemangle(
  _ mangledName: UnsafePointer<CChar>?, _ mangledNameLength: Int,
  _ outputBuffer: UnsafeMutablePointer<CChar>?,
  _ outputBufferSize: UnsafeMutablePointer<Int>?, _ flags: UInt32
) -> UnsafeMutablePointer<CChar>?
