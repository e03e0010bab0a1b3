import Foundation
import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// An owned file whose stamp is not known (written within two ticks of its swap, so not trusted
/// then) is read and hashed once in the next render, not once per check (`foreignPath` runs from
/// the course order, the neighbours, the handout's publish and its in-place test), and its stamp is
/// kept for the render after; a file changed since it was read is still read again.
final class VerifiedFilesTests: XCTestCase {
  func outcome(in dir: URL) throws -> NotebookOutcome {
    let path = try Support.write("# Made\n\nWords.\n", "made.md", in: dir)
    let notebook = try Notebook.parse(source: "# Made\n\nWords.\n", path: path)
    return NotebookOutcome(path: path, notebook: notebook, run: RunResult(), error: nil)
  }

  /// A render with a prose edit (a new page) after one that wrote every file: no owned file is
  /// read twice; renders with nothing changed then read each file once more at most, then none
  /// (the index, the same, is not written again).
  func testAWarmRenderReadsEachOwnedFileAtMostOnce() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    var options = PublishOptions()
    options.ownedStamps = OwnedStamps.location(cache: dir.appendingPathComponent("cache"), out: out)
    var makers = Pipeline.makers
    var page = "page one"
    makers.handout = { _ in Products(page: Data(page.utf8)) }
    func publish() throws -> Int {
      let before = Ownership.hashes.value
      let report = try Publisher.publish(
        [try outcome(in: dir)], to: out, weave: WeaveOptions(), options: options, make: makers)
      XCTAssertEqual(report.problems, [])
      return Ownership.hashes.value - before
    }
    _ = try publish()
    Thread.sleep(forTimeInterval: 0.05)  // more than two ticks: what it wrote may be trusted now
    // The first render kept no stamp for what it wrote within two ticks of its swap: on a quick
    // machine the page and the index, on a loaded one maybe neither. Both forgotten, whatever the
    // speed, so that the next render must read them (once each).
    try forgetStamps(of: ["made/.page.html", "index.html"], at: try XCTUnwrap(options.ownedStamps), out: out)
    let owned = Manifest.load(from: out.appendingPathComponent(Publisher.manifestName)).ownership.files
      .filter { $0.value.sha256 != nil }.count
    XCTAssertGreaterThan(owned, 1)
    page = "page two"
    // The page in place (written too close to its swap to be trusted) is read once, though four
    // checks look at it; `index.html` once, found the same as the one it would write (left as it is).
    XCTAssertEqual(try publish(), 2, "made/.page.html once, index.html once (\(owned) files owned)")
    // Nothing changed: the files the edit wrote (too young to be trusted then) are read once more,
    // and from then on every file is known by the stamp kept when it was read, `index.html` too
    // (the same, it is not written again).
    Thread.sleep(forTimeInterval: 0.05)
    XCTAssertLessThanOrEqual(try publish(), owned)
    Thread.sleep(forTimeInterval: 0.05)
    XCTAssertEqual(try publish(), 0, "nothing changed: no file read")
  }

  /// Removes the kept stamps of `files` from the stamps file at `url`.
  func forgetStamps(of files: [String], at url: URL, out: URL) throws {
    var stamps = try JSONDecoder().decode(OwnedStamps.self, from: Data(contentsOf: url))
    XCTAssertEqual(stamps.out, Publisher.absolute(out.path))
    for file in files { stamps.files[file] = nil }
    try JSONEncoder().encode(stamps).write(to: url)
  }

  /// A file learned this render by its hash is read again once its stamp changed, even by an edit
  /// that keeps its size and puts its modification time back.
  func testAFileChangedAfterItWasReadIsReadAgain() throws {
    let dir = try Support.temporaryDirectory(self)
    let relative = "page/figure.svg"
    let file = dir.appendingPathComponent(relative)
    try Files.write(Data("<svg>Handout's</svg>".utf8), to: file)
    Thread.sleep(forTimeInterval: 0.05)
    var ownership = Ownership()
    ownership.files[relative] = OwnedFile(
      sha256: SHA256.hex(Data("<svg>Handout's</svg>".utf8)), link: nil, stamp: nil)
    let before = Ownership.hashes.value
    XCTAssertNil(ownership.foreignPath(at: "page", in: dir))
    XCTAssertNil(ownership.foreignPath(at: "page", in: dir))
    XCTAssertEqual(Ownership.hashes.value - before, 1, "read once, then known by its stamp")

    var info = stat()
    XCTAssertEqual(lstat(file.path, &info), 0)
    let fd = open(file.path, O_WRONLY)
    XCTAssertGreaterThanOrEqual(fd, 0)
    let mine = Array("<svg>The user's</svg>".utf8.prefix(Int(info.st_size)))
    XCTAssertEqual(write(fd, mine, mine.count), mine.count)
    close(fd)
    var times = [info.st_atim, info.st_mtim]
    XCTAssertEqual(utimensat(AT_FDCWD, file.path, &times, 0), 0)
    XCTAssertEqual(ownership.foreignPath(at: "page", in: dir), relative, "the user's now")
    XCTAssertEqual(Ownership.hashes.value - before, 2)
  }
}
