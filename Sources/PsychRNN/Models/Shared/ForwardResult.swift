// What a forward run returns, for every model: outputs and states in PsychRNN's (B, S, ·) layout.

import Linear

/// Outputs and states of a forward run, in PsychRNN's (B, S, ·) layout.
public struct ForwardResult<Scalar: LinearScalar>: Sendable {
  /// z_1 … z_S, (B, S, N_out).
  public var outputs: Tensor3<Scalar>
  /// s_1 … s_S, (B, S, N_rec). s_0 is not included, as in PsychRNN.
  public var states: Tensor3<Scalar>

  public init(outputs: Tensor3<Scalar>, states: Tensor3<Scalar>) {
    self.outputs = outputs
    self.states = states
  }
}
