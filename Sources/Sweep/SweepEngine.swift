// The one seam between a sweep and what runs it. An engine is given the indices to run and the
// settings of this submission; every engine runs each index as `psychrnn sweep run DIR --index I`
// (or a pack of them), so the run folders are the same whichever ran them.

/// How a submission should run (the options of `sweep` and `resubmit`).
public struct EngineSettings: Codable, Sendable, Equatable {
  /// `local` or `slurm`.
  public var engine: String = "local"
  /// The psychrnn executable the runs use (absolute).
  public var tool: String = ""
  /// Local: worker processes (nil: one per core).
  public var jobs: Int?
  /// Slurm: runs per array task.
  public var runsPerTask = 1
  /// Slurm: at most this many array tasks at once (`--array=…%M`).
  public var maxConcurrent: Int?
  /// Slurm: arguments passed to sbatch as they are (`--partition=gpu`, `--time=00:10:00`).
  public var sbatchArguments: [String] = []
  /// Block until every run has ended.
  public var wait = false

  public init() {}
}

/// What submitting did, in a line for people, and the Slurm job ids if any.
public struct Submission: Sendable, Equatable {
  public var summary: String
  public var jobIDs: [String] = []
}

/// Something that runs the runs of a sweep.
public protocol SweepEngine: Sendable {
  /// `local`, `slurm`.
  var name: String { get }
  /// Runs (or submits) `indices` of the sweep in `dir`.
  func submit(
    _ indices: [Int], of dir: SweepDirectory, manifest: Manifest, settings: EngineSettings
  ) throws(SweepError)
    -> Submission
  /// What the engine's queue says of the sweep (nil when it knows nothing beyond the run folders).
  func queued(_ dir: SweepDirectory) -> String?
  /// How many of the sweep's tasks the engine's queue holds, pending or running (nil: unknown).
  func queuedCount(_ dir: SweepDirectory) -> Int?
}

/// The engines by name.
public enum Engines {
  public static let names = ["local", "slurm"]

  /// The engine called `name`; `isCancelled` is polled by engines that wait (the local pool).
  public static func named(
    _ name: String, isCancelled: @escaping @Sendable () -> Bool = { false }
  ) throws(SweepError)
    -> any SweepEngine
  {
    switch name {
    case "local": return LocalEngine(isCancelled: isCancelled)
    case "slurm": return SlurmEngine()
    default: throw .unknownEngine(name, suggestion: closest(name, among: names))
    }
  }
}
