// libFuzzer target: notebook bytes → `Notebook.parse(data:path:)`, which must never trap.
// Built by `make fuzz` together with the Literate sources it needs (see Tests/Fuzz/README.md).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let data = Data(bytes: start, count: count)
  let lines = data.count(where: { $0 == UInt8(ascii: "\n") }) + 1
  let diagnostics: [Diagnostic]
  do {
    let notebook = try Notebook.parse(data: data, path: "fuzz.md")
    diagnostics = notebook.warnings
    for block in notebook.blocks where block.fence.line < 1 || block.fence.line > lines {
      fatalError("block fence at line \(block.fence.line) of \(lines)")
    }
  } catch let error as HandoutError {
    diagnostics = error.diagnostics
  } catch {
    fatalError("parse threw something that is not a HandoutError: \(error)")
  }
  // Every diagnostic names a place inside the file.
  for d in diagnostics {
    guard let at = d.location else { continue }
    if at.file != "fuzz.md" || at.line < 1 || at.line > lines || at.column < 1 {
      fatalError("diagnostic outside the file (\(lines) lines): \(d)")
    }
  }
  return 0
}
