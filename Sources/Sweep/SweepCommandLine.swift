// The arguments of `psychrnn sweep …`, typed:
//
//   psychrnn sweep SCRIPT.rnn --grid K=V,… [--grid …] [--random N [--seed S]] --out DIR
//                  [--engine local|slurm] [--jobs N] [--runs-per-task K] [--max-concurrent M]
//                  [--sbatch ARG]… [--wait] [--plan-only]
//   psychrnn sweep run DIR (--index I | --pack P --runs-per-task K)
//   psychrnn sweep status DIR
//   psychrnn sweep collect DIR
//   psychrnn sweep resubmit DIR [engine options as above]

/// One `psychrnn sweep` invocation.
public enum SweepCommand: Sendable, Equatable {
  case plan(script: String, axes: [GridAxis], mode: PlanMode, out: String, settings: EngineSettings, planOnly: Bool)
  case run(directory: String, indices: RunSelection)
  case status(directory: String)
  case collect(directory: String)
  /// `settings` nil: those of the last submission (DIR/submission.json).
  case resubmit(directory: String, settings: EngineSettings?)
  case help
}

/// Which runs `sweep run` executes.
public enum RunSelection: Sendable, Equatable {
  case index(Int)
  /// Pack `p` of `k` runs: indices pk … pk+k-1.
  case pack(Int, runsPerTask: Int)

  /// The indices selected, within a sweep of `count` runs.
  public func indices(count: Int) throws(SweepError) -> [Int] {
    switch self {
    case .index(let i):
      guard (0..<count).contains(i) else { throw .indexOutOfRange(index: i, count: count) }
      return [i]
    case .pack(let p, let k):
      let first = p * k
      guard (0..<count).contains(first) else { throw .indexOutOfRange(index: first, count: count) }
      return Array(first..<min(count, first + k))
    }
  }
}

extension SweepCommand {
  public static let usage = """
    usage: psychrnn sweep SCRIPT.rnn --grid NAME=VALUES… --out DIR [options]   plan and run a sweep
           psychrnn sweep status DIR | collect DIR | resubmit DIR [options]
           psychrnn sweep run DIR --index I                                     one run (what each task does)
      --grid NAME=1,2,3 | NAME=1..20 | NAME=0..100:10   values (cartesian product, last name fastest)
      --random N [--seed S]     N draws instead: NAME=LOW..HIGH (uniform; :log for log-uniform) or a list
      --out DIR                 the sweep's folder (manifest, runs/, results)
      --engine local|slurm      local: a pool of worker processes (default); slurm: sbatch job arrays
      --jobs N                  local: worker processes (default: one per core)
      --runs-per-task K         slurm: runs per array task (pack short runs)
      --max-concurrent M        slurm: at most M tasks at once (--array=…%M)
      --sbatch ARG              slurm: pass ARG to sbatch (--sbatch --partition=short --sbatch --time=0:10:00)
      --wait                    slurm: block until the arrays end (local always waits)
      --plan-only               write the manifest and stop
    """

  static let planOptions = [
    "--grid", "--random", "--seed", "--out", "--engine", "--jobs", "--runs-per-task", "--max-concurrent", "--sbatch", "--wait",
    "--plan-only",
  ]
  static let engineOptions = ["--engine", "--jobs", "--runs-per-task", "--max-concurrent", "--sbatch", "--wait"]

  /// Reads the arguments after `sweep`; `tool` is the psychrnn executable the runs will use.
  public static func parse(_ arguments: [String], tool: String) throws(SweepError) -> SweepCommand {
    guard let first = arguments.first else { return .help }
    var rest = Array(arguments.dropFirst())[...]
    switch first {
    case "-h", "--help", "help": return .help
    case "run":
      let dir = try directory(&rest, for: "run")
      var index: Int?, pack: Int?, k: Int?
      while let a = rest.popFirst() {
        switch a {
        case "--index": index = try integer(&rest, a, minimum: 0)
        case "--pack": pack = try integer(&rest, a, minimum: 0)
        case "--runs-per-task": k = try integer(&rest, a, minimum: 1)
        default: throw unknown(a, among: ["--index", "--pack", "--runs-per-task"])
        }
      }
      if let index, pack == nil { return .run(directory: dir, indices: .index(index)) }
      if let pack, index == nil { return .run(directory: dir, indices: .pack(pack, runsPerTask: k ?? 1)) }
      throw .badArgument(argument: "sweep run", problem: "give --index I (or --pack P --runs-per-task K)", hint: nil)
    case "status", "collect":
      let dir = try directory(&rest, for: first)
      if let extra = rest.first {
        throw .badArgument(argument: extra, problem: "\(first) takes only the sweep's folder", hint: nil)
      }
      return first == "status" ? .status(directory: dir) : .collect(directory: dir)
    case "resubmit":
      let dir = try directory(&rest, for: first)
      var settings = EngineSettings()
      settings.tool = tool
      var given = false
      while let a = rest.popFirst() {
        guard try engineOption(a, &rest, &settings) else { throw unknown(a, among: engineOptions) }
        given = true
      }
      return .resubmit(directory: dir, settings: given ? settings : nil)
    default:
      break
    }
    if first.hasPrefix("-") { throw unknown(first, among: planOptions + ["run", "status", "collect", "resubmit"]) }
    let script = first
    var axes: [GridAxis] = [], out: String?, count: Int?, seed: UInt64 = 0, planOnly = false
    var settings = EngineSettings()
    settings.tool = tool
    while let a = rest.popFirst() {
      switch a {
      case "--grid": axes.append(try GridAxis.parse(try value(&rest, a)))
      case "--out": out = try value(&rest, a)
      case "--random": count = try integer(&rest, a, minimum: 1)
      case "--seed": seed = UInt64(try integer(&rest, a, minimum: 0))
      case "--plan-only": planOnly = true
      default:
        guard try engineOption(a, &rest, &settings) else { throw unknown(a, among: planOptions) }
      }
    }
    guard let out else {
      throw .badArgument(
        argument: "sweep \(script)", problem: "--out DIR is missing", hint: "the folder for the manifest and the runs")
    }
    guard !axes.isEmpty else {
      throw .badArgument(argument: "sweep \(script)", problem: "no --grid NAME=VALUES given", hint: "e.g. --grid s=1..8")
    }
    if count == nil, let ranged = axes.first(where: { if case .range(_, _, _, true) = $0.values { true } else { false } }) {
      throw .badArgument(argument: "--grid \(ranged.name)=…", problem: "a :log range is only for --random N", hint: nil)
    }
    return .plan(
      script: script, axes: axes, mode: count.map { .random(count: $0, seed: seed) } ?? .grid, out: out, settings: settings,
      planOnly: planOnly)
  }

  /// Reads an engine option into `settings`; false when `a` is none.
  static func engineOption(
    _ a: String, _ rest: inout ArraySlice<String>, _ settings: inout EngineSettings
  ) throws(SweepError)
    -> Bool
  {
    switch a {
    case "--engine":
      let name = try value(&rest, a)
      _ = try Engines.named(name)
      settings.engine = name
    case "--jobs": settings.jobs = try integer(&rest, a, minimum: 1)
    case "--runs-per-task": settings.runsPerTask = try integer(&rest, a, minimum: 1)
    case "--max-concurrent": settings.maxConcurrent = try integer(&rest, a, minimum: 1)
    case "--sbatch": settings.sbatchArguments.append(try value(&rest, a))
    case "--wait": settings.wait = true
    default: return false
    }
    return true
  }

  static func directory(_ rest: inout ArraySlice<String>, for command: String) throws(SweepError) -> String {
    guard let d = rest.popFirst(), !d.hasPrefix("-") else {
      throw .badArgument(
        argument: "sweep \(command)", problem: "the sweep's folder is missing", hint: "psychrnn sweep \(command) DIR")
    }
    return d
  }

  static func value(_ rest: inout ArraySlice<String>, _ option: String) throws(SweepError) -> String {
    guard let v = rest.popFirst() else { throw .badArgument(argument: option, problem: "needs a value", hint: nil) }
    return v
  }

  static func integer(_ rest: inout ArraySlice<String>, _ option: String, minimum: Int) throws(SweepError) -> Int {
    let text = try value(&rest, option)
    guard let n = Int(text), n >= minimum, n <= 1_000_000_000 else {
      throw .badArgument(argument: "\(option) \(text)", problem: "expected a whole number ≥ \(minimum)", hint: nil)
    }
    return n
  }

  static func unknown(_ a: String, among options: [String]) -> SweepError {
    .unknownOption(a, suggestion: closest(a, among: options))
  }
}
