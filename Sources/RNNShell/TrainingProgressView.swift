// Training progress on screen: at a terminal a live line (trials, loss, accuracy, rate, ETA and a
// sparkline of the losses) redrawn in place; elsewhere one plain line per recorded loss, so logs
// and replayed scripts stay readable. Ends with one summary line.

import Foundation
import PsychRNN
import TermPlot

final class TrainingProgressView {
  private let terminal: Terminal
  private var losses: [Double] = []
  private var lastDraw = ContinuousClock.now
  private var lastLoss: Double?
  private var lastAccuracy: Double?

  init(terminal: Terminal) { self.terminal = terminal }

  func handle(_ network: String, _ event: TrainingEvent) {
    switch event {
    case .started:
      losses = []; lastLoss = nil; lastAccuracy = nil
    case .step(let p):
      guard terminal.outputIsTerminal else { return }
      let now = ContinuousClock.now
      if now - lastDraw >= .milliseconds(100) {
        lastDraw = now
        terminal.redrawLine(line(network, p))
      }
    case .loss(let p):
      losses.append(p.loss ?? .nan)
      lastLoss = p.loss
      lastAccuracy = p.accuracy
      if terminal.outputIsTerminal {
        terminal.redrawLine(line(network, p))
      } else {
        terminal.write(plain(network, p) + "\n")
      }
    case .curriculumMetric(let epoch, let value, let stage, let advanced):
      if advanced { terminal.write("\(network): batch \(epoch): stage \(stage) passed (metric \(Printer.number(value)))\n") }
    case .weightsSaved(let path):
      terminal.write("\(network): weights saved to \(path)\n")
    case .metricValuesSaved(let path):
      terminal.write("\(network): curriculum metrics saved to \(path)\n")
    case .performance:
      break
    case .finished(let r):
      terminal.clearLine()
      terminal.write(summary(network, r) + "\n")
    }
  }

  private func line(_ network: String, _ p: TrainingProgress) -> String {
    var parts = ["\(network): \(p.trials)/\(p.totalTrials) trials"]
    if let l = lastLoss { parts.append("loss \(String(format: "%.5f", l))") }
    if let a = lastAccuracy { parts.append("acc \(String(format: "%.2f", a))") }
    parts.append("\(Int(p.trialsPerSecond)) trials/s")
    if let eta = p.estimatedSecondsLeft { parts.append("ETA \(duration(eta))") }
    if let s = p.stage { parts.append("stage \(s)") }
    var text = parts.joined(separator: "  ")
    if losses.count >= 2 { text += "  " + sparkline(Array(losses.suffix(24))) }
    return text + "  (Ctrl-C stops)"
  }

  private func plain(_ network: String, _ p: TrainingProgress) -> String {
    var text = "\(network): trials \(p.trials)  loss \(String(format: "%.6f", p.loss ?? .nan))"
    if let a = p.accuracy { text += "  accuracy \(String(format: "%.3f", a))" }
    return text
  }

  private func summary(_ network: String, _ r: TrainingResult) -> String {
    var text: String
    switch r.stopReason {
    case .cancelled: text = "\(network): stopped (Ctrl-C) after \(r.trials) trials"
    case .performanceReached: text = "\(network): performance cutoff reached after \(r.trials) trials"
    case .curriculumFinished: text = "\(network): curriculum finished after \(r.trials) trials"
    case .completed: text = "\(network): trained on \(r.trials) trials"
    }
    text += " in \(duration(r.trainingTime))"
    if let l = r.losses.last { text += ", loss \(String(format: "%.5f", l))" }
    if r.stopReason == .cancelled { text += "; \(network) keeps the weights of its last step" }
    return text
  }

  private func duration(_ s: Double) -> String {
    if s < 10 { return String(format: "%.1f s", s) }
    if s < 120 { return "\(Int(s.rounded())) s" }
    return "\(Int(s / 60)) min \(Int(s.truncatingRemainder(dividingBy: 60))) s"
  }
}
