import Foundation
import XCTest

/// A new user's first deck is clean: the notebook `handout new` writes renders with `--slides
/// --strict` without a slide warning (its slide "A small network" overflowed by 797 px).
final class NewCourseDeckTests: XCTestCase {
  func testTheNewCoursesDeckHasNoSlideWarning() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let made = try HandoutCLI.run(["new", "course"], in: dir)
    XCTAssertEqual(made.status, 0, made.stderr)
    let course = dir.appendingPathComponent("course")
    let render = try HandoutCLI.run(["render", "--slides", "--strict"], in: course)
    let said = render.stdout + render.stderr
    XCTAssertEqual(render.status, 0, said)
    XCTAssertFalse(said.contains("warning"), said)
    XCTAssertFalse(said.contains("overflows"), said)
    let deck = try String(
      contentsOf: course.appendingPathComponent("output/01-first-network.slides.html"), encoding: .utf8)
    // The figure has a slide of its own (cut in the notebook with `::: slides`).
    XCTAssertTrue(deck.contains("<h3 id=\"what-it-learned\">What it learned</h3>"), deck)
  }
}
