// The points of a sweep: the cartesian product of the grid axes in row-major order (the last axis
// changes fastest, as `$SLURM_ARRAY_TASK_ID` is decoded on clusters), or `--random N` draws from the
// axes' ranges and lists with a seeded generator. The points are then frozen in the manifest, so an
// index names the same values forever.

/// How the points are chosen.
public enum PlanMode: Sendable, Equatable {
  case grid
  /// `count` draws, reproducible from `seed`.
  case random(count: Int, seed: UInt64)
}

/// The names and the values of every point.
public struct SweepPlan: Sendable, Equatable {
  public let names: [String]
  /// One row per run: the values of `names`, in order.
  public let points: [[BoundValue]]

  public init(names: [String], points: [[BoundValue]]) {
    self.names = names
    self.points = points
  }

  /// The plan of `axes` (each name once) in `mode`.
  public static func make(_ axes: [GridAxis], mode: PlanMode) throws(SweepError) -> SweepPlan {
    var seen = Set<String>()
    for a in axes where !seen.insert(a.name).inserted {
      throw .badArgument(argument: "--grid \(a.name)=…", problem: "'\(a.name)' is given twice", hint: "give each name once")
    }
    switch mode {
    case .grid:
      let values = try axes.map { a throws(SweepError) in try a.gridValues() }
      var total = 1
      for v in values {
        let (product, overflow) = total.multipliedReportingOverflow(by: v.count)
        guard !overflow, product <= GridAxis.maximumValues else {
          throw .badArgument(
            argument: "--grid", problem: "the grid has more than \(GridAxis.maximumValues) points",
            hint: "use --random N to sample it")
        }
        total = product
      }
      return SweepPlan(names: axes.map(\.name), points: (0..<total).map { point(at: $0, of: values) })
    case .random(let count, let seed):
      guard count >= 1, count <= GridAxis.maximumValues else {
        throw .badArgument(
          argument: "--random \(count)", problem: "the number of draws must be 1…\(GridAxis.maximumValues)", hint: nil)
      }
      var generator = SplitMix64(seed: seed)
      let points = (0..<count).map { _ in axes.map { draw($0.values, &generator) } }
      return SweepPlan(names: axes.map(\.name), points: points)
    }
  }

  /// Point `index` of the product of `values`: row-major, the last axis fastest.
  static func point(at index: Int, of values: [[BoundValue]]) -> [BoundValue] {
    var rest = index
    var point = [BoundValue](repeating: .none, count: values.count)
    for axis in values.indices.reversed() {
      point[axis] = values[axis][rest % values[axis].count]
      rest /= values[axis].count
    }
    return point
  }

  /// One draw from an axis: a uniform choice from a list, a uniform (or log-uniform) number in a
  /// range, a uniform whole number when both ends are whole (and not :log).
  static func draw(_ values: GridAxis.Values, _ g: inout SplitMix64) -> BoundValue {
    switch values {
    case .list(let items): return items[Int(g.next() % UInt64(items.count))]
    case .range(let low, let high, _, let log):
      let u = g.unit()
      if log { return .number((Foundation.log(low) + u * (Foundation.log(high) - Foundation.log(low))).exp) }
      if low == low.rounded() && high == high.rounded() {
        return .number(min(high, low + (u * (high - low + 1)).rounded(.down)))
      }
      return .number(low + u * (high - low))
    }
  }
}

import Foundation

extension Double {
  fileprivate var exp: Double { Foundation.exp(self) }
}

/// Sebastiano Vigna's SplitMix64: small, fast and fully determined by its seed.
struct SplitMix64 {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// A uniform number in [0, 1) with 53 random bits.
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
