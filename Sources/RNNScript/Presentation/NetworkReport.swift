// How a network looks: its one-line signature and `show NET`'s report (the model's facts,
// PsychRNN/Models/Network.swift, laid out here), and the cuts in force.

import PsychRNN

extension Printer {
  /// `show NET`: the heading, the sections, then the ablations in force.
  static func report(name: String, network n: NetworkValue) throws -> String {
    let r = try n.model.report()
    var lines = ["\(name): " + r.heading.map { items([$0]) }.joined(separator: "  ")]
    if let source = n.source { lines.append("  loaded from \(source)") }
    for section in r.sections {
      if let title = section.title { lines.append(title) }
      for line in section.lines {
        var text = "  " + (line.label.map { $0 + ": " } ?? "") + items(line.items)
        if let ok = line.verdict { text += ok ? " ✓" : " ✗" }
        lines.append(text)
      }
    }
    if !n.ablation.isEmpty {
      lines.append("ablations in force (simulate, test, accuracy and plots use them; restore removes them)")
      for c in n.ablation.cuts { lines.append("  " + cut(c)) }
    }
    return lines.joined(separator: "\n")
  }

  /// `Basic(N_in: 2, N_rec: 50, …)`: the class name and the model's signature fields.
  static func signature(_ n: NetworkValue) -> String {
    let fields = n.model.signatureFields.map { key -> String in
      let value: String
      switch n.model.field(key) {
      case .number(let d)?: value = Format.number(d)
      case .text(let s)?: value = "\"\(s)\""
      case .none?, nil: value = "none"
      case .matrix(let m)?: value = "array \(Format.shape([m.rows, m.cols]))"
      case .vector(let v)?: value = "array \(Format.shape([v.count]))"
      }
      return "\(key): \(value)"
    }
    return "\(n.className)(" + fields.joined(separator: ", ") + ")"
  }

  /// One report line's items: spaces between them (none before "," or ")"), settings as
  /// "key value", consecutive settings separated by commas.
  static func items(_ items: [ReportItem]) -> String {
    var out = ""
    var previousWasSetting = false
    for item in items {
      let text: String
      var isSetting = false
      switch item {
      case .setting(let key, .number(let d)): text = "\(key) \(Format.number(d))"; isSetting = true
      case .setting(let key, .text(let s)): text = "\(key) \(s)"; isSetting = true
      case .text(let s): text = s
      case .number(let d): text = Format.number(d)
      case .names(let names): text = names.joined(separator: ", ")
      }
      if !out.isEmpty {
        if isSetting && previousWasSetting { out += ", " } else if !(text.hasPrefix(",") || text.hasPrefix(")")) { out += " " }
      }
      out += text
      previousWasSetting = isSetting
    }
    return out
  }

  /// "W_rec 3 7 from: 500 to: 1000" (as the cut is written in `ablate`).
  static func cut(_ t: TimedCut) -> String {
    var s: String
    switch t.cut {
    case .recurrent(let i, let j): s = "W_rec \(i) \(j)"
    case .input(let i, let j): s = "W_in \(i) \(j)"
    case .output(let i, let j): s = "W_out \(i) \(j)"
    case .unit(let i): s = "unit \(i)"
    }
    if let a = t.start { s += " from: \(Format.number(a))" }
    if let b = t.end { s += " to: \(Format.number(b))" }
    return s
  }
}
