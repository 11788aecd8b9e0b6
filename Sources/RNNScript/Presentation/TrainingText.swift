// How training reads while it runs: the live progress line, the plain log line written when output
// is not a terminal, the closing summary and the notes in between. The shell's progress view
// decides when to draw them (RNNShell/TrainingProgressView.swift).

import Foundation
import PsychRNN
import TermPlot

public enum TrainingText {
  /// "net: 12800/20000 trials  loss 0.07912  acc 0.88  10400 trials/s  ETA 0.7 s  ▇▆▅▄▄▃  (Ctrl-C stops)".
  public static func live(_ network: String, _ p: TrainingProgress, loss: Double?, accuracy: Double?, losses: [Double]) -> String
  {
    var parts = ["\(network): \(p.trials)/\(p.totalTrials) trials"]
    if let l = loss { parts.append("loss \(Format.fixed(l, digits: 5))") }
    if let a = accuracy { parts.append("acc \(Format.fixed(a, digits: 2))") }
    parts.append("\(Int(p.trialsPerSecond)) trials/s")
    if let eta = p.estimatedSecondsLeft { parts.append("ETA \(Format.duration(eta))") }
    if let s = p.stage { parts.append("stage \(s)") }
    var text = parts.joined(separator: "  ")
    if losses.count >= 2 { text += "  " + sparkline(Array(losses.suffix(24))) }
    return text + "  (Ctrl-C stops)"
  }

  /// One line per recorded loss, for logs and replayed scripts.
  public static func log(_ network: String, _ p: TrainingProgress) -> String {
    var text = "\(network): trials \(p.trials)  loss \(Format.fixed(p.loss ?? .nan, digits: 6))"
    if let a = p.accuracy { text += "  accuracy \(Format.fixed(a, digits: 3))" }
    return text
  }

  /// The closing line; `stoppedBy` names what cancelled training ("Ctrl-C", "SIGTERM", …).
  public static func summary(_ network: String, _ r: TrainingResult, stoppedBy cause: String = "Ctrl-C") -> String {
    var text: String
    switch r.stopReason {
    case .cancelled: text = "\(network): stopped (\(cause)) after \(r.trials) trials"
    case .performanceReached: text = "\(network): performance cutoff reached after \(r.trials) trials"
    case .curriculumFinished: text = "\(network): curriculum finished after \(r.trials) trials"
    case .completed: text = "\(network): trained on \(r.trials) trials"
    }
    text += " in \(Format.duration(r.trainingTime))"
    if let l = r.losses.last { text += ", loss \(Format.fixed(l, digits: 5))" }
    if r.stopReason == .cancelled { text += "; \(network) keeps the weights of its last step" }
    return text
  }

  public static func stagePassed(_ network: String, epoch: Int, stage: Int, metric: Double) -> String {
    "\(network): batch \(epoch): stage \(stage) passed (metric \(Format.number(metric)))"
  }

  public static func weightsSaved(_ network: String, path: String) -> String { "\(network): weights saved to \(path)" }

  public static func metricValuesSaved(_ network: String, path: String) -> String {
    "\(network): curriculum metrics saved to \(path)"
  }
}
