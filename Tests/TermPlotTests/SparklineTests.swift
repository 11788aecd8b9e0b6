// Sparklines for progress lines.

import Testing

@testable import TermPlot

@Test func sparklineSpansLowestToHighest() {
  #expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
  #expect(sparkline([8, 1]) == "█▁")
}

@Test func sparklineDegenerateInputs() {
  #expect(sparkline([]) == "")
  #expect(sparkline([3, 3, 3]) == "▄▄▄")
  #expect(sparkline([1, .nan, 2]) == "▁ █")
  #expect(sparkline([.nan, .nan]) == "  ")
}

@Test func sparklineRangeAndWidth() {
  #expect(sparkline([0, 5, 10], range: 0...20) == "▁▃▅")
  #expect(sparkline([-5, 50], range: 0...10) == "▁█")  // clamped
  #expect(sparkline((0..<100).map(Double.init), width: 10).count == 10)
  #expect(sparkline([1, 2], width: 10) == "▁█")
}
