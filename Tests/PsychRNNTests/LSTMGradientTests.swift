// The LSTM's backpropagation through time against central finite differences in Double, on tiny
// networks, for every variable, with the regularizers and both built-in losses.

import Foundation
import Testing
import Linear
@testable import PsychRNN

/// A tiny Double LSTM with random variables (gate biases spread around 1, initial states per row).
func tinyLSTM(
  nIn: Int = 2, nRec: Int = 4, nOut: Int = 2, batch: Int = 3, phi: TransferFunction = .relu,
  loss: LossFunction = .meanSquaredError, regularize: Bool = false, seed: UInt32 = 5
) throws -> LSTM<Double> {
  var rng = NumpyRandom(seed: seed)
  var config = ModelConfiguration(nIn: nIn, nRec: nRec, nOut: nOut, nSteps: 5, dt: 10, tau: 100, nBatch: batch)
  config.transferFunction = phi
  config.lossFunction = loss
  if regularize {
    config.regularization.L1_in = 0.03; config.regularization.L1_rec = 0.02; config.regularization.L1_out = 0.01
    config.regularization.L2_in = 0.04; config.regularization.L2_rec = 0.05; config.regularization.L2_out = 0.06
    config.regularization.L2_firing_rate = 0.07
  }
  var options = InitializerOptions()
  options.whichRandInit = .const_gauss
  var model = try LSTM<Double>(configuration: config, initializer: .weightInitializer, options: options, using: &rng)
  // Larger gate weights than the default 0.1 so every nonlinearity is exercised away from 0.
  for name in [VariableName.W_f, .W_i, .W_c, .W_o, .init_hidden, .init_cell] {
    model.variables[name] = model.variables[name].map { _ in 0.6 * rng.normal() }
  }
  for name in [VariableName.b_f, .b_i, .b_c, .b_o] {
    model.variables[name] = model.variables[name].map { _ in 1 + 0.5 * rng.normal() }
  }
  model.variables.base.b_out = model.variables.base.b_out.map { _ in 0.3 * rng.normal() }
  return model
}

/// Random trials for an LSTM: x (B, S, N_in), targets in (0.1, 0.9), a mask with some zeros.
func randomLSTMBatch(
  _ m: LSTM<Double>, steps: Int = 5, seed: UInt32 = 9
)
  -> (x: Tensor3<Double>, y: Tensor3<Double>, mask: Tensor3<Double>)
{
  var rng = NumpyRandom(seed: seed)
  let c = m.configuration, B = c.nBatch
  let x = Tensor3(B, steps, c.nIn, storage: (0..<(B * steps * c.nIn)).map { _ in rng.normal() })
  let y = Tensor3(B, steps, c.nOut, storage: (0..<(B * steps * c.nOut)).map { _ in 0.1 + 0.8 * rng.uniform() })
  let mask = Tensor3(B, steps, c.nOut, storage: (0..<(B * steps * c.nOut)).map { _ in rng.uniform() < 0.8 ? 1 : 0 })
  return (x, y, mask)
}

/// Largest |analytic − numeric| over every entry of every variable, relative to the largest |numeric|.
func lstmGradientCheckError(
  _ model: LSTM<Double>, _ batch: (x: Tensor3<Double>, y: Tensor3<Double>, mask: Tensor3<Double>)
) throws -> Double {
  let analytic = try model.lossAndGradients(x: batch.x, y: batch.y, mask: batch.mask).gradients
  let h = 1e-6
  var worst = 0.0, scale = 1e-12
  for name in model.variables.names {
    for i in model.variables[name].storage.indices {
      var plus = model, minus = model
      plus.variables[name].storage[i] += h
      minus.variables[name].storage[i] -= h
      let numeric =
        (try plus.loss(x: batch.x, y: batch.y, mask: batch.mask)
          - minus.loss(x: batch.x, y: batch.y, mask: batch.mask)) / (2 * h)
      worst = max(worst, abs(numeric - analytic[name].storage[i]))
      scale = max(scale, abs(numeric))
    }
  }
  return worst / scale
}

@Test func lstmBpttMatchesFiniteDifferences() throws {
  let model = try tinyLSTM()
  #expect(try lstmGradientCheckError(model, randomLSTMBatch(model)) < 1e-6)
}

@Test(arguments: [TransferFunction.relu, .tanh, .softplus])
func lstmBpttMatchesFiniteDifferencesWithEveryRegularizer(phi: TransferFunction) throws {
  let model = try tinyLSTM(nIn: 3, nRec: 5, phi: phi, regularize: true)
  #expect(try lstmGradientCheckError(model, randomLSTMBatch(model)) < 1e-6)
}

@Test func lstmBpttMatchesFiniteDifferencesForBinaryCrossEntropy() throws {
  // Small readout weights keep the outputs inside the clip range (0, 1).
  var model = try tinyLSTM(loss: .binaryCrossEntropy)
  model.variables.base.W_out = model.variables.base.W_out.map { 0.2 * $0 }
  model.variables.base.b_out = Matrix([[0.5, 0.4]])
  #expect(try lstmGradientCheckError(model, randomLSTMBatch(model)) < 1e-6)
}

@Test func lstmBatchOfOneAndSingleStepWork() throws {
  let model = try tinyLSTM(nRec: 3, batch: 1, regularize: true)
  #expect(try lstmGradientCheckError(model, randomLSTMBatch(model, steps: 1)) < 1e-6)
}

@Test func lstmFloatAndDoubleAgree() throws {
  // The Float pass uses its own vectorizable e^x; it must agree with the Double pass (C library).
  let model = try tinyLSTM(nRec: 6, regularize: true)
  let b = randomLSTMBatch(model, steps: 5)
  let d = try model.lossAndGradients(x: b.x, y: b.y, mask: b.mask)
  let f = try model.converted(to: Float.self).lossAndGradients(x: b.x.converted(), y: b.y.converted(), mask: b.mask.converted())
  #expect(abs(f.total - d.total) <= 1e-6 * abs(d.total))
  for name in model.variables.names {
    let scale = max(d.gradients[name].storage.map(abs).max() ?? 0, 1e-12)
    #expect(f.gradients[name].converted(to: Double.self).maxAbsDifference(d.gradients[name]) <= 1e-5 * scale, "\(name)")
  }
}

@Test func floatExpIsAccurateOverItsRange() {
  var worst: Double = 0
  var x: Float = -87
  while x <= 88 {
    let exact = Foundation.exp(Double(x))
    worst = max(worst, abs(Double(LSTMCell.expFloat(x)) - exact) / exact)
    x += 0.0137
  }
  #expect(worst < 4e-7, "relative error \(worst)")
  #expect(LSTMCell.sigmoid(Float(-200)) >= 0 && LSTMCell.sigmoid(Float(200)) == 1)
  #expect(LSTMCell.tanh(Float(50)) == 1 && LSTMCell.tanh(Float(-50)) == -1 && abs(LSTMCell.tanh(Float(0))) < 1e-7)
  #expect(LSTMCell.sigmoid(Float.nan).isNaN && LSTMCell.tanh(Float.nan).isNaN)
}
