import Testing
import Linear
@testable import PsychRNN

@Test func zzPrintLSTMParityFigures() throws {
  let f = try LSTMFixture.arrays()
  let model = try LSTM<Float>(configuration: LSTMFixture.configuration(), loadWeightsPath: try LSTMFixture.weightsPath)
  let x: Tensor3<Float> = try Fixtures.tensor(f["x"]).converted()
  let r = try model.forward(x)
  print("FIG outputs", r.outputs.maxAbsDifference(try Fixtures.tensor(f["outputs"]).converted()), "states", r.states.maxAbsDifference(try Fixtures.tensor(f["states"]).converted()))
  let lg = try model.lossAndGradients(x: x, y: try Fixtures.tensor(f["y"]).converted(), mask: try Fixtures.tensor(f["mask"]).converted())
  let L = try #require(f["loss"]?.scalar)
  print("FIG loss rel", abs(lg.total - L) / L)
  var worst = 0.0
  for v in LSTMFixture.trainable {
    let e = try Fixtures.matrix(f["grad/\(v)"])
    let scale = max(e.storage.map(abs).max() ?? 0, 1e-30)
    worst = max(worst, lg.gradients[v].converted(to: Double.self).maxAbsDifference(e) / scale)
  }
  print("FIG worst grad rel", worst)
  var m = try LSTMFixture.rawModel()
  let batch = TrialBatch(x: try Fixtures.tensor(f["x"]), y: try Fixtures.tensor(f["y"]), mask: try Fixtures.tensor(f["mask"]), parameters: (0..<6).map { _ in LSTMNoParameters() }, batchNumber: 1)
  var noise = NumpyRandom(seed: 0)
  m.optimizerState = OptimizerState(optimizer: .adam())
  let ws = m.makeTrainingWorkspace()
  for e in 1...3 { try m.step(on: batch, epoch: e, frozen: [:], options: TrainingOptions(), workspace: ws, noise: &noise) }
  var wa = 0.0
  for v in LSTMFixture.trainable { wa = max(wa, m.variables[v].converted(to: Double.self).maxAbsDifference(try Fixtures.matrix(f["adam3/\(v)"]))) }
  print("FIG adam3 max abs", wa)
  let sim = LSTMSimulator(weights: try LSTMSimulatorWeights(contentsOf: try LSTMFixture.weightsPath))
  let s = try sim.runTrials(try Fixtures.tensor(f["x"]))
  print("FIG sim", s.outputs.maxAbsDifference(try Fixtures.tensor(f["sim_outputs"])), s.states.maxAbsDifference(try Fixtures.tensor(f["sim_states"])))
  let p = try sim.runTrials(try Fixtures.tensor(f["x"]), initialStates: .perTrial)
  print("FIG perTrial vs TF", p.outputs.maxAbsDifference(try Fixtures.tensor(f["outputs"])), "row0 vs TF", s.outputs.maxAbsDifference(try Fixtures.tensor(f["outputs"])))
  let tiny = try tinyLSTM(nIn: 3, nRec: 5, phi: .tanh, regularize: true)
  print("FIG FD rel", try lstmGradientCheckError(tiny, randomLSTMBatch(tiny)))
}
