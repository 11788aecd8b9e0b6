// Reaction times against numpy computing the same rule from the same trials: `seed` replays the
// trial stream, so `test` after `seed 5` sees the batch `chronometric` after `seed 5` draws.

import Foundation
import TestSupport
import Testing

@testable import RNNScript

@Test func chronometricReactionTimesMatchNumpy() throws {
  let dir = try makeTemporaryDirectory("psychrnn-rt")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = Session()
  s.directory = dir
  try runScript(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 800, N_batch: 64)
    net = Basic(task, N_rec: 16)
    train net task training_iters: 3200 verbosity: false
    seed 5
    r = test net task
    seed 5
    rt = chronometric net task trials: 64 threshold: 0.3
    save {outputs: reshape(r.outputs, [64 * 80, 2]), mask: reshape(r.mask, [64 * 80, 2]), coherence: r.params.coherence} "trials.npz"
    save {rts: rt.rts, level: rt.level, levels: rt.levels, mean: rt.rt_mean, n: rt.n} "rt.npz"
    """, in: s)
  let out = try Python.run(
    """
    import numpy as np, sys
    d = np.load(sys.argv[1] + '/trials.npz'); q = np.load(sys.argv[1] + '/rt.npz')
    out = d['outputs'].reshape(64, 80, 2); mask = d['mask'].reshape(64, 80, 2)
    choice = np.argmax(np.mean(out * mask, axis=1), axis=1)
    rts = []
    for b in range(64):
        lead = out[b, :, choice[b]] - out[b, :, 1 - choice[b]]
        k = np.nonzero(lead >= 0.3)[0]
        rts.append(k[0] * 10.0 if len(k) else np.nan)
    rts = np.array(rts)
    same = np.array_equal(rts, q['rts'], equal_nan=True)
    levels = np.unique(np.abs(d['coherence']))
    means = [np.nanmean(np.where(np.abs(d['coherence']) == v, rts, np.nan)) for v in levels]
    print(same, np.array_equal(levels, q['levels']), np.allclose(means, q['mean'], equal_nan=True), int(np.sum(~np.isnan(rts))) == int(q['n'].sum()))
    """, arguments: [dir])
  #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "True True True True", "\(out)")
  let shown = try runScript("plot rt", in: s)
  guard case .plot(.lines(_, let x, let y, let series, _, _)) = shown.first else { Issue.record("no plot"); return }
  #expect(x == "coherence" && y == "time" && series.map(\.name) == ["mean", "± s.e.m."])
}
