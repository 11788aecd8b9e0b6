// The charts the snapshot tests pin, built from closed-form data (no random numbers), so the
// same code renders them in tests and in the optional preview.

import Foundation
import TermPlot

enum Samples {
  /// sin and cos over one period, 100 points, with a legend.
  static func sineAndCosine(width: Int = 80, colorMode: ColorMode = .none) -> String {
    let x = (0..<100).map { Double($0) * 2 * Double.pi / 99 }
    return lineChart(
      series: [
        Series(name: "sin(x)", y: x.map { sin($0) }, x: x),
        Series(name: "cos(x)", y: x.map { cos($0) }, x: x),
      ],
      title: "sine and cosine", xLabel: "x (radians)", yLabel: "y", width: width, height: 15,
      colorMode: colorMode)
  }

  /// A decaying training loss with a ripple, on a log axis.
  static func lossCurve(width: Int = 80, colorMode: ColorMode = .none) -> String {
    let losses = (0..<500).map { (i: Int) -> Double in
      let step = Double(i)
      let ripple = 1 + 0.1 * sin(step / 3)
      return (0.6 * exp(-step / 80) + 0.0015) * ripple
    }
    return lineChart(
      series: [Series(name: "loss", y: losses)], title: "training loss", xLabel: "iteration",
      yLabel: "loss", width: width, height: 12, yScale: .log10, colorMode: colorMode)
  }

  /// A network output against its target, with the time steps the loss mask ignores dimmed.
  static func outputAndTarget(width: Int = 80, colorMode: ColorMode = .none) -> String {
    let steps = 100
    let target = (0..<steps).map { $0 < 60 ? 0.2 : 1.0 }
    let output = (0..<steps).map { (t: Int) -> Double in
      t < 60 ? 0.2 + 0.05 * sin(Double(t) / 3) : 1 - 0.8 * exp(-Double(t - 60) / 8)
    }
    let masked = Series.intervals(where: (0..<steps).map { (50..<65).contains($0) })
    return lineChart(
      series: [
        Series(name: "output", y: output, dimmed: masked),
        Series(name: "target", y: target, dimmed: masked),
      ],
      title: "trial 0, output 1", xLabel: "time step", width: width, height: 10,
      colorMode: colorMode, dimmedLabel: "mask = 0")
  }

  /// A smooth bump of "firing rates", 30 units × 40 time steps.
  static func firingRates(width: Int = 80, colorMode: ColorMode = .none) -> String {
    heatmap(
      rows: 30, cols: 40,
      value: { r, c in exp(-Double((r - 15) * (r - 15) + (c - 20) * (c - 20)) / 80) },
      title: "firing rates", rowLabel: "unit", colLabel: "time", map: .sequential,
      width: width, height: 20, colorMode: colorMode)
  }

  /// A signed "weight matrix" obeying Dale's law: 24 excitatory units (columns 0–23, weights
  /// ≥ 0) and 8 inhibitory ones (columns 24–31, weights ≤ 0, stronger), rows marked by type.
  static func daleWeights(width: Int = 80, colorMode: ColorMode = .none) -> String {
    let units = 32
    func weight(_ r: Int, _ c: Int) -> Double {
      let magnitude = hashFraction(r, c)
      return c < 24 ? 0.4 * magnitude : -magnitude
    }
    return heatmap(
      rows: units, cols: units, value: weight, title: "W_rec", rowLabel: "to unit",
      colLabel: "from unit", map: .diverging, width: width, height: 24, colorMode: colorMode,
      rowMarks: [RowMark(row: 0, label: "exc"), RowMark(row: 24, label: "inh")])
  }

  /// A fixed pseudo-random number in 0..<1 for each (r, c): integer hashing, so it is the same
  /// on every platform.
  static func hashFraction(_ r: Int, _ c: Int) -> Double {
    var h = UInt64(r &* 73_856_093 ^ c &* 19_349_663) &+ 0x9E37_79B9_7F4A_7C15
    h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 31
    return Double(h >> 11) / Double(1 << 53)
  }

  /// Every sample, by name.
  static func all(width: Int = 80, colorMode: ColorMode = .none) -> [(String, String)] {
    [
      ("line-sine-cosine", sineAndCosine(width: width, colorMode: colorMode)),
      ("line-log-loss", lossCurve(width: width, colorMode: colorMode)),
      ("line-output-target", outputAndTarget(width: width, colorMode: colorMode)),
      ("heatmap-sequential", firingRates(width: width, colorMode: colorMode)),
      ("heatmap-diverging-marks", daleWeights(width: width, colorMode: colorMode)),
    ]
  }
}
