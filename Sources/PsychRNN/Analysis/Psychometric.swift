// Psychometric curves: the fraction of trials choosing output 1 at each signed stimulus level, with
// Wilson 95% intervals, and the maximum-likelihood fit of
//
//     p(c) = γ + (1 − γ − λ) / (1 + exp(−(c − μ)/s))
//
// to the per-trial choices (bias μ, scale s > 0, lapses γ, λ in [0, 0.5), or fixed at 0). The fit
// maximises Σ k·log p(c) + (1 − k)·log(1 − p(c)) by Nelder–Mead over (μ, log s, logit 2γ, logit 2λ),
// from a start read off the data, restarted once from its own result (a standard guard against a
// simplex stalling).

import Foundation

/// The maximum-likelihood logistic fit of per-trial binary choices against a stimulus level.
public struct PsychometricFit: Sendable, Equatable {
  public var mu: Double
  public var s: Double
  public var gamma: Double
  public var lambda: Double
  /// The negative log-likelihood at the fit.
  public var negativeLogLikelihood: Double

  /// A curve with given parameters (a stored fit; its likelihood unknown).
  public init(mu: Double, s: Double, gamma: Double, lambda: Double) {
    self.mu = mu; self.s = s; self.gamma = gamma; self.lambda = lambda
    negativeLogLikelihood = .nan
  }

  /// p(c) of the fitted curve.
  public func probability(_ c: Double) -> Double { gamma + (1 - gamma - lambda) / (1 + exp(-(c - mu) / s)) }

  /// Fits `choices` (0 or 1) at `levels`; `lapses: false` keeps γ = λ = 0.
  public init(levels: [Double], choices: [Int], lapses: Bool) throws {
    guard levels.count == choices.count, levels.count >= 4 else {
      throw ConfigurationError.invalid(key: "trials", message: "a psychometric fit needs at least 4 trials, got \(levels.count)")
    }
    guard Set(levels).count >= 2 else {
      throw ConfigurationError.invalid(key: "by", message: "the trials all have the same level: there is no curve to fit")
    }
    let k = choices.map(Double.init)
    func unpack(_ t: [Double]) -> (Double, Double, Double, Double) {
      let g = lapses ? 0.5 / (1 + exp(-t[2])) : 0, l = lapses ? 0.5 / (1 + exp(-t[3])) : 0
      return (t[0], exp(t[1]), g, l)
    }
    func nll(_ t: [Double]) -> Double {
      let (mu, s, g, l) = unpack(t)
      var total = 0.0
      for i in levels.indices {
        let p = g + (1 - g - l) / (1 + exp(-(levels[i] - mu) / s))
        let q = min(max(p, 1e-300), 1 - 1e-16)
        total -= k[i] * log(q) + (1 - k[i]) * log(1 - q)
      }
      return total
    }
    let spread = max(1e-6, (levels.max()! - levels.min()!) / 4)
    var start = [levels.reduce(0, +) / Double(levels.count), log(spread)]
    if lapses { start += [log(0.02 / 0.48), log(0.02 / 0.48)] }
    var best = NelderMead.minimize(nll, from: start, step: 0.5)
    best = NelderMead.minimize(nll, from: best, step: 0.1)
    let (mu, s, g, l) = unpack(best)
    self.mu = mu; self.s = s; gamma = g; lambda = l
    negativeLogLikelihood = nll(best)
  }

  /// Wilson's 95% interval for a binomial proportion of `k` successes in `n` trials.
  public static func wilsonInterval(successes k: Int, trials n: Int) -> (low: Double, high: Double) {
    guard n > 0 else { return (.nan, .nan) }
    let z = 1.959963984540054, p = Double(k) / Double(n), nn = Double(n)
    let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
    let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
    return (max(0, centre - half), min(1, centre + half))
  }
}

/// The Nelder–Mead simplex method (reflection 1, expansion 2, contraction ½, shrink ½).
enum NelderMead {
  static func minimize(
    _ f: ([Double]) -> Double, from x0: [Double], step: Double, iterations: Int = 4000,
    tolerance: Double = 1e-12
  ) -> [Double] {
    let n = x0.count
    var simplex =
      [x0]
      + (0..<n).map { i -> [Double] in
        var x = x0; x[i] += step; return x
      }
    var values = simplex.map(f)
    for _ in 0..<iterations {
      let order = values.indices.sorted { values[$0] < values[$1] }
      simplex = order.map { simplex[$0] }
      values = order.map { values[$0] }
      if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
      let centroid = (0..<n).map { j in simplex[0..<n].map { $0[j] }.reduce(0, +) / Double(n) }
      func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
      let reflected = along(-1), fr = f(reflected)
      if fr < values[0] {
        let expanded = along(-2), fe = f(expanded)
        (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr)
      } else if fr < values[n - 1] {
        (simplex[n], values[n]) = (reflected, fr)
      } else {
        let contracted = fr < values[n] ? along(-0.5) : along(0.5), fc = f(contracted)
        if fc < min(fr, values[n]) {
          (simplex[n], values[n]) = (contracted, fc)
        } else {
          for i in 1...n {
            simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
            values[i] = f(simplex[i])
          }
        }
      }
    }
    return simplex[values.indices.min { values[$0] < values[$1] }!]
  }
}
