import XCTest

@testable import Literate

/// `RunFolder.relative` asks of every text a run printed whether it names one of the run's
/// folders; it asks byte for byte where text and folder are ASCII (Foundation's search through
/// UTF-16 took 8 ms of a cold render), and must answer exactly as Foundation's `contains` does.
final class RunFolderSearchTests: XCTestCase {
  func testTheSearchAnswersAsFoundationsContains() {
    let texts = [
      "", "/", "a", "/tmp/handout-run-12-x/work/a.csv", "no path here", "//tmp/tmp/tmpx", "handout-run-",
      "xhandout-run", String(repeating: "0.25, ", count: 5000) + "/tmp/nb", "/tmp/nb/K", "/tmp/nb/\u{212A}",
      "caf\u{E9} /tmp/caf\u{E9}", "cafe\u{301} /tmp/cafe\u{301}/x", "/tmp/na\u{308}me", "tab\t/tmp/nb\n",
    ]
    let needles = [
      "/tmp/nb", "handout-run-", "/", "a", "/tmp/nb/K", "/tmp/nb/\u{212A}", "/tmp/caf\u{E9}", "/tmp/cafe",
      "/tmp/na", "tmpx", "x", "/tmp/tmp/tmpx", String(repeating: "0.25, ", count: 3),
    ]
    for text in texts {
      let ascii = RunFolder.isASCII(text)
      XCTAssertEqual(ascii, text.unicodeScalars.allSatisfy(\.isASCII), text)
      for needle in needles {
        XCTAssertEqual(
          RunFolder.contains(text, needle, ascii: ascii), text.contains(needle),
          "\(needle) in \(text.prefix(60))")
      }
    }
  }

  func testTheByteSearchFindsANeedleAnywhereAndNothingElse() {
    func holds(_ text: String, _ needle: String) -> Bool {
      Array(text.utf8).withUnsafeBufferPointer { haystack in
        Array(needle.utf8).withUnsafeBufferPointer { RunFolder.bytes(haystack, contain: $0) }
      }
    }
    XCTAssertTrue(holds("abc", "abc"))
    XCTAssertTrue(holds("xxabc", "abc"))
    XCTAssertTrue(holds("abcxx", "abc"))
    XCTAssertTrue(holds("aaab", "aab"))
    XCTAssertTrue(holds("abababc", "ababc"))
    XCTAssertFalse(holds("ab", "abc"))
    XCTAssertFalse(holds("abxabyab", "abc"))
    XCTAssertFalse(holds("", "a"))
    XCTAssertFalse(holds("abc", ""))
  }
}
