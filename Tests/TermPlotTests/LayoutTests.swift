// Sizes and awkward inputs: no line is ever wider than asked, and empty, constant, non-finite,
// single-point and 1×1 inputs still give a sensible chart.

import Foundation
import Testing

@testable import TermPlot

/// The display width of each line of `text`.
private func lineWidths(_ text: String) -> [Int] {
  text.split(separator: "\n", omittingEmptySubsequences: false).map {
    ANSI.visibleWidth(String($0))
  }
}

// MARK: - Widths

@Test(arguments: [40, 80, 120])
func samplesRespectTheirWidth(width: Int) {
  for mode in [ColorMode.none, .ansi256, .trueColor] {
    for (name, text) in Samples.all(width: width, colorMode: mode) {
      let widths = lineWidths(text)
      #expect(widths.allSatisfy { $0 <= width }, "\(name) at \(width) in \(mode): \(widths.max()!)")
    }
  }
}

@Test(arguments: [1, 5, 12, 20])
func tinyWidthsAreRespectedToo(width: Int) {
  for (name, text) in Samples.all(width: width) {
    #expect(lineWidths(text).allSatisfy { $0 <= width }, "\(name) at \(width)")
  }
  let long = Series(name: "a series with a rather long name", y: [1, 2, 3])
  let chart = lineChart(series: [long], title: String(repeating: "title ", count: 20), width: width)
  #expect(lineWidths(chart).allSatisfy { $0 <= width })
}

@Test func lineChartFillsTheWidthAndHeightAsked() {
  let text = Samples.sineAndCosine(width: 80)
  let lines = text.split(separator: "\n").map(String.init)
  let frameLines = lines.filter { $0.contains("│") || $0.contains("┤") }
  #expect(frameLines.count == 15)  // height = rows of the plotting area
  #expect(lines.contains { ANSI.visibleWidth($0) == 80 })  // the frame reaches the right edge
}

@Test func heatmapStaysWithinItsHeight() {
  let text = heatmap(rows: 200, cols: 10, value: { r, _ in Double(r) }, height: 12)
  let bodyLines = text.split(separator: "\n").filter { $0.contains("│") || $0.contains("┤") }
  #expect(bodyLines.count <= 12)
  let withMarks = heatmap(
    rows: 200, cols: 10, value: { r, _ in Double(r) }, height: 12,
    rowMarks: [RowMark(row: 100, label: "b"), RowMark(row: 150, label: "c")])
  #expect(
    withMarks.split(separator: "\n").filter { $0.contains("│") || $0.contains("┤") }.count <= 12)
}

@Test func renderingIsDeterministic() {
  #expect(Samples.all(colorMode: .ansi256).map(\.1) == Samples.all(colorMode: .ansi256).map(\.1))
}

// MARK: - Degenerate line charts

@Test func emptyInputSaysNoData() {
  #expect(lineChart(series: []).contains("(no data)"))
  #expect(lineChart(series: [Series(name: "x", y: [])]).contains("(no data)"))
  #expect(lineChart(series: [Series(y: [.nan, .infinity])]).contains("(no data)"))
  #expect(lineChart(series: [Series(y: [0, -1])], yScale: .log10).contains("(no data)"))
  let empty = lineChart(series: [], title: "loss", width: 30, height: 3)
  #expect(
    empty == """
                   loss
      ┌────────────────────────────┐
      │                            │
      │         (no data)          │
      │                            │
      └────────────────────────────┘
      """)
}

@Test func constantSeriesIsAFlatLineInTheMiddle() {
  let text = lineChart(series: [Series(y: [2, 2, 2, 2])], width: 30, height: 5)
  #expect(text.contains("2.2"))
  #expect(text.contains("1.8"))
  let middle = text.split(separator: "\n")[3]  // top border, then rows 0, 1, 2
  #expect(middle.contains("⠤"))
  #expect(!text.contains("nan") && !text.contains("inf"))
}

@Test func singlePointIsOneDot() {
  let text = lineChart(series: [Series(y: [5])], width: 30, height: 5)
  let dots = text.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }
  #expect(dots.count == 1)
}

@Test func nonFiniteValuesLeaveGaps() {
  let y: [Double] = [0, 1, .nan, 1, 0, .infinity, -1]
  let text = lineChart(series: [Series(y: y)], width: 40, height: 6)
  #expect(!text.contains("(no data)"))
  #expect(text.contains("-1"))  // the last finite point still sets the range
}

@Test func logScaleSkipsNonPositiveValues() {
  let text = lineChart(series: [Series(y: [1, 0, 0.1, -2, 0.01])], width: 40, yScale: .log10)
  #expect(text.contains("0.01"))
  #expect(text.contains("1"))
}

@Test func narrowRangesClipInsteadOfOverflowing() {
  let y = (0..<50).map { Double($0 * $0) }
  let text = lineChart(
    series: [Series(y: y)], width: 50, height: 5, xRange: 10...20, yRange: 100...200)
  #expect(lineWidths(text).allSatisfy { $0 <= 50 })
  #expect(text.contains("200") && text.contains("20"))
}

@Test func unusableRangesAreIgnored() {
  let text = lineChart(series: [Series(y: [1, 10, 100])], yScale: .log10, yRange: -1...10)
  #expect(text.contains("100"))  // the data's range, not -1...10
}

@Test func plainSeriesAreToldApartByMarkers() {
  let text = Samples.sineAndCosine()
  #expect(text.contains("─*─ sin(x)") && text.contains("─+─ cos(x)"))
  let body = text.split(separator: "\n").filter { $0.contains("│") }.joined()
  #expect(body.contains("*") && body.contains("+"))
  let coloured = Samples.sineAndCosine(colorMode: .ansi256)
  #expect(!coloured.contains("*"))  // colour tells them apart instead
}

@Test func dimmedIntervalsGetARulerAndALegendEntry() {
  let text = Samples.outputAndTarget()
  #expect(text.contains("▀▀▀ mask = 0"))
  let ruler = text.split(separator: "\n").first {
    $0.hasPrefix(" ") && $0.contains("▀") && !$0.contains("mask")
  }
  #expect(ruler != nil)
  #expect(!Samples.sineAndCosine().contains("▀"))
}

@Test func maskRunsBecomeIntervals() {
  #expect(Series.intervals(where: [true, true, false, true]) == [0..<2, 3..<4])
  #expect(Series.intervals(where: []) == [])
  #expect(Series.intervals(where: [false, true, true], x: [0, 10, 20]) == [10..<20.nextUp])
  #expect(Series.intervals(where: [true, false], x: [0, 0.5]) == [0..<0.5])
}

// MARK: - Degenerate heatmaps

@Test func oneByOneHeatmap() {
  // A constant map sits at the middle of the ramp ("+"); the one-row colour bar shows the top.
  let plain = heatmap(rows: 1, cols: 1, value: { _, _ in 0.3 }, width: 40)
  #expect(
    plain == """
        ┌──┐
      0 ┤++│ @@ 0.3
        └┬─┘
         0
      """)
  let coloured = heatmap(rows: 1, cols: 1, value: { _, _ in 0.3 }, colorMode: .trueColor)
  #expect(coloured.contains("▀"))
  #expect(lineWidths(coloured).allSatisfy { $0 <= 80 })
}

@Test func emptyHeatmapSaysNoData() {
  #expect(heatmap(rows: 0, cols: 5, value: { _, _ in 1 }).contains("(no data)"))
  #expect(heatmap(rows: 5, cols: 0, value: { _, _ in 1 }).contains("(no data)"))
}

@Test func nonFiniteHeatmapEntriesShowAsQuestionMarks() {
  let text = heatmap(rows: 2, cols: 2, value: { r, c in r == c ? .nan : 1 })
  #expect(text.contains("?"))
  let allNaN = heatmap(rows: 2, cols: 2, value: { _, _ in .nan }, colorMode: .ansi256)
  #expect(lineWidths(allNaN).allSatisfy { $0 <= 80 })
}

@Test func constantHeatmapUsesTheMiddleOfTheMap() {
  let text = heatmap(rows: 3, cols: 3, value: { _, _ in 4 }, width: 40)
  #expect(text.contains("++++++"))  // t = 0.5 → "+" on the density ramp
  #expect(text.components(separatedBy: " 4").count - 1 == 1)  // one colour-bar label
}

@Test func divergingRangeIsSymmetricByDefault() {
  #expect(defaultRange([-0.2, 0.5, .nan], map: .diverging) == -0.5...0.5)
  #expect(defaultRange([-0.2, 0.5], map: .sequential) == -0.2...0.5)
  #expect(defaultRange([.nan], map: .sequential) == 0...0)
}

@Test func rowMarksSplitTheMapWithSeparators() {
  let text = Samples.daleWeights()
  #expect(text.split(separator: "\n").filter { $0.contains("├┄") }.count == 1)
  #expect(text.contains("exc  0 ┤") && text.contains("inh 24 ┤"))
}

@Test func downsamplingAveragesBlocks() {
  // 4×4 with entry = row; two pixel rows average rows {0,1} and {2,3}.
  let grid = HeatmapGrid(rows: 4, cols: 4, entries: (0..<16).map { Double($0 / 4) })
  let pixels = grid.downsampled(rows: 0..<4, pixelRows: 2, pixelCols: 2)
  #expect(pixels == [[0.5, 0.5], [2.5, 2.5]])
  #expect(grid.mean(rows: 0..<1, cols: 0..<0) == nil)
}

@Test func marksAreNeverAveragedAcross() {
  let blocks = HeatmapLayout.blocks(
    rows: 10, marks: [RowMark(row: 7, label: "I"), RowMark(row: 99, label: "x")])
  #expect(blocks.map(\.rows) == [0..<7, 7..<10])
  #expect(blocks.map(\.label) == ["", "I"])
}

@Test func extremeValuesDoNotTrap() {
  let huge = lineChart(
    series: [Series(y: [-1e308, 1e308, Double.leastNonzeroMagnitude])], width: 40)
  #expect(lineWidths(huge).allSatisfy { $0 <= 40 })
  let tiny = lineChart(series: [Series(y: [1e-300, 1e-299])], width: 40, yScale: .log10)
  #expect(tiny.contains("e-300") || tiny.contains("e-299"))
  let map = heatmap(rows: 2, cols: 2, value: { r, _ in r == 0 ? -1e308 : 1e308 }, width: 40)
  #expect(lineWidths(map).allSatisfy { $0 <= 40 })
}
