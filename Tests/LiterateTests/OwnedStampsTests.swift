import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// A warm render knows Handout's files by their stamps, kept in the cache (issue 22), and a user's
/// edit is still found: one that keeps the size and puts the modification time back too.
final class OwnedStampsTests: XCTestCase {
  /// A folder with one owned file settled as a render settles it, its stamps saved and loaded
  /// again as the next render loads them.
  func settledFile() throws -> (out: URL, stamps: URL, relative: String, ownership: Ownership) {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let relative = "page/figure.svg"
    let file = out.appendingPathComponent(relative)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("<svg>Handout's figure</svg>".utf8).write(to: file)
    // The file is made, then (more than two ticks later) put where a user can reach it.
    Thread.sleep(forTimeInterval: 0.05)
    var ownership = Ownership()
    ownership.expect(relative, try XCTUnwrap(OwnedFile.of(file.path)))
    ownership.settle([relative], in: out, swappedAt: OwnedStamps.now())
    XCTAssertNotNil(ownership.files[relative]?.stamp, "an old enough file is known by its stamp")
    let stamps = OwnedStamps.location(cache: dir.appendingPathComponent("cache"), out: out)
    OwnedStamps.save(ownership, to: stamps, out: out)
    var next = Ownership()
    next.files[relative] = OwnedFile(sha256: ownership.files[relative]?.sha256, link: nil, stamp: nil)
    OwnedStamps.apply(from: stamps, to: &next, out: out)
    XCTAssertEqual(next.files[relative]?.stamp, ownership.files[relative]?.stamp, "kept between renders")
    XCTAssertTrue(next.ownsFile(relative, in: out))
    return (out, stamps, relative, next)
  }

  func testAnEditThatKeepsSizeAndModificationTimeIsStillTheUsers() throws {
    let (out, _, relative, ownership) = try settledFile()
    let path = out.appendingPathComponent(relative).path
    var before = stat()
    XCTAssertEqual(lstat(path, &before), 0)
    // The user's bytes, the same size, written in place (same inode), then `touch -d` back.
    let fd = open(path, O_WRONLY)
    XCTAssertGreaterThanOrEqual(fd, 0)
    let mine = Array("<svg>The user's own figure</svg>".utf8.prefix(Int(before.st_size)))
    XCTAssertEqual(mine.count, Int(before.st_size))
    XCTAssertEqual(write(fd, mine, mine.count), mine.count)
    close(fd)
    var times = [before.st_atim, before.st_mtim]
    XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
    var after = stat()
    XCTAssertEqual(lstat(path, &after), 0)
    XCTAssertEqual(after.st_size, before.st_size)
    XCTAssertEqual(after.st_ino, before.st_ino)
    XCTAssertEqual(after.st_mtim.tv_sec, before.st_mtim.tv_sec)
    XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)
    XCTAssertFalse(ownership.ownsFile(relative, in: out), "the file is the user's now")
    XCTAssertEqual(ownership.foreignPath(at: "page", in: out), relative)
  }

  func testAFileRenamedOverHandoutsIsTheUsers() throws {
    let (out, _, relative, ownership) = try settledFile()
    let path = out.appendingPathComponent(relative).path
    let mine = out.appendingPathComponent("mine.svg")
    try Data("<svg>Handout's figure</svg>".utf8).write(to: mine)  // the same bytes, even
    XCTAssertEqual(rename(mine.path, path), 0)
    // The same bytes are Handout's bytes: hashed, they are still its file.
    XCTAssertTrue(ownership.ownsFile(relative, in: out))
    try Data("<svg>The user's own figure</svg>".utf8).write(to: mine)
    XCTAssertEqual(rename(mine.path, path), 0)
    XCTAssertFalse(ownership.ownsFile(relative, in: out))
  }

  func testAFileWrittenWithinTwoTicksOfItsSwapIsNotKnownByItsStamp() throws {
    let dir = try Support.temporaryDirectory(self)
    let file = dir.appendingPathComponent("page.html")
    try Files.write(Data("<p>new</p>".utf8), to: file)
    var info = stat()
    XCTAssertEqual(lstat(file.path, &info), 0)
    func settled(swappedAfter nanoseconds: Int) throws -> OwnedFile? {
      var ownership = Ownership()
      ownership.expect("page.html", try XCTUnwrap(OwnedFile.of(file.path)))
      var at = info.st_ctim
      at.tv_nsec += nanoseconds
      at.tv_sec += at.tv_nsec / 1_000_000_000
      at.tv_nsec %= 1_000_000_000
      ownership.settle(["page.html"], in: dir, swappedAt: at)
      return ownership.files["page.html"]
    }
    // A change within the tick it was written in could keep its ctime: read again next time.
    let young = try settled(swappedAfter: Int(OwnedStamps.tick))
    XCTAssertNotNil(young?.sha256)
    XCTAssertNil(young?.stamp, "swapped within two ticks of its last write")
    XCTAssertNotNil(try settled(swappedAfter: Int(3 * OwnedStamps.tick))?.stamp)
  }

  func testStampsKeptWithAnotherHashVouchForNothing() throws {
    let (out, stamps, relative, _) = try settledFile()
    var other = Ownership()
    other.files[relative] = OwnedFile(sha256: String(repeating: "0", count: 64), link: nil, stamp: nil)
    OwnedStamps.apply(from: stamps, to: &other, out: out)
    XCTAssertNil(other.files[relative]?.stamp)
    XCTAssertFalse(other.ownsFile(relative, in: out))
  }
}
