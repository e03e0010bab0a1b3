// A child started now and waited for later: the notebook's compiler can start before its program
// exists (`FrontendAhead`).
import Foundation

extension ChildProcess {
  /// Starts `executable`, its output read on another thread; `Started.finish` waits for it. Called
  /// on a thread that lives until the child has ended (see `SpawnedProcess.init`).
  static func start(
    _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
    contained: Bool = true, reaper: ProcessReaper? = nil
  ) throws(SpawnFailure) -> Started {
    let child: SpawnedProcess
    do {
      child = try SpawnedProcess(
        executable: executable, arguments: arguments, environment: environment, directory: directory,
        contained: contained, reaper: reaper)
    } catch let failure as SpawnFailure {
      throw failure
    } catch {
      throw SpawnFailure(reason: "\(error)")
    }
    let collected = Collected()
    let reader = Thread {
      collected.set(child.output.readDataToEndOfFile())
    }
    reader.start()
    return Started(child: child, collected: collected)
  }

  /// A child started by `start`, its output being read.
  final class Started: Sendable {
    let child: SpawnedProcess
    let collected: Collected

    init(child: SpawnedProcess, collected: Collected) {
      (self.child, self.collected) = (child, collected)
    }

    /// Waits for the child to end, or `timeLimit` seconds from now (then its group is killed and
    /// `termination` is nil); what it printed.
    func finish(timeLimit: Double = .infinity) -> Result {
      let deadline: DispatchTime =
        timeLimit.isFinite ? .now() + .milliseconds(Int(timeLimit * 1000)) : .distantFuture
      let ended = child.wait(until: deadline)
      child.finish()
      // The group is gone, so the pipe's write ends are closed and the reader finishes.
      let data = collected.wait()
      return Result(
        termination: ended ? child.termination : nil, output: String(decoding: data, as: UTF8.self))
    }
  }
}

/// Bytes read on another thread, handed over once.
final class Collected: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var data = Data()

  func set(_ data: Data) {
    self.data = data
    done.signal()
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
