import XCTest

@testable import Literate

/// The index is titled with the course its handouts name. When they name two (the course's 01–03
/// reproduce one lecture series, 04–06 another), it is not titled with whichever comes first: with
/// no course named by more than half, it is `Handouts`, and each course's name heads its handouts.
final class IndexTitleTests: XCTestCase {
  static func entries(_ courses: [String?]) -> [IndexEntry] {
    courses.enumerated().map { i, course in
      IndexEntry(
        name: "n\(i)", title: "Handout \(i)", course: course, href: "n\(i).html", checksPassed: 1,
        checksFailed: 0, failed: false)
    }
  }

  func testTwoCoursesHalfAndHalfGiveANeutralTitleAndAHeadingEach() throws {
    let a = "Machine Learning for Computational Biology"
    let b = "Machine Learning in Bioinformatics"
    let html = try Weave.index(entries: Self.entries([a, a, a, b, b, b]), options: WeaveFixture.options())
    XCTAssertTrue(html.contains("<title>Handouts</title>"), html)
    XCTAssertTrue(html.contains("<h1 class=\"title\">Handouts</h1>"), html)
    let first = try XCTUnwrap(html.range(of: "<h2 class=\"course-name\">\(a)</h2>"), html)
    let second = try XCTUnwrap(html.range(of: "<h2 class=\"course-name\">\(b)</h2>"), html)
    let h2 = try XCTUnwrap(html.range(of: ">Handout 2</a>"))
    let h3 = try XCTUnwrap(html.range(of: ">Handout 3</a>"))
    // a's heading, its three handouts, b's heading, its three.
    XCTAssertLessThan(first.lowerBound, h2.lowerBound)
    XCTAssertLessThan(h2.lowerBound, second.lowerBound)
    XCTAssertLessThan(second.lowerBound, h3.lowerBound)
    XCTAssertEqual(html.components(separatedBy: "<ol class=\"handouts\">").count - 1, 2)
  }

  func testTheCourseMostHandoutsNameTitlesTheIndex() throws {
    XCTAssertEqual(IndexContext.courses(["b", "a", "a"]).course, "a")
    XCTAssertEqual(IndexContext.courses(["b", "a", "a"]).headed, true)
    XCTAssertEqual(IndexContext.courses(["a", "b", nil, nil]).course, nil)
    // A handout that names no course does not vote.
    XCTAssertEqual(IndexContext.courses(["a", "b", nil, "a"]).course, "a")
    // One course, named by some: its name, no headings.
    XCTAssertEqual(IndexContext.courses([nil, "a", "a"]).course, "a")
    XCTAssertEqual(IndexContext.courses([nil, "a", "a"]).headed, false)
    XCTAssertEqual(IndexContext.courses([nil, nil]).course, nil)
    let html = try Weave.index(entries: Self.entries(["a", "a"]), options: WeaveFixture.options())
    XCTAssertTrue(html.contains("<title>a</title>"), html)
    XCTAssertFalse(html.contains("course-name"), html)
  }
}
