// One named curve of a line chart.

/// One curve of a line chart: y values, optional x values, and x-intervals drawn dimmed.
///
/// Dimmed intervals grey out parts of the curve that matter less, such as the time steps a
/// task's loss mask ignores when plotting network outputs against targets.
public struct Series: Sendable, Equatable {
  /// The name shown in the legend; series with an empty name are left out of it.
  public var name: String
  /// The y values; non-finite values (and values ≤ 0 on a log axis) leave a gap in the curve.
  public var y: [Double]
  /// The x values, or nil for 0, 1, 2, … . When given, only the first min(x.count, y.count)
  /// points are drawn.
  public var x: [Double]?
  /// Half-open x-intervals whose part of the curve is drawn dimmed.
  public var dimmed: [Range<Double>]
  /// Draw the points alone, without the segments between them (a scatter plot).
  public var pointsOnly: Bool

  /// A series from its values.
  public init(name: String = "", y: [Double], x: [Double]? = nil, dimmed: [Range<Double>] = [], pointsOnly: Bool = false) {
    self.name = name
    self.y = y
    self.x = x
    self.dimmed = dimmed
    self.pointsOnly = pointsOnly
  }

  /// The number of points.
  var count: Int { x.map { min($0.count, y.count) } ?? y.count }

  /// The x value of point `i`.
  func xValue(_ i: Int) -> Double { x?[i] ?? Double(i) }

  /// Whether `x` lies in one of the dimmed intervals.
  func isDimmed(_ x: Double) -> Bool { dimmed.contains { $0.contains(x) } }

  /// The x-intervals covered by runs of `true` in `mask`, for `dimmed`. Point i stands for
  /// [x[i], x[i+1]); the last point's interval ends just after it. With x nil, x[i] = i.
  ///
  ///     Series.intervals(where: [true, true, false, true]) == [0..<2, 3..<4]
  public static func intervals(where mask: [Bool], x: [Double]? = nil) -> [Range<Double>] {
    let count = x.map { min($0.count, mask.count) } ?? mask.count
    func position(_ i: Int) -> Double { x?[i] ?? Double(i) }
    func end(_ i: Int) -> Double {
      i + 1 < count ? position(i + 1) : (x == nil ? Double(count) : position(i).nextUp)
    }
    var intervals: [Range<Double>] = []
    var runStart: Int? = nil
    for i in 0..<count {
      if mask[i], runStart == nil { runStart = i }
      let runEnds = mask[i] && (i + 1 == count || !mask[i + 1])
      if runEnds, let start = runStart {
        if position(start) < end(i) { intervals.append(position(start)..<end(i)) }
        runStart = nil
      }
    }
    return intervals
  }
}
