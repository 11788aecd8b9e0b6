// Dale's law matrices (spec §3): the first int(r·N) units are excitatory, the rest inhibitory.
// D_rec = diag(±1) gives every outgoing weight of a unit its sign; D_out = diag(1/0) silences the
// readout from inhibitory units.

import Linear

enum DaleMatrices {
  /// n_E = int(r·N): the floating-point product truncated toward zero (0.29·100 → 28), as PsychRNN.
  static func excitatoryCount(ratio r: Double, n: Int) -> Int { Int(r * Double(n)) }

  /// (D_rec, D_out) for `ratio`, or identities when nil.
  /// PsychRNN accepts 0 (then builds all-inhibitory matrices but never applies them, quirk 1);
  /// we reject 0 and anything outside (0, 1] with a clear error instead.
  static func make(ratio: Double?, n: Int) throws -> (Matrix<Double>, Matrix<Double>) {
    guard let r = ratio else { return (.identity(n), .identity(n)) }
    try validate(ratio: r)
    let nE = excitatoryCount(ratio: r, n: n)
    let rec = Matrix<Double>.diagonal((0..<n).map { $0 < nE ? 1 : -1 })
    let out = Matrix<Double>.diagonal((0..<n).map { $0 < nE ? 1 : 0 })
    return (rec, out)
  }

  /// The one check of a dale_ratio, for arguments and files alike: 0 < r ≤ 1.
  static func validate(ratio r: Double) throws {
    guard r.isFinite && r > 0 && r <= 1 else {
      let hint = r == 0 ? " (use none to switch Dale's law off)" : ""
      throw ConfigurationError.invalid(key: "dale_ratio", message: "must satisfy 0 < dale_ratio ≤ 1, got \(r)\(hint)")
    }
  }
}
