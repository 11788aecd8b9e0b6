// The state of one session, like SQLite's ShellState: every field is what a statement can change.
// Scripts and the prompt share it; `history save` writes the statements that succeeded.

import Linear
import PsychRNN

/// Named values, the current network, the random streams and the hooks the shell installs.
public final class Session {
  /// Variables by name.
  public private(set) var variables: [String: Value] = [:]
  /// Variable names in the order they were first defined (for `vars`).
  public private(set) var definitionOrder: [String] = []
  /// The variable holding the network that commands act on when none is named (the last one
  /// created, loaded, trained or chosen with `use`).
  public var currentNetwork: String?
  /// Initialization, trial and noise streams (`seed N` replaces them).
  public var random: RandomStreams
  /// Source text of every statement that succeeded, in order (for `history save`).
  public private(set) var succeeded: [String] = []
  /// Called with training progress (network variable, event); the shell draws it.
  public var onTrainingEvent: (String, TrainingEvent) -> Void = { _, _ in }
  /// Polled between training batches; true stops training cleanly (Ctrl-C).
  public var isCancelled: () -> Bool = { false }
  /// Directory that relative file names are resolved against (nil: the process's).
  public var directory: String?

  /// A session seeded with `seed` (0 by default; scripts usually start with `seed N`).
  public init(seed: UInt32 = 0) {
    random = RandomStreams(seed: seed)
  }

  /// Binds `name` to `value`; networks become the current network.
  public func define(_ name: String, _ value: Value) {
    if variables[name] == nil { definitionOrder.append(name) }
    variables[name] = value
    if case .network = value { currentNetwork = name }
  }

  /// Removes every variable (not the random streams).
  public func clear() {
    variables = [:]
    definitionOrder = []
    currentNetwork = nil
  }

  /// Records a statement that succeeded.
  func recordSuccess(_ source: String) { succeeded.append(source) }

  /// `path` resolved against `directory` when relative.
  public func resolve(_ path: String) -> String {
    guard let dir = directory, !path.hasPrefix("/") else { return path }
    return dir + "/" + path
  }

  /// The replayable script of this session so far.
  public var historyScript: String { succeeded.map { $0 + "\n" }.joined() }
}
