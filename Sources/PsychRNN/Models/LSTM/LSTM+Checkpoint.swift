// LSTM weight files in PsychRNN's layout (spec §9.1): the base keys as a Basic model writes them —
// with identity Dale matrices, all-ones masks and dale_ratio None, since an LSTM has no
// constraints — then init_hidden, init_cell (N_batch, N), W_f, W_i, W_c, W_o (N + N_in, N),
// b_f, b_i, b_c, b_o (N,), then Adam's slots for every trained variable, and the object entries.
// Files PsychRNN wrote load here, ours load in PsychRNN and in its LSTMSimulator.

import Linear
import NumpyFormat

extension LSTM {
  /// A model from a weights file (PsychRNN's `load_weights_path`). Sizes come from the file and
  /// must agree with `configuration` (N_batch included: the file has one initial state per row).
  /// The file's transfer function wins, `configuration`'s is the fallback (PsychRNN's rule).
  /// A file with Dale's law or connectivity masks is refused: an LSTM cannot apply them.
  public init(configuration: ModelConfiguration, loadWeightsPath path: String) throws {
    try self.init(configuration: configuration, checkpoint: try Checkpoint.load(path: path), path: path)
  }

  /// The same from a file already read with `Checkpoint.load` (`path` names it in errors).
  public init(configuration: ModelConfiguration, checkpoint contents: Checkpoint.Contents, path: String) throws {
    try configuration.validateForLSTM()
    let lstm = contents.lstmVariables
    guard contents.isLSTM else {
      throw CheckpointError.badValue(
        path: path, key: "init_hidden", detail: "is missing: this file holds a Basic model; load it as a Basic model")
    }
    let missing = VariableName.lstm.filter { lstm[$0] == nil }.map(\.rawValue)
    guard missing.isEmpty else { throw CheckpointError.missingKeys(path: path, keys: missing) }
    try Self.checkUnconstrained(contents.weights, path: path)

    let w = contents.weights, hidden = lstm[.init_hidden]!
    let file = (nIn: w.W_in.cols, nRec: w.W_rec.rows, nOut: w.W_out.rows, nBatch: hidden.rows)
    var config = configuration
    for (key, given, inFile) in [
      ("N_in", config.nIn, file.nIn), ("N_rec", config.nRec, file.nRec),
      ("N_out", config.nOut, file.nOut), ("N_batch", config.nBatch, file.nBatch),
    ]
    where given != inFile {
      throw CheckpointError.sizeMismatch(path: path, detail: "the file has \(key) \(inFile), but \(key) \(given) was asked for")
    }
    if let f = contents.transferFunction { config.transferFunction = f }
    try config.validateForLSTM(transferFunctionFromFile: true)

    func row(_ v: [Double]) -> Matrix<Scalar> { Matrix<Double>(rows: 1, cols: v.count, storage: v).converted() }
    let base = BasicVariables<Scalar>(
      init_state: row(w.initState), W_in: w.W_in.converted(), W_rec: w.W_rec.converted(),
      W_out: w.W_out.converted(), b_rec: row(w.b_rec), b_out: row(w.b_out))
    func v(_ name: VariableName) -> Matrix<Scalar> { lstm[name]!.converted() }
    let variables = LSTMVariables(
      base: base, init_hidden: v(.init_hidden), init_cell: v(.init_cell),
      W_f: v(.W_f), W_i: v(.W_i), W_c: v(.W_c), W_o: v(.W_o), b_f: v(.b_f), b_i: v(.b_i), b_c: v(.b_c), b_o: v(.b_o))
    try self.init(checked: config, variables: variables, seed: contents.seed)
    optimizerState = Checkpoint.adamState(contents, for: variables)
  }

  /// Refuses a file whose constraint entries ask for Dale's law or masks. (PsychRNN's LSTM would
  /// ignore them in its dynamics, and would have saved a W_out other than the one it ran with.)
  private static func checkUnconstrained(_ w: InitialWeights, path: String) throws {
    if let r = w.daleRatio {
      throw CheckpointError.badValue(path: path, key: "dale_ratio", detail: "is \(r): an LSTM cannot apply Dale's law")
    }
    let checks: [(String, Matrix<Double>, Matrix<Double>)] = [
      ("Dale_rec", w.daleRec, .identity(w.daleRec.rows)), ("Dale_out", w.daleOut, .identity(w.daleOut.rows)),
      (
        "input_connectivity", w.inputConnectivity,
        Matrix(rows: w.inputConnectivity.rows, cols: w.inputConnectivity.cols, repeating: 1)
      ),
      ("rec_connectivity", w.recConnectivity, Matrix(rows: w.recConnectivity.rows, cols: w.recConnectivity.cols, repeating: 1)),
      (
        "output_connectivity", w.outputConnectivity,
        Matrix(rows: w.outputConnectivity.rows, cols: w.outputConnectivity.cols, repeating: 1)
      ),
    ]
    for (key, value, neutral) in checks where value != neutral {
      throw CheckpointError.badValue(
        path: path, key: key, detail: "is not \(key.hasPrefix("Dale") ? "the identity" : "all ones"): an LSTM cannot apply it")
    }
  }

  /// The arrays `save` writes, in PsychRNN's key order.
  public func weightEntries() -> [(String, NumpyArray)] {
    let v = variables, c = configuration
    let n = c.nRec
    func array(_ m: Matrix<Scalar>, vector: Bool = false) -> NumpyArray { Checkpoint.array(m, vector: vector) }
    func ones(_ rows: Int, _ cols: Int) -> NumpyArray { array(Matrix(rows: rows, cols: cols, repeating: 1)) }
    var entries: [(String, NumpyArray)] = [
      ("init_state", array(v.base.init_state)), ("W_in", array(v.base.W_in)), ("W_rec", array(v.base.W_rec)),
      ("W_out", array(v.base.W_out)), ("b_rec", array(v.base.b_rec, vector: true)), ("b_out", array(v.base.b_out, vector: true)),
      ("Dale_rec", array(Matrix<Scalar>.identity(n))), ("Dale_out", array(Matrix<Scalar>.identity(n))),
      ("input_connectivity", ones(n, c.nIn)), ("rec_connectivity", ones(n, n)), ("output_connectivity", ones(c.nOut, n)),
    ]
    for name in VariableName.lstm { entries.append((name.rawValue, array(v[name], vector: Checkpoint.isVector(name)))) }
    entries += Checkpoint.adamEntries(optimizerState, names: variables.names)
    entries.append(("dale_ratio", NumpyArray(object: .none)))
    entries += Checkpoint.closingEntries(transferFunction: c.transferFunction, seed: seed)
    return entries
  }

  /// Saves the model to `path` (".npz" appended when missing), atomically; returns the path written.
  @discardableResult
  public func save(to path: String) throws -> String { try Checkpoint.write(weightEntries(), to: path) }
}
