import Foundation
import XCTest

@testable import Literate

/// System calls the runtime did not see. It stands in for the C library's `open`, `stat`, `execve`…
/// by symbol, but a program that fetched the C library's `syscall` with `dlsym` (Swift cannot call
/// the variadic function directly, a pointer it can) opened a file beside the notebook with
/// `syscall(SYS_openat, …)`, and an edit of that file replayed the stale run from the cache; so
/// did `io_uring` (an `IORING_OP_OPENAT` is no call at all) and `openat2`, which no glibc function
/// wraps.
final class RawSyscallTests: XCTestCase {
  func run(_ path: String, _ options: RunOptions) throws -> RunResult {
    try Runner.run(try Notebook.load(path: path), options: options).result
  }

  /// A notebook in `dir` whose code is `code`, after `first` (the process's first `syscall`, what
  /// `dlsym(RTLD_DEFAULT)` finds), `libc` (the C library's own, through `dlopen`) and `b` (the path
  /// of `b.txt` beside the notebook, holding "B1"), with `readB(_ call:_ number:)` which opens `b`
  /// through `call` and prints what it read, or `refused <errno>`.
  func notebook(_ code: String, in dir: URL) throws -> (String, RunOptions) {
    #if !(os(Linux) && arch(x86_64))
      throw XCTSkip("system call numbers of Linux on x86-64")
    #endif
    let source = """
      ```swift
      import Glibc
      typealias Call = @convention(c) (Int, Int, Int, Int) -> Int
      func syscallIn(_ handle: UnsafeMutableRawPointer?) -> Call {
        unsafeBitCast(dlsym(handle, "syscall")!, to: Call.self)
      }
      let first = syscallIn(nil)
      let libc = syscallIn(dlopen("libc.so.6", RTLD_NOW))
      let b = dataFile("a.txt").deletingLastPathComponent().path + "/b.txt"  // no `stat` of it
      func report(_ result: Int) { print(result < 0 ? "refused \\(errno)" : "ok") }
      func readB(_ call: Call, _ number: Int) {
        let fd = b.withCString { number == 257 ? call(257, Int(AT_FDCWD), Int(bitPattern: $0), 0) : call(2, Int(bitPattern: $0), 0, 0) }
        guard fd >= 0 else { return report(fd) }
        var bytes = [UInt8](repeating: 0, count: 8)
        let n = Glibc.read(Int32(fd), &bytes, 8)
        close(Int32(fd))
        print(String(decoding: bytes[..<max(n, 0)], as: UTF8.self))
      }
      \(code)
      ```

      """
    let path = try Support.write(source, "nb.md", in: dir)
    try Support.write("A", to: dir.appendingPathComponent("a.txt"))
    try Support.write("B1", to: dir.appendingPathComponent("b.txt"))
    return (path, try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  /// `syscall(SYS_openat, …)` and `syscall(SYS_open, …)` through the `syscall` any library gets:
  /// recorded as the runtime's `openat` records it, so an edit of the file runs the notebook again.
  func testARawOpenThroughTheProcesssSyscallIsRecorded() throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook("readB(first, 257)\nreadB(first, 2)", in: dir)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "B1\nB1\n")
    XCTAssertTrue(try run(path, options).cached, "a run whose raw opens were recorded is cached")
    try Support.write("B2", to: dir.appendingPathComponent("b.txt"))
    let edited = try run(path, options)
    XCTAssertFalse(edited.cached, "the edit of b.txt replayed the stale run")
    XCTAssertEqual(edited.blocks[0]?.text, "B2\nB2\n")
  }

  /// The C library's own `syscall` (reached past the runtime's) cannot be recorded: a file call
  /// through it fails with ENOSYS (38), as on a kernel without it, so no page shows a stale read.
  /// `openat2`, `io_uring_setup` and `vfork` (whose child borrows the caller's stack: no wrapper
  /// can record its `execve`) fail so through any `syscall`, and `open_by_handle_at` (a file opened
  /// by a handle, no path; root's) through glibc's function too.
  func testCallsTheRuntimeCannotRecordFailWithENOSYS() throws {
    let dir = try Support.temporaryDirectory(self)
    let code = """
      readB(libc, 257)
      readB(libc, 2)
      for call in [first, libc] {
        report(b.withCString { call(437, Int(AT_FDCWD), Int(bitPattern: $0), 0) })  // openat2
        report([UInt8](repeating: 0, count: 120).withUnsafeBytes { call(425, 8, Int(bitPattern: $0.baseAddress), 0) })
        report(call(58, 0, 0, 0))  // vfork
      }
      typealias ByHandle = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32) -> Int32
      let byHandle = unsafeBitCast(dlsym(nil, "open_by_handle_at")!, to: ByHandle.self)  // glibc's own
      var handle = [UInt8](repeating: 0, count: 16)
      report(Int(handle.withUnsafeMutableBytes { byHandle(-1, $0.baseAddress, 0) }))
      """
    let (path, options) = try notebook(code, in: dir)
    let fresh = try run(path, options)
    XCTAssertEqual(
      fresh.blocks[0]?.text, "refused 38\nrefused 38\n" + String(repeating: "refused 38\n", count: 7),
      "\(fresh.diagnostics)")
  }

  /// A file system call the runtime sees but cannot key the run on (`name_to_handle_at`, a raw
  /// `execve`): a warning at its block, and the run is not cached.
  func testAnUnrecordableCallIsAWarningAndNotCached() throws {
    let dir = try Support.temporaryDirectory(self)
    let code = """
      var handle = [UInt8](repeating: 0, count: 64)
      let n = handle.withUnsafeMutableBytes { h in
        b.withCString { first(303, Int(AT_FDCWD), Int(bitPattern: $0), Int(bitPattern: h.baseAddress)) }
      }
      print(n != 0)
      """
    let (path, options) = try notebook(code, in: dir)
    for round in ["first", "second"] {
      let result = try run(path, options)
      XCTAssertEqual(result.blocks[0]?.text, "true\n", round)
      XCTAssertFalse(result.cached, "a run with an unrecordable call was replayed (\(round))")
      XCTAssertTrue(
        result.diagnostics.contains { $0.message.contains("(name_to_handle_at through syscall)") }, round)
    }
  }

  /// A raw listing (`getdents64`) is recorded as `readdir` of an `fdopendir` records it: a file
  /// added runs the notebook again. (Not one of /proc: the Swift runtime's crash handler lists
  /// /proc/self/task so, and a crash said the code made a call the runtime cannot see.)
  func testARawListingIsRecorded() throws {
    let dir = try Support.temporaryDirectory(self)
    let code = """
      let folder = open(dataFile("a.txt").deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
      var entries = [UInt8](repeating: 0, count: 4096)
      let n = entries.withUnsafeMutableBytes { first(217, Int(folder), Int(bitPattern: $0.baseAddress), 4096) }
      print(n > 0)
      """
    let (path, options) = try notebook(code, in: dir)
    XCTAssertFalse(try run(path, options).cached)
    XCTAssertTrue(try run(path, options).cached, "a recorded listing of an unchanged folder is a hit")
    try Support.write("C", to: dir.appendingPathComponent("c.txt"))
    XCTAssertFalse(try run(path, options).cached, "a file added to the listed folder replayed the run")
  }
}
