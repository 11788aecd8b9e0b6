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
  /// Initialization, trial and noise streams (`seed N` replaces them, with `reseed`).
  public var random: RandomStreams
  /// The trials and noise that commands which only display (`show task`, `plot outputs NET TASK`)
  /// draw, so that looking never changes what `batch` or `train` draw next.
  public var display: (trials: NumpyRandom, noise: NumpyRandom)

  static func displayStreams(_ seed: UInt32) -> (trials: NumpyRandom, noise: NumpyRandom) {
    (NumpyRandom(seed: RandomStreams.derive(seed, stream: 101)), NumpyRandom(seed: RandomStreams.derive(seed, stream: 102)))
  }
  /// Source text of every statement that succeeded, in order (for `history save`).
  public private(set) var succeeded: [String] = []
  /// Called with training progress (network variable, event); the shell draws it.
  public var onTrainingEvent: (String, TrainingEvent) -> Void = { _, _ in }
  /// Polled between training batches; true stops training cleanly (Ctrl-C).
  public var isCancelled: () -> Bool = { false }
  /// Directory that relative file names are resolved against (nil: the process's).
  public var directory: String?
  /// Called with each value a statement inside a block shows as it runs (the shell prints it;
  /// by default values are kept in `shownInBlocks`).
  public var onShow: (Value) -> Void
  /// What blocks showed when no `onShow` is installed (tests read it).
  public private(set) var shownInBlocks: [Value] = []
  /// The local scope of the function call running now (nil at the top level).
  var scope: Scope?
  /// The function calls in progress.
  var callDepth = 0
  /// Set by a `train` that Ctrl-C stopped: the trials it completed (history records those).
  var cancelledTrainingTrials: Int?
  /// The stream a user task's generator hands its functions while they run (set by `ScriptTask`
  /// for the length of one call); nil at the prompt, where random functions draw from the trial
  /// stream itself, as numpy's global functions do in PsychRNN.
  var trialStream: UnsafeMutablePointer<NumpyRandom>?
  /// The tape recording while a loss or regularizer is differentiated (nil otherwise: ordinary
  /// evaluation then takes none of the tape's paths). Differentiation/.
  var tape: Tape?
  /// The last tape's serial number (each tape gets the next).
  var tapeSerial: UInt32 = 0
  /// The task library names resolve in when they are not variables (StandardLibrary.swift).
  public var library: StandardLibrary = .shipped
  /// Names bound from outside before the script ran (`--set`, a sweep's grid point).
  var boundFromOutside: Set<String> = []
  /// What `report` recorded, in the order first reported (a name reported again keeps its place
  /// and takes the new value); a sweep run writes it into its folder.
  public internal(set) var reported: [(name: String, value: Value)] = []
  /// How deep function calls may nest before a clear error (instead of exhausting the stack).
  public static let maximumCallDepth = 200

  /// Names of commands, constructors and functions, which variables may not take.
  static let builtinNames = Set(Commands.table.map(\.name) + Constructors.table.map(\.name) + Builtins.table.map(\.name))

  /// A session seeded with `seed` (0 by default; scripts usually start with `seed N`).
  public init(seed: UInt32 = 0) {
    random = RandomStreams(seed: seed)
    display = Session.displayStreams(seed)
    onShow = { _ in }
    onShow = { [unowned self] v in self.shownInBlocks.append(v) }
  }

  /// `seed N`: fresh initialization, trial, noise and display streams derived from `seed`.
  public func reseed(_ seed: UInt32) {
    random = RandomStreams(seed: seed)
    display = Session.displayStreams(seed)
  }

  /// Binds `name` to `value`; networks become the current network.
  public func define(_ name: String, _ value: Value) {
    if variables.updateValue(value, forKey: name) == nil { definitionOrder.append(name) }
    if case .network = value { currentNetwork = name }
  }

  /// Puts `value` in the place of the existing variable `name`, changing nothing else (the
  /// current network stays): assignment into part of a variable takes its value out and back.
  func replaceVariable(_ name: String, with value: Value) {
    precondition(variables[name] != nil, "replaceVariable of an unknown variable")
    variables[name] = value
  }

  /// Removes every variable (not the random streams).
  public func clear() {
    variables = [:]
    definitionOrder = []
    currentNetwork = nil
  }

  /// Runs `body` on the stream random functions draw from: the generator's during a user task's
  /// function, else the session's trial stream.
  func drawing<T>(_ body: (inout NumpyRandom) throws -> T) rethrows -> T {
    if let p = trialStream { return try body(&p.pointee) }
    return try body(&random.trials)
  }

  /// A session for evaluating a user task's functions off the prompt (on the prefetch thread, or
  /// beside a running command): the variables as they are now, the same directory, its own
  /// call stack. Nothing it does reaches this session.
  func worker() -> Session {
    let w = Session(seed: random.seed)
    w.variables = variables
    w.definitionOrder = definitionOrder
    w.directory = directory
    w.library = library
    return w
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

/// The session, handed to a `@Sendable` closure that the trainer calls on this same thread (the
/// interpreter runs on one thread; the box only carries it across the type system's boundary).
final class SessionBox: @unchecked Sendable {
  let session: Session
  init(_ session: Session) { self.session = session }
}

/// The same, held weakly, for closures that values in the session keep (a network's loss, a
/// curriculum's metric): the session holds them, so a strong reference would be a cycle.
final class WeakSessionBox: @unchecked Sendable {
  weak var session: Session?
  init(_ session: Session) { self.session = session }
}
