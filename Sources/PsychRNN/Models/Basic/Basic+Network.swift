// Basic as a `Network` (Network.swift): what the command language builds, runs, reads and shows.
// Fields are PsychRNN's names; W_in/W_rec/W_out are the effective weights, as PsychRNN's
// get_weights returns them, and raw_W_* the trainable variables.

import Linear

extension Basic: Network {
  public var className: String { variant.rawValue }

  /// Sizes from the file's effective weights.
  public static func sizes(in file: Checkpoint.Contents) -> [String: Int] {
    let w = file.weights
    return ["N_in": w.W_in.cols, "N_rec": w.W_rec.rows, "N_out": w.W_out.rows]
  }

  // MARK: Running

  /// The fast model when nothing is cut; the Float64 simulator with the cuts otherwise.
  public func run(_ x: Tensor3<Double>, ablation: Ablation, noise: inout NumpyRandom) throws -> ForwardResult<Double> {
    guard ablation.isEmpty else { return try simulate(x, ablation: ablation, noise: &noise) }
    let r = try forward(x.converted(), noise: &noise)
    return ForwardResult(outputs: r.outputs.converted(), states: r.states.converted())
  }

  public func simulate(_ x: Tensor3<Double>, ablation: Ablation, noise: inout NumpyRandom) throws -> ForwardResult<Double> {
    try BasicSimulator(model: self).runTrials(x, ablation: ablation, noise: &noise)
  }

  public func checkAblation(_ ablation: Ablation) throws {
    let c = configuration
    try ablation.validate(nIn: c.nIn, nRec: c.nRec, nOut: c.nOut)
  }

  // MARK: Inspecting

  public var fieldNames: [String] {
    [
      "W_in", "W_rec", "W_out", "b_rec", "b_out", "init_state", "raw_W_in", "raw_W_rec", "raw_W_out",
      "Dale_rec", "Dale_out", "input_connectivity", "rec_connectivity", "output_connectivity", "rec_noise", "dale_ratio",
    ]
      + Self.commonFieldNames
  }

  public func field(_ name: String) -> NetworkField? {
    let k = constraints
    func matrix(_ w: Matrix<Scalar>) -> NetworkField { .matrix(w.converted()) }
    switch name {
    case "W_in": return matrix(effectiveWeights.W_in)
    case "W_rec": return matrix(effectiveWeights.W_rec)
    case "W_out": return matrix(effectiveWeights.W_out)
    case "raw_W_in": return matrix(variables.W_in)
    case "raw_W_rec": return matrix(variables.W_rec)
    case "raw_W_out": return matrix(variables.W_out)
    case "b_rec": return .vector(variables.b_rec.storage.map(\.doubleValue))
    case "b_out": return .vector(variables.b_out.storage.map(\.doubleValue))
    case "init_state": return matrix(variables.init_state)
    case "Dale_rec": return matrix(k.daleRec)
    case "Dale_out": return matrix(k.daleOut)
    case "input_connectivity": return matrix(k.inputConnectivity)
    case "rec_connectivity": return matrix(k.recConnectivity)
    case "output_connectivity": return matrix(k.outputConnectivity)
    case "rec_noise": return .number(configuration.recNoise)
    case "dale_ratio": return k.daleRatio.map { .number($0) } ?? NetworkField.none
    default: return commonField(name)
    }
  }

  public var signatureFields: [String] { ["N_in", "N_rec", "N_out", "dt", "tau", "transfer_function", "dale_ratio"] }

  public var weightNames: [String] { ["W_rec", "W_in", "W_out"] }

  public func weights(_ name: String) -> WeightMatrix? {
    let eff = effectiveWeights
    switch name {
    case "W_rec":
      return WeightMatrix(values: eff.W_rec.converted(), isEffective: true, rowLabel: "to unit", columnLabel: "from unit")
    case "W_in":
      return WeightMatrix(values: eff.W_in.converted(), isEffective: true, rowLabel: "to unit", columnLabel: "from input")
    case "W_out":
      return WeightMatrix(values: eff.W_out.converted(), isEffective: true, rowLabel: "output", columnLabel: "from unit")
    default: return nil
    }
  }

  public var unitSigns: [Double]? {
    constraints.isDaleActive ? constraints.daleRec.diagonalEntries.map(\.doubleValue) : nil
  }

  // MARK: The report

  /// Settings, then a check of the constraints: do the effective weights obey Dale's signs and the
  /// connectivity masks, and what are the spectral radii.
  public func report() throws -> NetworkReport {
    let c = configuration, k = constraints, r = c.regularization
    let heading: [ReportItem] = [
      .text(className), .setting("N_in", .number(Double(c.nIn))),
      .setting("N_rec", .number(Double(c.nRec))), .setting("N_out", .number(Double(c.nOut))),
      .setting("dt", .number(c.dt)), .setting("tau", .number(c.tau)), .setting("alpha", .number(c.alpha)),
    ]
    var settings = [
      ReportLine([
        .setting("transfer_function", .text(c.transferFunction.rawValue)),
        .setting("loss_function", .text(c.lossFunction.name)),
        .setting("rec_noise", .number(c.recNoise)),
      ])
    ]
    let regs = [
      ("L1_in", r.L1_in), ("L1_rec", r.L1_rec), ("L1_out", r.L1_out), ("L2_in", r.L2_in), ("L2_rec", r.L2_rec),
      ("L2_out", r.L2_out), ("L2_firing_rate", r.L2_firing_rate),
    ].filter { $0.1 != 0 }
    let custom = r.custom.map { [ReportItem.setting("custom_regularization", .text($0.name))] } ?? []
    let items = regs.map { ReportItem.setting($0.0, .number($0.1)) } + custom
    settings.append(ReportLine("regularization", items.isEmpty ? [.text("none")] : items))
    let frozen = VariableName.allCases.filter { !trainableNames.contains($0) }
    var trainable: [ReportItem] = [.names(trainableNames.map(\.rawValue))]
    if !frozen.isEmpty { trainable += [.text("  (fixed:"), .names(frozen.map(\.rawValue)), .text(")")] }
    settings.append(ReportLine("trainable", trainable))
    settings += historyLines()

    let eff = effectiveWeights
    var checks: [ReportLine] = []
    if k.isDaleActive, let ratio = k.daleRatio {
      let signs = k.daleRec.diagonalEntries
      let nE = signs.filter { $0 > 0 }.count
      let wrong = Self.daleViolations(eff.W_rec, signs: signs) + Self.daleViolations(eff.W_out, signs: k.daleOut.diagonalEntries)
      checks.append(
        ReportLine(
          "Dale's law",
          [
            .setting("dale_ratio", .number(ratio)), .text(","), .number(Double(nE)), .text("excitatory +"),
            .number(Double(c.nRec - nE)), .text("inhibitory units —"),
          ]
            + (wrong == 0
              ? [.text("every outgoing weight has its unit's sign")]
              : [.number(Double(wrong)), .text("weights have the wrong sign")]),
          verdict: wrong == 0))
    } else {
      checks.append(ReportLine("Dale's law", [.text("off")]))
    }
    for (label, w, mask) in [
      ("W_in mask", eff.W_in, k.inputConnectivity), ("W_rec mask", eff.W_rec, k.recConnectivity),
      ("W_out mask", eff.W_out, k.outputConnectivity),
    ] {
      let cut = mask.storage.filter { $0 == 0 }.count
      let leaks = zip(w.storage, mask.storage).filter { $0.1 == 0 && $0.0 != 0 }.count
      checks.append(
        ReportLine(
          label,
          [
            .number(Double(cut)), .text("of"), .number(Double(mask.storage.count)),
            .text("connections cut —"),
          ]
            + (leaks == 0 ? [.text("respected")] : [.number(Double(leaks)), .text("cut connections carry weight")]),
          verdict: leaks == 0))
    }
    let autapses = (0..<c.nRec).filter { k.recConnectivity[$0, $0] != 0 }.count
    checks.append(
      ReportLine(
        "autapses",
        autapses == c.nRec
          ? [.text("allowed")]
          : autapses == 0
            ? [.text("none (diagonal cut)")]
            : [.number(Double(autapses)), .text("of"), .number(Double(c.nRec))]))
    checks.append(
      ReportLine(
        "spectral radius",
        [
          .setting("W_rec_eff", .number(try spectralRadius(of: eff.W_rec.converted()))),
          .setting("raw W_rec", .number(try spectralRadius(of: variables.W_rec.converted()))),
        ]))
    return NetworkReport(
      heading: heading, sections: [ReportSection(lines: settings), ReportSection(title: "constraints", lines: checks)])
  }

  /// Entries whose sign disagrees with their column's (sending unit's) Dale sign.
  static func daleViolations(_ w: Matrix<Scalar>, signs: [Scalar]) -> Int {
    var bad = 0
    for i in 0..<w.rows {
      for j in 0..<w.cols where j < signs.count {
        let v = w[i, j]
        if (signs[j] > 0 && v < 0) || (signs[j] < 0 && v > 0) || (signs[j] == 0 && v != 0) { bad += 1 }
      }
    }
    return bad
  }
}
