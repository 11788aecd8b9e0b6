// `fixed_points` in the language, checked by numpy from the saved weights alone: every point's q
// recomputed from F(x) = (1 − α)x + α(W_rec·relu(x) + W_in·u + b_rec) (with the cut applied),
// the Jacobian (1 − α)I + α·W_rec·diag(relu′(x)), its eigenvalues (numpy.linalg.eig, sorted by
// |λ|), the labels `fixed` (q < 1e-20) and `stable` (every |λ| < 1); `seed` replays the search;
// show and plot read the record; bad input is a located error.

import Foundation
import TestSupport
import Testing

@testable import RNNScript

@Test func fixedPointsAgreeWithNumpyOnTheSavedWeights() throws {
  let dir = try makeTemporaryDirectory("psychrnn-fixed-points")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = Session()
  s.directory = dir
  try runScript(
    """
    seed 6
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 32)
    net = Basic(task, N_rec: 16, dale_ratio: 0.8)
    train net task training_iters: 3200 verbosity: false
    ablate unit 3
    fp = fixed_points net input: [0.5, 0.2] inits: 256 noise: 0.05
    save fp "fp.npz"
    save net "w.npz"
    again = fixed_points net input: [0.5, 0.2] inits: 256 noise: 0.05
    seed 6
    train net task training_iters: 0 verbosity: false
    """, in: s)
  // The record is complete and consistent with itself.
  guard case .record(let fp)? = s.variables["fp"], case .array(let q)? = fp["q"], case .array(let fixed)? = fp["fixed"]
  else { Issue.record("no record"); return }
  #expect(!q.values.isEmpty)
  #expect(zip(q.values, fixed.values).allSatisfy { ($0 < 1e-20) == ($1 == 1) })
  #expect(fixed.values.contains(1), "no true fixed point: q = \(q.values)")
  let out = try Python.run(
    """
    import sys, numpy as np
    d = np.load(sys.argv[1] + '/fp.npz', allow_pickle=False); w = np.load(sys.argv[1] + '/w.npz', allow_pickle=True)
    W, Win, b = (w[k].astype(np.float64) for k in ('W_rec', 'W_in', 'b_rec'))
    W[:, 3] = 0                                   # ablate unit 3: its outgoing weights
    a, u = 10 / 100, d['input']
    worst = dict(q=0.0, J=0.0, eig=0.0)
    labels_ok = True
    for k, x in enumerate(d['xstar']):
        F = (1 - a) * x + a * (W @ np.maximum(x, 0) + Win @ u + b)
        q = 0.5 * np.sum((F - x) ** 2)
        worst['q'] = max(worst['q'], abs(q - d['q'][k]) / max(1e-30, q) if q > 1e-28 else abs(q - d['q'][k]))
        J = (1 - a) * np.eye(len(x)) + a * W * (x > 0)[None, :]
        worst['J'] = max(worst['J'], np.max(np.abs(J - d['jacobian'][k])))
        lam = sorted(np.linalg.eig(J)[0], key=lambda z: (-abs(z), -z.real, -z.imag))
        ours = d['eig_real'][k] + 1j * d['eig_imag'][k]
        worst['eig'] = max(worst['eig'], float(np.max(np.abs(np.array(lam) - ours))))
        labels_ok &= (d['stable'][k] == 1) == bool(np.all(np.abs(lam) < 1))
        labels_ok &= (d['fixed'][k] == 1) == bool(q < 1e-20)
    print(worst['q'], worst['J'], worst['eig'], labels_ok, d['xstar'].shape[1], int(d['n_fixed']))
    """, arguments: [dir])
  let e = out.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
  #expect(e.count == 6)
  #expect((Double(e[0]) ?? 1) < 1e-6, "q differs: \(out)")  // relative for q > 1e-28, absolute below
  #expect((Double(e[1]) ?? 1) == 0, "Jacobian differs: \(out)")
  #expect((Double(e[2]) ?? 1) < 1e-10, "eigenvalues differ: \(out)")
  #expect(e[3] == "True" && e[4] == "16")
  // The same streams give the same search: `again` drew from where `fp` left off, so it differs
  // in its starts; a fresh session with the same seed replays fp exactly.
  let replay = Session()
  replay.directory = dir
  try runScript(
    """
    seed 6
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 32)
    net = Basic(task, N_rec: 16, dale_ratio: 0.8)
    train net task training_iters: 3200 verbosity: false
    ablate unit 3
    fp = fixed_points net input: [0.5, 0.2] inits: 256 noise: 0.05
    """, in: replay)
  guard case .record(let fp2)? = replay.variables["fp"], case .array(let x1)? = fp["xstar"], case .array(let x2)? = fp2["xstar"],
    case .array(let i1)? = fp["inits"], case .array(let i2)? = fp2["inits"], case .record(let other)? = s.variables["again"],
    case .array(let i3)? = other["inits"]
  else { Issue.record("no replay"); return }
  #expect(x1 == x2 && i1 == i2)
  #expect(i1 != i3)
}

@Test func fixedPointRecordsShowPlotAndSave() throws {
  let dir = try makeTemporaryDirectory("psychrnn-fixed-points-show")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = Session()
  s.directory = dir
  let shown = try runScript(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 8)
    net = Basic(task, N_rec: 8, transfer_function: "tanh")
    fp = fixed_points net task inits: 64 noise: 0.1
    show fp
    plot fp
    save fp "fp.csv"
    x0 = fp.inits[0:4, :]
    given = fixed_points net inits: x0
    print given.inits.shape
    """, in: s)
  guard case .text(let report) = shown[0] else { Issue.record("no report"); return }
  #expect(report.hasPrefix("fixed points at input [0, 0]: "))
  #expect(report.contains("from 64 starts"))
  #expect(report.contains("fixed  "))
  guard case .plot(.lines(_, let x, let y, let series, _, _)) = shown[1] else { Issue.record("no plot"); return }
  #expect(x == "PC1" && y == "PC2" && series.first?.name == "trajectories")
  #expect(series.contains { $0.name.hasSuffix("fixed points") })
  let csv = try String(contentsOfFile: dir + "/fp.csv", encoding: .utf8)
  #expect(csv.hasPrefix("q,fixed,stable,"))
  #expect(csv.split(separator: "\n").count == 1 + (fixedCount(s)))
  #expect(Printer.plain(shown.last!) == "[4, 8]")
}

private func fixedCount(_ s: Session) -> Int {
  guard case .record(let fp)? = s.variables["fp"], case .array(let q)? = fp["q"] else { return -1 }
  return q.values.count
}

@Test func fixedPointErrorsSayWhatIsWrong() throws {
  func message(_ script: String) -> String {
    do {
      try runScript(script)
      return "no error"
    } catch { return "\(error)" }
  }
  let setup = """
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 8)
    net = Basic(task, N_rec: 8)

    """
  #expect(
    message(setup + "fp = fixed_points net").contains("samples its starting states along the network's trajectories on a task"))
  #expect(message(setup + "fp = fixed_points net task input: [1, 2, 3]").contains("input: needs 2 values"))
  #expect(message(setup + "fp = fixed_points net task tol_q: -1").contains("tol_q"))
  #expect(message(setup + "fp = fixed_points net task inits: 0").contains("inits: must be between 1 and 100000"))
  #expect(message(setup + "fp = fixed_points net inits: zeros([3, 5])").contains("inits: states must have 8 columns"))
  #expect(message(setup + "ablate unit 2 from: 100 to: 200\nfp = fixed_points net task").contains("time window"))
  #expect(
    message(
      "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 8)\nnet = LSTM(task, N_rec: 4)\nfp = fixed_points net task"
    )
    .contains("Basic networks"))
}
