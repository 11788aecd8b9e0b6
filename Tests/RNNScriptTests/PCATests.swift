// PCA of state trajectories against numpy's SVD of the centred states (the oracle), with the same
// sign rule (each component's largest-magnitude entry positive); and the record's use in show/plot.

import Foundation
import TestSupport
import Testing

@testable import RNNScript

@Test func pcaMatchesNumpysSVDOfTheCentredStates() throws {
  let dir = try makeTemporaryDirectory("psychrnn-pca")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = Session()
  s.directory = dir
  try runScript(
    """
    seed 4
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 16)
    net = Basic(task, N_rec: 12, rec_noise: 0.05)
    train net task training_iters: 320 verbosity: false
    r = test net task
    p = pca r.states n: 3
    save r.states "states.npy"
    save {mean: p.mean, components: p.components, ratio: p.explained_variance_ratio, variance: p.explained_variance, projections: p.projections} "p.npz"
    """, in: s)
  let out = try Python.run(
    """
    import numpy as np, sys
    X = np.load(sys.argv[1] + '/states.npy'); p = np.load(sys.argv[1] + '/p.npz', allow_pickle=False)
    flat = X.reshape(-1, X.shape[-1]); mean = flat.mean(axis=0); c = flat - mean
    U, S, Vt = np.linalg.svd(c, full_matrices=False)
    comps = Vt[:3].copy()
    for k in range(3):
        if comps[k, np.argmax(np.abs(comps[k]))] < 0: comps[k] = -comps[k]
    proj = (c @ comps.T).reshape(X.shape[0], X.shape[1], 3)
    def err(a, b): return float(np.max(np.abs(a - b)))
    print(err(p['mean'], mean), err(p['components'], comps), err(p['ratio'], (S**2 / np.sum(S**2))[:3]),
          err(p['variance'], (S**2 / (flat.shape[0] - 1))[:3]), err(p['projections'], proj), p['projections'].shape == proj.shape)
    """, arguments: [dir])
  let e = out.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
  #expect(e.count == 6 && e[5] == "True")
  for v in e.prefix(5) { #expect((Double(v) ?? 1) < 1e-10, "difference \(v) in \(out)") }
}

@Test func pcaRecordsShowAndPlot() throws {
  let s = Session()
  let shown = try runScript(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 8)
    net = Basic(task, N_rec: 6)
    p = pca net task n: 2
    show p
    plot p by: "direction"
    """, in: s)
  guard case .text(let report) = shown[0] else { Issue.record("no report"); return }
  #expect(report.hasPrefix("principal components: 2\n  PC   variance explained   cumulative\n  1"))
  guard case .plot(.lines(_, let x, let y, let series, _, _)) = shown[1] else { Issue.record("no plot"); return }
  #expect(x == "PC1" && y == "PC2" && series.map(\.name).suffix(2) == ["start", "end"])
  #expect(series.dropLast(2).allSatisfy { $0.name.hasPrefix("direction ") })
  do { _ = try runScript("q = pca net task n: 99", in: s); Issue.record("no error") } catch let e as RuntimeError {
    #expect(e.message == "n: must be between 1 and 6 (samples and units limit it), got 99")
  }
}
