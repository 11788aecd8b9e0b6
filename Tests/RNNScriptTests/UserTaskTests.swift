// Tasks of the user's own (`Task(…)` from def functions, and from arrays) and numpy's random
// functions. Oracles: numpy's legacy RandomState for every random function, and the NewTask
// notebook's SimplePDM run in Python over numpy (per time step, as PsychRNN's Task base does) for
// a whole batch; naive bookkeeping for the array task's dealing without replacement.

import Foundation
import Linear
import PsychRNN
import Testing
import TestSupport

@testable import RNNScript

/// The notebook's SimplePDM in the language (its onset T/4 and duration T/2, 20 ms grace).
let simplePDM = """
  def pd_params(batch, trial) {
    return {coherence: exponential(1 / 5), direction: choice([0, 1])}
  }
  def pd_trial(t, p, task) {
    stim_noise = 0.1
    onset = task.T / 4
    stim_dur = task.T / 2
    x = sqrt(2 * task.alpha * stim_noise * stim_noise) * randn(len(t), task.N_in)
    on = (t > onset) * (t < onset + stim_dur)
    d = p.direction
    x[:, d] = x[:, d] + on * (1 + p.coherence)
    x[:, 1 - d] = x[:, 1 - d] + on
    y = zeros(len(t), task.N_out)
    y[:, d] = t > onset + stim_dur + 20
    return {x: x, y: y, mask: reshape(t >= onset + stim_dur, [len(t), 1])}
  }
  pdm = Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 2000, N_batch: 16, trial_params: pd_params,
             trial_function: pd_trial, name: "SimplePDM")

  """

/// numpy's values as JSON (repr-exact doubles).
/// numpy's values: the script prints `json.dumps` of a list of lists; each number is read back
/// from Python's shortest repr with Swift's correctly rounded parser (not Foundation's JSON reader,
/// which may be off by an ulp).
private func numpyValues(_ script: String) throws -> [[Double]] {
  let out = try Python.run(
    "import json, numpy as np\ndef print_rows(rows):\n    for r in rows: print(' '.join(repr(float(v)) for v in r))\n"
      + script.replacingOccurrences(of: "print(json.dumps(", with: "print_rows(("),
    arguments: [])
  return out.split(separator: "\n").map { line in line.split(separator: " ").map { Double(String($0))! } }
}

private func doubles(_ v: Value?) -> [Double] {
  switch v {
  case .number(let d)?: return [d]
  case .array(let a)?: return a.values
  case .list(let items)?: return items.map { $0.numeric ?? .nan }
  default: return []
  }
}

@Suite struct RandomFunctionTests {
  @Test func everyRandomFunctionDrawsWhatNumpyDraws() throws {
    let session = Session(seed: 11)
    try runScript(
      """
      a = rand()
      b = randn(3, 2)
      c = uniform(2, 5, 4)
      d = randn()
      e = normal(1, 2, [2, 2])
      f = exponential(0.2, 3)
      g = randint(3, 10, 5)
      h = randint(7)
      i = choice([10, 20, 30], 4)
      j = choice(5)
      k = permutation(6)
      l = exponential()
      m = rand(2, 3)
      """, in: session)
    let seed = RandomStreams.derive(11, stream: 1)
    let expected = try numpyValues(
      """
      np.random.seed(\(seed))
      r = np.random
      vals = [[r.rand()], r.randn(3, 2).ravel().tolist(), r.uniform(2, 5, 4).tolist(), [r.randn()],
              r.normal(1, 2, [2, 2]).ravel().tolist(), r.exponential(0.2, 3).tolist(),
              r.randint(3, 10, 5).astype(float).tolist(), [float(r.randint(7))],
              r.choice([10, 20, 30], 4).astype(float).tolist(), [float(r.choice(5))],
              r.permutation(6).astype(float).tolist(), [r.exponential()], r.rand(2, 3).ravel().tolist()]
      print(json.dumps(vals))
      """)
    for (name, want) in zip(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"], expected) {
      #expect(doubles(session.variables[name]) == want, "\(name)")
    }
  }

  @Test func badArgumentsAreClearErrors() throws {
    for (source, message) in [
      ("randint(5, 5)", "needs low < high"), ("choice([])", "cannot choose from nothing"),
      ("normal(0, -1)", "scale: must be ≥ 0"), ("uniform(0, 1, -3)", "size"),
      ("randint(0, 1e13)", "at most 2³²"), ("rand(1e9, 1e9)", "elements"),
    ] {
      #expect(throws: RuntimeError.self, "\(source)") { try runScript(source) }
      do { try runScript(source) } catch let e as RuntimeError { #expect(e.message.contains(message), "\(source): \(e.message)") }
    }
  }
}

@Suite struct UserTaskTests {
  /// One batch of SimplePDM equals, bit for bit, the notebook's class run per time step in Python
  /// from the same generator state (parameters, then the trial's per-step noise, trial by trial).
  @Test func simplePDMBatchIsThePythonTasksBatch() throws {
    let session = Session(seed: 4)
    try runScript(simplePDM + "b = batch pdm", in: session)
    guard case .record(let b)? = session.variables["b"] else { Issue.record("no batch"); return }
    let seed = RandomStreams.derive(4, stream: 1)
    let expected = try numpyValues(
      """
      np.random.seed(\(seed))
      T, dt, tau, N_in, N_out, B = 2000, 10, 100, 2, 2, 16
      alpha = dt / tau
      S = int(np.ceil(T / dt))
      xs, ys, ms, cohs, dirs = [], [], [], [], []
      for trial in range(B):
          p = {'coherence': np.random.exponential(scale=1/5), 'direction': np.random.choice([0, 1])}
          x = np.zeros((S, N_in)); y = np.zeros((S, N_out)); m = np.zeros((S, N_out))
          onset, stim_dur, stim_noise = T / 4.0, T / 2.0, 0.1
          for k in range(S):
              t = k * dt
              x_t = np.sqrt(2 * alpha * stim_noise * stim_noise) * np.random.randn(N_in)
              y_t = np.zeros(N_out); mask_t = np.ones(N_out)
              if onset < t < onset + stim_dur:
                  x_t[p['direction']] += 1 + p['coherence']
                  x_t[(p['direction'] + 1) % 2] += 1
              if t > onset + stim_dur + 20:
                  y_t[p['direction']] = 1.
              if t < onset + stim_dur:
                  mask_t = np.zeros(N_out)
              x[k], y[k], m[k] = x_t, y_t, mask_t
          xs.append(x); ys.append(y); ms.append(m); cohs.append(p['coherence']); dirs.append(float(p['direction']))
      print(json.dumps([np.ravel(xs).tolist(), np.ravel(ys).tolist(), np.ravel(ms).tolist(), cohs, dirs]))
      """)
    #expect(doubles(b["x"]) == expected[0])
    #expect(doubles(b["y"]) == expected[1])
    #expect(doubles(b["mask"]) == expected[2])
    guard case .record(let params)? = b["params"] else { Issue.record("no params"); return }
    #expect(doubles(params["coherence"]) == expected[3])
    #expect(doubles(params["direction"]) == expected[4])
  }

  /// PsychRNN's PerceptualDiscrimination written in the language (bench/user_tasks.rnn, what the
  /// benchmark trains on) gives the built-in task's batches bit for bit, parameters included.
  @Test func theLanguagesPerceptualDiscriminationIsTheBuiltIn() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../bench/user_tasks.rnn")
    let session = Session(seed: 0)
    try runScript(
      try String(contentsOf: file, encoding: .utf8) + "\ntask = ScriptPerceptualDiscrimination(10, 100, 2000, 64)\n", in: session)
    guard case .task(let t)? = session.variables["task"] else { Issue.record("no task"); return }
    let builtin = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 64)
    var a = BatchGenerator(task: t.task), b = BatchGenerator(task: builtin)
    var ra = NumpyRandom(seed: 21), rb = NumpyRandom(seed: 21)
    for _ in 0..<3 {
      let x = try a.next(using: &ra), y = try b.next(using: &rb)
      #expect(x.x == y.x && x.y == y.y && x.mask == y.mask)
      for (p, q) in zip(x.parameters, y.parameters) {
        #expect(p.fields.map(\.key) == q.fields.map(\.key))
        #expect(p.fields.map(\.value) == q.fields.map(\.value))
      }
    }
  }

  /// Trains a fresh network on `task` with the batches drawn ahead and one at a time: the same
  /// weights, and the trial stream left at the same place.
  private func expectPrefetchChangesNothing(_ task: any PsychRNN.Task, nRec: Int, trialsTrained: Int) throws {
    func trained(prefetch: Bool) throws -> (Basic<Float>, NumpyRandom) {
      var weights = NumpyRandom(seed: 3)
      var model = try Basic<Float>(configuration: ModelConfiguration(task: task.timing, nRec: nRec), using: &weights)
      var options = TrainingOptions()
      options.trainingIters = trialsTrained
      options.prefetchBatches = prefetch
      var source = TrainingSource.task(task)
      var trials = NumpyRandom(seed: 9), noise = NumpyRandom(seed: 10)
      _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
      return (model, trials)
    }
    let (a, ra) = try trained(prefetch: true)
    let (b, rb) = try trained(prefetch: false)
    #expect(a.variables[.W_rec] == b.variables[.W_rec])
    var ra2 = ra, rb2 = rb
    #expect(ra2.next32() == rb2.next32(), "the trial stream stands at the same place afterwards")
  }

  /// Training with the batch drawn ahead on the second core gives exactly the weights of drawing
  /// each batch in turn, for a task whose trials come from the interpreter.
  @Test func prefetchedTrainingEqualsSequentialTraining() throws {
    let session = Session(seed: 2)
    try runScript(simplePDM, in: session)
    guard case .task(let t)? = session.variables["pdm"] else { Issue.record("no task"); return }
    try expectPrefetchChangesNothing(t.task, nRec: 20, trialsTrained: 16 * 12)
  }

  /// A task's functions may recurse nearly as deep as the language allows while `train` draws
  /// its batches on the prefetch thread (whose stack is sized for it), and they give the same
  /// batches there as on the prompt's thread.
  @Test func deepRecursionInATaskRunsOnThePrefetchThread() throws {
    let session = Session(seed: 4)
    try runScript(
      """
      def depth(n) {
        if n == 0 { return 0 }
        return 1 + depth(n - 1)
      }
      def params(batch, trial) { return {d: depth(190), c: rand()} }
      def trial(t, p) { return {x: zeros(len(t), 1) + p.d / 190 * p.c, y: zeros(len(t), 1) + p.c, mask: ones(len(t), 1)} }
      deep = Task(N_in: 1, N_out: 1, dt: 10, tau: 100, T: 200, N_batch: 4, trial_params: params, trial_function: trial)
      """, in: session)
    guard case .task(let t)? = session.variables["deep"] else { Issue.record("no task"); return }
    try expectPrefetchChangesNothing(t.task, nRec: 8, trialsTrained: 4 * 6)
  }

  @Test func aUserTaskTrainsAndScores() throws {
    let session = Session(seed: 1)
    let shown = try runScript(
      simplePDM + """
        net = Basic(pdm, N_rec: 30)
        train net pdm training_iters: 6000
        acc = accuracy net pdm
        """, in: session)
    _ = shown
    let acc = session.variables["acc"]?.numeric ?? 0
    #expect(acc >= 0.8, "accuracy \(acc) after 6000 trials")
  }

  @Test func anAccuracyFunctionReplacesTheSharedRule() throws {
    let session = Session(seed: 1)
    try runScript(
      simplePDM.replacingOccurrences(of: "name: \"SimplePDM\")", with: "accuracy_function: last_step)")
        .replacingOccurrences(
          of: "pdm = Task(",
          with: """
            def last_step(y, output, mask) {
              return mean(argmax(output[:, -1, :], axis: 1) == argmax(y[:, -1, :], axis: 1))
            }
            pdm = Task(
            """) + """
          net = Basic(pdm, N_rec: 10)
          seed 5
          a = accuracy net pdm
          seed 5
          r = test net pdm
          byhand = mean(argmax(r.outputs[:, -1, :], axis: 1) == argmax(r.y[:, -1, :], axis: 1))
          shared = r.accuracy
          """, in: session)
    let a = session.variables["a"]?.numeric, byHand = session.variables["byhand"]?.numeric
    #expect(a != nil && a == byHand)
    #expect(session.variables["shared"]?.numeric == a, "test's accuracy field uses the task's function too")
  }

  @Test(arguments: [
    ("def f(t, p) { return {x: zeros(len(t), 3), y: zeros(len(t), 2)} }", "x has shape (200, 3)"),
    ("def f(t, p) { return {x: zeros(len(t), 2)} }", "must return y"),
    ("def f(t, p) { return [1, 2] }", "must return a record"),
    ("def f(t, p) { return {x: 0, y: 0, masks: 1} }", "unknown field 'masks'"),
    ("def f(t, p) { if t > 5 { return 1 }\n return 2 }", "where(condition, x, y)"),
    ("def f(t, p) { return {x: p.missing, y: 0} }", "missing"),
  ])
  func aBrokenTrialFunctionIsAClearError(body: String, message: String) throws {
    let source = """
      def p(batch, trial) { return {a: 1} }
      \(body)
      task = Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 2000, N_batch: 4, trial_params: p, trial_function: f)
      b = batch task
      """
    do {
      try runScript(source)
      Issue.record("no error for \(body)")
    } catch let e as RuntimeError {
      #expect(e.description.contains(message), "\(e.description)")
      #expect(
        e.description.contains("trial_function f") || e.callChain.contains { $0.function == "f" },
        "the error names the trial function: \(e.description)")
    }
  }

  @Test func errorsInsideTrainingStopItWithTheFunctionsLine() throws {
    let source = """
      def p(batch, trial) {
        if batch == 3 { return 1 + "a" }
        return {a: 1}
      }
      def f(t, p) { return {x: zeros(len(t), 2), y: zeros(len(t), 2)} }
      task = Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 200, N_batch: 4, trial_params: p, trial_function: f)
      net = Basic(task, N_rec: 5)
      train net task training_iters: 400
      """
    do {
      try runScript(source)
      Issue.record("training went on")
    } catch let e as RuntimeError {
      #expect(e.location?.line == 2, "\(e.description)")
    }
  }

  @Test func theConstructorChecksItsArguments() throws {
    let cases = [
      ("Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 200, N_batch: 4, trial_params: p)", "needs trial_function"),
      (
        "Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 200, N_batch: 4, trial_params: 3, trial_function: f)", "expected a function"
      ),
      (
        "Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 200, N_batch: 4, trial_params: f, trial_function: f)",
        "must take (batch, trial)"
      ),
      (
        "Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 200, N_batch: 4, trial_params: p, trial_function: f, holdout: 0.1)",
        "arrays"
      ),
      ("Task(N_in: 0, N_out: 2, dt: 10, tau: 100, T: 200, N_batch: 4, trial_params: p, trial_function: f)", "N_in"),
    ]
    for (call, message) in cases {
      do {
        try runScript("def p(batch, trial) { return {} }\ndef f(t) { return 0 }\ntask = " + call)
        Issue.record("no error for \(call)")
      } catch let e as RuntimeError {
        #expect(e.description.contains(message), "\(call): \(e.description)")
      }
    }
  }
}

@Suite struct ArrayTaskTests {
  private func arrays(trials n: Int, steps: Int = 5) -> (Tensor3<Double>, Tensor3<Double>) {
    var x = Tensor3<Double>(n, steps, 1), y = Tensor3<Double>(n, steps, 2)
    for i in 0..<n {
      for s in 0..<steps {
        x[i, s, 0] = Double(i)
        y[i, s, i % 2] = 1
      }
    }
    return (x, y)
  }

  /// Each epoch deals every training trial exactly once; held-out trials never appear; the order
  /// is numpy's shuffle from the trial stream.
  @Test func batchesDealWithoutReplacementEpochByEpoch() throws {
    let (x, y) = arrays(trials: 20)
    var rng = NumpyRandom(seed: 1)
    let task = try ArrayTask(x: x, y: y, mask: nil, dt: 10, tau: 100, nBatch: 4, holdout: 0.2, using: &rng)
    #expect(task.heldOut.count == 4 && task.training.count == 16)
    #expect(Set(task.heldOut).isDisjoint(with: task.training))
    var generator = BatchGenerator(task: task)
    var dealt: [Int] = []
    for _ in 0..<8 {
      let b = try generator.next(using: &rng)
      dealt += b.parameters.map { ($0 as! ArrayTrial).index }
      for (j, p) in b.parameters.enumerated() {
        #expect(b.x[j, 0, 0] == Double((p as! ArrayTrial).index), "the batch holds the trial it names")
      }
    }
    #expect(Set(dealt.prefix(16)) == Set(task.training))
    #expect(Set(dealt.suffix(16)) == Set(task.training))
    #expect(Array(dealt.prefix(16)) != Array(dealt.suffix(16)), "each epoch is shuffled anew")
    let held = try task.evaluationBatch(trials: nil, using: &rng)
    #expect(held.parameters.map { ($0 as! ArrayTrial).index } == task.heldOut)
  }

  @Test func theShuffleIsNumpys() throws {
    var rng = NumpyRandom(seed: 7)
    var order = Array(0..<10)
    rng.shuffle(&order)
    let expected = try numpyValues(
      "np.random.seed(7)\na = np.arange(10)\nnp.random.shuffle(a)\nprint(json.dumps([a.astype(float).tolist()]))")
    #expect(order.map(Double.init) == expected[0])
  }

  @Test func shapesAreCheckedWithClearErrors() throws {
    let cases = [
      ("Task(x: zeros([4, 5]), y: zeros([4, 5, 2]), dt: 10, tau: 100, N_batch: 2)", "trials × steps × channels"),
      ("Task(x: zeros([4, 5, 1]), y: zeros([3, 5, 2]), dt: 10, tau: 100, N_batch: 2)", "y: must be trials × steps × N_out"),
      ("Task(x: zeros([4, 5, 1]), y: zeros([4, 5, 2]), mask: zeros([4, 5, 1]), dt: 10, tau: 100, N_batch: 2)", "mask"),
      ("Task(x: zeros([4, 5, 1]), y: zeros([4, 5, 2]), dt: 10, tau: 100, N_batch: 2, holdout: 1)", "holdout"),
      ("Task(x: zeros([4, 5, 1]), y: zeros([4, 5, 2]), dt: 10, tau: 100)", "needs N_batch"),
      ("Task(x: zeros([4, 5, 1]), y: zeros([4, 5, 2]), dt: 10, tau: 100, N_batch: 2, T: 50)", "T: does not apply"),
    ]
    for (call, message) in cases {
      do {
        try runScript("task = " + call)
        Issue.record("no error for \(call)")
      } catch let e as RuntimeError {
        #expect(e.description.contains(message), "\(call): \(e.description)")
      }
    }
  }

  /// Trials NeuroGym wrote (Tests/Fixtures/neurogym) train through `Task(x:…)`: NeuroGym's labels
  /// become one-hot targets with a mask on the decision step, in the language, and the held-out
  /// trials are scored.
  @Test func neuroGymTrialsTrainThroughTaskFromArrays() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/neurogym").path
    let session = Session(seed: 2)
    session.directory = dir
    try runScript(
      """
      ob = load("pdm_ob.npy")
      gt = load("pdm_gt.npy")
      y = stack([gt == 0, gt == 1, gt == 2], axis: 2)
      mask = reshape(gt > 0, [400, 22, 1]) * ones([1, 1, 3])
      task = Task(x: ob, y: y, mask: mask, dt: 100, tau: 100, N_batch: 32, holdout: 0.1)
      net = Basic(task, N_rec: 32)
      before = accuracy net task
      train net task training_iters: 20000
      acc = accuracy net task
      """, in: session)
    let before = session.variables["before"]?.numeric ?? 1, acc = session.variables["acc"]?.numeric ?? 0
    #expect(before < 0.7, "an untrained network is near chance (\(before))")
    #expect(acc >= 0.85, "held-out accuracy \(acc) after 20000 trials")
  }

  /// Trials saved by numpy train through `Task(x:…)`, and `accuracy` scores the held-out ones.
  @Test func numpyArraysTrainAndScoreTheHoldout() throws {
    let dir = try makeTemporaryDirectory("array-task")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = try Python.run(
      """
      import numpy as np, sys
      rng = np.random.default_rng(0)
      n, S = 400, 40
      side = rng.integers(0, 2, n)
      x = 0.1 * rng.standard_normal((n, S, 2))
      x[np.arange(n), 10:25, side] += 1.0
      y = np.zeros((n, S, 2)); y[np.arange(n), 25:, side] = 1
      m = np.zeros((n, S, 2)); m[:, 25:, :] = 1
      np.save(sys.argv[1] + '/x.npy', x); np.save(sys.argv[1] + '/y.npy', y); np.save(sys.argv[1] + '/m.npy', m)
      """, arguments: [dir])
    let session = Session(seed: 3)
    session.directory = dir
    try runScript(
      """
      task = Task(x: load("x.npy"), y: load("y.npy"), mask: load("m.npy"), dt: 10, tau: 100, N_batch: 32, holdout: 0.1)
      net = Basic(task, N_rec: 20)
      train net task training_iters: 4000
      r = test net task
      acc = accuracy net task
      """, in: session)
    guard case .record(let r)? = session.variables["r"], case .array(let x)? = r["x"] else { Issue.record("no test"); return }
    #expect(x.shape == [40, 40, 2], "test runs the 40 held-out trials")
    #expect((session.variables["acc"]?.numeric ?? 0) >= 0.9)
  }
}

/// Performance measures and curriculum metrics written with def, with PsychRNN's signatures.
@Suite struct UserMeasureTests {
  @Test func aSevenArgumentMeasureIsPsychRNNsAndCutsTrainingOff() throws {
    let session = Session(seed: 1)
    try runScript(
      """
      task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 8)
      net = Basic(task, N_rec: 5)
      shapes = []
      def m(x, y, mask, output, epoch, losses, verbosity) {
        if epoch == 1 { shapes = [x.shape, y.shape, mask.shape, output.shape] }
        return epoch
      }
      r = train net task training_iters: 800 performance_measure: m performance_cutoff: 3
      """, in: session)
    guard case .record(let r)? = session.variables["r"] else { Issue.record("no result"); return }
    #expect(r["trials"]?.numeric == 24, "three batches of 8, then the cutoff")
    if case .string(let s)? = r["stop_reason"] { #expect(s.contains("performance")) } else { Issue.record("no stop_reason") }
  }

  @Test func aMeasureFailingStopsTrainingAtItsLine() throws {
    let source = """
      task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 8)
      net = Basic(task, N_rec: 5)
      def m(x, y, mask, output, epoch, losses, verbosity) {
        return x + "a"
      }
      train net task training_iters: 800 performance_measure: m performance_cutoff: 3
      """
    do {
      try runScript(source)
      Issue.record("training went on")
    } catch let e as RuntimeError {
      #expect(e.location?.line == 4, "\(e.description)")
    }
  }

  @Test func curriculumMetricAndAccuraciesWrittenWithDef() throws {
    let session = Session(seed: 1)
    try runScript(
      """
      easy = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 8, coherence: 0.7)
      hard = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 8)
      def after20(c, x, y, mask, output, epoch, losses, verbosity) { return [epoch >= 20, epoch + 100 * c.stage] }
      c = Curriculum([easy, hard], metric: after20, metric_epoch: 10)
      net = Basic(easy, N_rec: 5)
      train net c training_iters: 400
      values = c.metric_values
      def always(y, output, mask) { return 1 }
      c2 = Curriculum([easy, hard], accuracies: [always, always], metric_epoch: 5)
      train net c2 training_iters: 400
      """, in: session)
    guard case .array(let values)? = session.variables["values"] else { Issue.record("no metric values"); return }
    // Checks at epochs 10, 20 (advance to stage 1) and 30 (advance past the last stage):
    // [value, stage before the advance] rows; the value shows the stage the metric saw.
    #expect(values.values == [10, 0, 20, 0, 130, 1])
    guard case .curriculum(let c2)? = session.variables["c2"] else { Issue.record("no c2"); return }
    #expect(c2.stopTraining, "accuracy 1 passes both stages at the first two checks")
  }
}

@Test func errorStopsAtItsCallWithTheMessage() throws {
  do {
    try runScript(
      "def check(T) {\n  if T < 1000 { error(\"T must be at least 1000, got \" + str(T)) }\n  return T\n}\nx = check(500)")
    Issue.record("no error")
  } catch let e as RuntimeError {
    #expect(e.message == "T must be at least 1000, got 500")
    #expect(e.location?.line == 2)
    #expect(e.callChain.contains { $0.function == "check" })
  }
}

/// The shortcut for positional calls (`Builtin.fast`) gives what the full call gives: the same
/// call with labels takes the full path.
@Test func positionalShortcutsEqualTheFullCalls() throws {
  let session = Session(seed: 3)
  try runScript(
    """
    x = reshape(arange(12) * 0.37 - 2, [3, 4])
    seed 9
    a = [randn(3, 2), rand(2), randn(), sqrt(abs(x)), tanh(x), len(x), zeros(2, 3), ones([2, 2]), reshape(x, [4, 3]), sqrt(2.5), choice([0.1, 0.3, 0.5]), choice(arange(7) * 2), randn(5)]
    seed 9
    b = [randn(d0: 3, d1: 2), rand(d0: 2), randn(), sqrt(x: abs(x: x)), tanh(x: x), len(x: x), zeros(shape: 2, cols: 3), ones(shape: [2, 2]), reshape(x: x, shape: [4, 3]), sqrt(x: 2.5), choice(a: [0.1, 0.3, 0.5]), choice(a: arange(7) * 2), randn(d0: 5)]
    """, in: session)
  guard case .list(let a)? = session.variables["a"], case .list(let b)? = session.variables["b"] else {
    Issue.record("no lists")
    return
  }
  #expect(a.count == b.count)
  for (u, v) in zip(a, b) {
    switch (u, v) {
    case (.array(let p), .array(let q)): #expect(p == q)
    case (.number(let p), .number(let q)): #expect(p == q)
    default: Issue.record("kinds differ: \(u.typeName) and \(v.typeName)")
    }
  }
}
