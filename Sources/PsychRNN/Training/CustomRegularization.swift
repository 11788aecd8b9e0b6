// A user-defined regularization term (PsychRNN's `custom_regularization`, spec §6), the library's
// seam for it: a function of the EFFECTIVE weights (Constraints.swift), the biases, the initial
// state and the states of the current run, returning its value and, when asked, its gradient
// with respect to each of them. The model adds the value to R, sends the weight gradients back
// through masks and Dale's law exactly as the built-in L1/L2 terms', adds the bias and initial-state
// gradients to those variables', and the state gradient into the backward pass at every step.

import Linear

/// What a custom regularizer sees. Weights are receiver × sender as in PsychRNN; `states` are
/// s_1 … s_S, (B, S, N) row-major.
public struct RegularizationInputs: Sendable {
  public var W_in: Matrix<Double>
  public var W_rec: Matrix<Double>
  public var W_out: Matrix<Double>
  public var b_rec: [Double]
  public var b_out: [Double]
  public var init_state: [Double]
  public var states: [Double]
  /// (B, S, N).
  public var statesShape: [Int]
}

/// d(term) with respect to each input, in the inputs' shapes.
public struct RegularizationGradients: Sendable {
  public var W_in: Matrix<Double>
  public var W_rec: Matrix<Double>
  public var W_out: Matrix<Double>
  public var b_rec: [Double]
  public var b_out: [Double]
  public var init_state: [Double]
  public var states: [Double]

  public init(
    W_in: Matrix<Double>, W_rec: Matrix<Double>, W_out: Matrix<Double>, b_rec: [Double], b_out: [Double],
    init_state: [Double], states: [Double]
  ) {
    self.W_in = W_in; self.W_rec = W_rec; self.W_out = W_out
    self.b_rec = b_rec; self.b_out = b_out; self.init_state = init_state; self.states = states
  }

  /// Whether every gradient has its input's shape.
  func matches(_ x: RegularizationInputs) -> Bool {
    W_in.shape == x.W_in.shape && W_rec.shape == x.W_rec.shape && W_out.shape == x.W_out.shape
      && b_rec.count == x.b_rec.count && b_out.count == x.b_out.count && init_state.count == x.init_state.count
      && states.count == x.states.count
  }
}

/// `custom_regularization`: (inputs, whether the gradient is wanted) → (value, gradients or nil).
public struct CustomRegularization: Sendable {
  public let name: String
  public let evaluate:
    @Sendable (_ inputs: RegularizationInputs, _ needsGradient: Bool) throws -> (
      value: Double, gradients: RegularizationGradients?
    )

  public init(
    name: String,
    evaluate: @escaping @Sendable (RegularizationInputs, Bool) throws -> (value: Double, gradients: RegularizationGradients?)
  ) {
    self.name = name
    self.evaluate = evaluate
  }
}

extension Matrix {
  /// self += d (equal shapes), d converted to this scalar type.
  mutating func add(_ d: Matrix<Double>) {
    for i in 0..<storage.count { storage[i] += Scalar(d.storage[i]) }
  }
}
