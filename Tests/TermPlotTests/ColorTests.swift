// Colour: the 256-colour palette, escape sequences per mode, the colour policy, colour maps.

import Testing

@testable import TermPlot

// MARK: - 256-colour palette

@Test func primariesAndGreysMapToTheirPaletteEntries() {
  #expect(Palette256.nearestIndex(to: RGB(255, 0, 0)) == 196)
  #expect(Palette256.nearestIndex(to: RGB(0, 255, 0)) == 46)
  #expect(Palette256.nearestIndex(to: RGB(0, 0, 255)) == 21)
  #expect(Palette256.nearestIndex(to: RGB(0, 0, 0)) == 16)
  #expect(Palette256.nearestIndex(to: RGB(255, 255, 255)) == 231)
  let grey = Palette256.nearestIndex(to: RGB(128, 128, 128))
  #expect((232...255).contains(grey))
  #expect(grey == 244)  // 8 + 10·12 = 128 exactly
}

@Test func everyPaletteColourMapsBackToItsIndex() {
  for index in 16...255 {
    #expect(Palette256.nearestIndex(to: Palette256.color(atIndex: index)) == index)
  }
}

@Test func nearestMeansNearestToTheEye() {
  // In RGB distance dark navy is nearest to teal (0, 95, 95) = 30; in Lab it is a blue.
  let navy = Palette256.color(atIndex: Palette256.nearestIndex(to: RGB(5, 48, 97)))
  #expect(navy.b > navy.g)
}

@Test func nearColoursSnapToTheCube() {
  #expect(Palette256.nearestIndex(to: RGB(250, 10, 5)) == 196)
  #expect(Palette256.nearestIndex(to: RGB(100, 170, 250)) == 16 + 36 * 1 + 6 * 3 + 5)
}

// MARK: - Escape sequences

@Test func escapesDependOnTheMode() {
  let c = RGB(255, 0, 0)
  #expect(ANSI.paint("x", foreground: c, mode: .ansi256) == "\u{1B}[38;5;196mx\u{1B}[0m")
  #expect(ANSI.paint("x", foreground: c, mode: .trueColor) == "\u{1B}[38;2;255;0;0mx\u{1B}[0m")
  #expect(ANSI.paint("x", foreground: c, mode: .none) == "x")
  #expect(ANSI.background(c, mode: .ansi256) == "\u{1B}[48;5;196m")
  #expect(ANSI.background(c, mode: .none) == "")
}

@Test(arguments: [ColorMode.none, .ansi256, .trueColor])
func chartsUseOnlyTheirModesEscapes(mode: ColorMode) {
  for (name, text) in Samples.all(colorMode: mode) {
    switch mode {
    case .none:
      #expect(!text.contains("\u{1B}"), "\(name)")
    case .ansi256:
      #expect(text.contains("\u{1B}[38;5;"), "\(name)")
      #expect(!text.contains("\u{1B}[38;2;"), "\(name)")
    case .trueColor:
      #expect(text.contains("\u{1B}[38;2;"), "\(name)")
      #expect(!text.contains("\u{1B}[38;5;"), "\(name)")
    }
  }
}

@Test func colouredHeatmapsUseBackgroundsToo() {
  #expect(Samples.firingRates(colorMode: .ansi256).contains("\u{1B}[48;5;"))
  #expect(Samples.daleWeights(colorMode: .trueColor).contains("\u{1B}[48;2;"))
}

@Test func visibleWidthSkipsEscapes() {
  #expect(ANSI.visibleWidth("\u{1B}[38;5;196m⣿⣿\u{1B}[0m ab") == 5)
  #expect(ANSI.visibleWidth("") == 0)
}

// MARK: - Colour policy

struct PolicyCase: Sendable, CustomTestStringConvertible {
  var environment: [String: String]
  var isTerminal: Bool
  var expected: ColorMode
  var testDescription: String { "\(environment) tty=\(isTerminal) → \(expected)" }
}

let policyCases: [PolicyCase] = [
  // plain terminal, pipe, dumb terminal
  PolicyCase(environment: ["TERM": "xterm-256color"], isTerminal: true, expected: .ansi256),
  PolicyCase(environment: [:], isTerminal: true, expected: .ansi256),
  PolicyCase(environment: ["TERM": "xterm-256color"], isTerminal: false, expected: .none),
  PolicyCase(environment: ["TERM": "dumb"], isTerminal: true, expected: .none),
  // 24-bit only when COLORTERM says so
  PolicyCase(environment: ["COLORTERM": "truecolor"], isTerminal: true, expected: .trueColor),
  PolicyCase(environment: ["COLORTERM": "24bit"], isTerminal: true, expected: .trueColor),
  PolicyCase(environment: ["COLORTERM": "yes"], isTerminal: true, expected: .ansi256),
  PolicyCase(environment: ["COLORTERM": "truecolor"], isTerminal: false, expected: .none),
  // NO_COLOR: non-empty disables, empty is ignored
  PolicyCase(environment: ["NO_COLOR": "1"], isTerminal: true, expected: .none),
  PolicyCase(environment: ["NO_COLOR": ""], isTerminal: true, expected: .ansi256),
  // forcing colour into a pipe or a dumb terminal
  PolicyCase(environment: ["FORCE_COLOR": "1"], isTerminal: false, expected: .ansi256),
  PolicyCase(environment: ["CLICOLOR_FORCE": "1"], isTerminal: false, expected: .ansi256),
  PolicyCase(
    environment: ["FORCE_COLOR": "1", "TERM": "dumb"], isTerminal: true, expected: .ansi256),
  PolicyCase(
    environment: ["FORCE_COLOR": "1", "COLORTERM": "truecolor"], isTerminal: false,
    expected: .trueColor),
  PolicyCase(environment: ["FORCE_COLOR": "0"], isTerminal: false, expected: .none),
  PolicyCase(environment: ["FORCE_COLOR": ""], isTerminal: false, expected: .none),
  PolicyCase(environment: ["CLICOLOR_FORCE": "0"], isTerminal: false, expected: .none),
  // NO_COLOR wins over FORCE_COLOR
  PolicyCase(
    environment: ["NO_COLOR": "1", "FORCE_COLOR": "1"], isTerminal: true, expected: .none),
  PolicyCase(
    environment: ["NO_COLOR": "1", "CLICOLOR_FORCE": "1"], isTerminal: false, expected: .none),
]

@Test(arguments: policyCases)
func colourPolicy(_ c: PolicyCase) {
  #expect(ColorMode.detect(environment: c.environment, isTerminal: c.isTerminal) == c.expected)
}

@Test func terminalWidthFallsBackToColumnsThenEighty() {
  #expect(terminalWidth(environment: ["COLUMNS": "120"], measured: 100) == 100)
  #expect(terminalWidth(environment: ["COLUMNS": "120"], measured: nil) == 120)
  #expect(terminalWidth(environment: ["COLUMNS": "120"], measured: 0) == 120)
  #expect(terminalWidth(environment: ["COLUMNS": "wide"], measured: nil) == 80)
  #expect(terminalWidth(environment: ["COLUMNS": "-3"], measured: nil) == 80)
  #expect(terminalWidth(environment: [:], measured: nil) == 80)
}

// MARK: - Colour maps

@Test func colourMapsRunBetweenTheirEndStops() {
  #expect(ColorMap.sequential.color(at: 0) == RGB(hex: 0x440154))
  #expect(ColorMap.sequential.color(at: 1) == RGB(hex: 0xFDE725))
  #expect(ColorMap.diverging.color(at: 0) == RGB(hex: 0x053061))  // most negative: blue
  #expect(ColorMap.diverging.color(at: 0.5) == RGB(hex: 0xF7F7F7))  // zero: near white
  #expect(ColorMap.diverging.color(at: 1) == RGB(hex: 0x67001F))  // most positive: red
  #expect(ColorMap.sequential.color(at: -3) == ColorMap.sequential.color(at: 0))  // clamped
  #expect(ColorMap.sequential.color(at: 7) == ColorMap.sequential.color(at: 1))
}

@Test func densityRampRisesWithValue() {
  #expect(ColorMap.sequential.symbol(at: 0) == " ")
  #expect(ColorMap.sequential.symbol(at: 1) == "@")
  let ramp = ColorMap.densityRamp
  let indices = stride(from: 0.0, through: 1.0, by: 0.01).map { t in
    ramp.firstIndex(of: ColorMap.sequential.symbol(at: t))!
  }
  #expect(indices == indices.sorted())
}

@Test func signedRampKeepsSignsApart() {
  let steps = stride(from: 0.0, through: 1.0, by: 0.005)
  let negative = Set(steps.filter { $0 < 0.5 }.map { ColorMap.diverging.symbol(at: $0) })
  let positive = Set(steps.filter { $0 > 0.5 }.map { ColorMap.diverging.symbol(at: $0) })
  #expect(negative.intersection(positive) == [" "])  // only "about zero" is shared
  #expect(ColorMap.diverging.symbol(at: 0.5) == " ")
  #expect(ColorMap.diverging.symbol(at: 0) == "=")
  #expect(ColorMap.diverging.symbol(at: 1) == "#")
}
