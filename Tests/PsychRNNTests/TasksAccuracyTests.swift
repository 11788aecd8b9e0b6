// The shared accuracy rule (MaskedChoice, the default Task.accuracy): right and wrong choices,
// ties, all-zero masks, NaN, and agreement with numpy's own mean/argmax on random data.

import Foundation
import Linear
import Testing
@testable import PsychRNN

/// A (B, S, 2) tensor whose trial b holds the constant output `rows[b]` at every step.
private func constant(_ rows: [(Double, Double)], steps: Int) -> Tensor3<Double> {
  var t = Tensor3<Double>(rows.count, steps, 2)
  for (b, row) in rows.enumerated() {
    for s in 0..<steps { t[b, s, 0] = row.0; t[b, s, 1] = row.1 }
  }
  return t
}

@Test func accuracyCountsRightAndWrongChoices() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 100, nBatch: 2)
  let y = constant([(1.0, 0.2), (0.2, 1.0)], steps: 10)
  let mask = Tensor3<Double>(2, 10, 2, repeating: 1)
  #expect(task.accuracy(targets: y, outputs: constant([(0.9, 0.1), (0.0, 0.5)], steps: 10), mask: mask) == 1.0)
  #expect(task.accuracy(targets: y, outputs: constant([(0.1, 0.9), (0.5, 0.0)], steps: 10), mask: mask) == 0.0)
  #expect(task.accuracy(targets: y, outputs: constant([(0.9, 0.1), (0.5, 0.0)], steps: 10), mask: mask) == 0.5)
}

@Test func accuracyTiesPickTheFirstChannel() {
  let y = constant([(1.0, 0.2), (0.2, 1.0)], steps: 4)
  let mask = Tensor3<Double>(2, 4, 2, repeating: 1)
  let tied = constant([(0.5, 0.5), (0.5, 0.5)], steps: 4)
  #expect(MaskedChoice.choices(tied, mask: mask) == [0, 0])
  #expect(MaskedChoice.accuracy(targets: y, outputs: tied, mask: mask) == 0.5)
}

@Test func accuracyCountsAllZeroMaskAsCorrect() {
  let y = constant([(0.2, 1.0)], steps: 5)
  let outputs = constant([(1.0, 0.0)], steps: 5)  // wrong, but nothing is masked in
  #expect(MaskedChoice.accuracy(targets: y, outputs: outputs, mask: Tensor3(1, 5, 2)) == 1.0)
}

@Test func accuracyOnlyLooksAtMaskedSteps() {
  var y = Tensor3<Double>(1, 6, 2), outputs = Tensor3<Double>(1, 6, 2), mask = Tensor3<Double>(1, 6, 2)
  for s in 0..<3 { outputs[0, s, 0] = 5 }  // loud, but unmasked
  for s in 3..<6 { outputs[0, s, 1] = 1; y[0, s, 1] = 1; mask[0, s, 0] = 1; mask[0, s, 1] = 1 }
  #expect(MaskedChoice.accuracy(targets: y, outputs: outputs, mask: mask) == 1.0)
}

@Test func argmaxFollowsNumpyForNaN() {
  #expect(MaskedChoice.argmax([1, .nan, 3]) == 1)
  #expect(MaskedChoice.argmax([2, 3, 3, 1]) == 1)
  #expect(MaskedChoice.argmax([.nan, .nan]) == 0)
}

@Test func accuracyChoicesMatchNumpy() throws {
  // Values on a coarse grid so that many channel means tie exactly, including ties that only
  // appear after dividing by S; numpy decides them, we must decide them the same way.
  let script =
    "import sys\nimport numpy as np\n" + TasksPython.printArrays + """

      R = np.random.RandomState(7)
      out = np.round(R.rand(300, 7, 3) * 4) / 3 + 1e-16 * R.randint(0, 3, (300, 7, 3))
      mask = (R.rand(300, 7, 3) < 0.8).astype(np.float64)
      emit('out', out); emit('mask', mask)
      emit('chosen', np.argmax(np.mean(out * mask, axis=1), axis=1).reshape(300, 1, 1))
      """
  let arrays = TasksPython.parseArrays(try TasksPython.run(script))
  let (out, mask, chosen) = (try #require(arrays["out"]), try #require(arrays["mask"]), try #require(arrays["chosen"]))
  #expect(MaskedChoice.choices(out, mask: mask) == chosen.storage.map { Int($0) })
}
