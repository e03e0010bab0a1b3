import Foundation
import XCTest

/// Issue 24: the workflow `handout new` writes (pinned, cached, published, sharded) and this
/// repository's release workflow, each clean under actionlint and zizmor.
final class WorkflowTests: XCTestCase {
  /// actionlint and zizmor (offline: no GitHub token, no network) over the workflow files under
  /// `dir`; each must report nothing.
  func assertLintClean(_ files: [URL], in dir: URL, file: StaticString = #filePath, line: UInt = #line) throws
  {
    let actionlint = try Tool.linter("actionlint")
    let zizmor = try Tool.linter("zizmor")
    let paths = files.map(\.path)
    let lint = try Tool.run(actionlint, ["-no-color"] + paths, in: dir)
    XCTAssertEqual(lint.status, 0, "actionlint:\n\(lint.output)", file: file, line: line)
    let audit = try Tool.run(zizmor, ["--offline", "--no-progress", "--color", "never"] + paths, in: dir)
    XCTAssertEqual(audit.status, 0, "zizmor:\n\(audit.output)", file: file, line: line)
    XCTAssertTrue(
      audit.output.contains("No findings to report"), "zizmor:\n\(audit.output)", file: file, line: line)
  }

  /// Every `uses:` names a full commit SHA followed by the release it is, as `# v1.2.3`.
  func assertPinned(_ workflow: String, file: StaticString = #filePath, line: UInt = #line) {
    let uses = workflow.split(separator: "\n").filter { $0.contains("uses:") }
    XCTAssertFalse(uses.isEmpty, file: file, line: line)
    for use in uses {
      let match = use.wholeMatch(of: /\s*(- )?uses: [a-z-]+\/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+/)
      XCTAssertNotNil(match, "not pinned to a commit: \(use)", file: file, line: line)
    }
  }

  /// `handout new NAME [extra…]` in `dir`; the workflow it wrote.
  func newCourse(_ name: String, _ extra: [String] = [], in dir: URL) throws -> (URL, String) {
    let made = try HandoutCLI.run(["new", name] + extra, in: dir)
    XCTAssertEqual(made.status, 0, made.stderr)
    let url = dir.appendingPathComponent("\(name)/.github/workflows/handout.yml")
    return (url, try String(contentsOf: url, encoding: .utf8))
  }

  func testTheCourseWorkflowPinsCachesChecksAndPublishesAndIsLintClean() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let version = try HandoutCLI.run(["--version"], in: dir).stdout.trimmingCharacters(
      in: .whitespacesAndNewlines)
    let (url, workflow) = try newCourse("course", in: dir)
    assertPinned(workflow)
    // The Handout that wrote it, restored from the cache under a key made of that pin.
    XCTAssertTrue(workflow.contains("HANDOUT_VERSION: \"\(version)\""), workflow)
    XCTAssertTrue(workflow.contains("key: handout-${{ env.HANDOUT_VERSION }}-linux-x86_64"), workflow)
    XCTAssertTrue(workflow.contains("if: steps.handout.outputs.cache-hit != 'true'"), workflow)
    XCTAssertTrue(workflow.contains("sha256sum -c"), "the download is verified")
    XCTAssertFalse(workflow.contains("make install"), "no build of Handout from source")
    XCTAssertTrue(workflow.contains("handout check --junit handout-junit.xml"), workflow)
    XCTAssertTrue(workflow.contains("GITHUB_STEP_SUMMARY"), "the results shown on the run's page")
    XCTAssertTrue(workflow.contains("persist-credentials: false"))
    XCTAssertTrue(workflow.contains("permissions: {}"), "nothing by default; each job asks for its own")
    XCTAssertTrue(
      workflow.contains("actions/upload-pages-artifact@") && workflow.contains("actions/deploy-pages@"))
    XCTAssertTrue(
      workflow.contains("github.event.repository.default_branch"), "Pages from the default branch only")
    XCTAssertFalse(workflow.contains("matrix"), "one job checks a small course")
    // Every Debian package Handout's build needs is installed by the workflow too.
    let makefile = try String(
      contentsOf: Tool.packageRoot.appendingPathComponent("Makefile"), encoding: .utf8)
    let apt = makefile.firstMatch(of: /APT_BUILD\s*=\s*((?:[^\n]*\\\n)*[^\n]*)/)
    let packages = (apt.map { String($0.1) } ?? "").split(whereSeparator: { " \\\n".contains($0) })
    XCTAssertGreaterThan(packages.count, 5)
    for package in packages where package != "pkg-config" {
      XCTAssertTrue(workflow.contains(" \(package)"), "\(package) in the workflow's apt-get install")
    }
    try assertLintClean([url], in: dir)
  }

  func testShardsMakeAMatrixOfCheckJobs() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let (url, workflow) = try newCourse("course", ["--shards", "3"], in: dir)
    XCTAssertTrue(workflow.contains("shard: [1, 2, 3]"), workflow)
    XCTAssertTrue(
      workflow.contains("handout check --shard \"$SHARD/3\" --junit \"handout-junit-$SHARD.xml\""), workflow)
    XCTAssertTrue(workflow.contains("actions/deploy-pages@"), workflow)
    assertPinned(workflow)
    try assertLintClean([url], in: dir)

    for bad in ["0", "-2", "x", "1001"] {
      let refused = try HandoutCLI.run(["new", "c\(bad)", "--shards", bad], in: dir)
      XCTAssertEqual(refused.status, 64, "--shards \(bad): \(refused.stderr)")
      XCTAssertTrue(refused.stderr.contains("--shards"), refused.stderr)
      XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("c\(bad)").path))
    }
  }

  func testTheReleaseWorkflowBuildsTheArchiveOnATagAndIsLintClean() throws {
    let url = Tool.packageRoot.appendingPathComponent(".github/workflows/release.yml")
    let workflow = try String(contentsOf: url, encoding: .utf8)
    assertPinned(workflow)
    XCTAssertTrue(workflow.contains("tags:"), workflow)
    XCTAssertTrue(workflow.contains("make dist"), workflow)
    XCTAssertTrue(workflow.contains("persist-credentials: false"), workflow)
    try assertLintClean([url], in: Tool.packageRoot)
  }
}
