// Everything that can go wrong with a sweep, typed: what the user wrote (with the argument at
// fault), what is on disk, and what an engine said. The tool prints `description`.

/// A sweep's error; `description` says where and what, with a suggestion when one helps.
public enum SweepError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A command-line argument is malformed: the argument as written, what is wrong, a hint.
  case badArgument(argument: String, problem: String, hint: String?)
  /// An option the sweep command does not know; the closest one.
  case unknownOption(String, suggestion: String?)
  /// `--engine` names no engine.
  case unknownEngine(String, suggestion: String?)
  /// DIR already holds the manifest of a different sweep.
  case differentManifest(directory: String, difference: String)
  /// DIR holds no manifest (for run, status, collect, resubmit).
  case noManifest(directory: String)
  /// A file of the sweep cannot be read or written, or is malformed.
  case file(path: String, problem: String)
  /// An index outside the plan.
  case indexOutOfRange(index: Int, count: Int)
  /// A program the engine needs could not be run, or failed.
  case engine(String)

  public var description: String {
    switch self {
    case .badArgument(let argument, let problem, let hint):
      return "\(argument): \(problem)" + (hint.map { " (\($0))" } ?? "")
    case .unknownOption(let o, let s):
      return "unknown option \(o)" + (s.map { "; did you mean \($0)?" } ?? "")
    case .unknownEngine(let e, let s):
      return "unknown engine '\(e)' (engines: local, slurm)" + (s.map { "; did you mean \($0)?" } ?? "")
    case .differentManifest(let dir, let difference):
      return
        "\(dir) already holds a different sweep (\(difference)); choose another --out, or remove \(dir) to start over"
    case .noManifest(let dir):
      return "\(dir) holds no sweep (no manifest.json): plan one with psychrnn sweep SCRIPT.rnn --grid … --out \(dir)"
    case .file(let path, let problem): return "\(path): \(problem)"
    case .indexOutOfRange(let i, let n):
      return "index \(i) is outside the sweep (\(n) run\(n == 1 ? "" : "s"): 0…\(max(0, n - 1)))"
    case .engine(let message): return message
    }
  }
}

/// The closest of `candidates` to `word` (edit distance at most 2 or a third of its length).
func closest(_ word: String, among candidates: [String]) -> String? {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    var row = Array(0...b.count)
    for (i, ca) in a.enumerated() {
      var previous = row[0]
      row[0] = i + 1
      for (j, cb) in b.enumerated() {
        let old = row[j + 1]
        row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (ca == cb ? 0 : 1))
        previous = old
      }
    }
    return row[b.count]
  }
  let w = Array(word.lowercased())
  let scored = candidates.map { ($0, distance(w, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
  guard let (best, d) = scored, d <= max(2, w.count / 3) else { return nil }
  return best
}
