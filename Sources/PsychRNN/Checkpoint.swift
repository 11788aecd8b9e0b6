// Weight files in PsychRNN's .npz layout (spec §9), read and written so that numpy, PsychRNN's
// `load_weights_path` and `BasicSimulator(weights_path=…)` accept ours and we accept theirs.
//
// Written keys, in PsychRNN's order: init_state (1, N), W_in, W_rec, W_out (EFFECTIVE, as
// PsychRNN's `save` stores them), b_rec, b_out, Dale_rec, Dale_out, input_connectivity,
// rec_connectivity, output_connectivity, then Adam's slots `X/Adam`, `X/Adam_1` after training,
// `dale_ratio` (0-d float64, or a pickled None), `transfer_function` (a pickled reference to the
// TensorFlow function, which is what PsychRNN stores), and two keys of ours that PsychRNN ignores:
// `seed` (the initialization seed) and `adam_step` (Adam's step count, to continue training).
// An LSTM's file has, after output_connectivity, init_hidden, init_cell, W_f, W_i, W_c, W_o,
// b_f, b_i, b_c, b_o (LSTM/LSTM+Checkpoint.swift). Every write goes to a temporary file first and
// is renamed into place.

import Linear
import NumpyFormat

/// Reading and writing weight files.
public enum Checkpoint {
  /// The 11 numeric keys PsychRNN requires in a weights file.
  public static let requiredKeys = [
    "init_state", "W_in", "W_rec", "W_out", "b_rec", "b_out", "Dale_rec", "Dale_out",
    "input_connectivity", "rec_connectivity", "output_connectivity",
  ]

  /// `path` with ".npz" appended when missing (PsychRNN's `save` does the same).
  public static func npzPath(_ path: String) -> String { path.hasSuffix(".npz") ? path : path + ".npz" }

  /// Everything a weights file holds, in Double.
  public struct Contents: Sendable {
    public var weights: InitialWeights
    /// The transfer function the file names, if any (older files have none).
    public var transferFunction: TransferFunction?
    /// The initialization seed recorded by this project, if any.
    public var seed: UInt32?
    /// Adam's slots (`X/Adam`, `X/Adam_1`) and step, when present.
    public var adamFirst: [VariableName: Matrix<Double>] = [:]
    public var adamSecond: [VariableName: Matrix<Double>] = [:]
    public var adamStep: Int?
    /// The LSTM's own arrays (`init_hidden` … `b_o`) present in the file; empty for a Basic model's file.
    public var lstmVariables: [VariableName: Matrix<Double>] = [:]

    /// Whether the file holds an LSTM (it has any of the LSTM's own arrays).
    public var isLSTM: Bool { !lstmVariables.isEmpty }
  }

  /// Reads a weights file written by PsychRNN (any version) or by us.
  public static func load(path: String) throws -> Contents {
    try contents(of: try readNPZ(path: path), source: path)
  }

  /// What a weights file's entries hold (`source` names them in errors: a path, or "the weights
  /// record" for a dictionary built in the language).
  public static func contents(of entries: [(String, NumpyArray)], source path: String) throws -> Contents {
    var byKey: [String: NumpyArray] = [:]
    for (k, v) in entries { byKey[k] = v }
    let missing = requiredKeys.filter { byKey[$0] == nil }
    guard missing.isEmpty else {
      throw CheckpointError.missingKeys(path: path, keys: missing)
    }
    func matrix(_ key: String) throws -> Matrix<Double> {
      guard let a = byKey[key] else { throw CheckpointError.missingKeys(path: path, keys: [key]) }
      let values = try a.asDoubles()
      switch a.shape.count {
      case 2: return Matrix(rows: a.shape[0], cols: a.shape[1], storage: values)
      case 1: return Matrix(rows: 1, cols: a.shape[0], storage: values)
      default: throw CheckpointError.badShape(path: path, key: key, shape: a.shape)
      }
    }
    let W_rec = try matrix("W_rec")
    let n = W_rec.rows
    guard W_rec.cols == n else { throw CheckpointError.badShape(path: path, key: "W_rec", shape: [W_rec.rows, W_rec.cols]) }
    let initState = try matrix("init_state")
    // One row of N_rec values (PsychRNN writes (1, N) or (N,)); anything else is refused, not cut.
    guard initState.storage.count == n, let shape = byKey["init_state"]?.shape, shape.reduce(1, *) == n else {
      throw CheckpointError.badShape(path: path, key: "init_state", shape: byKey["init_state"]?.shape ?? [])
    }
    let weights = InitialWeights(
      W_in: try matrix("W_in"), W_rec: W_rec, W_out: try matrix("W_out"),
      b_rec: try matrix("b_rec").storage, b_out: try matrix("b_out").storage,
      initState: initState.storage,
      inputConnectivity: try matrix("input_connectivity"), recConnectivity: try matrix("rec_connectivity"),
      outputConnectivity: try matrix("output_connectivity"),
      daleRec: try matrix("Dale_rec"), daleOut: try matrix("Dale_out"),
      daleRatio: try daleRatio(byKey["dale_ratio"], path: path))
    var contents = Contents(weights: weights, transferFunction: try transferFunction(byKey["transfer_function"], path: path))
    if let a = byKey["seed"] {
      guard let s = wholeNumber(a), let seed = UInt32(exactly: s) else {
        throw CheckpointError.badValue(
          path: path, key: "seed", detail: "\(shown(a)), not a seed (a whole number from 0 to \(UInt32.max))")
      }
      contents.seed = seed
    }
    if let a = byKey["adam_step"] {
      guard let step = wholeNumber(a), step >= 0 else {
        throw CheckpointError.badValue(
          path: path, key: "adam_step", detail: "\(shown(a)), not a step count (a whole number from 0 to \(Int.max))")
      }
      contents.adamStep = step
    }
    for name in VariableName.allCases + VariableName.lstm {
      if byKey["\(name)/Adam"] != nil { contents.adamFirst[name] = try matrix("\(name)/Adam") }
      if byKey["\(name)/Adam_1"] != nil { contents.adamSecond[name] = try matrix("\(name)/Adam_1") }
    }
    for name in VariableName.lstm where byKey[name.rawValue] != nil {
      contents.lstmVariables[name] = try matrix(name.rawValue)
    }
    return contents
  }

  /// The value of a 0-d numeric array as an `Int`, exactly: integer dtypes are read as integers (a uint64
  /// of 2^63 does not fit), floats must be whole and within `Int`'s range (not NaN, ±inf, 1e300 or 2.5).
  /// `nil` for anything else, including arrays with dimensions and object arrays.
  private static func wholeNumber(_ a: NumpyArray) -> Int? {
    guard a.shape.isEmpty else { return nil }
    switch a.dtype {
    case .int64: return a.values(as: Int64.self)?.first.flatMap { Int(exactly: $0) }
    case .uint64: return a.values(as: UInt64.self)?.first.flatMap { Int(exactly: $0) }
    default: return a.scalar.flatMap { Int(exactly: $0) }  // every other dtype is exact as a Double
    }
  }

  /// How a rejected value is quoted in an error: "is 1e+300", "has shape (3,)", "holds None".
  private static func shown(_ a: NumpyArray) -> String {
    if let o = a.object { return "holds \(o)" }
    if let v = a.scalar { return "is \(v)" }
    return "has shape (\(a.shape.map(String.init).joined(separator: ", ")))"
  }

  /// `dale_ratio`: a float (0 means off, as PsychRNN's truthiness test), a pickled None, or absent.
  private static func daleRatio(_ a: NumpyArray?, path: String) throws -> Double? {
    guard let a else { return nil }
    if let o = a.object {
      switch o {
      case .none: return nil
      case .float(let v): return v == 0 ? nil : v
      case .int(let v): return v == 0 ? nil : Double(v)
      case .global: throw CheckpointError.badValue(path: path, key: "dale_ratio", detail: "holds \(o), not a number")
      }
    }
    guard let v = a.scalar else {
      throw CheckpointError.badValue(path: path, key: "dale_ratio", detail: "is not a single number")
    }
    return v == 0 ? nil : v
  }

  /// `transfer_function`: a pickled reference to a TensorFlow function, matched on its final name.
  private static func transferFunction(_ a: NumpyArray?, path: String) throws -> TransferFunction? {
    guard let a, let o = a.object else { return nil }
    switch o {
    case .none: return nil
    case .global(_, let name):
      guard let f = TransferFunction(name: name) else {
        throw CheckpointError.badValue(
          path: path, key: "transfer_function",
          detail: "names '\(name)', which is not one of \(TransferFunction.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return f
    default:
      throw CheckpointError.badValue(path: path, key: "transfer_function", detail: "holds \(o), not a function")
    }
  }

  /// The Adam state saved in a file, for the variables of `variables` whose shapes match (nil when
  /// the file has no Adam slots).
  static func adamState<V: ModelVariables>(_ contents: Contents, for variables: V) -> OptimizerState<V.Scalar>? {
    guard !contents.adamFirst.isEmpty else { return nil }
    var state = OptimizerState<V.Scalar>(optimizer: .adam())
    state.step = contents.adamStep ?? 0
    func fits(_ name: VariableName, _ m: Matrix<Double>) -> Bool { variables.contains(name) && m.shape == variables[name].shape }
    for (k, v) in contents.adamFirst where fits(k, v) { state.firstMoment[k] = v.converted() }
    for (k, v) in contents.adamSecond where fits(k, v) { state.secondMoment[k] = v.converted() }
    return state
  }

  /// The entries `X/Adam`, `X/Adam_1` for each variable of `names` with slots, then `adam_step`
  /// (nothing unless the optimizer is Adam).
  static func adamEntries<T: LinearScalar>(_ state: OptimizerState<T>?, names: [VariableName]) -> [(String, NumpyArray)] {
    guard let state, case .adam = state.optimizer else { return [] }
    var entries: [(String, NumpyArray)] = []
    for name in names {
      guard let m = state.firstMoment[name], let v = state.secondMoment[name] else { continue }
      entries.append(("\(name)/Adam", array(m, vector: isVector(name))))
      entries.append(("\(name)/Adam_1", array(v, vector: isVector(name))))
    }
    entries.append(("adam_step", NumpyArray(shape: [], values: [Int64(state.step)])))
    return entries
  }

  /// A float32 array for a file: (rows, cols), or (n,) for a bias.
  static func array<T: LinearScalar>(_ m: Matrix<T>, vector: Bool = false) -> NumpyArray {
    NumpyArray(shape: vector ? [m.storage.count] : [m.rows, m.cols], float32: m.storage.map { Float($0.doubleValue) })
  }

  /// Biases are stored 1-D, (n,); every other variable 2-D.
  static func isVector(_ name: VariableName) -> Bool {
    [VariableName.b_rec, .b_out, .b_f, .b_i, .b_c, .b_o].contains(name)
  }

  /// Writes the metric history of a curriculum as "<file>.npy" (a (n, 2) float64 array); returns the path.
  public static func saveMetricHistory(_ rows: [[Double]], to file: String) throws -> String {
    let path = file.hasSuffix(".npy") ? file : file + ".npy"
    try writeNPY(NumpyArray(shape: [rows.count, 2], float64: rows.flatMap { $0 }), to: path)
    return path
  }
}

/// Problems with a weights file's contents (container problems are `NumpyFormatError`s).
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  case missingKeys(path: String, keys: [String])
  case badShape(path: String, key: String, shape: [Int])
  case badValue(path: String, key: String, detail: String)
  case sizeMismatch(path: String, detail: String)

  public var description: String {
    switch self {
    case .missingKeys(let path, let keys):
      return "\(path) is not a PsychRNN weights file: missing \(keys.joined(separator: ", "))"
    case .badShape(let path, let key, let shape):
      return "\(path): '\(key)' has an unusable shape (\(shape.map(String.init).joined(separator: ", ")))"
    case .badValue(let path, let key, let detail): return "\(path): '\(key)' \(detail)"
    case .sizeMismatch(let path, let detail): return "\(path): \(detail)"
    }
  }
}

extension Checkpoint {
  /// The last keys of every weights file: `transfer_function` (a pickled reference to the
  /// TensorFlow function, as PsychRNN stores it) and our `seed`. For relu, PsychRNN's default,
  /// the entry is left out: PsychRNN then falls back to relu (spec §8.7), and numpy reads the file
  /// without TensorFlow installed (a pickled TensorFlow reference needs TensorFlow to unpickle).
  static func closingEntries(transferFunction f: TransferFunction, seed: UInt32?) -> [(String, NumpyArray)] {
    var entries: [(String, NumpyArray)] = []
    if f != .relu {
      entries.append(("transfer_function", NumpyArray(object: .global(module: f.tensorflowModule, name: f.rawValue))))
    }
    if let s = seed { entries.append(("seed", NumpyArray(shape: [], values: [Int64(s)]))) }
    return entries
  }

  /// Writes entries to `path` (".npz" appended when missing), atomically; returns the path written.
  static func write(_ entries: [(String, NumpyArray)], to path: String) throws -> String {
    let full = npzPath(path)
    try writeNPZ(entries, to: full)
    return full
  }
}

extension SimulatorWeights {
  /// The six arrays a simulator needs, from a weights file (numeric keys only, as PsychRNN).
  /// An LSTM's file is refused: its W_in and W_rec are not its dynamics (use LSTMSimulator).
  public init(contentsOf path: String) throws {
    let contents = try Checkpoint.load(path: path)
    guard !contents.isLSTM else {
      throw CheckpointError.badValue(
        path: path, key: "init_hidden", detail: "is present: this file holds an LSTM; simulate it with LSTMSimulator")
    }
    let w = contents.weights
    try self.init(
      W_in: w.W_in, W_rec: w.W_rec, W_out: w.W_out, b_rec: w.b_rec, b_out: w.b_out,
      initState: Matrix(rows: 1, cols: w.initState.count, storage: w.initState))
  }
}
