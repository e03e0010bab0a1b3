import Foundation
import XCTest

/// Issue 24: `make dist`'s archive (scripts/dist.sh over a built Handout) is reproducible, and the
/// Handout unpacked from it works on its own.
final class DistTests: XCTestCase {
  /// scripts/dist.sh of the built `handout` into `out`; the archive's and the checksum's paths.
  func dist(into out: URL, environment: [String: String] = [:]) throws -> (archive: URL, checksum: URL) {
    let build = try HandoutCLI.buildDirectory()
    let script = Tool.packageRoot.appendingPathComponent("scripts/dist.sh").path
    let made = try Tool.run(
      "/bin/bash", [script, build.path, out.path], in: Tool.packageRoot, environment: environment)
    XCTAssertEqual(made.status, 0, made.output)
    let version = try HandoutCLI.run(["--version"], in: out.deletingLastPathComponent()).stdout
      .trimmingCharacters(
        in: .whitespacesAndNewlines)
    let archive = out.appendingPathComponent("handout-\(version)-linux-x86_64.tar.gz")
    return (archive, out.appendingPathComponent(archive.lastPathComponent + ".sha256"))
  }

  func testTheArchiveIsTheSameBytesTwiceAndItsHandoutRendersACourseWithoutTheSourceTree() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let first = try dist(into: dir.appendingPathComponent("one"))
    // A second second: every staged file gets another modification time.
    Thread.sleep(forTimeInterval: 1.1)
    let second = try dist(into: dir.appendingPathComponent("two"))
    let bytes = try Data(contentsOf: first.archive)
    XCTAssertGreaterThan(bytes.count, 100_000)
    XCTAssertEqual(bytes, try Data(contentsOf: second.archive), "the same build gives the same bytes")
    XCTAssertEqual(try Data(contentsOf: first.checksum), try Data(contentsOf: second.checksum))
    let verified = try Tool.run(
      "/usr/bin/sha256sum", ["-c", first.checksum.lastPathComponent],
      in: first.archive.deletingLastPathComponent())
    XCTAssertEqual(verified.status, 0, verified.output)

    // Every entry: under one folder, owner and group 0, the last commit's time; sorted by name.
    let top = String(first.archive.lastPathComponent.dropLast(".tar.gz".count))
    try assertEntries(of: first.archive, under: top, in: dir)

    // Unpacked in a path with spaces, with the source tree hidden (a private mount namespace lays an
    // empty folder over it), the unpacked Handout starts a course, checks and renders it.
    let place = dir.appendingPathComponent("a place/with spaces", isDirectory: true)
    try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
    let unpacked = try Tool.run("/bin/tar", ["-xzf", first.archive.path], in: place)
    XCTAssertEqual(unpacked.status, 0, unpacked.output)
    let handout = place.appendingPathComponent("\(top)/bin/handout").path
    let script = #"""
      set -e
      mount -t tmpfs -o ro handout-source-hidden "$1"
      [ -z "$(ls -A "$1")" ] || { echo "the source tree is still visible"; exit 3; }
      cd "$2"
      "$3" new "my course"
      cd "my course"
      "$3" check
      "$3" render
      """#
    let rendered = try Tool.run(
      "/usr/bin/unshare",
      ["--mount", "/bin/bash", "-c", script, "bash", Tool.packageRoot.path, place.path, handout],
      in: dir)
    XCTAssertEqual(rendered.status, 0, rendered.output)
    XCTAssertTrue(
      rendered.output.contains("ok   notebooks/01-first-network.md: 3/3 checks passed"), rendered.output)
    let page = try String(
      contentsOf: place.appendingPathComponent("my course/output/01-first-network.html"), encoding: .utf8)
    XCTAssertTrue(page.contains("40 points, 2 classes"), "the CSV-driven number")
    XCTAssertTrue(page.contains("katex"), "math, from the installed templates")
    XCTAssertTrue(
      FileManager.default.fileExists(
        atPath: place.appendingPathComponent("my course/output/01-first-network/boundary-1.svg").path))

    try assertPublishedAsThePagesWorkflowDoes(place.appendingPathComponent("my course/output"), in: dir)
  }

  /// Every entry of `archive`: under the folder `top`, owner and group 0, no group or other write,
  /// the last commit's time; the handout, the runtime and a module map there; sorted by name.
  func assertEntries(of archive: URL, under top: String, in dir: URL) throws {
    let commitTime = try Tool.run(
      "/usr/bin/git", ["log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d %H:%M:%S"],
      in: Tool.packageRoot,
      environment: ["TZ": "UTC"])
    XCTAssertEqual(commitTime.status, 0, commitTime.output)
    let listing = try Tool.run(
      "/bin/tar", ["-tvzf", archive.path, "--numeric-owner", "--full-time"], in: dir,
      environment: ["TZ": "UTC"])
    XCTAssertEqual(listing.status, 0, listing.output)
    let entries = listing.output.split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true)
    }
    XCTAssertGreaterThan(entries.count, 10, listing.output)
    for entry in entries {
      XCTAssertEqual(entry.count, 6, "\(entry)")  // mode, owner/group, size, date, time, name
      guard entry.count == 6 else { continue }
      XCTAssertEqual(entry[1], "0/0", "\(entry)")
      XCTAssertEqual(
        "\(entry[3]) \(entry[4])", commitTime.output.trimmingCharacters(in: .whitespacesAndNewlines))
      XCTAssertFalse(entry[0].dropFirst(5).contains("w"), "no group or other write: \(entry)")
      XCTAssertTrue(entry[5] == "\(top)/" || entry[5].hasPrefix("\(top)/"), "\(entry)")
    }
    let names = entries.compactMap { $0.last.map(String.init) }
    for expected in [
      "bin/handout", "lib/handout/libHandoutRuntime.so", "lib/handout/CCairo/module.modulemap",
    ] {
      XCTAssertTrue(names.contains("\(top)/\(expected)"), expected)
    }
    let siblings = names.filter {
      $0.hasPrefix("\(top)/lib/handout/Modules/") && $0.split(separator: "/").count == 5
    }
    XCTAssertEqual(siblings, siblings.sorted(), "entries sorted by name")
  }

  /// The course workflow publishes `output` with actions/upload-pages-artifact v5.0.0, which packs
  /// it with this command (its action.yml): the linked pages arrive as pages, every link of the
  /// index leads to a file of the site, and no hidden file (the manifest) is published.
  func assertPublishedAsThePagesWorkflowDoes(_ output: URL, in dir: URL) throws {
    let site = dir.appendingPathComponent("site", isDirectory: true)
    try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
    let packed = try Tool.run(
      "/bin/bash",
      [
        "-c",
        #"tar --dereference --hard-dereference --directory "$1" -cf "$2/../site.tar" --exclude=.git --exclude=.github --exclude='.[^/]*' . && tar -xf "$2/../site.tar" -C "$2""#,
        "bash", output.path, site.path,
      ], in: dir)
    XCTAssertEqual(packed.status, 0, packed.output)
    let published = try FileManager.default.subpathsOfDirectory(atPath: site.path)
    XCTAssertFalse(
      published.contains { $0.split(separator: "/").contains { $0.hasPrefix(".") } }, "\(published)")
    let pageAttributes = try FileManager.default.attributesOfItem(
      atPath: site.appendingPathComponent("01-first-network.html").path)
    XCTAssertEqual(pageAttributes[.type] as? FileAttributeType, .typeRegular)
    XCTAssertTrue(
      try String(contentsOf: site.appendingPathComponent("01-first-network.html"), encoding: .utf8)
        .contains("40 points, 2 classes"))
    let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
    let links = index.matches(of: /(?:href|src)="([^"#:]+)"/).map { String($0.1) }
    XCTAssertTrue(links.contains("01-first-network.html"), "\(links)")
    for link in links {
      let path = link.removingPercentEncoding ?? link
      XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent(path).path), link)
    }
  }

  func testAnUnbuiltTreeOrABadEpochIsAClearError() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let script = Tool.packageRoot.appendingPathComponent("scripts/dist.sh").path
    let unbuilt = try Tool.run(
      "/bin/bash", [script, dir.path, dir.appendingPathComponent("out").path], in: dir)
    XCTAssertEqual(unbuilt.status, 1)
    XCTAssertTrue(unbuilt.output.contains("handout is missing; build first (make release)"), unbuilt.output)
    let build = try HandoutCLI.buildDirectory()
    let epoch = try Tool.run(
      "/bin/bash", [script, build.path, dir.appendingPathComponent("out").path], in: dir,
      environment: ["SOURCE_DATE_EPOCH": "yesterday"])
    XCTAssertEqual(epoch.status, 1)
    XCTAssertTrue(
      epoch.output.contains("SOURCE_DATE_EPOCH='yesterday' is not a number of seconds"), epoch.output)
  }
}
