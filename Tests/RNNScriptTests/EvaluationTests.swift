// The language end to end without a terminal: values, fields, arithmetic, every error pointing
// at what the user wrote (with suggestions), and history that replays to the same state.

import Testing
import Linear
import PsychRNN
@testable import RNNScript

@discardableResult
private func run(_ source: String, in session: Session = Session()) throws -> [Value] {
  try runScript(source, in: session)
}

private func number(_ v: Value?) -> Double? { if case .number(let d)? = v { return d } else { return nil } }

private func runtimeError(_ source: String, in session: Session = Session()) -> RuntimeError? {
  do { try run(source, in: session); return nil } catch let e as RuntimeError { return e } catch { return nil }
}

private let setup = """
  seed 3
  task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
  net = Basic(task, N_rec: 6)
  """

@Test func valuesFieldsAndArithmetic() throws {
  let s = Session()
  try run(setup, in: s)
  #expect(number(try run("task.N_steps", in: s).first) == 20)
  #expect(number(try run("net.N_rec * 2 + 1", in: s).first) == 13)
  #expect(number(try run("(1 - 3) / 4", in: s).first) == -0.5)
  #expect(number(try run("[1, 2, 3][-1]", in: s).first) == 3)
  try run("b = batch task", in: s)
  guard case .array(let x0)? = try run("b.x[0]", in: s).first else { Issue.record("b.x[0] is not an array"); return }
  #expect(x0.shape == [20, 2])
  guard case .array(let w)? = try run("net.W_rec", in: s).first else { Issue.record("net.W_rec is not an array"); return }
  #expect(w.shape == [6, 6])
  #expect(number(try run("max(abs(net.W_rec - net.W_rec))", in: s).first) == 0)
  // Unset optional fields are the value none, not "no such field".
  guard case .none? = try run("net.dale_ratio", in: s).first else { Issue.record("net.dale_ratio is not none"); return }
  #expect(number(try run("net.seed", in: s).first) == 3)
}

@Test func unknownParameterSuggestsTheRightKey() {
  let s = Session()
  _ = try? run(setup, in: s)
  let e = runtimeError("n2 = Basic(task, N_recc: 5)", in: s)
  #expect(e?.message == "unknown parameter 'N_recc' for Basic")
  #expect(e?.suggestion == "N_rec")
  #expect(e?.location?.column == 18)
}

@Test func badValuesAreReportedAtTheirArgument() {
  let s = Session()
  _ = try? run(setup, in: s)
  let dale = runtimeError("n2 = Basic(task, N_rec: 5, dale_ratio: 1.5)", in: s)
  #expect(dale?.message.hasPrefix("dale_ratio: must satisfy 0 < dale_ratio ≤ 1") == true)
  #expect(dale?.location?.column == 28)
  let tau = runtimeError("t2 = PerceptualDiscrimination(dt: 10, tau: 0, T: 100, N_batch: 4)", in: s)
  #expect(tau?.message == "tau: must be a positive number, got 0.0")
  let mask = runtimeError("n3 = Basic(task, N_rec: 5, rec_connectivity: ones(4, 4))", in: s)
  #expect(mask?.message == "rec_connectivity: must have shape (5, 5), got (4, 4)")
  let type = runtimeError("n4 = Basic(task, N_rec: \"fifty\")", in: s)
  #expect(type?.message == "N_rec: expected a number, got a string")
  let tf = runtimeError("n5 = Basic(task, N_rec: 5, transfer_function: \"tahn\")", in: s)
  #expect(tf?.suggestion == "tanh")
}

@Test func namesCommandsAndFilesFailClearly() {
  let s = Session()
  #expect(runtimeError("print tsk", in: s)?.message == "unknown name 'tsk'")
  #expect(runtimeError("accuracy tsk", in: s)?.message.hasPrefix("no network yet") == true)
  _ = try? run(setup, in: s)
  #expect(runtimeError("tsak", in: s)?.suggestion == "task")
  #expect(runtimeError("x = Basik(task)", in: s)?.suggestion == "Basic")
  #expect(runtimeError("ablate W_rec 3 70", in: s)?.message == "unit index 70 is out of range: the network has 6 (0 to 5)")
  #expect(runtimeError("ablate W_rec 3 70", in: s)?.location?.column == 16)  // at the index, not the verb
  #expect(runtimeError("plot los", in: s)?.suggestion == "loss")
  #expect(runtimeError("w = load(\"/nonexistent/w.npz\")", in: s)?.message.hasPrefix("cannot load /nonexistent/w.npz") == true)
  #expect(runtimeError("Basic = 3", in: s)?.message == "'Basic' is a built-in name and cannot be assigned")
  let fresh = Session()
  #expect(runtimeError("ablate unit 1", in: fresh)?.message.hasPrefix("no network yet") == true)
}

@Test func ablationChangesTheSimulationAndRestoreUndoesIt() throws {
  let s = Session()
  try run(
    setup + "\nb = batch task\nr1 = simulate net b\nablate unit 2\nr2 = simulate net b\nrestore\nr3 = simulate net b", in: s)
  let d12 = number(try run("max(abs(r1.outputs - r2.outputs))", in: s).first) ?? 0
  let d13 = number(try run("max(abs(r1.outputs - r3.outputs))", in: s).first) ?? 1
  #expect(d12 > 0 && d13 == 0)
}

@Test func historyReplaysToTheSameState() throws {
  let s = Session()
  try run(setup + "\ntrain net task training_iters: 32 loss_epoch: 1\nacc = accuracy net task", in: s)
  let replay = Session()
  try run(s.historyScript, in: replay)
  guard case .network(let a)? = s.variables["net"], case .network(let b)? = replay.variables["net"] else {
    Issue.record("net missing"); return
  }
  guard let ma = a.model as? Basic<Float>, let mb = b.model as? Basic<Float> else { Issue.record("not Basic"); return }
  #expect(ma.variables == mb.variables)
  #expect(number(s.variables["acc"]) == number(replay.variables["acc"]))
}

@Test func trainingWritesBackAndReportsDivergence() throws {
  let s = Session()
  try run(setup, in: s)
  let e = runtimeError("train net task training_iters: 800 optimizer: \"sgd\" learning_rate: 1e30 clip_grads: false", in: s)
  #expect(e?.message.hasPrefix("training diverged at batch") == true)
  guard case .network(let n)? = s.variables["net"], let m = n.model as? Basic<Float> else { Issue.record("net missing"); return }
  #expect(m.variables.isFinite)
  // The network keeps the weights of the last finite step: one step fewer than the batch that diverged.
  let batch = e?.message.split(separator: " ").dropFirst(4).first.flatMap {
    Int($0.trimmingCharacters(in: .punctuationCharacters))
  }
  #expect(batch != nil && m.history.steps == batch! - 1)
}

@Test func lstmNetworksTrainSaveAndRefuseWhatTheyCannotHonour() throws {
  let s = Session()
  try run(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    net = LSTM(task, N_rec: 6)
    train net task training_iters: 32 loss_epoch: 1
    acc = accuracy net task
    """, in: s)
  guard case .network(let n)? = s.variables["net"], let m = n.model as? LSTM<Float> else {
    Issue.record("net is not an LSTM"); return
  }
  #expect(m.history.steps == 4)
  #expect(number(s.variables["acc"]) != nil)
  #expect(runtimeError("x = LSTM(task, N_rec: 4, dale_ratio: 0.8)", in: s)?.message.hasPrefix("dale_ratio:") == true)
  #expect(runtimeError("ablate unit 1", in: s)?.message.contains("ablate works on Basic networks") == true)
}
