// The LSTM as a `RecurrentModel`, so that it trains with the same loop as Basic (Trainer.swift).
//
// What trains is what PsychRNN's TensorFlow graph gives a gradient: the LSTM's ten variables, W_out
// and b_out (the readout), and W_in and W_rec, whose only gradient comes from the always-present
// L1/L2 regularizer terms (zero, so they do not move, unless those are on). init_state and b_rec
// get no gradient and never train. The `*_train` flags apply to the base variables, as in PsychRNN.

import Linear

extension LSTM: RecurrentModel {
  /// The LSTM workspace's buffers (LSTMWorkspace.prepare): gates S·B·4N, hidden (S+1)·B·(N + N_in + 1),
  /// cells (S+1)·B·N, σ(c) and dh S·B·N each, rates and their gradient S·B·N each, the ones S·B and
  /// the output-side S·B·N_out buffers (four).
  public func trainingWorkspaceScalars(batch: Int, steps: Int) -> Double {
    let c = configuration
    let (b, s, n) = (Double(batch), Double(steps), Double(c.nRec))
    let (nIn, nOut) = (Double(c.nIn), Double(c.nOut))
    return b * (s * (4 * n + 4 * n + 1 + 4 * nOut) + (s + 1) * (2 * n + nIn + 1)) + 2 * (n + nIn + 1) * 4 * n
  }

  /// W_in, W_rec, W_out, b_out (each unless its `*_train` flag is false), then the ten LSTM variables.
  public var trainableNames: [VariableName] {
    let t = configuration.trainable
    let base: [(VariableName, Bool)] = [(.W_in, t.W_in), (.W_rec, t.W_rec), (.W_out, t.W_out), (.b_out, t.b_out)]
    return base.filter(\.1).map(\.0) + VariableName.lstm
  }

  /// Fresh training buffers.
  public func makeTrainingWorkspace(options: TrainingOptions) -> LSTMWorkspace<Scalar> {
    LSTMWorkspace(pipelined: options.parallelWeightGradients)
  }

  /// Loss + regularization of `batch` and its gradients (`noise` is not used: no recurrent noise).
  public func lossAndGradients(
    of batch: TrialBatch, workspace: LSTMWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws
    -> LossAndGradients<LSTMVariables<Scalar>>
  {
    try lossAndGradients(x: batch.x, y: batch.y, mask: batch.mask, workspace: workspace)
  }

  /// Loss + regularization of `batch` and its outputs by a forward pass in the training buffers.
  public func loss(
    of batch: TrialBatch, workspace: LSTMWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws
    -> (total: Double, outputs: Tensor3<Double>)
  {
    let r = try loss(x: batch.x, y: batch.y, mask: batch.mask, workspace: workspace)
    return (r.total, r.outputs.converted())
  }

  /// Outputs of trials x, reusing the training buffers.
  public func outputs(of x: Tensor3<Double>, workspace: LSTMWorkspace<Scalar>, noise: inout NumpyRandom) throws -> Tensor3<Double>
  {
    try outputs(of: x, workspace: workspace)
  }

  /// Checks that a task's batches fit this network: N_in, N_out, and exactly N_batch trials.
  public func checkCompatible(_ batch: TrialBatch, task: any Task) throws {
    let c = configuration
    guard batch.x.d2 == c.nIn && batch.y.d2 == c.nOut else {
      throw TrainingError.incompatibleData(
        "\(task.name) has N_in \(batch.x.d2) and N_out \(batch.y.d2), but the network has N_in \(c.nIn) and N_out \(c.nOut)")
    }
    guard batch.trialCount == c.nBatch else {
      throw TrainingError.incompatibleData(
        "\(task.name) makes batches of \(batch.trialCount) trials, but this LSTM has N_batch \(c.nBatch) (one initial state per batch row)"
      )
    }
  }
}
