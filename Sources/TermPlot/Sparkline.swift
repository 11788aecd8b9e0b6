// A one-line chart of eight bar heights, for progress lines: "▁▂▃▅▆▇█▇▅".

/// The values as a row of bars ▁▂▃▄▅▆▇█, lowest value to highest (or over `range` when given,
/// clamped). Non-finite values are spaces; a constant series is a row of middle bars "▄".
/// With `width`, the values are averaged into at most that many bars.
public func sparkline(
  _ values: [Double], range: ClosedRange<Double>? = nil, width: Int? = nil
)
  -> String
{
  let bars: [Character] = Array("▁▂▃▄▅▆▇█")
  let values = width.map { shrink(values, to: max(1, $0)) } ?? values
  let finite = values.filter(\.isFinite)
  guard let lo = range?.lowerBound ?? finite.min(), let hi = range?.upperBound ?? finite.max()
  else {
    return String(repeating: " ", count: values.count)
  }
  return String(
    values.map { v -> Character in
      guard v.isFinite else { return " " }
      guard hi > lo else { return bars[3] }
      let t = min(1, max(0, (v - lo) / (hi - lo)))
      return bars[min(bars.count - 1, Int(t * Double(bars.count)))]
    })
}

/// The values averaged into `count` consecutive groups (unchanged when there are fewer).
private func shrink(_ values: [Double], to count: Int) -> [Double] {
  guard values.count > count else { return values }
  return (0..<count).map { p in
    let group = values[span(p, of: count, over: 0..<values.count)].filter(\.isFinite)
    return group.isEmpty ? .nan : group.reduce(0, +) / Double(group.count)
  }
}
