// Parity with PsychRNN itself: the fixtures hold what PsychRNN master computed for the same
// weights and inputs (outputs, states, loss, gradients, three Adam steps, simulator runs, and its
// own initial weights from np.random.seed(1234)).

import Testing
import Linear
import NumpyFormat
@testable import PsychRNN

/// The case's model rebuilt from PsychRNN's RAW variables and constraint matrices.
private func rawModel(_ name: String, _ f: [String: NumpyArray], nRec: Int, batch: Int, steps: Int) throws -> Basic<Float> {
  let w = InitialWeights(
    W_in: try Fixtures.matrix(f["raw/W_in"]), W_rec: try Fixtures.matrix(f["raw/W_rec"]),
    W_out: try Fixtures.matrix(f["raw/W_out"]), b_rec: try Fixtures.matrix(f["raw/b_rec"]).storage,
    b_out: try Fixtures.matrix(f["raw/b_out"]).storage, initState: try Fixtures.matrix(f["raw/init_state"]).storage,
    inputConnectivity: try Fixtures.matrix(f["weights/input_connectivity"]),
    recConnectivity: try Fixtures.matrix(f["weights/rec_connectivity"]),
    outputConnectivity: try Fixtures.matrix(f["weights/output_connectivity"]),
    daleRec: try Fixtures.matrix(f["weights/Dale_rec"]), daleOut: try Fixtures.matrix(f["weights/Dale_out"]),
    daleRatio: name == "dale_masks_regs" ? 0.75 : nil)
  return try Basic<Float>(
    configuration: Fixtures.configuration(name, nSteps: steps, nBatch: batch, nRec: nRec), initialWeights: w)
}

@Test(arguments: Fixtures.basicCases.map(\.name))
func forwardFromSavedWeightsMatchesPsychRNN(name: String) throws {
  let c = Fixtures.basicCases.first { $0.name == name }!
  let f = try Fixtures.load("\(name).npz")
  let model = try Basic<Float>(
    configuration: Fixtures.configuration(name, nSteps: c.steps, nBatch: c.batch, nRec: c.nRec),
    loadWeightsPath: try Fixtures.folder() + "/\(name)_weights.npz")
  let x: Tensor3<Float> = try Fixtures.tensor(f["x"]).converted()
  let r = try model.forward(x)
  #expect(r.outputs.maxAbsDifference(try Fixtures.tensor(f["outputs"]).converted()) <= 1e-5)
  #expect(r.states.maxAbsDifference(try Fixtures.tensor(f["states"]).converted()) <= 1e-5)
}

@Test(arguments: Fixtures.basicCases.map(\.name))
func savedWeightsLoadToIdenticalEffectiveWeights(name: String) throws {
  let c = Fixtures.basicCases.first { $0.name == name }!
  let f = try Fixtures.load("\(name).npz")
  let loaded = try Basic<Float>(
    configuration: Fixtures.configuration(name, nSteps: c.steps, nBatch: c.batch, nRec: c.nRec),
    loadWeightsPath: try Fixtures.folder() + "/\(name)_weights.npz")
  let fromRaw = try rawModel(name, f, nRec: c.nRec, batch: c.batch, steps: c.steps)
  for (eff, key) in [
    (loaded.effectiveWeights.W_in, "W_in"), (loaded.effectiveWeights.W_rec, "W_rec"), (loaded.effectiveWeights.W_out, "W_out"),
  ] {
    let expected: Matrix<Float> = try Fixtures.matrix(f["weights/\(key)"]).converted()
    #expect(eff == expected, "\(key) differs after loading")
  }
  // The raw variables give the same effective weights PsychRNN saved (masks, abs, Dale).
  #expect(fromRaw.effectiveWeights.W_rec.maxAbsDifference(loaded.effectiveWeights.W_rec) == 0)
  #expect(fromRaw.effectiveWeights.W_out.maxAbsDifference(loaded.effectiveWeights.W_out) == 0)
  #expect(loaded.constraints.isDaleActive == (name == "dale_masks_regs"))
}

@Test(arguments: Fixtures.basicCases.map(\.name))
func lossAndGradientsMatchPsychRNN(name: String) throws {
  let c = Fixtures.basicCases.first { $0.name == name }!
  let f = try Fixtures.load("\(name).npz")
  let model = try rawModel(name, f, nRec: c.nRec, batch: c.batch, steps: c.steps)
  var noise = NumpyRandom(seed: 0)
  let lg = try model.lossAndGradients(
    x: try Fixtures.tensor(f["x"]).converted(), y: try Fixtures.tensor(f["y"]).converted(),
    mask: try Fixtures.tensor(f["mask"]).converted(), noise: &noise)
  let expectedLoss = try #require(f["loss"]?.scalar)
  #expect(abs(lg.total - expectedLoss) <= 1e-5 * abs(expectedLoss))
  for v in VariableName.allCases {
    let expected = try Fixtures.matrix(f["grad/\(v)"])
    let got: Matrix<Double> = lg.gradients[v].converted()
    let scale = expected.storage.map(abs).max() ?? 1
    #expect(got.maxAbsDifference(expected) <= 1e-4 * scale, "grad/\(v)")
  }
}

@Test(arguments: Fixtures.basicCases.map(\.name))
func threeAdamStepsMatchPsychRNN(name: String) throws {
  let c = Fixtures.basicCases.first { $0.name == name }!
  let f = try Fixtures.load("\(name).npz")
  var model = try rawModel(name, f, nRec: c.nRec, batch: c.batch, steps: c.steps)
  let x = try Fixtures.tensor(f["x"]), y = try Fixtures.tensor(f["y"]), mask = try Fixtures.tensor(f["mask"])
  let batch = TrialBatch(x: x, y: y, mask: mask, parameters: (0..<x.d0).map { _ in NoParameters() }, batchNumber: 1)
  var noise = NumpyRandom(seed: 0)
  model.optimizerState = OptimizerState(optimizer: .adam())
  let ws = BasicWorkspace<Float>()
  for epoch in 1...3 {
    try model.step(on: batch, epoch: epoch, frozen: [:], options: TrainingOptions(), workspace: ws, noise: &noise)
  }
  for v in VariableName.allCases {
    let expected = try Fixtures.matrix(f["adam3/\(v)"])
    #expect(model.variables[v].converted(to: Double.self).maxAbsDifference(expected) <= 1e-5, "adam3/\(v)")
  }
}

private struct NoParameters: TrialParameters { var fields: [(key: String, value: ParameterValue)] { [] } }

@Test(arguments: Fixtures.basicCases.map(\.name))
func simulatorMatchesPsychRNNSimulator(name: String) throws {
  let f = try Fixtures.load("\(name).npz")
  let weights = try SimulatorWeights(contentsOf: try Fixtures.folder() + "/\(name)_weights.npz")
  let sim = try BasicSimulator(weights: weights, dt: 10, tau: 100)
  var noise = NumpyRandom(seed: 0)
  let r = try sim.runTrials(try Fixtures.tensor(f["x"]), noise: &noise)
  // A plain float64 numpy transcription of the simulator differs from PsychRNN's by the same
  // ~1.2e-8 as we do; upstream's own tests allow 1e-6.
  #expect(r.outputs.maxAbsDifference(try Fixtures.tensor(f["sim_outputs"])) <= 1e-7)
  #expect(r.states.maxAbsDifference(try Fixtures.tensor(f["sim_states"])) <= 1e-7)
}

@Test func initialWeightsMatchPsychRNNFromTheSameSeed() throws {
  // PsychRNN: np.random.seed(1234); task.get_trial_batch(); Basic(params) → GaussianSpectralRadius.
  for c in Fixtures.basicCases {
    let f = try Fixtures.load("\(c.name).npz")
    var rng = NumpyRandom(seed: 1234)
    var options = InitializerOptions()
    if c.name == "dale_masks_regs" {
      options.recConnectivity = Matrix(rows: c.nRec, cols: c.nRec) { _, _ in rng.uniform() < 0.5 ? 1 : 0 }
      options.daleRatio = 0.75
      options.autapses = false
    }
    let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: c.batch)
    let batch = try task.makeBatch(number: 1, using: &rng)
    #expect(batch.x == (try Fixtures.tensor(f["x"])))
    let model = try Basic<Float>(
      configuration: ModelConfiguration(task: task.timing, nRec: c.nRec), options: options, using: &rng)
    for v in [VariableName.init_state, .W_in, .W_out, .W_rec] {
      let expected = try Fixtures.matrix(f["raw/\(v)"])
      let got = model.variables[v].converted(to: Double.self)
      #expect(got.maxAbsDifference(expected) <= 1e-6, "raw/\(v) of \(c.name)")
    }
  }
}

@Test func legacyWeightFileLoads() throws {
  var config = ModelConfiguration(nIn: 2, nRec: 50, nOut: 2, nSteps: 200, dt: 10, tau: 100, nBatch: 128)
  config.transferFunction = .tanh  // the file names none: this fallback is used
  let model = try Basic<Float>(configuration: config, loadWeightsPath: try Fixtures.folder() + "/legacy_saved_weights.npz")
  #expect(model.configuration.transferFunction == .tanh)
  #expect(!model.constraints.isDaleActive)
  #expect(model.optimizerState?.firstMoment[.W_rec]?.rows == 50)
  #expect(model.optimizerState?.secondMoment[.b_out]?.cols == 2)
  let raw = try Fixtures.load("legacy_saved_weights.npz")
  #expect(model.variables.W_rec == (try Fixtures.matrix(raw["W_rec"]).converted(to: Float.self)))
}
