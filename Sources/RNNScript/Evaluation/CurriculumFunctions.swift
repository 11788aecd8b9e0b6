// A Curriculum's own functions written with `def`, as PsychRNN takes them:
//
//   accuracies: [f1, f2, …]   each f(y, output, mask) → the stage's accuracy
//   metric: m                 m(curriculum, x, y, mask, output, epoch, losses, verbosity)
//                             → [advance, value] (or {advance: …, value: …})
//
// `curriculum` is a record of the stage, thresholds, metric_epoch and the metric values so far
// (PsychRNN passes its attribute dictionary). Both run on the training thread between batches; an
// error inside stops training there, at its line. The curriculum is kept in the session's
// variables, so its functions hold the session weakly (no reference cycle).

import Linear
import PsychRNN

enum CurriculumFunctions {
  static func accuracies(_ a: KeyedArguments, session: Session) throws -> [AccuracyFunction]? {
    guard let v = a.value("accuracies") else { return nil }
    guard case .list(let items) = v else { throw a.error("accuracies", "expected a list of functions (y, output, mask)") }
    let box = WeakSessionBox(session)
    let at = a.location(of: "accuracies")
    return try items.map { item -> AccuracyFunction in
      guard case .function(let f) = item, f.parameterNames.count == 3 else {
        throw a.error("accuracies", "expected functions taking (y, output, mask), found a \(item.typeName)")
      }
      return { y, output, mask in
        guard let session = box.session else { throw RuntimeError("accuracy function \(f.name): its session has ended", at: at) }
        let v = try session.callFunction(f, values: [y, output, mask].map { .array(ArrayValue($0)) }, at: at)
        return try session.number(v, returnedBy: f, as: "accuracy function", at: at)
      }
    }
  }

  static func metric(_ a: KeyedArguments, session: Session) throws -> CurriculumMetric? {
    guard let v = a.value("metric") else { return nil }
    guard case .function(let f) = v, f.parameterNames.count == 8 else {
      throw a.error(
        "metric", "expected a function taking PsychRNN's (curriculum, x, y, mask, output, epoch, losses, verbosity)")
    }
    let box = WeakSessionBox(session)
    let at = a.location(of: "metric")
    return { curriculum, batch, outputs, epoch, losses in
      let state = Record(
        kind: "curriculum",
        fields: [
          ("stage", .number(Double(curriculum.stage))), ("thresholds", .array(ArrayValue(vector: curriculum.thresholds))),
          ("metric_epoch", .number(Double(curriculum.metricEpoch))),
          (
            "metric_values",
            .array(ArrayValue(shape: [curriculum.metricValues.count, 2], values: curriculum.metricHistory.flatMap { $0 }))
          ),
          ("stop_training", .bool(curriculum.stopTraining)),
        ])
      let arguments: [Value] = [
        .record(state), .array(ArrayValue(batch.x)), .array(ArrayValue(batch.y)), .array(ArrayValue(batch.mask)),
        .array(ArrayValue(outputs)), .number(Double(epoch)), .array(ArrayValue(vector: losses)), .bool(false),
      ]
      guard let session = box.session else { throw RuntimeError("metric \(f.name): its session has ended", at: at) }
      let result = try session.callFunction(f, values: arguments, at: at)
      let pair: (Value?, Value?)
      switch result {
      case .list(let items) where items.count == 2: pair = (items[0], items[1])
      case .record(let r): pair = (r["advance"], r["value"])
      default: pair = (nil, nil)
      }
      guard let advance = pair.0?.numeric, let value = pair.1?.scalarIfZeroD.numeric else {
        throw RuntimeError(
          "metric \(f.name) must return [advance, value] (a boolean and a number), got a \(result.typeName)", at: at)
      }
      return (advance != 0, value)
    }
  }
}
