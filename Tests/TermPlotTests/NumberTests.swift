// Tick labels and axis ranges.

import Testing

@testable import TermPlot

@Test(arguments: [
  (0.0, "0"), (-0.0, "0"), (0.35, "0.35"), (-1, "-1"), (6.283185, "6.28"), (1999, "1999"),
  (49.5, "49.5"), (0.001, "0.001"), (0.00025, "2.5e-4"), (1e-5, "1e-5"), (9.996e-5, "1e-4"),
  (1_234_567, "1.23e6"), (0.0525, "0.0525"), (-0.575, "-0.575"), (100, "100"),
])
func tickLabels(value: Double, text: String) {
  #expect(formatTick(value) == text)
}

@Test func decimalExponentIsExactAtPowersOfTen() {
  #expect(decimalExponent(of: 1000) == 3)
  #expect(decimalExponent(of: 999.999) == 2)
  #expect(decimalExponent(of: 0.001) == -3)
  #expect(decimalExponent(of: 1e-300) == -300)
}

@Test func dataRangesRoundOutward() {
  let axis = Axis.fitting([-0.9998, 0.5, 0.9998], scale: .linear, rounded: true)!
  #expect(axis.lower == -1 && axis.upper == 1)
  let loss = Axis.fitting([0.3512, 0.00213], scale: .log10, rounded: true)!
  #expect(formatTick(loss.lower) == "0.0021" && formatTick(loss.upper) == "0.36")
  let exact = Axis.fitting([0.35, 0.0], scale: .linear, rounded: true)!
  #expect(formatTick(exact.upper) == "0.35")
}

@Test func zeroWidthRangesAreWidened() {
  let zero = Axis.spanning(0, 0, scale: .linear, rounded: true)
  #expect(zero.lower == -1 && zero.upper == 1)
  let two = Axis.spanning(2, 2, scale: .linear, rounded: true)
  #expect(two.lower < 2 && two.upper > 2)
  let one = Axis.spanning(1, 1, scale: .log10, rounded: true)
  #expect(abs(one.lower - 0.1) < 1e-12 && abs(one.upper - 10) < 1e-12)
}

@Test func logAxisPlacesDecadesEvenly() {
  let axis = Axis(lower: 0.001, upper: 1, scale: .log10)
  #expect(abs(axis.fraction(of: 0.01)! - 1.0 / 3) < 1e-12)
  #expect(abs(axis.value(atFraction: 2.0 / 3) - 0.1) < 1e-12)
  #expect(axis.fraction(of: 0) == nil)
  #expect(axis.fraction(of: -1) == nil)
}

@Test func segmentsAreClippedToTheBox() {
  let inside = clipToUnitSquare((0.2, 0.2), (0.8, 0.8))!
  #expect(inside.0 == (0.2, 0.2) && inside.1 == (0.8, 0.8))
  let crossing = clipToUnitSquare((-1, 0.5), (2, 0.5))!
  #expect(crossing.0 == (0, 0.5) && crossing.1 == (1, 0.5))
  #expect(clipToUnitSquare((2, 2), (3, 3)) == nil)
}
