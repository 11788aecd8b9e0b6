// The psychometric fit against scipy's maximum-likelihood fit of the same per-trial choices (the
// oracle): the same negative log-likelihood at the optimum (ours no worse), the same bias and scale.
// And the record's curve points and Wilson intervals.

import Foundation
import Linear
import PsychRNN
import TestSupport
import Testing

@testable import RNNScript

@Test(arguments: [true, false])
func psychometricFitMatchesScipy(lapses: Bool) throws {
  let dir = try makeTemporaryDirectory("psychrnn-psy")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = Session()
  s.directory = dir
  // A weakly trained network on noisy trials: a curve with real slope and some errors.
  try runScript(
    """
    seed 6
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 64)
    net = Basic(task, N_rec: 16, rec_noise: 0.1)
    train net task training_iters: 1280 verbosity: false
    psy = psychometric net task trials: 1500 lapses: \(lapses)
    save {c: psy.signed_level, k: psy.choices, fit: [psy.mu, psy.s, psy.gamma, psy.lambda]} "psy.npz"
    """, in: s)
  let out = try Python.run(
    """
    import numpy as np, sys
    from scipy.optimize import minimize
    d = np.load(sys.argv[1] + '/psy.npz'); c, k, ours = d['c'], d['k'], d['fit']
    lapses = sys.argv[2] == 'true'
    def nll(t):
        mu, s = t[0], t[1]
        g, l = (t[2], t[3]) if lapses else (0.0, 0.0)
        p = g + (1 - g - l) / (1 + np.exp(-(c - mu) / s))
        p = np.clip(p, 1e-300, 1 - 1e-16)
        return -np.sum(k * np.log(p) + (1 - k) * np.log(1 - p))
    best = None
    for mu0 in (-0.2, 0.0, 0.2):
        for s0 in (0.05, 0.2):
            x0 = [mu0, s0] + ([0.02, 0.02] if lapses else [])
            bounds = [(None, None), (1e-6, None)] + ([(0, 0.5), (0, 0.5)] if lapses else [])
            r = minimize(nll, x0, method='L-BFGS-B', bounds=bounds)
            if best is None or r.fun < best.fun: best = r
    print(*[repr(float(v)) for v in (best.fun, nll(ours if lapses else ours[:2]), best.x[0], best.x[1], ours[0], ours[1])])
    """, arguments: [dir, lapses ? "true" : "false"])
  let v = out.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  try #require(v.count == 6)
  // A network's levels are few and its curve can be a step between two of them, where μ and s are
  // not identifiable (only the likelihood is): compare the likelihoods.
  let (scipyNLL, oursNLL) = (v[0], v[1])
  #expect(oursNLL <= scipyNLL + 1e-6 * abs(scipyNLL), "ours \(oursNLL), scipy \(scipyNLL)")
}

/// On choices drawn from a known curve at continuous levels the fit is identifiable: our
/// parameters are scipy's, and near the truth.
@Test(arguments: [true, false])
func psychometricParametersMatchScipyOnAKnownCurve(lapses: Bool) throws {
  var rng = NumpyRandom(seed: 12)
  let truth = PsychometricFit(mu: 0.1, s: 0.2, gamma: lapses ? 0.05 : 0, lambda: lapses ? 0.03 : 0)
  let levels = (0..<3000).map { _ in 2 * rng.uniform() - 1 }
  let choices = levels.map { rng.uniform() < truth.probability($0) ? 1 : 0 }
  let fit = try PsychometricFit(levels: levels, choices: choices, lapses: lapses)
  let script = """
    import numpy as np, sys, json
    from scipy.optimize import minimize
    c = np.array(json.loads(sys.argv[1])); k = np.array(json.loads(sys.argv[2])); lapses = sys.argv[3] == 'true'
    def nll(t):
        g, l = (t[2], t[3]) if lapses else (0.0, 0.0)
        p = np.clip(g + (1 - g - l) / (1 + np.exp(-(c - t[0]) / t[1])), 1e-300, 1 - 1e-16)
        return -np.sum(k * np.log(p) + (1 - k) * np.log(1 - p))
    x0 = [0.0, 0.3] + ([0.02, 0.02] if lapses else [])
    bounds = [(None, None), (1e-6, None)] + ([(0, 0.5), (0, 0.5)] if lapses else [])
    r = minimize(nll, x0, method='L-BFGS-B', bounds=bounds, options={'ftol': 1e-15, 'gtol': 1e-10})
    print(*[repr(float(v)) for v in list(r.x) + [r.fun]])
    """
  let out = try Python.run(script, arguments: ["\(levels)", "\(choices)", lapses ? "true" : "false"])
  let v = out.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  try #require(v.count == (lapses ? 5 : 3))
  #expect(abs(fit.mu - v[0]) < 1e-3 && abs(fit.s - v[1]) < 1e-3, "ours \(fit), scipy \(v)")
  if lapses { #expect(abs(fit.gamma - v[2]) < 1e-3 && abs(fit.lambda - v[3]) < 1e-3, "ours \(fit), scipy \(v)") }
  #expect(fit.negativeLogLikelihood <= v.last! + 1e-6 * v.last!)
  #expect(abs(fit.mu - 0.1) < 0.05 && abs(fit.s - 0.2) < 0.05)  // and near the curve the choices came from
}

@Test func wilsonIntervalsAndTheRecord() throws {
  let (lo, hi) = PsychometricFit.wilsonInterval(successes: 8, trials: 10)
  #expect(abs(lo - 0.49015) < 1e-4 && abs(hi - 0.94332) < 1e-4)  // the textbook values for 8 of 10
  let s = Session()
  let shown = try runScript(
    """
    seed 1
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 32)
    net = Basic(task, N_rec: 8)
    psy = psychometric net task trials: 64
    print len(psy.choices) sum(psy.n)
    plot psy
    """, in: s)
  #expect(Printer.plain(shown[0]) == "64 64")
  guard case .plot(.lines(_, _, let y, let series, _, let range)) = shown[1] else { Issue.record("no plot"); return }
  #expect(y == "P(choice 1)" && range == 0...1 && series.map(\.name) == ["fit", "P(choice 1)", "95% interval"])
}
