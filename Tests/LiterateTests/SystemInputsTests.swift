import Foundation
import XCTest

@testable import Literate

/// A cached run is replayed only while the machine's files the program loaded (libraries, fonts,
/// fontconfig's configuration) are as they were: an upgraded font or libpng changes a figure's bytes
/// though the code, the data and the toolchain did not change.
final class SystemInputsTests: XCTestCase {
  static let dejaVu = "/usr/share/fonts/truetype/dejavu"

  func run(_ path: String, _ options: RunOptions) throws -> RunOutput {
    try Runner.run(try Notebook.load(path: path), options: options)
  }

  /// The bytes of the run's page PNG of its one figure.
  func figure(_ output: RunOutput) throws -> Data {
    let root = try XCTUnwrap(output.artifacts?.figures)
    let png = DataInputs.files(under: root.path).filter { $0.hasSuffix(".png") && !$0.contains(".slide.") }
    XCTAssertEqual(png.count, 1, "\(png)")
    return try Data(contentsOf: root.appendingPathComponent(try XCTUnwrap(png.first)))
  }

  /// fontconfig pointed (`FONTCONFIG_FILE`, declared) at a folder holding one font: replacing that
  /// font by another under the same name must draw the figure again, with the new font.
  func testAFontReplacedBetweenRendersRunsAgain() throws {
    let fonts = "\(Self.dejaVu)/DejaVuSans.ttf"
    guard FileManager.default.fileExists(atPath: fonts) else {
      throw XCTSkip("fonts-dejavu is not installed")
    }
    let dir = try Support.temporaryDirectory(self)
    let fontDir = dir.appendingPathComponent("fonts", isDirectory: true)
    try FileManager.default.createDirectory(at: fontDir, withIntermediateDirectories: true)
    let font = fontDir.appendingPathComponent("DejaVuSans.ttf")
    try FileManager.default.copyItem(atPath: fonts, toPath: font.path)
    let conf = dir.appendingPathComponent("fonts.conf")
    try Support.write(
      "<?xml version=\"1.0\"?>\n<fontconfig><dir>\(fontDir.path)</dir></fontconfig>\n", to: conf)
    let path = try Support.write(
      """
      ---
      env: [FONTCONFIG_FILE]
      ---
      ```swift
      let f = Figure(width: 200, height: 100)
      f.title = "Wavy text"
      show(f)
      ```
      """, "nb.md", in: dir)
    var options = try Support.options(cache: dir.appendingPathComponent("cache"))
    options.environment["FONTCONFIG_FILE"] = conf.path

    let first = try run(path, options)
    XCTAssertFalse(first.result.cached)
    let sans = try figure(first)
    XCTAssertTrue(try run(path, options).result.cached, "nothing changed: a hit")

    // An upgrade: the package manager puts a new file in its place (a new inode and times).
    let upgrade = dir.appendingPathComponent("new.ttf")
    try FileManager.default.copyItem(atPath: "\(Self.dejaVu)/DejaVuSerif.ttf", toPath: upgrade.path)
    XCTAssertEqual(rename(upgrade.path, font.path), 0)
    let again = try run(path, options)
    XCTAssertFalse(again.result.cached, "the old font's figure was replayed")
    XCTAssertNotEqual(try figure(again), sans, "the figure was not drawn with the new font")
    XCTAssertTrue(try run(path, options).result.cached, "the new font's run is a hit in turn")

    // fontconfig's configuration says which font a family gets: changing it runs again too.
    try Support.write(
      "<?xml version=\"1.0\"?>\n<fontconfig><dir>\(fontDir.path)</dir><!-- edited --></fontconfig>\n",
      to: conf)
    XCTAssertFalse(try run(path, options).result.cached, "an edited fonts.conf replayed the old run")

    // The machine's own settings, `local.conf` beside it (what `conf.d/51-local.conf` includes):
    // one made, then edited, runs again too.
    XCTAssertTrue(try run(path, options).result.cached)
    let local = dir.appendingPathComponent("local.conf")
    try Support.write("<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n", to: local)
    XCTAssertFalse(try run(path, options).result.cached, "a new local.conf replayed the old run")
    let handle = try FileHandle(forWritingTo: local)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("<!-- edited in place -->\n".utf8))
    try handle.close()
    XCTAssertFalse(try run(path, options).result.cached, "an edited local.conf replayed the old run")
  }

  /// A library the program loads (here libpng, through a declared `LD_LIBRARY_PATH` pointing at a
  /// copy) that is replaced between two renders runs the notebook again.
  func testALibraryReplacedBetweenRendersRunsAgain() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(
      """
      ---
      env: [LD_LIBRARY_PATH]
      ---
      ```swift
      show(Figure(width: 100, height: 80))
      ```
      """, "nb.md", in: dir)
    var options = try Support.options(cache: dir.appendingPathComponent("cache"))
    let first = try run(path, options)
    let png = try XCTUnwrap(
      Self.stored(first, options).first { $0.path.contains("/libpng16.so") }?.path,
      "libpng is not among the recorded files")
    let libs = dir.appendingPathComponent("libs", isDirectory: true)
    try FileManager.default.createDirectory(at: libs, withIntermediateDirectories: true)
    // Under its soname, which the loader looks for.
    let copy = libs.appendingPathComponent("libpng16.so.16")
    try FileManager.default.copyItem(atPath: png, toPath: copy.path)
    options.environment["LD_LIBRARY_PATH"] = libs.path

    XCTAssertFalse(try run(path, options).result.cached, "a new LD_LIBRARY_PATH is a new key")
    let recorded = try Self.stored(try run(path, options), options)
    XCTAssertTrue(
      recorded.contains { $0.path == copy.resolvingSymlinksInPath().path }, "\(recorded.map(\.path))")
    XCTAssertTrue(try run(path, options).result.cached)

    // The same bytes put back as a new file (an upgrade that happens to keep size and time).
    let upgrade = libs.appendingPathComponent("upgrade")
    try FileManager.default.copyItem(atPath: png, toPath: upgrade.path)
    try FileManager.default.setAttributes(
      [
        .modificationDate: try XCTUnwrap(
          try FileManager.default.attributesOfItem(atPath: copy.path)[.modificationDate])
      ],
      ofItemAtPath: upgrade.path)
    XCTAssertEqual(rename(upgrade.path, copy.path), 0)
    XCTAssertFalse(try run(path, options).result.cached, "a replaced libpng replayed the old run")
  }

  /// The machine's files recorded by the cache entry of `output`'s run.
  static func stored(_ output: RunOutput, _ options: RunOptions) throws -> [SystemInput] {
    let entry = try XCTUnwrap(output.artifacts?.figures).deletingLastPathComponent()
    let data = try Data(contentsOf: entry.appendingPathComponent("run.json"))
    return try JSONDecoder().decode(RunCache.Stored.self, from: data).system
  }

  /// What every notebook program loads is recorded: the Swift runtime, Foundation, the runtime
  /// library, libc; none of the run's own folders (its binary, its `HOME`).
  func testTheLoadedLibrariesAreRecordedButNotTheRunsOwnFiles() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write("```swift\nshow(Figure(width: 100, height: 80))\n```\n", "nb.md", in: dir)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    let output = try run(path, options)
    let recorded = try Self.stored(output, options).map(\.path)
    for library in ["libswiftCore.so", "libFoundation", "libHandoutRuntime.so", "libc.so", "libcairo.so"] {
      XCTAssertTrue(recorded.contains { $0.contains("/" + library) }, "\(library) is missing: \(recorded)")
    }
    XCTAssertFalse(
      recorded.contains { $0.hasSuffix("/program") || $0.contains("handout-run-") }, "\(recorded)")
  }
}

/// Which machine files keep a run out of the cache: one changed while it ran, not one whose time
/// lies ahead of the clock.
final class SystemInputsRecordTests: XCTestCase {
  func testAFileChangedDuringTheRunIsNotRecordedButAFutureTimeIs() throws {
    let dir = try Support.temporaryDirectory(self)
    let file = dir.appendingPathComponent("lib.so")
    let start = Date().addingTimeInterval(-0.5)
    try Support.write("x", to: file)
    XCTAssertNil(SystemInputs.record([file.path], notChangedSince: start), "changed during the run")
    let later = start.addingTimeInterval(5)
    XCTAssertNotNil(SystemInputs.record([file.path], notChangedSince: later), "not changed since")
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(86_400)], ofItemAtPath: file.path)
    Thread.sleep(forTimeInterval: 0.05)
    let recorded = try XCTUnwrap(
      SystemInputs.record([file.path], notChangedSince: Date()),
      "a time a day ahead is no change during the run")
    XCTAssertTrue(recorded.allSatisfy(\.isCurrent))
    XCTAssertEqual(SystemInputs.record(["/nonexistent/x.so"], notChangedSince: start)?.first?.stamp, "absent")
  }
}
