// How `report` shows what it recorded.

import Sweep

extension Printer {
  /// `report: accuracy 0.9296875, loss 0.0123`: every number exact (the shortest text that reads
  /// back as the same Double), strings quoted, as `--set` would read them back.
  public static func report(_ values: [(String, BoundValue)]) -> String {
    "report: " + values.map { "\($0.0) \($0.1.literal)" }.joined(separator: ", ")
  }
}
