// The shell's limits that reach the notebook program. Its stack and open-files limits are fixed
// (`CSpawn`); its soft CPU-time, address-space, data and processes limits are raised to the hard
// ones, which no process can raise: those are part of the run, in its cache key, so a pass made
// without them is not replayed under them (a fresh run there could fail), and a program stopped
// at one says which.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum ProgramLimits {
  /// The hard limit of `resource`, nil when unlimited.
  static func hard(_ resource: __rlimit_resource) -> rlim_t? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0, limit.rlim_max != rlim_t.max
    else { return nil }
    return limit.rlim_max
  }

  /// The hard limits the program runs under, for the cache key:
  /// `limits cpu - as 2048000000 data - nproc 96367` (`-`: unlimited).
  static var key: String {
    let resources = [
      ("cpu", RLIMIT_CPU), ("as", RLIMIT_AS), ("data", RLIMIT_DATA), ("nproc", __RLIMIT_NPROC),
    ]
    return "limits " + resources.map { "\($0.0) \(hard($0.1).map { "\($0)" } ?? "-")" }.joined(separator: " ")
  }

  /// What stopped a program that ended by `signal`, when a limit of the shell's explains it: the
  /// CPU-time limit (SIGXCPU, see `CSpawn.h`), or a crash under an address-space or data limit
  /// (an allocation refused traps). nil otherwise.
  static func explanation(signal: Int32) -> String? {
    if signal == SIGXCPU, let seconds = hard(RLIMIT_CPU) {
      return
        "stopped at the CPU-time limit (ulimit -t) of \(seconds) s; raise it (ulimit -t unlimited) and run it again"
    }
    if let bytes = hard(RLIMIT_AS) {
      return
        "the address-space limit (ulimit -v) is \(bytes >> 20) MiB; raise it (ulimit -v unlimited) if the "
        + "program needs more"
    }
    if let bytes = hard(RLIMIT_DATA) {
      return
        "the data limit (ulimit -d) is \(bytes >> 20) MiB; raise it (ulimit -d unlimited) if the program "
        + "needs more"
    }
    return nil
  }
}
