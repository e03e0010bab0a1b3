// libFuzzer target: the published-output comparison (`Checker.compare`), which must never trap and
// must accept any text compared with itself. Input: one byte choosing the tolerance, then the
// published text, a 0 byte, the printed text.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCompare(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  guard count > 0 else { return 0 }
  let bytes = UnsafeBufferPointer(start: start, count: count)
  let tolerances: [Double?] = [nil, 0, 1e-6, 0.5, .infinity, .nan]
  let tolerance = tolerances[Int(bytes[0]) % tolerances.count]
  let rest = bytes.dropFirst()
  let split = rest.firstIndex(of: 0) ?? rest.endIndex
  let expected = String(decoding: rest[..<split], as: UTF8.self)
  let actual = String(decoding: rest[split...].dropFirst(), as: UTF8.self)

  let result = Checker.compare(expected: expected, actual: actual, tolerance: tolerance)
  if let line = result.line, line < 0 { fatalError("negative line \(line)") }
  if result.passed != (result.difference == nil) { fatalError("passed=\(result.passed) with \(result)") }
  for text in [expected, actual]
  where !Checker.compare(expected: text, actual: text, tolerance: tolerance).passed {
    fatalError("text differs from itself: \(text.debugDescription)")
  }
  _ = Checker.numbers(in: actual)
  return 0
}
