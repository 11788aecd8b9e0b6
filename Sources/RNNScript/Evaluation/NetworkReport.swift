// `show NET`: a network's settings and a check of its constraints — do the effective weights obey
// Dale's signs and the connectivity masks, and what is their spectral radius.

import Linear
import PsychRNN

enum NetworkReport {
  static func text(name: String, network n: NetworkValue) throws -> String {
    guard case .basic(let m) = n.model else { return lstmText(name: name, network: n) }
    let c = m.configuration, k = m.constraints
    var lines: [String] = []
    lines.append("\(name): \(m.variant.rawValue)  N_in \(c.nIn)  N_rec \(c.nRec)  N_out \(c.nOut)  dt \(format(c.dt))  tau \(format(c.tau))  alpha \(format(c.alpha))")
    lines.append("  transfer_function \(c.transferFunction)  loss_function \(c.lossFunction)  rec_noise \(format(c.recNoise))")
    let r = c.regularization
    let regs = [("L1_in", r.L1_in), ("L1_rec", r.L1_rec), ("L1_out", r.L1_out), ("L2_in", r.L2_in), ("L2_rec", r.L2_rec),
                ("L2_out", r.L2_out), ("L2_firing_rate", r.L2_firing_rate)].filter { $0.1 != 0 }
    lines.append("  regularization: " + (regs.isEmpty ? "none" : regs.map { "\($0.0) \(format($0.1))" }.joined(separator: ", ")))
    let frozen = VariableName.allCases.filter { !m.trainableNames.contains($0) }
    lines.append("  trainable: " + m.trainableNames.map(\.rawValue).joined(separator: ", ") + (frozen.isEmpty ? "" : "   (fixed: \(frozen.map(\.rawValue).joined(separator: ", ")))"))
    if let seed = m.seed { lines.append("  initialized with seed \(seed)") }
    lines.append(m.history.steps > 0
                 ? "  trained: \(m.history.trials) trials, \(m.history.steps) steps" + (m.history.losses.last.map { ", last loss \(format($0.loss))" } ?? "")
                 : "  untrained")

    let eff = m.effectiveWeights
    lines.append("constraints")
    if k.isDaleActive, let ratio = k.daleRatio {
      let d = k.daleRec.diagonalEntries
      let nE = d.filter { $0 > 0 }.count
      let violations = daleViolations(eff.W_rec, signs: d) + daleViolations(eff.W_out, signs: k.daleOut.diagonalEntries)
      lines.append("  Dale's law: dale_ratio \(format(ratio)), \(nE) excitatory + \(c.nRec - nE) inhibitory units — "
                   + (violations == 0 ? "every outgoing weight has its unit's sign ✓" : "\(violations) weights have the wrong sign ✗"))
    } else {
      lines.append("  Dale's law: off")
    }
    for (label, w, mask) in [("W_in", eff.W_in, k.inputConnectivity), ("W_rec", eff.W_rec, k.recConnectivity), ("W_out", eff.W_out, k.outputConnectivity)] {
      let cut = mask.storage.filter { $0 == 0 }.count
      let leaks = zip(w.storage, mask.storage).filter { $0.1 == 0 && $0.0 != 0 }.count
      lines.append("  \(label) mask: \(cut) of \(mask.storage.count) connections cut — " + (leaks == 0 ? "respected ✓" : "\(leaks) cut connections carry weight ✗"))
    }
    let autapses = (0..<c.nRec).filter { k.recConnectivity[$0, $0] != 0 }.count
    lines.append("  autapses: \(autapses == c.nRec ? "allowed" : autapses == 0 ? "none (diagonal cut)" : "\(autapses) of \(c.nRec)")")
    let rhoEff = try spectralRadius(of: eff.W_rec.converted())
    let rhoRaw = try spectralRadius(of: m.variables.W_rec.converted())
    lines.append("  spectral radius: W_rec_eff \(format(rhoEff)), raw W_rec \(format(rhoRaw))")
    if !n.ablation.isEmpty {
      lines.append("ablations in force (simulate, test, accuracy and plots use them; restore removes them)")
      for cut in n.ablation.cuts { lines.append("  \(cut)") }
    }
    return lines.joined(separator: "\n")
  }

  /// An LSTM's settings (it has no masks, Dale's law or recurrent W_rec dynamics to check).
  static func lstmText(name: String, network n: NetworkValue) -> String {
    let c = n.configuration
    var lines = ["\(name): LSTM  N_in \(c.nIn)  N_rec \(c.nRec)  N_out \(c.nOut)  N_batch \(c.nBatch)",
                 "  gates W_f W_i W_c W_o (N_rec + N_in) × N_rec; h = o ⊙ sigmoid(c) (PsychRNN's form)",
                 "  loss_function \(c.lossFunction)"]
    if let seed = n.seed { lines.append("  initialized with seed \(seed)") }
    let h = n.history
    lines.append(h.steps > 0 ? "  trained: \(h.trials) trials, \(h.steps) steps" : "  untrained")
    return lines.joined(separator: "\n")
  }

  /// Entries whose sign disagrees with their column's (sending unit's) Dale sign.
  private static func daleViolations(_ w: Matrix<Float>, signs: [Float]) -> Int {
    var bad = 0
    for i in 0..<w.rows {
      for j in 0..<w.cols where j < signs.count {
        let v = w[i, j]
        if signs[j] > 0 && v < 0 { bad += 1 }
        if signs[j] < 0 && v > 0 { bad += 1 }
        if signs[j] == 0 && v != 0 { bad += 1 }
      }
    }
    return bad
  }
}
