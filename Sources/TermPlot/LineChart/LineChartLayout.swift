// The pieces of a line chart and how they are stacked into lines (see LineChart.swift for a
// picture). Everything is computed from the axes and the requested size, so the same inputs
// always give the same text.

/// Series colours, in order; chosen from the 256-colour cube so both colour modes look alike.
let seriesColors: [RGB] = [
  RGB(95, 175, 255), RGB(255, 175, 95), RGB(135, 215, 135), RGB(215, 135, 215),
  RGB(215, 215, 95), RGB(95, 215, 215), RGB(255, 95, 95), RGB(175, 175, 255),
]
/// The colour of dimmed parts of curves.
let dimColor = RGB(108, 108, 108)
/// Plain-text markers that tell series apart, in order.
let seriesMarkers: [Character] = ["*", "+", "o", "x", "#", "@", "%", "&"]
/// Columns between two markers of the same series.
let markerSpacing = 10

/// A line chart being assembled.
struct LineChartLayout {
  let series: [Series]
  let xAxis: Axis
  let yAxis: Axis
  let width: Int
  let colorMode: ColorMode
  var frame: Frame

  init(series: [Series], xAxis: Axis, yAxis: Axis, width: Int, height: Int, colorMode: ColorMode) {
    self.series = series
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.width = width
    self.colorMode = colorMode
    let ticks = LineChartLayout.yTicks(yAxis, rows: height)
    let gutter = (ticks.map(\.text.count).max() ?? 0) + 1
    let inner = max(1, width - gutter - 2)
    frame = Frame(gutterWidth: gutter, innerWidth: inner, body: [])
    for tick in ticks {
      frame.labels[tick.row] = tick.text
      frame.tickRows.insert(tick.row)
    }
    frame.body = Array(repeating: .blank(inner), count: height)
  }

  /// Whether series carry marker characters (plain text with more than one series).
  var usesMarkers: Bool { colorMode == .none && series.count > 1 }

  /// The finished chart.
  mutating func render(
    title: String, xLabel: String, yLabel: String, dimmedLabel: String
  )
    -> String
  {
    drawCurves()
    let xTicks = xTickLabels()
    frame.bottomTicks = Set(xTicks.map(\.column))
    var lines = headerLines(title: title, axisLabel: yLabel, frame: frame, width: width)
    lines += frame.lines()
    if let ruler = dimmedRuler() { lines.append(ruler) }
    lines.append(tickLabelLine(xTicks, frame: frame, width: width))
    if !xLabel.isEmpty { lines.append(centredLine(xLabel, frame: frame, width: width)) }
    lines += legendLines(dimmedLabel: dimmedLabel)
    return lines.map { ANSI.render(Array($0.prefix(width)), mode: colorMode) }
      .joined(separator: "\n")
  }

  // MARK: - Curves

  private mutating func drawCurves() {
    var plotter = LinePlotter(
      xAxis: xAxis, yAxis: yAxis,
      canvas: BrailleCanvas(columns: frame.innerWidth, rows: frame.body.count))
    for dimmed in [true, false] {
      for (index, s) in series.enumerated() {
        plotter.draw(s, dimmed: dimmed, color: dimmed ? dimColor : color(index))
      }
    }
    frame.body = (0..<plotter.canvas.rows).map { plotter.canvas.glyphs(row: $0) }
    if usesMarkers { placeMarkers() }
  }

  /// Puts each series' marker on its curve every `markerSpacing` columns, series staggered.
  private mutating func placeMarkers() {
    for (index, s) in series.enumerated() {
      var alone = LinePlotter(
        xAxis: xAxis, yAxis: yAxis,
        canvas: BrailleCanvas(columns: frame.innerWidth, rows: frame.body.count))
      alone.draw(s, dimmed: true, color: nil)
      alone.draw(s, dimmed: false, color: nil)
      let offset = markerSpacing * (2 * index + 1) / (2 * series.count)
      for column in stride(from: offset, to: frame.innerWidth, by: markerSpacing) {
        let rows = (0..<frame.body.count).filter { !alone.canvas.isEmpty(column: column, row: $0) }
        guard !rows.isEmpty else { continue }
        frame.body[rows[rows.count / 2]][column] = Glyph(marker(index))
      }
    }
  }

  private func color(_ index: Int) -> RGB { seriesColors[index % seriesColors.count] }
  private func marker(_ index: Int) -> Character { seriesMarkers[index % seriesMarkers.count] }

  // MARK: - Ticks

  /// Tick labels for the top, bottom and middle rows (fewer when rows coincide).
  static func yTicks(_ axis: Axis, rows: Int) -> [(row: Int, text: String)] {
    let candidates = [
      (0, axis.upper), (rows - 1, axis.lower), ((rows - 1) / 2, axis.value(atFraction: 0.5)),
    ]
    var ticks: [(row: Int, text: String)] = []
    for (row, value) in candidates where !ticks.contains(where: { $0.row == row }) {
      ticks.append((row, formatTick(value)))
    }
    return ticks
  }

  /// Tick labels under the first, middle and last columns.
  private func xTickLabels() -> [(column: Int, text: String)] {
    let last = frame.innerWidth - 1
    var ticks = [(column: 0, text: formatTick(xAxis.lower))]
    if last >= 2 { ticks.append((last / 2, formatTick(xAxis.value(atFraction: 0.5)))) }
    if last >= 1 { ticks.append((last, formatTick(xAxis.upper))) }
    return ticks
  }

  // MARK: - Dimmed ruler and legend

  /// A line marking with "▀" the columns whose x lies in a dimmed interval of any series, or nil
  /// when no series has dimmed intervals.
  private func dimmedRuler() -> [Glyph]? {
    guard series.contains(where: { !$0.dimmed.isEmpty }) else { return nil }
    var line = [Glyph].blank(width)
    let pixels = Double(2 * frame.innerWidth - 1)
    for column in 0..<frame.innerWidth {
      let x = xAxis.value(atFraction: (2 * Double(column) + 0.5) / pixels)
      if series.contains(where: { $0.isDimmed(x) }) {
        line.write([Glyph("▀", foreground: dimColor)], at: frame.innerStart + column)
      }
    }
    return line
  }

  /// The legend entries ("─*─ name", the swatch in the series colour), wrapped to the width.
  private func legendLines(dimmedLabel: String) -> [[Glyph]] {
    var entries: [[Glyph]] = []
    for (index, s) in series.enumerated() where !s.name.isEmpty {
      let middle: Character = usesMarkers ? marker(index) : "─"
      entries.append(Glyph.text("─\(middle)─", foreground: color(index)) + Glyph.text(" " + s.name))
    }
    if series.contains(where: { !$0.dimmed.isEmpty }) {
      entries.append(Glyph.text("▀▀▀", foreground: dimColor) + Glyph.text(" " + dimmedLabel))
    }
    return wrap(entries, from: frame.innerStart, width: width)
  }
}

/// Entries laid out left to right from column `start`, three spaces apart, starting a new line
/// when the next entry would not fit.
func wrap(_ entries: [[Glyph]], from start: Int, width: Int) -> [[Glyph]] {
  var lines: [[Glyph]] = []
  var line: [Glyph] = .blank(start)
  for entry in entries {
    if line.count > start && line.count + 3 + entry.count > width {
      lines.append(line)
      line = .blank(start)
    }
    if line.count > start { line += .blank(3) }
    line += entry
  }
  if line.count > start { lines.append(line) }
  return lines
}
