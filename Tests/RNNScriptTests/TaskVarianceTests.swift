// `task_variance`, `choices` and `reaction_times` against numpy on the same trials: `seed` replays the trial
// stream, so `test` in a second session gives numpy the states and outputs the analyses saw. numpy
// recomputes the task variance (variance across trials, averaged over time, of relu(states)) and
// its normalisation, the silhouette of the reported clusters by its definition, checks that the
// clusters are a fixed point of Lloyd's algorithm, and recomputes the masked-choice rule and the
// reaction times.

import Foundation
import TestSupport
import Testing

@testable import RNNScript

@Test func taskVarianceChoicesAndReactionTimesMatchNumpy() throws {
  let dir = try makeTemporaryDirectory("psychrnn-task-variance")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let setup = """
    seed 4
    pd = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 64)
    dd = DelayedDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 64)
    net = Basic(pd, N_rec: 24)
    train net pd training_iters: 3200 verbosity: false

    """
  let s = Session()
  s.directory = dir
  try runScript(
    setup + """
      tv = task_variance net [pd, dd] trials: 64
      k = choices net pd
      t = reaction_times net pd threshold: 0.1
      save tv "tv.npz"
      save {k: k, t: t} "choice.npz"
      """, in: s)
  let replay = Session()
  replay.directory = dir
  try runScript(
    setup + """
      r1 = test net pd
      r2 = test net dd
      r3 = test net pd
      r4 = test net pd
      save {s1: r1.states, s2: r2.states, o3: r3.outputs, m3: r3.mask, o4: r4.outputs, m4: r4.mask} "trials.npz"
      """, in: replay)
  let out = try Python.run(
    """
    import sys, numpy as np
    d = np.load(sys.argv[1] + '/trials.npz'); tv = np.load(sys.argv[1] + '/tv.npz'); c = np.load(sys.argv[1] + '/choice.npz')
    TV = np.stack([np.maximum(d[k], 0).var(axis=0).mean(axis=0) for k in ('s1', 's2')], axis=1)
    err_tv = np.max(np.abs(TV - tv['variance']))
    N = TV / np.where(TV.max(axis=1, keepdims=True) > 0, TV.max(axis=1, keepdims=True), 1)
    err_norm = np.max(np.abs(N - tv['normalized']))
    act = tv['cluster'] >= 0; P = tv['normalized'][act]; L = tv['cluster'][act].astype(int)
    D = np.sqrt(((P[:, None, :] - P[None, :, :]) ** 2).sum(-1))
    s = []
    for i in range(len(P)):
        own = (L == L[i]); own[i] = False
        if own.sum() == 0: s.append(0.0); continue
        a = D[i, own].mean(); b = min(D[i, L == m].mean() for m in set(L) if m != L[i])
        s.append((b - a) / max(a, b))
    err_sil = abs(np.mean(s) - float(tv['silhouette']))
    C = np.stack([P[L == m].mean(axis=0) for m in range(L.max() + 1)])
    lloyd = bool(np.all(np.argmin(((P[:, None, :] - C[None]) ** 2).sum(-1), axis=1) == L))
    def choose(o, m): return np.argmax((o * m).mean(axis=1), axis=1)
    k = choose(d['o3'], d['m3'])
    o, ch = d['o4'], choose(d['o4'], d['m4'])
    lead = np.take_along_axis(o, ch[:, None, None], 2)[..., 0] - np.take_along_axis(o, 1 - ch[:, None, None], 2)[..., 0]
    rt = np.array([10.0 * np.argmax(l >= 0.1) if np.any(l >= 0.1) else np.nan for l in lead])
    same_rt = bool(np.array_equal(rt, c['t'], equal_nan=True))
    print(err_tv, err_norm, err_sil, lloyd, bool(np.array_equal(k, c['k'])), same_rt, int(tv['k']), int(act.sum()))
    """, arguments: [dir])
  let e = out.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
  #expect(e.count == 8, "\(out)")
  guard e.count == 8 else { return }
  #expect((Double(e[0]) ?? 1) < 1e-12 && (Double(e[1]) ?? 1) < 1e-12, "task variance differs: \(out)")
  #expect((Double(e[2]) ?? 1) < 1e-12, "silhouette differs: \(out)")
  #expect(e[3] == "True" && e[4] == "True" && e[5] == "True", "\(out)")
  #expect((Int(e[6]) ?? 0) >= 2 && (Int(e[7]) ?? 0) >= 3)
}

@Test func taskVarianceRecordsPlotAndErrorsAreClear() throws {
  let s = Session()
  let shown = try runScript(
    """
    seed 1
    pd = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 16)
    net = Basic(pd, N_rec: 8)
    tv = task_variance net pd trials: 16
    plot tv
    """, in: s)
  guard case .plot(.lines(let title, _, _, _, _, _)) = shown.last else { Issue.record("no plot"); return }
  #expect(title.contains("task variance of each unit on pd"))
  func message(_ script: String) -> String {
    do {
      try runScript("pd = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 16)\nnet = Basic(pd, N_rec: 8)\n" + script)
      return "no error"
    } catch { return "\(error)" }
  }
  #expect(message("tv = task_variance net [pd, 3]").contains("item 1 of the list is a number"))
  #expect(message("tv = task_variance net pd activity: \"spikes\"").contains("activity: is \"rates\" or \"states\""))
  #expect(message("tv = task_variance net pd trials: 1").contains("trials: must be between 2"))
  #expect(message("t = reaction_times net pd threshold: -1").contains("threshold: must be a number ≥ 0"))
}
