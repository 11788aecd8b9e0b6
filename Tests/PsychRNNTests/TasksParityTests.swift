// Bit-exact parity of the three tasks with PsychRNN: against batches PsychRNN itself produced
// (the fixture .npz files), and against a numpy transcription of the task formulas in the spec
// (section 13), run with python3, that builds trials step by step the way PsychRNN does.

import Foundation
import Linear
import Testing
@testable import PsychRNN

// MARK: - PsychRNN's own batches

/// The first batch PerceptualDiscrimination(dt 10, tau 100, T, N_batch) gave after np.random.seed(1234),
/// optionally after `np.random.rand(n, n)` drew a connectivity mask first.
private func swiftFixtureBatch(duration: Double, nBatch: Int, drawnFirst: Int = 0) throws -> TrialBatch {
  var rng = NumpyRandom(seed: 1234)
  for _ in 0..<drawnFirst { _ = rng.uniform() }
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: duration, nBatch: nBatch)
  var generator = BatchGenerator(task: task)
  return try generator.next(using: &rng)
}

@Test(arguments: [("basic_relu", 400.0, 8, 0), ("lstm_pd", 300.0, 6, 0), ("dale_masks_regs", 400.0, 8, 24 * 24)])
func perceptualDiscriminationMatchesPsychRNNFixture(
  file: String, duration: Double, nBatch: Int,
  drawnFirst: Int
) throws {
  let expected = try TasksPython.loadFixtureBatch(try Fixtures.folder() + "/\(file).npz")
  let batch = try swiftFixtureBatch(duration: duration, nBatch: nBatch, drawnFirst: drawnFirst)
  let x = try #require(expected["x"]), y = try #require(expected["y"]), mask = try #require(expected["mask"])
  #expect(batch.x.shape == x.shape)
  #expect(batch.y == y)
  #expect(batch.mask == mask)
  let dx = tasksDifference(batch.x, x)
  #expect(dx.count == 0, "\(file): \(dx.count) x entries differ, max |Δx| = \(dx.max)")
}

// MARK: - numpy transcription of the formulas

/// A numpy transcription of spec section 13, step by step as PsychRNN's `generate_trial` runs.
/// It prints x, y and mask of one batch. Argument: a JSON object (task, seed, dt, T, B, options).
/// PerceptualDiscrimination follows our fix of quirk 13: a given direction is used and not drawn.
private let oracleScript =
  "import sys, json\nimport numpy as np\n" + TasksPython.printArrays + """

    a = json.loads(sys.argv[1])
    R = np.random
    R.seed(a['seed'])
    dt, T, B = float(a['dt']), float(a['T']), a['B']
    S = int(np.ceil(T / dt))

    def pd_trial():
        coh = a['coherence'] if a.get('coherence') is not None else R.choice([0.1, 0.3, 0.5, 0.7])
        d = a['direction'] if a.get('direction') is not None else R.choice([0, 1])
        onset = R.random() * T / 2.0
        dur = R.random() * T / 4.0 + T / 8.0
        sd = np.sqrt(2 * .01 * np.sqrt(10) * np.sqrt(dt) * 0.1 * 0.1)
        def step(t):
            x = sd * R.randn(2); y = np.zeros(2); m = np.ones(2)
            if onset < t < onset + dur:
                x[d] += 1 + coh; x[1 - d] += 1
            if t > onset + dur + 20:
                y[d] = 1.0; y[1 - d] = 0.2
            if t < onset + dur:
                m = np.zeros(2)
            return x, y, m
        return step, 2, 2

    def mtc_trial():
        n_in, n_out = a['N_in'], a['N_out']
        angle = 2 * np.pi * R.rand()
        cat = int(angle / (2 * np.pi / n_out))
        centres = np.linspace(0, 2 * np.pi, n_in)
        bump = np.zeros(n_in)
        for c in range(n_in):
            e = centres[c] - angle
            if e > np.pi: e = -2 * np.pi + e
            elif e < -np.pi: e = 2 * np.pi + e
            bump[c] = np.exp(-e ** 2 / 2.0) / np.sqrt(2 * np.pi)
        def step(t):
            x = (1. / (2 * dt)) * 0.1 * R.randn(n_in); y = np.zeros(n_out); m = np.zeros(n_out)
            if 200 <= t < 200 + 1000.:
                x += bump
            if 1200. <= t < 1200. + 800.:
                y[cat] += 1.; m = np.ones(n_out)
            return x, y, m
        return step, n_in, n_out

    def dd_trial():
        times = []
        for key, frac in (('onset_time', 8.0), ('stim_duration_1', 4.0), ('delay_duration', 4.0),
                          ('stim_duration_2', 4.0), ('decision_duration', 8.0)):
            times.append(a[key] if a.get(key) is not None else R.uniform(0, 1) * T / frac)
        s1 = times[0]; dl = s1 + times[1]; s2 = dl + times[2]; dec = s2 + times[3]; end = dec + times[4]
        pairs = [(18, 10), (22, 14), (26, 18), (30, 22), (34, 26)]
        pair = pairs[R.choice(len(pairs))]
        if R.choice(['>', '<']) == '>':
            f1, f2, ch = pair[0], pair[1], 0
        else:
            f1, f2, ch = pair[1], pair[0], 1
        up = lambda f: 0.4 + 0.8 * (f - 10) / (34 - 10)
        down = lambda f: 0.4 + 0.8 * (34 - f) / (34 - 10)
        sd = np.sqrt(2 * .01 * np.sqrt(10) * np.sqrt(dt) * 0.1 * 0.1)
        def step(t):
            x = sd * R.randn(2); y = np.zeros(2); m = np.zeros(2)
            if s1 <= t < dl:
                x[0] += up(f1); x[1] += down(f1)
            if s2 <= t < dec:
                x[0] += up(f2); x[1] += down(f2)
            if dec <= t < end:
                y[ch] = 1.0; y[1 - ch] = 0.2; m = np.ones(2)
            return x, y, m
        return step, 2, 2

    make = {'pd': pd_trial, 'mtc': mtc_trial, 'dd': dd_trial}[a['task']]
    xs, ys, ms = [], [], []
    for j in range(B):
        step, n_in, n_out = make()
        x = np.zeros((S, n_in)); y = np.zeros((S, n_out)); m = np.zeros((S, n_out))
        for k in range(S):
            x[k], y[k], m[k] = step(k * dt)
        xs.append(x); ys.append(y); ms.append(m)
    emit('x', np.array(xs)); emit('y', np.array(ys)); emit('mask', np.array(ms))
    """

/// One oracle case: the task as Swift builds it, and the same settings for the numpy script.
struct TasksOracleCase: CustomStringConvertible, Sendable {
  let task: any Task
  let seed: UInt32
  let options: [String: String]  // extra JSON fields, values already JSON-encoded

  var description: String { "\(task.name) seed \(seed) dt \(task.timing.dt) T \(task.timing.duration) \(options)" }

  var json: String {
    let kind = ["PerceptualDiscrimination": "pd", "MatchToCategory": "mtc", "DelayedDiscrimination": "dd"][task.name]!
    var fields = [
      "\"task\": \"\(kind)\"", "\"seed\": \(seed)", "\"dt\": \(task.timing.dt)",
      "\"T\": \(task.timing.duration)", "\"B\": \(task.timing.nBatch)",
      "\"N_in\": \(task.timing.nIn)", "\"N_out\": \(task.timing.nOut)",
    ]
    fields += options.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
    return "{" + fields.joined(separator: ", ") + "}"
  }
}

private func pd(
  _ dt: Double, _ T: Double, _ B: Int, seed: UInt32,
  coherence: Double? = nil, direction: Int? = nil
) -> TasksOracleCase {
  let task = try! PerceptualDiscrimination(
    dt: dt, tau: 100, duration: T, nBatch: B,
    coherence: coherence, direction: direction)
  var options: [String: String] = [:]
  if let c = coherence { options["coherence"] = "\(c)" }
  if let d = direction { options["direction"] = "\(d)" }
  return TasksOracleCase(task: task, seed: seed, options: options)
}

private func mtc(_ dt: Double, _ T: Double, _ B: Int, seed: UInt32, nIn: Int = 16, nOut: Int = 2) -> TasksOracleCase {
  TasksOracleCase(
    task: try! MatchToCategory(dt: dt, tau: 100, duration: T, nBatch: B, nIn: nIn, nOut: nOut),
    seed: seed, options: [:])
}

private func dd(_ dt: Double, _ T: Double, _ B: Int, seed: UInt32, fixed: [Double?] = []) -> TasksOracleCase {
  let f = fixed + Array(repeating: nil, count: 5 - fixed.count)
  let task = try! DelayedDiscrimination(
    dt: dt, tau: 100, duration: T, nBatch: B,
    onsetTime: f[0], stimDuration1: f[1], delayDuration: f[2],
    stimDuration2: f[3], decisionDuration: f[4])
  let keys = ["onset_time", "stim_duration_1", "delay_duration", "stim_duration_2", "decision_duration"]
  var options: [String: String] = [:]
  for (key, value) in zip(keys, f) { if let v = value { options[key] = "\(v)" } }
  return TasksOracleCase(task: task, seed: seed, options: options)
}

let tasksOracleCases: [TasksOracleCase] = [
  pd(10, 2000, 6, seed: 1), pd(1, 400, 3, seed: 42), pd(7.3, 900, 4, seed: 2024), pd(0.25, 120, 2, seed: 9),
  pd(10, 500, 5, seed: 3, coherence: 0.25), pd(10, 500, 5, seed: 3, direction: 1),
  pd(3, 200, 4, seed: 11, coherence: -0.4, direction: 0),
  mtc(10, 2500, 4, seed: 1), mtc(7, 2100, 3, seed: 5, nIn: 5, nOut: 3), mtc(25, 1000, 3, seed: 8),
  mtc(13.7, 1900, 2, seed: 77, nIn: 2, nOut: 1),
  dd(10, 600, 6, seed: 1), dd(3, 1000, 4, seed: 99), dd(0.7, 150, 3, seed: 4),
  dd(10, 1000, 3, seed: 6, fixed: [100, 200, 100, 150, 300]),  // every boundary on a step
  dd(10, 1000, 3, seed: 6, fixed: [nil, 0, nil, 0.5, 0]),  // empty windows
]

@Test(arguments: tasksOracleCases)
func taskMatchesNumpyTranscription(_ oracle: TasksOracleCase) throws {
  let expected = TasksPython.parseArrays(try TasksPython.run(oracleScript, arguments: [oracle.json]))
  var rng = NumpyRandom(seed: oracle.seed)
  let batch = try oracle.task.makeBatch(number: 1, using: &rng)
  let x = try #require(expected["x"]), y = try #require(expected["y"]), mask = try #require(expected["mask"])
  #expect(batch.y == y)
  #expect(batch.mask == mask)
  let dx = tasksDifference(batch.x, x)
  if oracle.task is MatchToCategory {
    // The bump uses exp(); numpy's AVX-512 exp and glibc's exp can differ in the last bit.
    #expect(dx.max <= 1e-15, "max |Δx| = \(dx.max) over \(dx.count) entries")
  } else {
    #expect(dx.count == 0, "\(dx.count) x entries differ, max |Δx| = \(dx.max)")
  }
}
