import XCTest

@testable import Literate

/// A failing notebook fixed and rendered again, stopped after its good page was swapped in but
/// before the render's manifest said so: the next render that fails must still keep that good page
/// and put its failing page beside it (promise 1: a bad edit never costs the last good handout).
extension PublishSafetyTests {
  /// Every point of the fixing render from its page's swap on: the page is good from there, so a
  /// later failing render goes beside it, whatever the stopped render had saved.
  func testAGoodPageSwappedInByAStoppedRenderIsKeptByTheNextFailingRender() throws {
    let dir = try Support.temporaryDirectory(self)
    let scene = Scene(dir: dir, cache: dir.appendingPathComponent("cache"))
    try scene.write(crashNotebook(width: 60, passes: false), "p.md")
    XCTAssertEqual(try scene.render([]).status, 1)
    try scene.save()
    try scene.write(crashNotebook(width: 61), "p.md")
    // The fixed run cached, so the renders below only weave and publish.
    XCTAssertEqual(try scene.render([], into: "warm").status, 0)
    let arguments = ["render", "notebooks", "--out", "out"]
    _ = try scene.restore()
    let all = try CrashPoints.points(arguments, in: dir, cache: scene.cache, under: [scene.out])
    // The swap: the staged folder renamed to `out/p` (or exchanged with it).
    let swap = try XCTUnwrap(
      all.firstIndex { $0.syscall.hasPrefix("rename") && $0.call.contains("/out/p\"") },
      "no swap of out/p among \(all)")
    let after = CrashPoints.visible(Array(all[(swap + 1)...]))
    XCTAssertGreaterThanOrEqual(after.count, 1, "\(all)")
    for (i, point) in CrashPoints.spread(after, count: 4).enumerated() {
      _ = try scene.restore()
      try scene.write(crashNotebook(width: 61), "p.md")
      try CrashPoints.stop(arguments, in: dir, cache: scene.cache, at: point)
      let moment = "\(i): \(point)"
      XCTAssertEqual(try assertWhole(scene.out, ["p"], "stopped \(moment)")["p"], 61, "stopped \(moment)")
      try scene.write(crashNotebook(width: 62, passes: false), "p.md")
      let next = try scene.render([])
      XCTAssertEqual(next.status, 1, "after \(moment): \(next.output)")
      let pages = try assertWhole(scene.out, ["p"], "after \(moment)")
      XCTAssertEqual(pages["p"], 61, "after \(moment): the last good page was replaced: \(next.output)")
      XCTAssertEqual(pages["p.failed"], 62, "after \(moment): the failing page")
    }
  }
}
