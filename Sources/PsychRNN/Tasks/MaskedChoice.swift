// PsychRNN's shared accuracy rule (every shipped task uses it): a trial's "choice" is the output
// channel with the largest time-mean of output ⊙ mask; the trial is correct when the network's
// choice equals the target's. This is the default `Task.accuracy`.
//
// Exactness. The means are computed as numpy's `np.mean(a * mask, axis=1)` computes them for
// N_out ≥ 2: products in float64, summed over time in step order (numpy's reduction over a middle
// axis adds row after row, it does not use pairwise summation there), then divided by S. Summation
// order only matters for exact ties between channels, but doing it numpy's way keeps even those
// identical. (For N_out = 1 numpy sums pairwise, but then the choice is always channel 0 anyway.)
// argmax follows numpy too: first index among equal maxima, and the first NaN wins if any.

import Linear

/// PsychRNN's masked-choice rule: per-trial choices and the accuracy built from them.
public enum MaskedChoice {
  /// For each trial b, argmax over channels o of mean over steps t of values[b,t,o]·mask[b,t,o].
  /// A trial whose mask is all zero chooses channel 0.
  public static func choices(_ values: Tensor3<Double>, mask: Tensor3<Double>) -> [Int] {
    precondition(values.shape == mask.shape, "values \(values.shape) and mask \(mask.shape) differ in shape")
    return (0..<values.d0).map { b in argmax(timeMeans(values, mask: mask, trial: b)) }
  }

  /// The fraction of trials whose output choice equals the target choice
  /// (`accuracy_function(y, output, mask)`). NaN for an empty batch, as numpy's mean of nothing.
  public static func accuracy(
    targets: Tensor3<Double>, outputs: Tensor3<Double>,
    mask: Tensor3<Double>
  ) -> Double {
    precondition(targets.shape == outputs.shape, "targets \(targets.shape) and outputs \(outputs.shape) differ in shape")
    let truth = choices(targets, mask: mask), chosen = choices(outputs, mask: mask)
    let correct = zip(truth, chosen).filter { $0 == $1 }.count
    return Double(correct) / Double(truth.count)
  }

  /// mean_t(values[b,t,o] · mask[b,t,o]) for each channel o, summed in step order.
  static func timeMeans(_ values: Tensor3<Double>, mask: Tensor3<Double>, trial b: Int) -> [Double] {
    let steps = values.d1, channels = values.d2
    var sums = [Double](repeating: 0, count: channels)
    for t in 0..<steps {
      for o in 0..<channels { sums[o] += values[b, t, o] * mask[b, t, o] }
    }
    return sums.map { $0 / Double(steps) }
  }

  /// numpy's argmax: the first NaN if there is one, else the first index of the maximum.
  static func argmax(_ v: [Double]) -> Int {
    var best = 0
    for i in v.indices {
      if v[i].isNaN { return i }
      if v[i] > v[best] { best = i }
    }
    return best
  }
}

extension Task {
  /// PsychRNN's shared accuracy rule (`MaskedChoice.accuracy`); tasks may override it.
  public func accuracy(targets y: Tensor3<Double>, outputs: Tensor3<Double>, mask: Tensor3<Double>) -> Double {
    MaskedChoice.accuracy(targets: y, outputs: outputs, mask: mask)
  }
}
