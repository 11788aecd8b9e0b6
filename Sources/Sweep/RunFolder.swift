// One run's folder, `DIR/runs/00007/`, and what its files say:
//
//   values.json    the values bound for this index
//   started.json   host, pid, attempt and start time (written when the run begins)
//   output.txt     everything the script printed (and its errors)
//   metrics.json   the `report`ed values, in the order first reported
//   timing.json    start, end and wall time in seconds
//   checkpoint.npz the current network, saved when a time limit (SIGTERM) stopped training
//   DONE           the run finished; written last, after everything above
//   FAILED         the run failed: its exit status and last error line
//   STOPPED        a signal stopped the run (a time limit); `resubmit` runs it again
//
// The state comes from these files alone (Slurm's accounting database is often absent).

import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// A name and a value, the unit of values.json and metrics.json (a JSON object keeps no order).
public struct NamedValue: Codable, Sendable, Equatable {
  public var name: String
  public var value: BoundValue
  public init(name: String, value: BoundValue) {
    self.name = name
    self.value = value
  }
}

/// Where and when a run began.
public struct RunStart: Codable, Sendable, Equatable {
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

  public var valuesPath: String { path + "/values.json" }
  public var startedPath: String { path + "/started.json" }
  public var outputPath: String { path + "/output.txt" }
  public var metricsPath: String { path + "/metrics.json" }
  public var timingPath: String { path + "/timing.json" }
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

  /// Prepares the folder for a new attempt: removes the previous attempt's end markers, writes
  /// the values and started.json. Returns the attempt number.
  public func begin(values: [(name: String, value: BoundValue)]) throws(SweepError) -> RunStart {
    try makeDirectories(path)
    let previous = (try? started())?.attempt ?? 0
    for marker in [failedPath, stoppedPath, metricsPath, timingPath] { try? FileManager.default.removeItem(atPath: marker) }
    try writeAtomically(try JSONFile.encode(values.map { NamedValue(name: $0.name, value: $0.value) }), to: valuesPath)
    let start = RunStart(
      host: RunFolder.hostName, pid: getpid(), attempt: previous + 1, started: Date().timeIntervalSince1970)
    try writeAtomically(try JSONFile.encode(start), to: startedPath)
    return start
  }

  /// Records the end of a run: metrics and timing, then DONE, FAILED or STOPPED (last).
  public func finish(
    metrics: [NamedValue], start: RunStart, ending: RunEnding?, stopped: Bool
  ) throws(SweepError) {
    let now = Date().timeIntervalSince1970
    try writeAtomically(try JSONFile.encode(metrics), to: metricsPath)
    try writeAtomically(
      try JSONFile.encode(RunTiming(started: start.started, finished: now, wallSeconds: now - start.started)), to: timingPath)
    if let ending {
      try writeAtomically(try JSONFile.encode(ending), to: stopped ? stoppedPath : failedPath)
    } else {
      try writeAtomically([], to: donePath)
    }
  }

  public func started() throws(SweepError) -> RunStart? {
    guard let bytes = try readIfPresent(startedPath) else { return nil }
    return try JSONFile.decode(RunStart.self, from: bytes, path: startedPath)
  }

  public func metrics() throws(SweepError) -> [NamedValue] {
    guard let bytes = try readIfPresent(metricsPath) else { return [] }
    return try JSONFile.decode([NamedValue].self, from: bytes, path: metricsPath)
  }

  public func timing() throws(SweepError) -> RunTiming? {
    guard let bytes = try readIfPresent(timingPath) else { return nil }
    return try JSONFile.decode(RunTiming.self, from: bytes, path: timingPath)
  }

  /// Why it failed or stopped.
  public func ending() throws(SweepError) -> RunEnding? {
    for file in [stoppedPath, failedPath] {
      if let bytes = try readIfPresent(file) { return try JSONFile.decode(RunEnding.self, from: bytes, path: file) }
    }
    return nil
  }

  /// This machine's short host name.
  public static let hostName: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
    let name = String(cString: buffer)
    return String(name.split(separator: ".").first ?? Substring(name))
  }()
}
