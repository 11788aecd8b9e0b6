// The LSTM as a `Network` (Network.swift). Its fields are its sixteen variables by PsychRNN's
// names (raw: an LSTM applies no masks or Dale's law) plus the common ones. It cannot be ablated:
// its dynamics have no W_rec to cut.

import Linear

extension LSTM: Network {
  public var className: String { "LSTM" }

  /// Sizes from the file: the base weights, and N_batch from init_hidden's rows.
  public static func sizes(in file: Checkpoint.Contents) -> [String: Int] {
    let w = file.weights
    var sizes = ["N_in": w.W_in.cols, "N_rec": w.W_rec.rows, "N_out": w.W_out.rows]
    if let hidden = file.lstmVariables[.init_hidden] { sizes["N_batch"] = hidden.rows }
    return sizes
  }

  // MARK: Running

  /// The fast model for batches of N_batch trials; the simulator (every trial from row 0 of the
  /// initial states, PsychRNN's `run_trials`) for other batch sizes.
  public func run(_ x: Tensor3<Double>, ablation: Ablation, noise: inout NumpyRandom) throws -> ForwardResult<Double> {
    try checkAblation(ablation)
    guard x.d0 == configuration.nBatch else { return try LSTMSimulator(model: self).runTrials(x) }
    let r = try forward(x.converted())
    return ForwardResult(outputs: r.outputs.converted(), states: r.states.converted())
  }

  public func simulate(_ x: Tensor3<Double>, ablation: Ablation, noise: inout NumpyRandom) throws -> ForwardResult<Double> {
    try checkAblation(ablation)
    return try LSTMSimulator(model: self).runTrials(x)
  }

  /// Not yet: the search needs the cell state along trajectories too, which `run` does not return.
  public func stepMap(input: [Double], ablation: Ablation) throws -> any StepMap {
    throw ConfigurationError.invalid(
      key: "fixed_points", message: "finds fixed points of Basic networks; an LSTM's (h, c) dynamics are not supported yet")
  }

  public func checkAblation(_ ablation: Ablation) throws {
    guard ablation.isEmpty else {
      throw ConfigurationError.invalid(
        key: "ablate", message: "cannot cut an LSTM: it has no recurrent weight matrix to cut (ablate works on Basic networks)")
    }
  }

  // MARK: Inspecting

  public var fieldNames: [String] { variables.names.map(\.rawValue) + Self.commonFieldNames }

  public func field(_ name: String) -> NetworkField? {
    if let v = VariableName(rawValue: name), variables.contains(v) { return .matrix(variables[v].converted()) }
    return commonField(name)
  }

  public var signatureFields: [String] { ["N_in", "N_rec", "N_out", "dt", "tau", "N_batch"] }

  public var weightNames: [String] { ["W_f", "W_i", "W_c", "W_o", "W_out", "W_in", "W_rec"] }

  /// The raw matrices (an LSTM's raw weights are the ones its dynamics use; W_in and W_rec are
  /// PsychRNN's base variables, which only the regularizers see).
  public func weights(_ name: String) -> WeightMatrix? {
    guard weightNames.contains(name), let v = VariableName(rawValue: name) else { return nil }
    let (rows, cols): (String, String)
    switch name {
    case "W_out": (rows, cols) = ("output", "from unit")
    case "W_in": (rows, cols) = ("to unit", "from input")
    case "W_rec": (rows, cols) = ("to unit", "from unit")
    default: (rows, cols) = ("from [h | u]", "gate unit")
    }
    return WeightMatrix(values: variables[v].converted(), isEffective: false, rowLabel: rows, columnLabel: cols)
  }

  public var unitSigns: [Double]? { nil }

  public func report() throws -> NetworkReport {
    let c = configuration
    let heading: [ReportItem] = [
      .text("LSTM"), .setting("N_in", .number(Double(c.nIn))), .setting("N_rec", .number(Double(c.nRec))),
      .setting("N_out", .number(Double(c.nOut))), .setting("N_batch", .number(Double(c.nBatch))),
    ]
    var lines = [
      ReportLine([.text("gates W_f W_i W_c W_o (N_rec + N_in) × N_rec; h = o ⊙ sigmoid(c) (PsychRNN's form)")]),
      ReportLine([.setting("loss_function", .text(c.lossFunction.name))]),
    ]
    lines += historyLines()
    return NetworkReport(heading: heading, sections: [ReportSection(lines: lines)])
  }
}
