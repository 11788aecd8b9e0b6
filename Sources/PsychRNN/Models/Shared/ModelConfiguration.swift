// Typed replacement for the model half of PsychRNN's `params` dictionary (spec §2): sizes, time
// constants, noise, transfer function, loss, regularization and which variables train.
// Initialization and constraint keys live in `InitializerOptions`.

import Linear

/// The loss a model is trained on (PsychRNN `loss_function`).
public enum LossFunction: Sendable, Equatable, CustomStringConvertible {
  /// mean((mask ⊙ (z − y))²) over all B·S·N_out elements.
  case meanSquaredError
  /// mean(mask ⊙ −(y·log(p + ε) + (1 − y)·log(1 − p + ε))), p = clip(z, ε, 1 − ε), ε = 1e-7.
  case binaryCrossEntropy
  /// A loss supplied from Swift, with its gradient.
  case custom(CustomLoss)

  /// Looks a built-in loss up by PsychRNN's name.
  public init?(name: String) {
    switch name {
    case "mean_squared_error": self = .meanSquaredError
    case "binary_cross_entropy": self = .binaryCrossEntropy
    default: return nil
    }
  }

  /// PsychRNN's name (or the custom loss's own).
  public var name: String {
    switch self {
    case .meanSquaredError: return "mean_squared_error"
    case .binaryCrossEntropy: return "binary_cross_entropy"
    case .custom(let c): return c.name
    }
  }

  public var description: String { name }

  public static func == (a: LossFunction, b: LossFunction) -> Bool { a.name == b.name }
}

/// A user-defined loss: value and gradient with respect to the outputs, over whole batches.
public struct CustomLoss: Sendable {
  public let name: String
  /// (outputs, targets, mask — each (B, S, N_out) row-major, `shape` — and whether dLoss/dOutputs
  /// is wanted) → (loss, dLoss/dOutputs in the same layout, or nil when not wanted). An error
  /// stops whatever asked for the loss (training keeps the weights of the last finished step).
  public let evaluate:
    @Sendable (_ outputs: [Double], _ targets: [Double], _ mask: [Double], _ shape: [Int], _ needsGradient: Bool) throws
      -> (value: Double, gradient: [Double]?)

  public init(
    name: String,
    evaluate: @escaping @Sendable ([Double], [Double], [Double], [Int], Bool) throws -> (value: Double, gradient: [Double]?)
  ) {
    self.name = name
    self.evaluate = evaluate
  }
}

/// Regularization coefficients (spec §6). All default to 0; each term uses effective weights.
public struct Regularization: Sendable, Equatable {
  public var L1_in = 0.0, L1_rec = 0.0, L1_out = 0.0
  public var L2_in = 0.0, L2_rec = 0.0, L2_out = 0.0
  /// Coefficient of mean(φ(states)²).
  public var L2_firing_rate = 0.0
  /// A user-defined term on the effective weights and the states (`custom_regularization`).
  public var custom: CustomRegularization?
  public init() {}

  public static func == (a: Regularization, b: Regularization) -> Bool {
    a.L1_in == b.L1_in && a.L1_rec == b.L1_rec && a.L1_out == b.L1_out && a.L2_in == b.L2_in && a.L2_rec == b.L2_rec
      && a.L2_out == b.L2_out && a.L2_firing_rate == b.L2_firing_rate && a.custom?.name == b.custom?.name
  }
}

/// Which of the six Basic variables are trained (`W_in_train`, …, `init_state_train`).
public struct TrainableVariables: Sendable, Equatable {
  public var W_in = true, W_rec = true, W_out = true, b_rec = true, b_out = true, init_state = true
  public init() {}
}

/// Sizes and dynamics of a Basic model.
public struct ModelConfiguration: Sendable {
  /// Number of inputs (`N_in`).
  public var nIn: Int
  /// Number of recurrent units (`N_rec`).
  public var nRec: Int
  /// Number of outputs (`N_out`).
  public var nOut: Int
  /// Time steps per trial (`N_steps`).
  public var nSteps: Int
  /// Simulation time step (`dt`).
  public var dt: Double
  /// Time constant (`tau`).
  public var tau: Double
  /// Trials per training batch (`N_batch`). Forward passes accept any batch size.
  public var nBatch: Int
  /// Recurrent noise amplitude σ_rec (`rec_noise`); each step adds sqrt(2α·σ²)·N(0, 1).
  public var recNoise: Double = 0
  /// φ (`transfer_function`).
  public var transferFunction: TransferFunction = .relu
  /// `loss_function`.
  public var lossFunction: LossFunction = .meanSquaredError
  /// `L1_in` … `L2_firing_rate`.
  public var regularization = Regularization()
  /// `*_train` flags.
  public var trainable = TrainableVariables()

  /// α = dt / τ.
  public var alpha: Double { dt / tau }

  public init(nIn: Int, nRec: Int, nOut: Int, nSteps: Int, dt: Double, tau: Double, nBatch: Int) {
    self.nIn = nIn; self.nRec = nRec; self.nOut = nOut; self.nSteps = nSteps
    self.dt = dt; self.tau = tau; self.nBatch = nBatch
  }

  /// Sizes and time constants taken from a task, as `task.get_task_params()` supplies them.
  public init(task: TaskTiming, nRec: Int) {
    self.init(
      nIn: task.nIn, nRec: nRec, nOut: task.nOut, nSteps: task.nSteps,
      dt: task.dt, tau: task.tau, nBatch: task.nBatch)
  }

  /// Checks every value; the error names the PsychRNN key at fault.
  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError { .invalid(key: key, message: message) }
    guard nIn >= 1 else { throw fail("N_in", "must be at least 1, got \(nIn)") }
    guard nRec >= 1 else { throw fail("N_rec", "must be at least 1, got \(nRec)") }
    // Sizes beyond these would need gigabytes for the weights alone; refuse them clearly.
    guard nRec <= 8192 else { throw fail("N_rec", "must be at most 8192, got \(nRec)") }
    guard nIn <= 65_536 else { throw fail("N_in", "must be at most 65536, got \(nIn)") }
    guard nOut <= 65_536 else { throw fail("N_out", "must be at most 65536, got \(nOut)") }
    guard nOut >= 1 else { throw fail("N_out", "must be at least 1, got \(nOut)") }
    guard nSteps >= 1 else { throw fail("N_steps", "must be at least 1, got \(nSteps)") }
    guard nBatch >= 1 else { throw fail("N_batch", "must be at least 1, got \(nBatch)") }
    guard dt.isFinite && dt > 0 else { throw fail("dt", "must be a positive number, got \(dt)") }
    guard tau.isFinite && tau > 0 else { throw fail("tau", "must be a positive number, got \(tau)") }
    try checkNetworkFits(bytesPerSquare: ModelConfiguration.basicBytesPerSquare)
    guard recNoise.isFinite && recNoise >= 0 else {
      throw fail("rec_noise", "must be a non-negative number, got \(recNoise)")
    }
    let r = regularization
    for (key, v) in [
      ("L1_in", r.L1_in), ("L1_rec", r.L1_rec), ("L1_out", r.L1_out), ("L2_in", r.L2_in),
      ("L2_rec", r.L2_rec), ("L2_out", r.L2_out), ("L2_firing_rate", r.L2_firing_rate),
    ]
    where !v.isFinite {
      throw fail(key, "must be a finite number, got \(v)")
    }
  }
}

extension ModelConfiguration {
  /// Bytes per N_rec² entry while a Basic network is built and held: the Double initial W_rec,
  /// rec_connectivity, Dale_rec and Dale_out (4 × 8), their Float copies (4 × 4) and the spectral
  /// radius's eigenvalue work (2 × 8).
  static let basicBytesPerSquare: Double = 64
  /// The same for an LSTM, whose four gate matrices (N_rec + N_in) × N_rec add Double and Float copies.
  static let lstmBytesPerSquare: Double = 112

  /// Refuses a network whose weights would not fit in the memory this process may still use
  /// (`MemoryBudget`), before anything is allocated.
  func checkNetworkFits(bytesPerSquare: Double) throws {
    try MemoryBudget.require(
      MemoryBudget.networkBytes(nIn: nIn, nRec: nRec, nOut: nOut, squareCopies: bytesPerSquare),
      for: "a network of \(nRec) units (N_rec² weights, masks and their copies)", key: "N_rec",
      advice: "lower N_rec")
  }

  /// Checks that targets y and mask are (B, S, N_out) for trials x (B, S, ·); errors name the key.
  func checkTargets<T: LinearScalar>(y: Tensor3<T>, mask: Tensor3<T>, for x: Tensor3<T>) throws {
    let expected = [x.d0, x.d1, nOut]
    guard y.shape == expected else { throw ConfigurationError.shapeMismatch(key: "y", expected: expected, got: y.shape) }
    guard mask.shape == expected else { throw ConfigurationError.shapeMismatch(key: "mask", expected: expected, got: mask.shape) }
  }
}
