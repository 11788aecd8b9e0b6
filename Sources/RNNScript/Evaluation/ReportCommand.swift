// `report accuracy: acc loss: l`: records named results of a run. Each value must be a number, a
// boolean, a string (or an array of one element); the session keeps them in the order first
// reported (`Session.reported`), a sweep run writes them into its folder, and the statement shows
// them exactly (the shortest text that reads back as the same number), so a run alone with `--set`
// prints the very values a sweep's table holds.

import Sweep

enum ReportCommand {
  static let summary = "record named results of a run (a sweep's table has a column per name); shows them exactly"

  static func run(_ ctx: inout CommandContext) throws -> Value {
    if ctx.hasMore { throw ctx.error("report takes NAME: VALUE pairs, e.g. report accuracy: acc loss: l") }
    guard !ctx.options.isEmpty else {
      throw RuntimeError(
        "report needs at least one NAME: VALUE", at: ctx.location, length: ctx.name.count,
        suggestion: "report accuracy: acc")
    }
    var recorded: [(String, BoundValue)] = []
    for option in ctx.options {
      guard let name = option.label else { continue }
      if ResultsTable.reserved.contains(name) {
        throw RuntimeError(
          "'\(name)' is a column every sweep table has already (index, wall_time, state); report it under another name",
          at: option.location, length: name.count)
      }
      if ctx.session.isBoundFromOutside(name) {
        throw RuntimeError(
          "'\(name)' was bound from outside (--set or the sweep's grid), so it is a column already; report it under another name",
          at: option.location, length: name.count)
      }
      recorded.append((name, try bound(option.value, name: name, at: option)))
    }
    for (name, value) in recorded {
      let v = Value(value)
      if let i = ctx.session.reported.firstIndex(where: { $0.name == name }) {
        ctx.session.reported[i].value = v
      } else {
        ctx.session.reported.append((name, v))
      }
    }
    return .text(Printer.report(recorded))
  }

  /// The value as a table cell: a number, a boolean, a string, or a one-element array's number.
  static func bound(_ v: Value, name: String, at option: EvaluatedArgument) throws -> BoundValue {
    switch v {
    case .number(let d): return .number(d)
    case .bool(let b): return .bool(b)
    case .string(let s): return .string(s)
    case .array(let a) where a.values.count == 1: return .number(a.values[0])
    case .array(let a):
      throw RuntimeError(
        "report takes one number per name; '\(name)' is an array of shape \(Format.shape(a.shape)) (report mean(\(option.word ?? "x")) or one entry)",
        at: option.location, length: name.count)
    default:
      throw RuntimeError(
        "report takes numbers, booleans and strings; '\(name)' is a \(v.typeName)", at: option.location, length: name.count)
    }
  }
}
