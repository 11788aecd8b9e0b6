// Training progress on screen: at a terminal a live line (trials, loss, accuracy, rate, ETA and a
// sparkline of the losses) redrawn in place; elsewhere one plain line per recorded loss, so logs
// and replayed scripts stay readable. Ends with one summary line. The texts are RNNScript's
// (Presentation/TrainingText.swift); this view only decides when to draw them.

import Foundation
import PsychRNN
import RNNScript

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
        terminal.write(TrainingText.log(network, p) + "\n")
      }
    case .curriculumMetric(let epoch, let value, let stage, let advanced):
      if advanced { terminal.write(TrainingText.stagePassed(network, epoch: epoch, stage: stage, metric: value) + "\n") }
    case .weightsSaved(let path):
      terminal.write(TrainingText.weightsSaved(network, path: path) + "\n")
    case .metricValuesSaved(let path):
      terminal.write(TrainingText.metricValuesSaved(network, path: path) + "\n")
    case .performance:
      break
    case .finished(let r):
      terminal.clearLine()
      terminal.write(TrainingText.summary(network, r, stoppedBy: Interrupts.stopCause) + "\n")
    }
  }

  private func line(_ network: String, _ p: TrainingProgress) -> String {
    TrainingText.live(network, p, loss: lastLoss, accuracy: lastAccuracy, losses: losses)
  }
}
