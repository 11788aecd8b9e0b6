// The Basic continuous-time RNN (PsychRNN's `Basic` and `BasicScan`, which compute the same
// numbers): its configuration, raw trainable variables and constraints. The forward pass and its
// gradient are in Basic+Pass.swift, training in Basic+Training.swift, files in Basic+Checkpoint.swift.
//
// N = N_rec. Raw variables: init_state (1, N), W_in (N, N_in), W_rec (N, N), W_out (N_out, N),
// b_rec (N), b_out (N_out). Generic over the scalar: Float for models, Double for gradient checks.

import Linear

/// The name a model was created under: PsychRNN's `Basic` and `BasicScan` are the same model.
public enum BasicVariant: String, Sendable {
  case basic = "Basic"
  case basicScan = "BasicScan"
}

/// The raw trainable variables (before masks, abs() and Dale's signs).
public struct BasicVariables<Scalar: LinearScalar>: ModelVariables, Equatable {
  /// Initial state, (1, N), shared by every trial.
  public var init_state: Matrix<Scalar>
  public var W_in: Matrix<Scalar>
  public var W_rec: Matrix<Scalar>
  public var W_out: Matrix<Scalar>
  public var b_rec: Matrix<Scalar>
  public var b_out: Matrix<Scalar>

  /// The six names, in PsychRNN's order.
  public var names: [VariableName] { VariableName.allCases }

  /// One variable by name (biases are 1-row matrices).
  public subscript(name: VariableName) -> Matrix<Scalar> {
    get {
      switch name {
      case .init_state: return init_state
      case .W_in: return W_in
      case .W_rec: return W_rec
      case .W_out: return W_out
      case .b_rec: return b_rec
      case .b_out: return b_out
      default: preconditionFailure("a Basic model has no variable \(name)")
      }
    }
    set {
      precondition(newValue.shape == self[name].shape, "shape of \(name) cannot change")
      switch name {
      case .init_state: init_state = newValue
      case .W_in: W_in = newValue
      case .W_rec: W_rec = newValue
      case .W_out: W_out = newValue
      case .b_rec: b_rec = newValue
      case .b_out: b_out = newValue
      default: preconditionFailure("a Basic model has no variable \(name)")
      }
    }
  }

  /// The same variables, all zero (the shape of a gradient).
  public var zeros: BasicVariables {
    var z = self
    for name in VariableName.allCases { z[name] = Matrix(rows: self[name].rows, cols: self[name].cols) }
    return z
  }

  /// Whether every entry of every variable is finite.
  public var isFinite: Bool { VariableName.allCases.allSatisfy { self[$0].isFinite } }

  /// The same values in another scalar type.
  public func converted<T: LinearScalar>(to: T.Type = T.self) -> BasicVariables<T> {
    BasicVariables<T>(
      init_state: init_state.converted(), W_in: W_in.converted(), W_rec: W_rec.converted(),
      W_out: W_out.converted(), b_rec: b_rec.converted(), b_out: b_out.converted())
  }
}

/// A Basic CTRNN: configuration, raw variables and constraints.
public struct Basic<Scalar: LinearScalar>: Sendable {
  /// Sizes, dynamics, loss and regularization.
  public var configuration: ModelConfiguration
  /// The raw trainable variables.
  public var variables: BasicVariables<Scalar>
  /// Masks and Dale's matrices.
  public var constraints: Constraints<Scalar>
  /// `Basic` or `BasicScan`.
  public var variant: BasicVariant = .basic
  /// The seed of the initialization stream, when known (recorded in saved files).
  public var seed: UInt32?
  /// Optimizer slots and step count, kept so that `train` continues where it stopped.
  public var optimizerState: OptimizerState<Scalar>? = nil
  /// Every loss recorded by `train` on this model, across calls.
  public var history = TrainingHistory()

  /// A model from initial weights (from an initializer or a file).
  public init(configuration: ModelConfiguration, initialWeights w: InitialWeights, seed: UInt32? = nil) throws {
    try configuration.validate()
    if let r = w.daleRatio { try DaleMatrices.validate(ratio: r) }  // from an initializer or a file alike
    let n = configuration.nRec, nIn = configuration.nIn, nOut = configuration.nOut
    func check(_ m: Matrix<Double>, _ key: String, _ r: Int, _ c: Int) throws -> Matrix<Scalar> {
      try InitialWeights.checked(m, key, r, c).converted()
    }
    func row(_ v: [Double], _ key: String, _ c: Int) throws -> Matrix<Scalar> {
      try check(Matrix(rows: 1, cols: v.count, storage: v), key, 1, c)
    }
    self.configuration = configuration
    self.seed = seed
    variables = BasicVariables(
      init_state: try row(w.initState, "init_state", n),
      W_in: try check(w.W_in, "W_in", n, nIn), W_rec: try check(w.W_rec, "W_rec", n, n),
      W_out: try check(w.W_out, "W_out", nOut, n),
      b_rec: try row(w.b_rec, "b_rec", n), b_out: try row(w.b_out, "b_out", nOut))
    constraints = Constraints(
      inputConnectivity: try check(w.inputConnectivity, "input_connectivity", n, nIn),
      recConnectivity: try check(w.recConnectivity, "rec_connectivity", n, n),
      outputConnectivity: try check(w.outputConnectivity, "output_connectivity", nOut, n),
      daleRec: try check(w.daleRec, "Dale_rec", n, n), daleOut: try check(w.daleOut, "Dale_out", n, n),
      daleRatio: w.daleRatio)
  }

  /// A freshly initialized model: `initializer` (default GaussianSpectralRadius, or
  /// WeightInitializer when `options.W_rec` is given, as PsychRNN chooses) draws from `rng`.
  public init(
    configuration: ModelConfiguration, initializer: InitializerKind? = nil,
    options: InitializerOptions = InitializerOptions(), using rng: inout NumpyRandom
  ) throws {
    try configuration.validate()
    let kind = initializer ?? (options.W_rec != nil ? .weightInitializer : .gaussianSpectralRadius())
    let weights = try InitialWeights(
      kind: kind, options: options, nIn: configuration.nIn, nRec: configuration.nRec,
      nOut: configuration.nOut, using: &rng)
    try self.init(configuration: configuration, initialWeights: weights, seed: rng.seed)
  }

  /// The effective W_in, W_rec and W_out (masks and Dale's law applied), PsychRNN's
  /// `get_effective_W_in/rec/out`.
  public var effectiveWeights: EffectiveWeights<Scalar> {
    constraints.effective(W_in: variables.W_in, W_rec: variables.W_rec, W_out: variables.W_out)
  }

  /// The same model in another scalar type.
  public func converted<T: LinearScalar>(to: T.Type = T.self) -> Basic<T> {
    Basic<T>(
      configuration: configuration, variables: variables.converted(),
      constraints: Constraints<T>(
        inputConnectivity: constraints.inputConnectivity.converted(),
        recConnectivity: constraints.recConnectivity.converted(),
        outputConnectivity: constraints.outputConnectivity.converted(),
        daleRec: constraints.daleRec.converted(), daleOut: constraints.daleOut.converted(),
        daleRatio: constraints.daleRatio),
      variant: variant, seed: seed, history: history)
  }

  init(
    configuration: ModelConfiguration, variables: BasicVariables<Scalar>, constraints: Constraints<Scalar>,
    variant: BasicVariant, seed: UInt32?, history: TrainingHistory
  ) {
    self.configuration = configuration
    self.variables = variables
    self.constraints = constraints
    self.variant = variant
    self.seed = seed
    self.history = history
  }
}
