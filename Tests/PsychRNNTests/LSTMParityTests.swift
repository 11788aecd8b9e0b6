// Parity of the LSTM with PsychRNN itself: the `lstm_pd` fixture holds what PsychRNN master
// computed (PerceptualDiscrimination T 300, N_rec 16, N_batch 6, 30 steps, L2_firing_rate 0.01):
// outputs, states, loss, gradients, three Adam steps, its LSTMSimulator's run, and its weights file.

import Foundation
import Testing
import Linear
import NumpyFormat
@testable import PsychRNN

enum LSTMFixture {
  static let nRec = 16, batch = 6, steps = 30

  static func configuration() -> ModelConfiguration {
    var c = ModelConfiguration(nIn: 2, nRec: nRec, nOut: 2, nSteps: steps, dt: 10, tau: 100, nBatch: batch)
    c.regularization.L2_firing_rate = 0.01
    return c
  }

  static func arrays() throws -> [String: NumpyArray] { try Fixtures.load("lstm_pd.npz") }

  static var weightsPath: String { get throws { try Fixtures.folder() + "/lstm_pd_weights.npz" } }

  /// The fixture's model rebuilt from PsychRNN's raw variables (init_state and b_rec, which have no
  /// gradient and so no `raw/` entry, from the saved weights).
  static func rawModel() throws -> LSTM<Float> {
    let f = try arrays()
    func m(_ key: String) throws -> Matrix<Float> { try Fixtures.matrix(f[key]).converted() }
    let base = BasicVariables<Float>(
      init_state: try m("weights/init_state"), W_in: try m("raw/W_in"), W_rec: try m("raw/W_rec"),
      W_out: try m("raw/W_out"), b_rec: try m("weights/b_rec"), b_out: try m("raw/b_out"))
    let v = LSTMVariables(
      base: base, init_hidden: try m("raw/init_hidden"), init_cell: try m("raw/init_cell"),
      W_f: try m("raw/W_f"), W_i: try m("raw/W_i"), W_c: try m("raw/W_c"), W_o: try m("raw/W_o"),
      b_f: try m("raw/b_f"), b_i: try m("raw/b_i"), b_c: try m("raw/b_c"), b_o: try m("raw/b_o"))
    return try LSTM(configuration: configuration(), variables: v)
  }

  /// The names PsychRNN trains for this LSTM (the fixture json's `trainable` list).
  static let trainable: [VariableName] = [.W_in, .W_rec, .W_out, .b_out] + VariableName.lstm
}

@Test func lstmForwardFromPsychRNNsWeightsFileMatchesPsychRNN() throws {
  let f = try LSTMFixture.arrays()
  let model = try LSTM<Float>(configuration: LSTMFixture.configuration(), loadWeightsPath: try LSTMFixture.weightsPath)
  let r = try model.forward(try Fixtures.tensor(f["x"]).converted())
  let dOut = r.outputs.maxAbsDifference(try Fixtures.tensor(f["outputs"]).converted())
  let dStates = r.states.maxAbsDifference(try Fixtures.tensor(f["states"]).converted())
  #expect(dOut <= 1e-5 && dStates <= 1e-5, "outputs differ by \(dOut), states by \(dStates)")
  // The raw variables and the saved ones are the same model.
  #expect(try LSTMFixture.rawModel().variables == model.variables)
  #expect(model.configuration.transferFunction == .relu)
}

@Test func lstmLossAndGradientsMatchPsychRNN() throws {
  let f = try LSTMFixture.arrays()
  let model = try LSTMFixture.rawModel()
  let lg = try model.lossAndGradients(
    x: try Fixtures.tensor(f["x"]).converted(), y: try Fixtures.tensor(f["y"]).converted(),
    mask: try Fixtures.tensor(f["mask"]).converted())
  let expectedLoss = try #require(f["loss"]?.scalar)
  #expect(abs(lg.total - expectedLoss) <= 1e-5 * abs(expectedLoss), "loss \(lg.total) vs \(expectedLoss)")
  #expect(model.trainableNames == LSTMFixture.trainable)
  for v in LSTMFixture.trainable {
    let expected = try Fixtures.matrix(f["grad/\(v)"])
    let got: Matrix<Double> = lg.gradients[v].converted()
    let scale = max(expected.storage.map(abs).max() ?? 0, 1e-30)
    #expect(got.maxAbsDifference(expected) <= 1e-4 * scale, "grad/\(v): \(got.maxAbsDifference(expected) / scale) relative")
  }
  // No gradient for what PsychRNN's LSTM does not use.
  #expect(lg.gradients.base.init_state.storage.allSatisfy { $0 == 0 })
  #expect(lg.gradients.base.b_rec.storage.allSatisfy { $0 == 0 })
}

@Test func lstmThreeAdamStepsMatchPsychRNN() throws {
  let f = try LSTMFixture.arrays()
  var model = try LSTMFixture.rawModel()
  let x = try Fixtures.tensor(f["x"]), y = try Fixtures.tensor(f["y"]), mask = try Fixtures.tensor(f["mask"])
  let batch = TrialBatch(x: x, y: y, mask: mask, parameters: (0..<x.d0).map { _ in LSTMNoParameters() }, batchNumber: 1)
  var noise = NumpyRandom(seed: 0)
  model.optimizerState = OptimizerState(optimizer: .adam())
  let ws = model.makeTrainingWorkspace(options: TrainingOptions())
  for epoch in 1...3 {
    try model.step(on: batch, epoch: epoch, frozen: [:], options: TrainingOptions(), workspace: ws, noise: &noise)
  }
  for v in LSTMFixture.trainable {
    let d = model.variables[v].converted(to: Double.self).maxAbsDifference(try Fixtures.matrix(f["adam3/\(v)"]))
    #expect(d <= 1e-5, "adam3/\(v) differs by \(d)")
  }
  // Adam slots exist for exactly the trained variables.
  #expect(Set(model.optimizerState!.firstMoment.keys) == Set(LSTMFixture.trainable))
}

struct LSTMNoParameters: TrialParameters { var fields: [(key: String, value: ParameterValue)] { [] } }

@Test func lstmSimulatorMatchesPsychRNNsSimulator() throws {
  let f = try LSTMFixture.arrays()
  let x = try Fixtures.tensor(f["x"])
  let sim = LSTMSimulator(weights: try LSTMSimulatorWeights(contentsOf: try LSTMFixture.weightsPath))
  let r = try sim.runTrials(x)
  let dOut = r.outputs.maxAbsDifference(try Fixtures.tensor(f["sim_outputs"]))
  let dStates = r.states.maxAbsDifference(try Fixtures.tensor(f["sim_states"]))
  #expect(dOut <= 1e-9 && dStates <= 1e-9, "outputs differ by \(dOut), states by \(dStates)")
  // Row 0 for every trial is why PsychRNN's simulator differs from its model; per trial, it does not.
  let own = try sim.runTrials(x, initialStates: .perTrial)
  #expect(own.outputs.maxAbsDifference(try Fixtures.tensor(f["outputs"])) <= 1e-5)
  #expect(r.outputs.maxAbsDifference(try Fixtures.tensor(f["outputs"])) > 1e-3)
  #expect(throws: ConfigurationError.self) { try sim.runTrials(x.selecting([0, 1]), initialStates: .perTrial) }
  // Any number of trials from row 0, and a simulator built from the model agrees with the file's.
  let model = try LSTM<Float>(configuration: LSTMFixture.configuration(), loadWeightsPath: try LSTMFixture.weightsPath)
  let fromModel = try LSTMSimulator(model: model).runTrials(x.selecting([3]))
  #expect(fromModel.outputs.maxAbsDifference(r.outputs.selecting([3])) <= 1e-12)
}

@Test func lstmBaseWeightsMatchPsychRNNFromTheSameSeed() throws {
  // PsychRNN: np.random.seed(1234); task.get_trial_batch(); LSTM(params) → GaussianSpectralRadius
  // draws the base variables from numpy (the LSTM's own come from TensorFlow's generator).
  let f = try LSTMFixture.arrays()
  var rng = NumpyRandom(seed: 1234)
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 300, nBatch: LSTMFixture.batch)
  let batch = try task.makeBatch(number: 1, using: &rng)
  #expect(batch.x == (try Fixtures.tensor(f["x"])))
  var config = ModelConfiguration(task: task.timing, nRec: LSTMFixture.nRec)
  config.regularization.L2_firing_rate = 0.01
  let model = try LSTM<Float>(configuration: config, using: &rng)
  for (name, key) in [
    (VariableName.W_in, "raw/W_in"), (.W_rec, "raw/W_rec"), (.W_out, "raw/W_out"), (.init_state, "weights/init_state"),
  ] {
    let d = model.variables[name].converted(to: Double.self).maxAbsDifference(try Fixtures.matrix(f[key]))
    #expect(d <= 1e-6, "\(name) differs by \(d)")
  }
  // Ours: N(0, 0.1²) gates and initial states, biases 1.
  for name in [VariableName.init_hidden, .init_cell, .W_f, .W_i, .W_c, .W_o] {
    let s = model.variables[name].storage.map(Double.init)
    let sd = (s.map { $0 * $0 }.reduce(0, +) / Double(s.count)).squareRoot()
    #expect(sd > 0.07 && sd < 0.13, "\(name) has standard deviation \(sd)")
  }
  #expect(model.variables.b_o.storage.allSatisfy { $0 == 1 } && model.variables.init_hidden.rows == LSTMFixture.batch)
}

// MARK: - Weight files

@Test func lstmWeightFileRoundTripsAndKeepsPsychRNNsKeys() throws {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lstm-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  var model = try LSTMFixture.rawModel()
  model.seed = 42
  // Train two steps so that the file carries Adam's slots.
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 300, nBatch: LSTMFixture.batch)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 1), noise = NumpyRandom(seed: 2)
  var options = TrainingOptions()
  options.trainingIters = 2 * LSTMFixture.batch
  _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
  let path = try model.save(to: dir + "/lstm")
  #expect(path == dir + "/lstm.npz")

  // The keys, in PsychRNN's order, and the shapes it writes.
  let entries = try readNPZ(path: path)
  let keys = entries.map { $0.0 }
  let psychrnn = try readNPZ(path: try LSTMFixture.weightsPath).map { $0.0 }
  let numeric = psychrnn.filter { $0 != "dale_ratio" && $0 != "transfer_function" }
  #expect(Array(keys.prefix(numeric.count)) == numeric)
  let adam = keys.filter { $0.hasSuffix("/Adam") }.map { String($0.dropLast(5)) }
  #expect(adam == LSTMFixture.trainable.map(\.rawValue))
  let byKey = Dictionary(entries, uniquingKeysWith: { a, _ in a })
  #expect(byKey["b_f"]?.shape == [LSTMFixture.nRec] && byKey["init_hidden"]?.shape == [LSTMFixture.batch, LSTMFixture.nRec])
  #expect(byKey["W_c/Adam_1"]?.shape == [LSTMFixture.nRec + 2, LSTMFixture.nRec])

  // Reloading gives the same model, optimizer state included.
  let back = try LSTM<Float>(configuration: LSTMFixture.configuration(), loadWeightsPath: path)
  #expect(back.variables == model.variables && back.seed == 42)
  #expect(back.optimizerState?.step == 2)
  for name in LSTMFixture.trainable {
    #expect(back.optimizerState?.firstMoment[name] == model.optimizerState?.firstMoment[name], "\(name)/Adam")
    #expect(back.optimizerState?.secondMoment[name] == model.optimizerState?.secondMoment[name], "\(name)/Adam_1")
  }
  // PsychRNN's simulator reads our file as it reads its own.
  let x: Tensor3<Double> = try Fixtures.tensor(try LSTMFixture.arrays()["x"])
  let fromFile = try LSTMSimulator(weights: try LSTMSimulatorWeights(contentsOf: path)).runTrials(x, initialStates: .perTrial)
  #expect(fromFile.outputs.maxAbsDifference(try model.forward(x.converted()).outputs.converted()) <= 1e-5)
}

@Test func lstmAndBasicFilesAreNotConfused() throws {
  let basicFile = try Fixtures.folder() + "/basic_relu_weights.npz"
  var config = LSTMFixture.configuration()
  config.nRec = 20; config.nBatch = 8
  #expect(throws: CheckpointError.self) { try LSTM<Float>(configuration: config, loadWeightsPath: basicFile) }
  let basicConfig = ModelConfiguration(nIn: 2, nRec: LSTMFixture.nRec, nOut: 2, nSteps: 30, dt: 10, tau: 100, nBatch: 6)
  #expect(throws: CheckpointError.self) {
    try Basic<Float>(configuration: basicConfig, loadWeightsPath: try LSTMFixture.weightsPath)
  }
  #expect(throws: CheckpointError.self) { try SimulatorWeights(contentsOf: try LSTMFixture.weightsPath) }
  // N_batch is part of an LSTM file: init_hidden has one row per batch row.
  var other = LSTMFixture.configuration()
  other.nBatch = 7
  #expect(throws: CheckpointError.self) { try LSTM<Float>(configuration: other, loadWeightsPath: try LSTMFixture.weightsPath) }
}
