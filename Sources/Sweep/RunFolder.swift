// One run's folder, `DIR/runs/00007/`, and what its files say:
//
//   run.json       the values bound for this index, and the host, pid, attempt and start time of
//                  the attempt (written when the run begins)
//   output.txt     everything the script printed (and its errors)
//   metrics.json   the `report`ed values, in the order first reported
//   checkpoint.npz the current network, saved when a time limit (SIGTERM) stopped training
//   DONE           the run finished: its start, end and wall time; written last
//   FAILED         the run failed: the same times, its exit status and last error line
//   STOPPED        a signal stopped the run (a time limit): likewise; `resubmit` runs it again
//
// The state comes from these files alone (Slurm's accounting database is often absent). A run
// writes three files (each atomically, with fsync, so one costs a few milliseconds).

import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// A name and a value, the unit of run.json's values and of metrics.json (a JSON object keeps no order).
public struct NamedValue: Codable, Sendable, Equatable {
  public var name: String
  public var value: BoundValue
  public init(name: String, value: BoundValue) {
    self.name = name
    self.value = value
  }
}

/// What a run binds, and where and when its attempt began (run.json).
public struct RunStart: Codable, Sendable, Equatable {
  public var values: [NamedValue]
  public var host: String
  public var pid: Int32
  /// 1 for the first run of this index, 2 for the first resubmission…
  public var attempt: Int
  public var started: Double
}

/// How long a run took.
public struct RunTiming: Codable, Sendable, Equatable {
  public var started: Double
  public var finished: Double
  public var wallSeconds: Double
}

/// How a run ended badly.
public struct RunEnding: Codable, Sendable, Equatable {
  /// The process's exit status (128 + N for signal N).
  public var status: Int32
  /// The last error line of the output, or what stopped it.
  public var reason: String
  /// The checkpoint saved when a signal stopped training, relative to the run folder.
  public var checkpoint: String?

  public init(status: Int32, reason: String, checkpoint: String?) {
    self.status = status
    self.reason = reason
    self.checkpoint = checkpoint
  }
}

/// What an end marker (DONE, FAILED, STOPPED) holds.
struct RunMarker: Codable, Sendable, Equatable {
  var timing: RunTiming?
  var ending: RunEnding?
}

/// What state a run is in.
public enum RunState: String, Sendable, Equatable, CaseIterable {
  /// Not started (or not yet by an engine).
  case pending
  /// Started, not ended.
  case running
  case done
  case failed
  /// Stopped by a signal (a time limit); `resubmit` runs it again.
  case stopped
  /// Started on this machine by a process that no longer exists, with no end recorded.
  case lost

  /// Whether `resubmit` runs it again.
  public var needsRun: Bool { self != .done && self != .running }
}

/// One run's folder.
public struct RunFolder: Sendable {
  public let path: String
  public let index: Int

  public var runPath: String { path + "/run.json" }
  public var outputPath: String { path + "/output.txt" }
  public var metricsPath: String { path + "/metrics.json" }
  public var checkpointPath: String { path + "/checkpoint.npz" }
  public var donePath: String { path + "/DONE" }
  public var failedPath: String { path + "/FAILED" }
  public var stoppedPath: String { path + "/STOPPED" }

  /// The state its files show.
  public func state() -> RunState {
    let fm = FileManager.default
    if fm.fileExists(atPath: donePath) { return .done }
    if fm.fileExists(atPath: stoppedPath) { return .stopped }
    if fm.fileExists(atPath: failedPath) { return .failed }
    guard let start = try? started() else { return .pending }
    if start.host == RunFolder.hostName, kill(pid_t(start.pid), 0) != 0, errno == ESRCH { return .lost }
    return .running
  }

  /// Prepares the folder for a new attempt: removes the previous attempt's end markers and
  /// metrics, writes run.json. Returns what it wrote.
  public func begin(values: [(name: String, value: BoundValue)]) throws(SweepError) -> RunStart {
    try makeDirectories(path)
    let previous = (try? started())?.attempt ?? 0
    for marker in [failedPath, stoppedPath, metricsPath] { try? FileManager.default.removeItem(atPath: marker) }
    let start = RunStart(
      values: values.map { NamedValue(name: $0.name, value: $0.value) }, host: RunFolder.hostName, pid: getpid(),
      attempt: previous + 1, started: Date().timeIntervalSince1970)
    try writeAtomically(try JSONFile.encode(start), to: runPath)
    return start
  }

  /// Records the end of a run: metrics, then DONE, FAILED or STOPPED with the timing (last).
  public func finish(
    metrics: [NamedValue], start: RunStart, ending: RunEnding?, stopped: Bool
  ) throws(SweepError) {
    let now = Date().timeIntervalSince1970
    try writeAtomically(try JSONFile.encode(metrics), to: metricsPath)
    let marker = RunMarker(
      timing: RunTiming(started: start.started, finished: now, wallSeconds: now - start.started), ending: ending)
    try writeAtomically(try JSONFile.encode(marker), to: ending == nil ? donePath : stopped ? stoppedPath : failedPath)
  }

  /// Marks a run FAILED that never began or never recorded its end (its worker died).
  public func markFailed(_ ending: RunEnding) throws(SweepError) {
    try writeAtomically(try JSONFile.encode(RunMarker(timing: nil, ending: ending)), to: failedPath)
  }

  /// What run.json says (nil before the run began).
  public func started() throws(SweepError) -> RunStart? {
    guard let bytes = try readIfPresent(runPath) else { return nil }
    return try JSONFile.decode(RunStart.self, from: bytes, path: runPath)
  }

  public func metrics() throws(SweepError) -> [NamedValue] {
    guard let bytes = try readIfPresent(metricsPath) else { return [] }
    return try JSONFile.decode([NamedValue].self, from: bytes, path: metricsPath)
  }

  /// The end marker present (DONE, STOPPED or FAILED), decoded.
  func marker() throws(SweepError) -> RunMarker? {
    for file in [donePath, stoppedPath, failedPath] {
      if let bytes = try readIfPresent(file) { return try JSONFile.decode(RunMarker.self, from: bytes, path: file) }
    }
    return nil
  }

  public func timing() throws(SweepError) -> RunTiming? { try marker()?.timing }

  /// Why it failed or stopped.
  public func ending() throws(SweepError) -> RunEnding? { try marker()?.ending }

  /// This machine's short host name.
  public static let hostName: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
    let name = String(cString: buffer)
    return String(name.split(separator: ".").first ?? Substring(name))
  }()
}
