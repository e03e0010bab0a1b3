import XCTest

@testable import Literate

/// A fenced block inside a blockquote, a callout or a list item, or indented four spaces or more,
/// is a code block to Markdown, but Handout runs only blocks whose fence starts its line. The prose
/// lexer read its backticks as a code span reaching to the closing fence, so a ```` ```swift ````
/// block there became an inline expression: its quote markers compiled as code ("unary operator
/// cannot be separated from its operand" at the `>`), or, in a nested list, its code ran as an
/// inline value shown in place of the block.
final class ContainerFenceTests: XCTestCase {
  private func parsed(_ text: String) -> (notebook: Notebook?, errors: [Diagnostic]) {
    do {
      return (try Notebook.parse(source: text, path: "x.md"), [])
    } catch let error as HandoutError {
      return (nil, error.diagnostics.filter { $0.severity == .error })
    } catch {
      return (nil, [])
    }
  }

  func testASwiftBlockInsideAQuoteACalloutOrAListIsAnErrorAtItsFenceNotAnInlineExpression() {
    for (text, column) in [
      ("> ```swift\n> 6 * 7\n> ```", 3), ("> [!TIP]\n> ```swift\n> 6 * 7\n> ```", 3),
      ("- outer\n  - inner\n\n    ```swift\n    6 * 7\n    ```", 5), ("- ```swift\n  6 * 7\n  ```", 3),
      ("1. ```swift id=x\n   6 * 7\n   ```", 4), (">> ```swift\n>> 6 * 7\n>> ```", 4),
    ] {
      let (_, errors) = parsed("# T\n\nBefore.\n\n\(text)\n\nAfter `swift 1 + 1`.\n")
      let line = text.hasPrefix("> [!TIP]") ? 6 : text.hasPrefix("- outer") ? 8 : 5
      // (The scanner reads the closing fence of a list item's block as an opening one, never closed:
      // an error after this one.)
      XCTAssertFalse(errors.isEmpty, text)
      XCTAssertEqual(errors.first?.location?.line, line, "\(text): \(errors)")
      XCTAssertEqual(errors.first?.location?.column, column, "\(text): \(errors)")
      XCTAssertTrue(errors.first?.message.contains("shown but never run") == true, "\(text): \(errors)")
    }
  }

  func testAShownOnlyBlockInsideAQuoteStaysCodeAndTheProseAroundItIsLexed() throws {
    for text in ["> ```swift eval=false\n> let a = $x$\n> ```", "> ```python\n> print(`swift 2`)\n> ```"] {
      let (notebook, errors) = parsed("# T\n\n\(text)\n\nAfter `swift 1 + 1`.\n")
      XCTAssertEqual(errors, [], text)
      XCTAssertEqual(notebook?.inlines.map(\.expression), ["1 + 1"], text)
    }
  }
}
