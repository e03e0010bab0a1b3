import Foundation
import XCTest

@testable import HandoutKit

/// How `show(…)`'s download files are drawn: while the notebook runs, on at most one thread fewer
/// than the machine has cores (the notebook's thread keeps a core); at its end, on its thread too.
final class BackgroundFiguresTests: XCTestCase {
  final class Record: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var most = 0
    private(set) var onCaller = 0
    private(set) var errors: [String] = []
    func enter() {
      lock.withLock {
        running += 1
        most = max(most, running)
      }
    }
    func leave() { lock.withLock { running -= 1 } }
    func ranOnCaller() { lock.withLock { onCaller += 1 } }
    func failed(_ error: Error) { lock.withLock { errors.append("\(error)") } }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  func testFilesAreDrawnOnOneThreadFewerThanTheCores() {
    let figures = BackgroundFigures()
    let record = Record()
    let cores = ProcessInfo.processInfo.activeProcessorCount
    for _ in 0..<(2 * cores + 2) {
      figures.draw(
        {
          record.enter()
          Thread.sleep(forTimeInterval: 0.02)
          record.leave()
        }, failed: { _ in })
    }
    // Wait without taking jobs, as the notebook does while it runs.
    let deadline = Date().addingTimeInterval(30)
    while record.most == 0 || figures.isBusy, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    figures.waitForAll()
    XCTAssertEqual(record.most, max(1, cores - 1), "threads drawing at once while the notebook runs")
  }

  func testTheNotebooksThreadDrawsWhatIsQueuedWhenItWaits() {
    let figures = BackgroundFigures()
    let record = Record()
    let caller = pthread_self()
    figures.queue.suspend()
    for _ in 0..<3 {
      figures.draw(
        { if pthread_equal(pthread_self(), caller) != 0 { record.ranOnCaller() } }, failed: { _ in })
    }
    // The queue starts once the caller has drawn all three (or after a minute, so that a
    // `waitForAll` that leaves them to the queue still ends, and fails below): a resume after a
    // fixed second let a lane take them when the caller was slow to reach `waitForAll` (load).
    Thread {
      let deadline = Date().addingTimeInterval(60)
      while record.onCaller < 3 && Date() < deadline { usleep(1000) }
      figures.queue.resume()
    }.start()
    figures.waitForAll()
    XCTAssertEqual(record.onCaller, 3, "the queued files are drawn by the thread that waits")
  }

  func testAFigureWithSeveralFailingFilesIsReportedOnceWithItsFirstError() {
    let figures = BackgroundFigures()
    let record = Record()
    figures.queue.suspend()
    figures.draw(
      [{ throw Failure(description: "first") }, {}, { throw Failure(description: "third") }],
      failed: record.failed)
    figures.draw([{ throw Failure(description: "next figure") }], failed: record.failed)
    figures.queue.resume()
    figures.waitForAll()
    XCTAssertEqual(record.errors, ["first", "next figure"])
  }
}
