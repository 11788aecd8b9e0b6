// lineChart: curves on a braille canvas inside a frame, with ticks, labels and a legend.
// At width 44, height 5, without colour:
//
//   y label              title
//      ┌───────────────────────────────────────┐
//    1 ┤⠉⠉⠑⠢⢄⡠⠔⠊⠉⠉⠉⠑*⠢⢄⡀                 ⣀⠤⠒⠉+⠉│   y ticks: top, middle and bottom of the
//      │ ⢀*⠊⠁⠈⠑+⡀      ⠈⠑⢄⡀           ⣀⠔⠉      │   range, marked "┤" on the frame
//    0 ┤⠔⠁      ⠈⠑⢄⡀      ⠈⠢⡀      ⢀⠤⠊       ⢀⠤│
//      │           ⠈⠢⢄      ⠈⠒*  ⡠⠒+      ⣀⠤⠒⠁ │
//   -1 ┤              ⠑⠢⠤+⣀⣀⣀⠤⠤⠛⠛⠤⠤⣀⣀⣀⣀⠤*⠉     │
//      └┬──────────────────┬──────────────────┬┘   "┬" above each x tick label
//       ▀▀▀▀▀▀                                     ruler: columns inside dimmed intervals
//       0                3.14              6.28    x ticks: both ends and the middle
//                       x label
//       ─*─ sine   ─+─ cosine   ▀▀▀ dimmed         legend, wrapped to the width
//
// With colour each series has its own colour and dimmed parts of curves are grey. Without
// colour and with several series, each series also carries its own marker character ("*", "+",
// "o", …) every few columns along its curve, repeated in the legend, so curves can be told
// apart in plain text. The dimmed ruler is drawn in both modes. Lines are separated by "\n";
// there is no final newline.

/// Draws series as a line chart and returns it as text, `width` columns wide.
///
/// - Parameters:
///   - series: the curves, drawn in order (later ones on top).
///   - title: centred above the chart.
///   - xLabel: centred below the x tick labels.
///   - yLabel: at the top left, above the y tick labels.
///   - width: total width of the output in columns; no line is longer.
///   - height: rows of the plotting area (each row is four braille pixels tall).
///   - yScale: `.linear`, or `.log10` for losses (values ≤ 0 are skipped).
///   - xRange: the x range shown; by default the data's.
///   - yRange: the y range shown; by default the data's, widened to round numbers.
///   - colorMode: how much colour to use (see `ColorMode.detect`).
///   - dimmedLabel: the legend text for dimmed intervals.
public func lineChart(
  series: [Series],
  title: String = "",
  xLabel: String = "",
  yLabel: String = "",
  width: Int = 80,
  height: Int = 15,
  yScale: AxisScale = .linear,
  xRange: ClosedRange<Double>? = nil,
  yRange: ClosedRange<Double>? = nil,
  colorMode: ColorMode = .none,
  dimmedLabel: String = "dimmed"
) -> String {
  let width = max(1, width)
  let height = max(1, height)
  guard let (xAxis, yAxis) = chartAxes(series, yScale: yScale, xRange: xRange, yRange: yRange)
  else {
    return noDataChart(title: title, width: width, height: height)
  }
  var chart = LineChartLayout(
    series: series, xAxis: xAxis, yAxis: yAxis, width: width, height: height,
    colorMode: colorMode)
  return chart.render(title: title, xLabel: xLabel, yLabel: yLabel, dimmedLabel: dimmedLabel)
}

// MARK: - Axes

/// The x and y axes for the series and the requested ranges, or nil when no point is drawable.
/// A requested range that cannot be used (not finite, or ≤ 0 on a log axis) is ignored.
func chartAxes(
  _ series: [Series], yScale: AxisScale, xRange: ClosedRange<Double>?,
  yRange: ClosedRange<Double>?
) -> (Axis, Axis)? {
  var xs: [Double] = []
  var ys: [Double] = []
  for s in series {
    for i in 0..<s.count where s.xValue(i).isFinite && yScale.transform(s.y[i]) != nil {
      xs.append(s.xValue(i))
      ys.append(s.y[i])
    }
  }
  guard !xs.isEmpty else { return nil }
  let x = usable(xRange, .linear).map {
    Axis.spanning($0.lowerBound, $0.upperBound, scale: .linear, rounded: false)
  }
  let y = usable(yRange, yScale).map {
    Axis.spanning($0.lowerBound, $0.upperBound, scale: yScale, rounded: false)
  }
  return (
    x ?? Axis.fitting(xs, scale: .linear, rounded: false)!,
    y ?? Axis.fitting(ys, scale: yScale, rounded: true)!
  )
}

private func usable(_ range: ClosedRange<Double>?, _ scale: AxisScale) -> ClosedRange<Double>? {
  guard let range, scale.transform(range.lowerBound) != nil,
    scale.transform(range.upperBound) != nil
  else { return nil }
  return range
}

// MARK: - Empty chart

/// A frame with "(no data)" in the middle, for series with nothing to draw.
func noDataChart(title: String, width: Int, height: Int) -> String {
  let inner = max(1, width - 2)
  var frame = Frame(
    gutterWidth: 0, innerWidth: inner, body: Array(repeating: .blank(inner), count: height))
  let message = "(no data)".truncated(to: inner)
  frame.body[(height - 1) / 2].write(message, at: (inner - message.count) / 2)
  let lines = headerLines(title: title, axisLabel: "", frame: frame, width: width) + frame.lines()
  return lines.map { ANSI.render(Array($0.prefix(width)), mode: .none) }.joined(separator: "\n")
}
