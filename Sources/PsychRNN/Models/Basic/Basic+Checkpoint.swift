// Basic ↔ PsychRNN weights files: reading a model from a file's contents and the arrays `save`
// writes, in PsychRNN's key order (the file format itself is in Checkpoint.swift).

import Linear
import NumpyFormat

extension Basic {
  /// A model from a weights file (`load_weights_path`). Sizes come from the file; dt, tau,
  /// N_steps, N_batch and the rest from `configuration`, whose sizes must agree with the file.
  /// The file's transfer function wins; `configuration.transferFunction` is the fallback for
  /// files without one (PsychRNN's rule).
  public init(configuration: ModelConfiguration, loadWeightsPath path: String) throws {
    try self.init(configuration: configuration, checkpoint: try Checkpoint.load(path: path), path: path)
  }

  /// The same from a file already read with `Checkpoint.load` (`path` names it in errors).
  public init(configuration: ModelConfiguration, checkpoint contents: Checkpoint.Contents, path: String) throws {
    guard !contents.isLSTM else {
      throw CheckpointError.badValue(
        path: path, key: "init_hidden", detail: "is present: this file holds an LSTM; load it as an LSTM")
    }
    let w = contents.weights
    let sizes = (nIn: w.W_in.cols, nRec: w.W_rec.rows, nOut: w.W_out.rows)
    var config = configuration
    for (key, given, file) in [
      ("N_in", config.nIn, sizes.nIn), ("N_rec", config.nRec, sizes.nRec), ("N_out", config.nOut, sizes.nOut),
    ]
    where given != file {
      throw CheckpointError.sizeMismatch(path: path, detail: "the file has \(key) \(file), but \(key) \(given) was asked for")
    }
    if let f = contents.transferFunction { config.transferFunction = f }
    try self.init(configuration: config, initialWeights: w, seed: contents.seed)
    optimizerState = Checkpoint.adamState(contents, for: variables)
  }

  /// The arrays `save` writes, in PsychRNN's key order (PsychRNN's `get_weights`).
  public func weightEntries() -> [(String, NumpyArray)] {
    func array(_ m: Matrix<Scalar>, vector: Bool = false) -> NumpyArray { Checkpoint.array(m, vector: vector) }
    let eff = effectiveWeights, c = constraints
    var entries: [(String, NumpyArray)] = [
      ("init_state", array(variables.init_state)), ("W_in", array(eff.W_in)), ("W_rec", array(eff.W_rec)),
      ("W_out", array(eff.W_out)), ("b_rec", array(variables.b_rec, vector: true)),
      ("b_out", array(variables.b_out, vector: true)), ("Dale_rec", array(c.daleRec)), ("Dale_out", array(c.daleOut)),
      ("input_connectivity", array(c.inputConnectivity)), ("rec_connectivity", array(c.recConnectivity)),
      ("output_connectivity", array(c.outputConnectivity)),
    ]
    entries += Checkpoint.adamEntries(optimizerState, names: VariableName.allCases)
    if let r = c.daleRatio, r != 0 {
      entries.append(("dale_ratio", NumpyArray(shape: [], float64: [r])))
    } else {
      entries.append(("dale_ratio", NumpyArray(object: .none)))
    }
    entries += Checkpoint.closingEntries(transferFunction: configuration.transferFunction, seed: seed)
    return entries
  }

  /// Saves the model to `path` (".npz" appended when missing), atomically; returns the path written.
  @discardableResult
  public func save(to path: String) throws -> String { try Checkpoint.write(weightEntries(), to: path) }
}
