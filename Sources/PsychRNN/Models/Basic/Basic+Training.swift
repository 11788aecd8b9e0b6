// Basic as a `RecurrentModel`, so that it trains with the loop in Trainer.swift (as the LSTM does,
// LSTM+Training.swift): which variables train, the training buffers, and the trainer's checks.

import Linear

extension Basic: RecurrentModel {
  /// The names of the variables that train (`*_train` flags).
  public var trainableNames: [VariableName] {
    let t = configuration.trainable
    let flags: [VariableName: Bool] = [
      .init_state: t.init_state, .W_in: t.W_in, .W_rec: t.W_rec, .W_out: t.W_out, .b_rec: t.b_rec, .b_out: t.b_out,
    ]
    return VariableName.allCases.filter { flags[$0] == true }
  }

  /// Fresh training buffers; with `parallelWeightGradients`, a second thread for the backward pass.
  public func makeTrainingWorkspace(options: TrainingOptions) -> BasicWorkspace<Scalar> {
    BasicWorkspace(pipelined: options.parallelWeightGradients)
  }

  /// Outputs on trials x, for the trainer's checks, in the training buffers: the same numbers as
  /// `forward(x, noise:)`, without a fresh workspace's megabytes (and page faults) per check.
  public func outputs(
    of x: Tensor3<Double>, workspace ws: BasicWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws -> Tensor3<Double> {
    try load(x, into: ws, keepingStates: false)
    runForward(ws, weights: effectiveWeights, noise: &noise, withNoise: true)
    return outputs(of: ws).converted()
  }

  /// Loss + regularization of `batch` and its gradients, with recurrent noise from `noise`.
  public func lossAndGradients(
    of batch: TrialBatch, workspace: BasicWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws
    -> LossAndGradients<BasicVariables<Scalar>>
  {
    try lossAndGradients(x: batch.x, y: batch.y, mask: batch.mask, workspace: workspace, noise: &noise)
  }

  /// Loss + regularization of `batch` and its outputs by a forward pass in the training buffers.
  public func loss(
    of batch: TrialBatch, workspace: BasicWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws
    -> (total: Double, outputs: Tensor3<Double>)
  {
    let r = try loss(x: batch.x, y: batch.y, mask: batch.mask, workspace: workspace, noise: &noise)
    return (r.total, r.outputs.converted())
  }

  /// Checks that a task's batches fit this network.
  public func checkCompatible(_ batch: TrialBatch, task: any Task) throws {
    let c = configuration
    guard batch.x.d2 == c.nIn && batch.y.d2 == c.nOut else {
      throw TrainingError.incompatibleData(
        "\(task.name) has N_in \(batch.x.d2) and N_out \(batch.y.d2), but the network has N_in \(c.nIn) and N_out \(c.nOut)")
    }
  }
}
