// What `train` needs from a model, so that Basic and LSTM share one training loop (Trainer.swift):
// variables by name, which of them train, loss and gradients of a batch, a forward run, a save,
// and the optimizer state and history that persist across `train` calls.
//
// Variable names are PsychRNN's (`W_rec`, `init_hidden`, `W_f` …): they key `fixed_weights`,
// the optimizer's slots and the entries of weight files.

import Linear

/// The name of a model variable, as PsychRNN spells it (`W_in`, `b_out`, `W_f` …).
public struct VariableName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: String

  /// A known variable name (a base RNN variable or an LSTM variable), or nil.
  public init?(rawValue: String) {
    guard Self.known.contains(rawValue) else { return nil }
    self.rawValue = rawValue
  }

  private init(_ name: String) { rawValue = name }

  public var description: String { rawValue }

  // MARK: The base RNN variables (every PsychRNN model has them)

  public static let init_state = VariableName("init_state")
  public static let W_in = VariableName("W_in")
  public static let W_rec = VariableName("W_rec")
  public static let W_out = VariableName("W_out")
  public static let b_rec = VariableName("b_rec")
  public static let b_out = VariableName("b_out")

  // MARK: The LSTM's own variables

  public static let init_hidden = VariableName("init_hidden")
  public static let init_cell = VariableName("init_cell")
  public static let W_f = VariableName("W_f")
  public static let W_i = VariableName("W_i")
  public static let W_c = VariableName("W_c")
  public static let W_o = VariableName("W_o")
  public static let b_f = VariableName("b_f")
  public static let b_i = VariableName("b_i")
  public static let b_c = VariableName("b_c")
  public static let b_o = VariableName("b_o")

  /// The six base variables every PsychRNN model has (all of Basic's), in PsychRNN's order.
  public static let allCases: [VariableName] = [init_state, W_in, W_rec, W_out, b_rec, b_out]
  /// The LSTM's ten own variables, in PsychRNN's order (they follow the base ones).
  public static let lstm: [VariableName] = [init_hidden, init_cell, W_f, W_i, W_c, W_o, b_f, b_i, b_c, b_o]

  private static let known = Set((allCases + lstm).map(\.rawValue))
}

/// A model's raw variables, addressable by name (biases are 1-row matrices).
public protocol ModelVariables: Sendable {
  associatedtype Scalar: LinearScalar
  /// Every variable's name, in PsychRNN's order.
  var names: [VariableName] { get }
  /// One variable by name; `name` must be one of `names`, and a new value keeps the shape.
  subscript(name: VariableName) -> Matrix<Scalar> { get set }
}

extension ModelVariables {
  /// Whether the model has a variable of this name.
  public func contains(_ name: VariableName) -> Bool { names.contains(name) }
}

/// Loss, regularization and gradients of one batch.
public struct LossAndGradients<Variables: ModelVariables>: Sendable {
  /// The loss alone (`loss_function`).
  public var loss: Double
  /// The regularization terms alone.
  public var regularization: Double
  /// loss + regularization (PsychRNN's `reg_loss`, the training objective).
  public var total: Double { loss + regularization }
  /// d total / d raw variable, for every variable (trainable or not).
  public var gradients: Variables
  /// The network's outputs on the batch, (B, S, N_out).
  public var outputs: Tensor3<Variables.Scalar>
}

/// A network `train` can fit (Basic, LSTM). `train` itself is in Trainer.swift.
public protocol RecurrentModel: Sendable {
  associatedtype Scalar: LinearScalar
  associatedtype Variables: ModelVariables where Variables.Scalar == Scalar
  /// Buffers reused by every batch of one `train` call (opaque).
  associatedtype TrainingWorkspace: AnyObject

  /// Sizes, loss and regularization.
  var configuration: ModelConfiguration { get }
  /// The raw variables.
  var variables: Variables { get set }
  /// The variables that train, in PsychRNN's order (those with a gradient and a true `*_train` flag).
  var trainableNames: [VariableName] { get }
  /// Optimizer slots and step count, kept so that `train` continues where it stopped.
  var optimizerState: OptimizerState<Scalar>? { get set }
  /// Every loss recorded by `train` on this model, across calls.
  var history: TrainingHistory { get set }

  /// Fresh training buffers, set up for `options` (threads).
  func makeTrainingWorkspace(options: TrainingOptions) -> TrainingWorkspace
  /// Loss + regularization of `batch` and the gradient with respect to every raw variable.
  func lossAndGradients(
    of batch: TrialBatch, workspace: TrainingWorkspace, noise: inout NumpyRandom
  ) throws
    -> LossAndGradients<Variables>
  /// Loss + regularization of `batch` and its outputs by a forward pass only (what training records
  /// every loss_epoch batches; the same numbers as `lossAndGradients(…).total`).
  func loss(
    of batch: TrialBatch, workspace: TrainingWorkspace, noise: inout NumpyRandom
  ) throws
    -> (total: Double, outputs: Tensor3<Double>)
  /// Outputs and states on trials x (B, S, N_in), with recurrent noise where the model has any.
  func forward(_ x: Tensor3<Scalar>, noise: inout NumpyRandom) throws -> ForwardResult<Scalar>
  /// Outputs on trials x, for the trainer's checks on fresh batches; may reuse the training buffers
  /// (by default it runs `forward`).
  func outputs(of x: Tensor3<Double>, workspace: TrainingWorkspace, noise: inout NumpyRandom) throws -> Tensor3<Double>
  /// Throws when a task's batches cannot train this network (sizes).
  func checkCompatible(_ batch: TrialBatch, task: any Task) throws
  /// Writes the model to `path` (".npz" appended when missing); returns the path written.
  @discardableResult func save(to path: String) throws -> String
  /// How many scalars the training workspace allocates for batches of `batch` trials of `steps`
  /// steps, besides copies of the weights (for `MemoryBudget`, before anything is allocated).
  func trainingWorkspaceScalars(batch: Int, steps: Int) -> Double
}

extension RecurrentModel {
  /// The Basic workspace's buffers (BasicWorkspace.prepare): states (two blocks), rates
  /// (S+1)·B·(N + N_in + 1), adjoints (S+1)·B·(N + N_out), inputs S·B·N_in and four S·B·N_out.
  /// A custom regularizer keeps every state and sees them, with its gradient, in Double
  /// (about 1 + 6 more S·B·N).
  public func trainingWorkspaceScalars(batch: Int, steps: Int) -> Double {
    let c = configuration
    let (b, s, n) = (Double(batch), Double(steps), Double(c.nRec))
    let (nIn, nOut) = (Double(c.nIn), Double(c.nOut))
    let custom = c.regularization.custom != nil ? 7 * s * n : 0
    return b * (2 * n + (s + 1) * (2 * n + nIn + 1 + nOut) + s * (nIn + 4 * nOut) + custom)
  }

  /// Refuses a training run whose buffers would not fit in the memory the process may still use:
  /// the workspace, the optimizer's slots, gradients and effective weights (about eight copies of
  /// the variables), and three batches (the probe, the current and the prefetched one).
  func checkTrainingFits(task: TaskTiming) throws {
    let weights = variables.names.reduce(0.0) { $0 + Double(variables[$1].storage.count) }
    let scalar = Double(MemoryLayout<Scalar>.size)
    let batch = MemoryBudget.batchBytes(trials: task.nBatch, steps: task.nSteps, nIn: task.nIn, nOut: task.nOut)
    let bytes = scalar * (8 * weights + trainingWorkspaceScalars(batch: task.nBatch, steps: task.nSteps)) + 3 * batch
    try MemoryBudget.require(
      bytes, for: "training N_rec \(configuration.nRec) on batches of \(task.nBatch) trials of \(task.nSteps) steps",
      key: "N_batch", advice: "lower N_batch, T or N_rec")
  }

  /// The default: `forward`, converted to Double.
  public func outputs(of x: Tensor3<Double>, workspace: TrainingWorkspace, noise: inout NumpyRandom) throws -> Tensor3<Double> {
    try forward(x.converted(), noise: &noise).outputs.converted()
  }
}
