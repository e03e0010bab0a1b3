import XCTest

@testable import Literate

/// `RunCache.store` replacing an entry (two renders storing one run at once: the instructor's and
/// the student's edition rendered together into one cache, both running the instructor's program)
/// never leaves the entry missing: a render publishing the entry's figures at that moment found
/// none (the older entry was moved aside and deleted before the new one moved in).
final class CacheReplaceTests: XCTestCase {
  func testAReplacedEntryIsNeverMissing() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = RunCache(root: dir.appendingPathComponent("cache"))
    let notebook = try Notebook.parse(source: "```swift\nprint(1)\n```\n", path: "n.md")
    let program = notebook.tangle()
    /// A finished run's folder with a figure and enough files that deleting it takes a while.
    func work() throws -> URL {
      let work = try cache.makeWorkDirectory()
      for k in 0..<100 {
        try Support.write("<svg>\(k)</svg>", to: work.appendingPathComponent("figures/n/block0-\(k).svg"))
      }
      return work
    }
    let key = String(repeating: "a", count: 64)
    _ = try cache.store(RunResult(), key: key, work: try work(), program: program, inputs: [])
    let figure = cache.entry(key).appendingPathComponent("figures/n/block0-0.svg").path

    let watcher = Watcher(path: figure)
    let watching = Thread { watcher.watch() }
    watching.start()
    for _ in 0..<5 {
      _ = try cache.store(RunResult(), key: key, work: try work(), program: program, inputs: [])
    }
    watcher.stop()
    XCTAssertEqual(
      watcher.missing, 0, "the entry's figure was missing \(watcher.missing) times of \(watcher.looks)")
    XCTAssertGreaterThan(watcher.looks, 0)
    XCTAssertTrue(FileManager.default.fileExists(atPath: figure))
    // Only the entry, no older one left beside it.
    let left = try FileManager.default.contentsOfDirectory(atPath: cache.root.path).filter {
      !$0.hasPrefix(".")
    }
    XCTAssertEqual(left.filter { $0 != key && $0 != "publish-stamps" }, [], "\(left)")
  }
}

/// Looks at a path in a loop until stopped, counting the looks that found nothing.
private final class Watcher: @unchecked Sendable {
  let path: String
  private let lock = NSLock()
  private var stopped = false
  private var finished = DispatchSemaphore(value: 0)
  private(set) var looks = 0
  private(set) var missing = 0

  init(path: String) { self.path = path }

  func watch() {
    while !lock.withLock({ stopped }) {
      var info = stat()
      let found = stat(path, &info) == 0
      lock.withLock {
        looks += 1
        if !found { missing += 1 }
      }
    }
    finished.signal()
  }

  func stop() {
    lock.withLock { stopped = true }
    finished.wait()
  }
}
