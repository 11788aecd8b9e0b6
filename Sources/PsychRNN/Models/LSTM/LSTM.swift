// PsychRNN's LSTM (spec §10): its configuration, raw variables and initialization. The dynamics
// and their gradients are in LSTM+Pass.swift and LSTMCell.swift.
//
// N = N_rec. PsychRNN builds its LSTM on the base RNN class, so the LSTM keeps the base variables
// init_state (1, N), W_in (N, N_in), W_rec (N, N), W_out (N_out, N), b_rec (N), b_out (N_out) and
// adds its own: init_hidden, init_cell (N_batch, N), W_f, W_i, W_c, W_o (N + N_in, N),
// b_f, b_i, b_c, b_o (N). What each base variable does in an LSTM:
//
//   W_out, b_out     the readout z = h·W_outᵀ + b_out, with the RAW W_out
//   W_in, W_rec      only the L1/L2 regularizers (so they train only when those are on)
//   init_state, b_rec  nothing: saved in weight files, never trained

import Linear

/// The raw variables of an LSTM: the base RNN variables PsychRNN's LSTM keeps, and its own.
public struct LSTMVariables<Scalar: LinearScalar>: ModelVariables, Equatable {
  /// The base variables. The readout uses `W_out` and `b_out`; `W_in` and `W_rec` enter only the
  /// L1/L2 regularizers; `init_state` and `b_rec` are only saved.
  public var base: BasicVariables<Scalar>
  /// h_0 and c_0 of each batch row, (N_batch, N).
  public var init_hidden: Matrix<Scalar>
  public var init_cell: Matrix<Scalar>
  /// Gate weights (N + N_in, N), multiplying [h, u] from the right: rows 0..<N act on h, the rest on u.
  public var W_f: Matrix<Scalar>
  public var W_i: Matrix<Scalar>
  public var W_c: Matrix<Scalar>
  public var W_o: Matrix<Scalar>
  /// Gate biases, (1, N).
  public var b_f: Matrix<Scalar>
  public var b_i: Matrix<Scalar>
  public var b_c: Matrix<Scalar>
  public var b_o: Matrix<Scalar>

  /// The variables as given (`LSTM.init(configuration:variables:)` checks their shapes).
  public init(
    base: BasicVariables<Scalar>, init_hidden: Matrix<Scalar>, init_cell: Matrix<Scalar>,
    W_f: Matrix<Scalar>, W_i: Matrix<Scalar>, W_c: Matrix<Scalar>, W_o: Matrix<Scalar>,
    b_f: Matrix<Scalar>, b_i: Matrix<Scalar>, b_c: Matrix<Scalar>, b_o: Matrix<Scalar>
  ) {
    self.base = base
    self.init_hidden = init_hidden; self.init_cell = init_cell
    self.W_f = W_f; self.W_i = W_i; self.W_c = W_c; self.W_o = W_o
    self.b_f = b_f; self.b_i = b_i; self.b_c = b_c; self.b_o = b_o
  }

  /// The 16 names: the base six, then the LSTM's ten (PsychRNN's order).
  public var names: [VariableName] { VariableName.allCases + VariableName.lstm }

  /// One variable by name (biases are 1-row matrices).
  public subscript(name: VariableName) -> Matrix<Scalar> {
    get {
      switch name {
      case .init_hidden: return init_hidden
      case .init_cell: return init_cell
      case .W_f: return W_f
      case .W_i: return W_i
      case .W_c: return W_c
      case .W_o: return W_o
      case .b_f: return b_f
      case .b_i: return b_i
      case .b_c: return b_c
      case .b_o: return b_o
      default: return base[name]
      }
    }
    set {
      precondition(newValue.shape == self[name].shape, "shape of \(name) cannot change")
      switch name {
      case .init_hidden: init_hidden = newValue
      case .init_cell: init_cell = newValue
      case .W_f: W_f = newValue
      case .W_i: W_i = newValue
      case .W_c: W_c = newValue
      case .W_o: W_o = newValue
      case .b_f: b_f = newValue
      case .b_i: b_i = newValue
      case .b_c: b_c = newValue
      case .b_o: b_o = newValue
      default: base[name] = newValue
      }
    }
  }

  /// The four gate weight matrices and biases, in the order f, i, c, o.
  var gateWeights: [Matrix<Scalar>] { [W_f, W_i, W_c, W_o] }
  var gateBiases: [Matrix<Scalar>] { [b_f, b_i, b_c, b_o] }

  /// The same variables, all zero (the shape of a gradient).
  public var zeros: LSTMVariables {
    var z = self
    for name in names { z[name] = Matrix(rows: self[name].rows, cols: self[name].cols) }
    return z
  }

  /// Whether every entry of every variable is finite.
  public var isFinite: Bool { names.allSatisfy { self[$0].isFinite } }

  /// The same values in another scalar type.
  public func converted<T: LinearScalar>(to: T.Type = T.self) -> LSTMVariables<T> {
    LSTMVariables<T>(
      base: base.converted(), init_hidden: init_hidden.converted(), init_cell: init_cell.converted(),
      W_f: W_f.converted(), W_i: W_i.converted(), W_c: W_c.converted(), W_o: W_o.converted(),
      b_f: b_f.converted(), b_i: b_i.converted(), b_c: b_c.converted(), b_o: b_o.converted())
  }
}

/// An LSTM network computed exactly as PsychRNN's `LSTM` (including h = o ⊙ σ(c), see LSTM+Pass.swift).
///
/// It has no recurrent noise, masks, Dale's law or autapse setting; options asking for them are
/// refused with a `ConfigurationError` naming the key. Its initial states are per batch row, so
/// every batch it runs has exactly `N_batch` trials (`LSTMSimulator` runs any number).
public struct LSTM<Scalar: LinearScalar>: Sendable {
  /// Sizes, loss and regularization. `dt`, `tau` and `rec_noise` (which must be 0) do not enter the
  /// dynamics; `transfer_function` enters only the `L2_firing_rate` term, as in PsychRNN.
  public var configuration: ModelConfiguration
  /// The raw variables.
  public var variables: LSTMVariables<Scalar>
  /// The seed of the initialization stream, when known (recorded in saved files).
  public var seed: UInt32?
  /// Optimizer slots and step count, kept so that `train` continues where it stopped.
  public var optimizerState: OptimizerState<Scalar>? = nil
  /// Every loss recorded by `train` on this model, across calls.
  public var history = TrainingHistory()

  /// A model from given variables, checked against the configuration's sizes.
  public init(configuration: ModelConfiguration, variables: LSTMVariables<Scalar>, seed: UInt32? = nil) throws {
    try configuration.validateForLSTM()
    try self.init(checked: configuration, variables: variables, seed: seed)
  }

  /// A model from variables checked against `configuration`, which the caller has validated.
  init(checked configuration: ModelConfiguration, variables: LSTMVariables<Scalar>, seed: UInt32?) throws {
    self.configuration = configuration
    self.variables = variables
    self.seed = seed
    try checkVariablesFit()
    for name in variables.names where !variables[name].isFinite {
      throw ConfigurationError.invalid(key: name.rawValue, message: "contains NaN or infinite values")
    }
  }

  /// Throws unless every variable has the shape the configuration's sizes give it.
  func checkVariablesFit() throws {
    let c = configuration
    let (n, nIn, nOut, nBatch) = (c.nRec, c.nIn, c.nOut, c.nBatch)
    let expected: [(VariableName, Int, Int)] = [
      (.init_state, 1, n), (.W_in, n, nIn), (.W_rec, n, n), (.W_out, nOut, n), (.b_rec, 1, n), (.b_out, 1, nOut),
      (.init_hidden, nBatch, n), (.init_cell, nBatch, n),
      (.W_f, n + nIn, n), (.W_i, n + nIn, n), (.W_c, n + nIn, n), (.W_o, n + nIn, n),
      (.b_f, 1, n), (.b_i, 1, n), (.b_c, 1, n), (.b_o, 1, n),
    ]
    for (name, rows, cols) in expected {
      let m = variables[name]
      guard m.rows == rows && m.cols == cols else {
        throw ConfigurationError.shapeMismatch(key: name.rawValue, expected: [rows, cols], got: [m.rows, m.cols])
      }
    }
  }

  /// A freshly initialized LSTM, every value drawn from `rng`:
  ///
  /// 1. the base variables exactly as PsychRNN's numpy initializer draws them (`initializer`,
  ///    default GaussianSpectralRadius), so PsychRNN's `W_out` is reproduced from the same seed;
  /// 2. then, in this order, init_hidden, init_cell, W_f, W_i, W_c, W_o, each N(0, 0.1²) row by
  ///    row (PsychRNN draws these from TensorFlow's generator, which cannot be reproduced);
  /// 3. the gate biases are 1.
  public init(
    configuration: ModelConfiguration, initializer: InitializerKind? = nil,
    options: InitializerOptions = InitializerOptions(), using rng: inout NumpyRandom
  ) throws {
    try configuration.validateForLSTM()
    try options.validateForLSTM()
    let c = configuration
    let kind = initializer ?? (options.W_rec != nil ? .weightInitializer : .gaussianSpectralRadius())
    let w = try InitialWeights(kind: kind, options: options, nIn: c.nIn, nRec: c.nRec, nOut: c.nOut, using: &rng)
    func row(_ v: [Double]) -> Matrix<Scalar> { Matrix<Double>(rows: 1, cols: v.count, storage: v).converted() }
    let base = BasicVariables<Scalar>(
      init_state: row(w.initState), W_in: w.W_in.converted(), W_rec: w.W_rec.converted(),
      W_out: w.W_out.converted(), b_rec: row(w.b_rec), b_out: row(w.b_out))
    func gaussian(_ rows: Int, _ cols: Int) -> Matrix<Scalar> {
      Matrix<Double>(rows: rows, cols: cols) { _, _ in 0.1 * rng.normal() }.converted()
    }
    let n = c.nRec
    let initHidden = gaussian(c.nBatch, n), initCell = gaussian(c.nBatch, n)
    let wf = gaussian(n + c.nIn, n), wi = gaussian(n + c.nIn, n), wc = gaussian(n + c.nIn, n), wo = gaussian(n + c.nIn, n)
    let one = Matrix<Scalar>(rows: 1, cols: n, repeating: 1)
    try self.init(
      configuration: configuration,
      variables: LSTMVariables(
        base: base, init_hidden: initHidden, init_cell: initCell,
        W_f: wf, W_i: wi, W_c: wc, W_o: wo, b_f: one, b_i: one, b_c: one, b_o: one),
      seed: rng.seed)
  }

  /// The same model in another scalar type (without its optimizer state).
  public func converted<T: LinearScalar>(to: T.Type = T.self) -> LSTM<T> {
    LSTM<T>(configuration: configuration, convertedVariables: variables.converted(), seed: seed, history: history)
  }

  private init(
    configuration: ModelConfiguration, convertedVariables: LSTMVariables<Scalar>, seed: UInt32?, history: TrainingHistory
  ) {
    self.configuration = configuration
    self.variables = convertedVariables
    self.seed = seed
    self.history = history
  }
}

// MARK: - Settings an LSTM cannot honour

extension ModelConfiguration {
  /// `validate()` plus the LSTM's limits: no recurrent noise, and a transfer function other than
  /// relu only where it has an effect (the `L2_firing_rate` term, PsychRNN's only use of it).
  /// A transfer function read from a weights file is data, not a choice, and is always accepted.
  func validateForLSTM(transferFunctionFromFile: Bool = false) throws {
    try validate()
    try checkNetworkFits(bytesPerSquare: ModelConfiguration.lstmBytesPerSquare)
    guard recNoise == 0 else {
      throw ConfigurationError.invalid(
        key: "rec_noise", message: "must be 0 for an LSTM: PsychRNN's LSTM has no recurrent noise, got \(recNoise)")
    }
    if regularization.custom != nil {
      throw ConfigurationError.invalid(
        key: "custom_regularization",
        message: "works on Basic and BasicScan networks only (an LSTM's gate weights are not W_in, W_rec, W_out); "
          + "a custom loss_function works on an LSTM")
    }
    if !transferFunctionFromFile && transferFunction != .relu && regularization.L2_firing_rate == 0 {
      throw ConfigurationError.invalid(
        key: "transfer_function",
        message:
          "has no effect on an LSTM unless L2_firing_rate is set: PsychRNN's LSTM uses it only in the firing-rate regularizer (got \(transferFunction))"
      )
    }
  }
}

extension InitializerOptions {
  /// Refuses the initializer settings PsychRNN's LSTM would silently ignore.
  func validateForLSTM() throws {
    func refuse(_ key: String, _ why: String) -> ConfigurationError { .invalid(key: key, message: why) }
    if daleRatio != nil { throw refuse("dale_ratio", "cannot apply to an LSTM: PsychRNN's LSTM ignores Dale's law") }
    if daleRec != nil { throw refuse("Dale_rec", "cannot apply to an LSTM: PsychRNN's LSTM ignores Dale's law") }
    if daleOut != nil { throw refuse("Dale_out", "cannot apply to an LSTM: PsychRNN's LSTM ignores Dale's law") }
    for (key, mask) in [
      ("input_connectivity", inputConnectivity), ("rec_connectivity", recConnectivity),
      ("output_connectivity", outputConnectivity),
    ] {
      if let m = mask, m.storage.contains(where: { $0 != 1 }) {
        throw refuse(key, "cannot apply to an LSTM: PsychRNN's LSTM ignores connectivity masks")
      }
    }
    if !autapses { throw refuse("autapses", "cannot be false for an LSTM: PsychRNN's LSTM has no W_rec in its dynamics") }
    if b_rec != nil { throw refuse("b_rec", "is not used by an LSTM (its gates have their own biases b_f, b_i, b_c, b_o)") }
    if initState != nil {
      throw refuse("init_state", "is not used by an LSTM (its initial states are init_hidden and init_cell)")
    }
  }
}
