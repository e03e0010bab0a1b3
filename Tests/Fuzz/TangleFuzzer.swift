// libFuzzer target: bytes → `Notebook.parse` → `tangle()`, and the same bytes as the code of a
// swift block and of an inline expression in a `Notebook` built in code (no parser checks) →
// `tangle()`. Neither may trap (a lone CR once did). For a notebook the parser accepts, the glue
// must survive every block: each `_Handout.endBlock(k)` and the final `_Handout.finish()` are
// statements of their own at the top level of the program (a `/*` or `{` left open in a block
// swallowed them). Built by `make fuzz` with swift-syntax linked (see the Makefile).
import Foundation
import SwiftParser
import SwiftSyntax

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTangle(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let data = Data(bytes: start, count: count)
  if let notebook = try? Notebook.parse(data: data, path: "fuzz.md") {
    let program = notebook.tangle()
    checkShape(program)
    checkGlue(program, notebook: notebook)
  }
  let code = String(decoding: data, as: UTF8.self)
  let block = Block(index: 0, language: "swift", code: code, fence: SourceLocation(file: "fuzz.md", line: 3))
  let inline = InlineExpression(
    index: 0, expression: code, location: SourceLocation(file: "fuzz.md", line: 1, column: 9),
    afterBlockCount: 1)
  let handBuilt = Notebook(
    path: "fuzz.md", name: "fuzz", frontMatter: FrontMatter(), nodes: [.block(block)], inlines: [inline],
    warnings: [])
  checkShape(handBuilt.tangle())
  return 0
}

/// No CR reaches swiftc, and every segment of the source map lies inside the program.
private func checkShape(_ program: TangledProgram) {
  if program.source.utf8.contains(UInt8(ascii: "\r")) { fatalError("a CR in the tangled program") }
  let lines = program.source.utf8.count(where: { $0 == UInt8(ascii: "\n") })
  for segment in program.map.segments
  where segment.generatedLine < 1 || segment.generatedLine + segment.lineCount - 1 > lines {
    fatalError("segment \(segment) outside the program's \(lines) lines")
  }
}

/// Each block's `endBlock` and the final `finish()` are top-level statements of their own, when
/// every block and inline expression parses cleanly (swift-syntax's recovery from a syntax error may
/// regroup the lines after it; swiftc reports such an error at its own, mapped line).
private func checkGlue(_ program: TangledProgram, notebook: Notebook) {
  let code = notebook.blocks.filter(\.isExecuted).map(\.code) + notebook.inlines.map(\.expression)
  guard code.allSatisfy({ !SwiftSource.parse($0).hasError }) else { return }
  let tree = Parser.parse(source: program.source)
  let statements = Set(tree.statements.map { $0.item.trimmedDescription })
  for block in notebook.blocks where block.isExecuted {
    if !statements.contains("_Handout.endBlock(\(block.index))") {
      fatalError("block \(block.index) swallowed its endBlock:\n\(program.source)")
    }
  }
  if tree.statements.last?.item.trimmedDescription != "_Handout.finish()" {
    fatalError("the program does not end with _Handout.finish():\n\(program.source)")
  }
}
