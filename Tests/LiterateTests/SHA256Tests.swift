import Foundation
import XCTest

@testable import Literate

/// `SHA256.hex` reads contiguous bytes in place and pads the tail in one or two blocks: every
/// length around a block boundary, and every kind of sequence, gives coreutils' `sha256sum`.
final class SHA256Tests: XCTestCase {
  static func sha256sum(_ data: Data, in dir: URL) throws -> String {
    let file = dir.appendingPathComponent("bytes")
    try data.write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output.prefix(64), as: UTF8.self)
  }

  func testEveryLengthAroundABlockAndEveryKindOfSequenceGivesSha256sum() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") else {
      throw XCTSkip("sha256sum (coreutils) is not installed")
    }
    let dir = try Support.temporaryDirectory(self)
    let bytes = Data((0..<200_003).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) })
    for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 200_003] {
      let data = bytes.prefix(length)
      let expected = try Self.sha256sum(Data(data), in: dir)
      XCTAssertEqual(SHA256.hex(data), expected, "Data, \(length) bytes")
      XCTAssertEqual(SHA256.hex(Array(data)), expected, "[UInt8], \(length) bytes")
      XCTAssertEqual(SHA256.hex(data.lazy.map { $0 }), expected, "a lazy sequence, \(length) bytes")
    }
    let text = String(repeating: "Σ weights · inputs ", count: 100)
    XCTAssertEqual(SHA256.hex(text.utf8), try Self.sha256sum(Data(text.utf8), in: dir))
  }

  /// The CPU's SHA extensions (`CDigest`) and the portable rounds give the same digest for every
  /// length up to five blocks, at every start offset within a word (unaligned reads), and for long
  /// inputs. Where this CPU has no SHA extensions both calls run the portable rounds (then the
  /// test above is what holds).
  func testTheHardwareRoundsGiveThePortableDigest() {
    let bytes = (0..<1_000_003).map { UInt8(truncatingIfNeeded: ($0 &* 2_246_822_519) >> 11) }
    for length in 0...320 {
      for start in 0..<4 {
        let slice = bytes[start..<(start + length)]
        XCTAssertEqual(
          SHA256.hex(slice, hardware: true), SHA256.hex(slice, hardware: false), "\(length) bytes at \(start)"
        )
      }
    }
    for length in [4095, 4096, 65_537, 1_000_000] {
      let slice = bytes[3..<(3 + length)]
      XCTAssertEqual(SHA256.hex(slice, hardware: true), SHA256.hex(slice, hardware: false), "\(length) bytes")
    }
  }
}
