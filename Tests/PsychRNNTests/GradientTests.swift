// Backpropagation through time checked against central finite differences in Double, on tiny
// networks, for every raw variable, with each transfer function, with and without Dale's law and
// masks, and with every regularizer switched on.

import Testing
import Linear
@testable import PsychRNN

/// A tiny Double network with random raw weights (signs mixed, so abs() matters under Dale).
func tinyModel(
  nIn: Int = 2, nRec: Int = 5, nOut: Int = 2, phi: TransferFunction = .relu, dale: Double? = nil,
  masks: Bool = false, loss: LossFunction = .meanSquaredError, regularize: Bool = false, seed: UInt32 = 3
) throws -> Basic<Double> {
  var rng = NumpyRandom(seed: seed)
  var config = ModelConfiguration(nIn: nIn, nRec: nRec, nOut: nOut, nSteps: 6, dt: 10, tau: 50, nBatch: 3)
  config.transferFunction = phi
  config.lossFunction = loss
  if regularize {
    config.regularization.L1_in = 0.03; config.regularization.L1_rec = 0.02; config.regularization.L1_out = 0.01
    config.regularization.L2_in = 0.04; config.regularization.L2_rec = 0.05; config.regularization.L2_out = 0.06
    config.regularization.L2_firing_rate = 0.07
  }
  var options = InitializerOptions()
  options.daleRatio = dale
  options.whichRandInit = .const_gauss
  if masks {
    options.recConnectivity = Matrix(rows: nRec, cols: nRec) { _, _ in rng.uniform() < 0.6 ? 1 : 0 }
    options.inputConnectivity = Matrix(rows: nRec, cols: nIn) { _, _ in rng.uniform() < 0.7 ? 1 : 0 }
    options.outputConnectivity = Matrix(rows: nOut, cols: nRec) { _, _ in rng.uniform() < 0.7 ? 1 : 0 }
    options.autapses = false
  }
  options.b_rec = (0..<nRec).map { _ in 0.3 * rng.normal() }
  options.b_out = (0..<nOut).map { _ in 0.3 * rng.normal() }
  options.initState = (0..<nRec).map { _ in 0.5 * rng.normal() }
  var model = try Basic<Double>(configuration: config, initializer: .weightInitializer, options: options, using: &rng)
  // Spread W_rec so the dynamics are not trivially small.
  model.variables.W_rec = Matrix(rows: nRec, cols: nRec) { _, _ in 0.6 * rng.normal() }
  return model
}

/// Random trials: x (B, S, N_in), targets in (0, 1), a mask with some zeros.
func randomBatch(
  _ m: Basic<Double>, batch: Int = 3, steps: Int = 6, seed: UInt32 = 9
)
  -> (x: Tensor3<Double>, y: Tensor3<Double>, mask: Tensor3<Double>)
{
  var rng = NumpyRandom(seed: seed)
  let c = m.configuration
  let x = Tensor3(batch, steps, c.nIn, storage: (0..<(batch * steps * c.nIn)).map { _ in rng.normal() })
  let y = Tensor3(batch, steps, c.nOut, storage: (0..<(batch * steps * c.nOut)).map { _ in 0.1 + 0.8 * rng.uniform() })
  let mask = Tensor3(batch, steps, c.nOut, storage: (0..<(batch * steps * c.nOut)).map { _ in rng.uniform() < 0.8 ? 1 : 0 })
  return (x, y, mask)
}

/// Largest |analytic − numeric| over all entries of all variables, relative to the largest |numeric|.
func gradientCheckError(
  _ model: Basic<Double>, batch: (x: Tensor3<Double>, y: Tensor3<Double>, mask: Tensor3<Double>)
) throws -> Double {
  var noise = NumpyRandom(seed: 0)
  let analytic = try model.lossAndGradients(x: batch.x, y: batch.y, mask: batch.mask, noise: &noise).gradients
  let h = 1e-6
  var worst = 0.0, scale = 1e-12
  for name in VariableName.allCases {
    for i in model.variables[name].storage.indices {
      var plus = model, minus = model
      plus.variables[name].storage[i] += h
      minus.variables[name].storage[i] -= h
      let lp = try plus.loss(x: batch.x, y: batch.y, mask: batch.mask, noise: &noise)
      let lm = try minus.loss(x: batch.x, y: batch.y, mask: batch.mask, noise: &noise)
      let numeric = (lp - lm) / (2 * h)
      worst = max(worst, abs(numeric - analytic[name].storage[i]))
      scale = max(scale, abs(numeric))
    }
  }
  return worst / scale
}

@Test(arguments: [TransferFunction.relu, .tanh, .sigmoid, .softplus, .linear, .elu])
func bpttMatchesFiniteDifferences(phi: TransferFunction) throws {
  let model = try tinyModel(phi: phi)
  #expect(try gradientCheckError(model, batch: randomBatch(model)) < 1e-6)
}

@Test(arguments: [TransferFunction.relu, .tanh, .sigmoid])
func bpttMatchesFiniteDifferencesUnderDaleAndMasks(phi: TransferFunction) throws {
  let model = try tinyModel(nRec: 6, phi: phi, dale: 0.67, masks: true, regularize: true)
  #expect(model.constraints.isDaleActive)
  #expect(try gradientCheckError(model, batch: randomBatch(model)) < 1e-6)
}

@Test func bpttMatchesFiniteDifferencesWithRegularizers() throws {
  let model = try tinyModel(phi: .tanh, regularize: true)
  #expect(try gradientCheckError(model, batch: randomBatch(model)) < 1e-6)
}

@Test func bpttMatchesFiniteDifferencesForBinaryCrossEntropy() throws {
  // Sigmoid rates and small readout weights keep outputs inside the clip range (0, 1).
  var model = try tinyModel(phi: .sigmoid, loss: .binaryCrossEntropy)
  model.variables.W_out = model.variables.W_out.map { 0.2 * $0 }
  model.variables.b_out = Matrix([[0.5, 0.4]])
  #expect(try gradientCheckError(model, batch: randomBatch(model)) < 1e-6)
}

@Test func batchOfOneAndSingleStepWork() throws {
  let model = try tinyModel(phi: .tanh, dale: 0.6, masks: true)
  #expect(try gradientCheckError(model, batch: randomBatch(model, batch: 1, steps: 1)) < 1e-6)
}
