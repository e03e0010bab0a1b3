import Foundation

/// How long the calling thread has waited on a run queue — runnable but not running, because another
/// thread had its core — in nanoseconds since it started: the second field of Linux's
/// `/proc/thread-self/schedstat`, read with one `pread` (~1 µs). Nil where the file is missing (not
/// Linux, or a kernel without scheduler statistics); the pool then judges by its waits alone.
///
/// The pool's worker reads it when a loop wakes it and again after its parts (bench/README.md 49.).
/// On a free core a woken thread runs within microseconds and a running one is preempted only by
/// short kernel work; with another busy process on its core it waits a time slice (≥ 0.75 ms, one
/// to several ms as measured on the Zen 4 VM), whether before it claims a part (harmless to that
/// loop, but the next ones meet the same) or in the middle of one (the caller then waits for it).
struct RunQueueWait {
  private let fd: Int32

  /// This thread's counter: the file is opened on the thread that will read it
  /// (`/proc/thread-self` names the opener).
  init?() {
    let fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    guard Self.parse(fd) != nil else {
      close(fd)
      return nil
    }
    self.fd = fd
  }

  /// Nanoseconds waited on a run queue so far (0 if the read fails: no change is then seen).
  func read() -> UInt64 { Self.parse(fd) ?? 0 }

  /// The second number of the file: "run-time wait-time timeslices".
  private static func parse(_ fd: Int32) -> UInt64? {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { buffer in
      let n = pread(fd, buffer.baseAddress, buffer.count, 0)
      guard n > 0 else { return nil }
      return secondNumber(UnsafeBufferPointer(rebasing: buffer[0..<n]))
    }
  }

  /// The second run of decimal digits in `text`, or nil.
  static func secondNumber(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
    var (field, value, inDigits) = (0, UInt64(0), false)
    for byte in text {
      if byte >= 0x30 && byte <= 0x39 {
        if !inDigits { (field, value, inDigits) = (field + 1, 0, true) }
        if field == 2 { value = value &* 10 &+ UInt64(byte - 0x30) }
      } else {
        if inDigits && field == 2 { return value }
        inDigits = false
      }
    }
    return inDigits && field == 2 ? value : nil
  }
}
