// The frozen plan of a sweep, `DIR/manifest.json`: the script's text (also copied to
// `DIR/script.rnn`, which every run executes, so editing the original later changes nothing), the
// bound names and every point's values. Written once, atomically; planning the same sweep into the
// same DIR again finds it equal and carries on, a different one is refused.

import Foundation

/// What a sweep runs: one script, one point of values per index.
public struct Manifest: Codable, Sendable, Equatable {
  /// The format of this file.
  public var version = 1
  /// The script as it was named when the sweep was planned (for messages).
  public var scriptName: String
  /// The script's text, frozen.
  public var script: String
  /// The names each point binds, in order.
  public var names: [String]
  /// One row per index: the values of `names`.
  public var points: [[BoundValue]]
  /// How the points were chosen ("grid", "random 20 seed 0"), for people.
  public var plannedAs: String

  public init(scriptName: String, script: String, plan: SweepPlan, plannedAs: String) {
    self.scriptName = scriptName
    self.script = script
    self.names = plan.names
    self.points = plan.points
    self.plannedAs = plannedAs
  }

  /// How many runs.
  public var count: Int { points.count }

  /// The values of run `index`, by name.
  public func values(of index: Int) throws(SweepError) -> [(name: String, value: BoundValue)] {
    guard points.indices.contains(index) else { throw .indexOutOfRange(index: index, count: count) }
    return zip(names, points[index]).map { ($0, $1) }
  }

  /// What differs between two manifests, in words (nil when they plan the same runs).
  public func difference(from other: Manifest) -> String? {
    if script != other.script { return "the script's text differs" }
    if names != other.names {
      return "it binds \(other.names.joined(separator: ", ")), this one \(names.joined(separator: ", "))"
    }
    if points.count != other.points.count { return "it has \(other.points.count) runs, this one \(points.count)" }
    if let i = points.indices.first(where: { points[$0] != other.points[$0] }) { return "run \(i) binds other values" }
    return nil
  }
}

// MARK: - JSON files

enum JSONFile {
  static func encode<T: Encodable>(_ value: T) throws(SweepError) -> [UInt8] {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do { return Array(try e.encode(value)) + [0x0A] } catch {
      throw .file(path: "(json)", problem: "cannot encode: \(error)")
    }
  }

  static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], path: String) throws(SweepError) -> T {
    do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
      throw .file(path: path, problem: "is not a valid \(T.self) file (\(JSONFile.reason(error)))")
    }
  }

  static func reason(_ error: Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let c): return c.debugDescription
    case DecodingError.keyNotFound(let k, _): return "no '\(k.stringValue)'"
    case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.valueNotFound(_, let c):
      return "missing value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
    default: return "\(error)"
    }
  }
}
