// `loss_function: f` and `custom_regularization: f` in training. Oracles: the built-in terms they
// restate (a hand-written MSE, BCE, L2_rec and L2_firing_rate must give the built-in's loss curve
// over 20 batches, same seed and batches, to 1e-5 relative), and Float64 central finite
// differences of the whole objective L + R of a tiny network under Dale's law and masks, so the
// regularizer's weight gradient is checked through abs(), the Dale signs and the masks.

import Foundation
import Linear
import Testing

@testable import PsychRNN
@testable import RNNScript

private let task = "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 16)"

/// The losses of 20 training batches (loss_epoch 1) of a fresh network built with `keys`.
private func curve(_ definitions: String, _ keys: String) throws -> [Double] {
  let session = Session()
  try runScript(
    """
    seed 4
    \(task)
    \(definitions)
    net = Basic(task, N_rec: 12, \(keys))
    r = train net task training_iters: 320 loss_epoch: 1 verbosity: false
    """, in: session)
  guard case .record(let r)? = session.variables["r"], case .array(let losses)? = r["losses"] else {
    throw RuntimeError("no losses")
  }
  return losses.values
}

private func expectSameCurve(_ custom: [Double], _ builtin: [Double], _ what: String) {
  #expect(custom.count == 20 && builtin.count == 20)
  let worst = zip(custom, builtin).map { abs($0 - $1) / abs($1) }.max() ?? .infinity
  #expect(worst <= 1e-5, "\(what): largest relative difference \(worst)")
  // The curve moves: the comparison is not of two constant sequences.
  #expect(abs(builtin[0] - builtin[19]) > 1e-3 * abs(builtin[0]), "\(what): the loss did not change")
}

@Test func aHandWrittenMeanSquaredErrorReproducesTheBuiltInCurve() throws {
  let mse = "def mse(predictions, y, output_mask) {\n  return mean((output_mask * (predictions - y)) ** 2)\n}"
  expectSameCurve(try curve(mse, "loss_function: mse"), try curve("", "loss_function: \"mean_squared_error\""), "MSE")
}

@Test func aHandWrittenBinaryCrossEntropyReproducesTheBuiltInCurve() throws {
  let bce = """
    def bce(predictions, y, output_mask) {
      eps = 1e-7
      p = clip(predictions, eps, 1 - eps)
      return mean(output_mask * -(y * log(p + eps) + (1 - y) * log(1 - p + eps)))
    }
    """
  expectSameCurve(
    try curve(bce, "loss_function: bce, transfer_function: \"sigmoid\""),
    try curve("", "loss_function: \"binary_cross_entropy\", transfer_function: \"sigmoid\""), "BCE")
}

@Test func aHandWrittenL2RecUnderDaleReproducesTheBuiltInCurve() throws {
  let l2 = "def l2(net, states) {\n  return 0.5 * mean(net.W_rec ** 2)\n}"
  expectSameCurve(
    try curve(l2, "dale_ratio: 0.8, custom_regularization: l2"), try curve("", "dale_ratio: 0.8, L2_rec: 0.5"), "L2_rec")
}

@Test func aHandWrittenFiringRateTermReproducesTheBuiltInCurve() throws {
  // The states' gradient enters the backward pass at every step.
  let fr = "def fr(net, states) {\n  return 0.3 * mean(maximum(states, 0) ** 2)\n}"
  expectSameCurve(try curve(fr, "custom_regularization: fr"), try curve("", "L2_firing_rate: 0.3"), "L2_firing_rate")
}

// MARK: - The whole objective against finite differences

@Test(arguments: [false, true])
func customLossAndRegularizerGradientsMatchFiniteDifferences(dale: Bool) throws {
  let session = Session()
  try runScript(
    """
    seed 2
    def loss(predictions, y, output_mask) {
      return mean(output_mask * (predictions - y) ** 2) + 0.1 * mean(tanh(predictions) * y)
    }
    def reg(net, states) {
      w = 0.3 * mean(net.W_rec ** 2) + 0.2 * sum(abs(net.W_in)) + 0.1 * sum(net.W_out * net.W_out)
      b = sum(net.b_rec * net.b_rec) + 0.5 * sum(net.b_out) + mean(net.init_state ** 2)
      return w + b + 0.05 * mean(tanh(states) ** 2) + 0.1 * sum(states[:, -1, 0])
    }
    mask = (reshape(arange(36) % 4, [6, 6]) > 0) * 1
    net = Basic(N_in: 2, N_rec: 6, N_out: 2, N_steps: 5, N_batch: 3, dt: 10, tau: 50, transfer_function: "tanh",
                rec_connectivity: mask, \(dale ? "dale_ratio: 0.5, " : "")loss_function: loss, custom_regularization: reg)
    """, in: session)
  guard case .network(let n)? = session.variables["net"], let float = n.model as? Basic<Float> else {
    throw RuntimeError("no Basic network")
  }
  var model = float.converted(to: Double.self)
  var rng = NumpyRandom(seed: 11)
  for i in model.variables.b_rec.storage.indices { model.variables.b_rec.storage[i] = 0.3 * rng.normal() }
  let (B, S) = (3, 5)
  let x = Tensor3(B, S, 2, storage: (0..<(B * S * 2)).map { _ in rng.normal() })
  let y = Tensor3(B, S, 2, storage: (0..<(B * S * 2)).map { _ in rng.uniform() })
  let m = Tensor3(B, S, 2, storage: (0..<(B * S * 2)).map { _ in rng.uniform() < 0.8 ? 1 : 0 })
  var noise = NumpyRandom(seed: 0)
  let lg = try model.lossAndGradients(x: x, y: y, mask: m, noise: &noise)
  let total = try model.loss(x: x, y: y, mask: m, noise: &noise)
  #expect(abs(lg.total - total) <= 1e-12 * abs(total), "the value-only pass disagrees with the gradient pass")
  #expect(lg.regularization > 0)
  let h = 1e-6
  var worst = 0.0, scale = 1e-12
  for name in VariableName.allCases {
    for i in model.variables[name].storage.indices {
      var plus = model, minus = model
      plus.variables[name].storage[i] += h
      minus.variables[name].storage[i] -= h
      let numeric =
        (try plus.loss(x: x, y: y, mask: m, noise: &noise) - (try minus.loss(x: x, y: y, mask: m, noise: &noise))) / (2 * h)
      worst = max(worst, abs(numeric - lg.gradients[name].storage[i]))
      scale = max(scale, abs(numeric))
    }
  }
  #expect(worst / scale < 1e-6, "largest gradient error \(worst / scale) relative to \(scale)")
}

// MARK: - Errors during training

private func trainingError(_ definitions: String, _ keys: String) -> RuntimeError? {
  do {
    try runScript(
      "seed 1\n\(task)\n\(definitions)\nnet = Basic(task, N_rec: 8, \(keys))\ntrain net task training_iters: 64 verbosity: false"
    )
    return nil
  } catch let e as RuntimeError { return e } catch { return nil }
}

@Test func anErrorInsideALossStopsTrainingAtItsSource() throws {
  let e = try #require(
    trainingError("def bad(predictions, y, output_mask) {\n  return sum(normal_noise(predictions))\n}", "loss_function: bad"))
  #expect(e.message.contains("unknown function 'normal_noise'"), "\(e.message)")
  #expect(e.location?.line == 4)
  #expect(e.callChain.first?.function == "bad")
}

@Test func aNonScalarLossStopsTraining() throws {
  let e = try #require(trainingError("def bad(predictions, y, output_mask) {\n  return predictions - y\n}", "loss_function: bad"))
  #expect(e.message.contains("loss_function bad returned an array of shape (16, 50, 2), not one number"), "\(e.message)")
  #expect(e.location?.line == 3)
}

@Test func aNonDifferentiableRegularizerIsNamed() throws {
  let e = try #require(
    trainingError(
      "def bad(net, states) {\n  return sum(ones(3) * len(states)) + sum(full([2], mean(states)))\n}",
      "custom_regularization: bad"))
  #expect(e.message.hasPrefix("`full` is not differentiable; inside custom_regularization bad at line 4"), "\(e.message)")
  #expect(e.location?.line == 4)
}

@Test func lossFunctionsNeedThreeParametersAndLSTMRefusesARegularizer() throws {
  let wrong = try #require(trainingError("def bad(p, y) {\n  return 0\n}", "loss_function: bad"))
  #expect(wrong.message.contains("must take (predictions, y, output_mask)"), "\(wrong.message)")
  let session = Session()
  do {
    try runScript(
      "\(task)\ndef r(net, states) {\n  return 0\n}\nnet = LSTM(task, N_rec: 4, custom_regularization: r)", in: session)
    Issue.record("an LSTM took a custom regularizer")
  } catch let e as RuntimeError {
    #expect(e.message.contains("custom_regularization: works on Basic and BasicScan networks only"), "\(e.message)")
  }
}
