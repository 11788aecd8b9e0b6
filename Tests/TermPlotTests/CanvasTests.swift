// The two canvases: braille dot bits and line drawing; half-block pixel pairs and odd heights.

import Testing

@testable import TermPlot

@Test func brailleDotBitsFollowTheUnicodeLayout() {
  let expected: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
  for x in 0..<2 {
    for y in 0..<4 { #expect(BrailleCanvas.dotBit(x: x, y: y) == expected[x][y]) }
  }
}

@Test func eachBraillePixelRaisesOneDot() {
  for x in 0..<2 {
    for y in 0..<4 {
      var canvas = BrailleCanvas(columns: 1, rows: 1)
      canvas.setPixel(x: x, y: y)
      let scalar = canvas.character(column: 0, row: 0).unicodeScalars.first!.value
      #expect(scalar == 0x2800 + UInt32(BrailleCanvas.dotBit(x: x, y: y)))
    }
  }
}

@Test func fullAndEmptyBrailleCells() {
  var canvas = BrailleCanvas(columns: 2, rows: 1)
  for x in 0..<2 { for y in 0..<4 { canvas.setPixel(x: x, y: y) } }
  #expect(canvas.character(column: 0, row: 0) == "⣿")
  #expect(canvas.character(column: 1, row: 0) == " ")  // empty cells are spaces, not U+2800
  #expect(canvas.lines(colorMode: .none) == ["⣿"])  // trailing blank dropped
}

@Test func braillePixelsOutsideTheCanvasAreIgnored() {
  var canvas = BrailleCanvas(columns: 1, rows: 1)
  canvas.setPixel(x: -1, y: 0)
  canvas.setPixel(x: 2, y: 0)
  canvas.setPixel(x: 0, y: 4)
  #expect(canvas.isEmpty(column: 0, row: 0))
}

@Test func brailleLinesJoinTheirEndpoints() {
  var horizontal = BrailleCanvas(columns: 2, rows: 1)
  horizontal.drawLine(from: (0, 0), to: (3, 0))
  #expect(horizontal.lines(colorMode: .none) == ["⠉⠉"])

  var diagonal = BrailleCanvas(columns: 2, rows: 1)
  diagonal.drawLine(from: (3, 3), to: (0, 0))  // drawn backwards: same dots
  #expect(diagonal.lines(colorMode: .none) == ["⠑⢄"])

  var vertical = BrailleCanvas(columns: 1, rows: 2)
  vertical.drawLine(from: (1, 0), to: (1, 7))
  #expect(vertical.lines(colorMode: .none) == ["⢸", "⢸"])
}

@Test func brailleCellTakesTheColourOfItsLastDot() {
  let red = RGB(255, 0, 0)
  let blue = RGB(0, 0, 255)
  var canvas = BrailleCanvas(columns: 1, rows: 1)
  canvas.setPixel(x: 0, y: 0, color: red)
  canvas.setPixel(x: 1, y: 3, color: blue)
  #expect(canvas.color(column: 0, row: 0) == blue)
  #expect(canvas.lines(colorMode: .trueColor) == ["\u{1B}[38;2;0;0;255m⢁\u{1B}[0m"])
}

@Test func halfBlocksShowUpperAsBackgroundAndLowerAsForeground() {
  let top = RGB(10, 20, 30)
  let bottom = RGB(40, 50, 60)
  var canvas = HalfBlockCanvas(columns: 1, pixelRows: 2)
  canvas.setPixel(x: 0, y: 0, color: top)
  canvas.setPixel(x: 0, y: 1, color: bottom)
  #expect(canvas.glyphs(row: 0) == [Glyph("▄", foreground: bottom, background: top)])
  #expect(
    canvas.lines(colorMode: .trueColor) == ["\u{1B}[38;2;40;50;60m\u{1B}[48;2;10;20;30m▄\u{1B}[0m"])
}

@Test func oddHalfBlockHeightEndsWithAnUpperHalf() {
  let c = RGB(1, 2, 3)
  var canvas = HalfBlockCanvas(columns: 2, pixelRows: 3)
  for x in 0..<2 { for y in 0..<3 { canvas.setPixel(x: x, y: y, color: c) } }
  #expect(canvas.rows == 2)
  #expect(canvas.glyphs(row: 1) == [Glyph("▀", foreground: c), Glyph("▀", foreground: c)])
}

@Test func emptyHalfBlockPixelsShowTheTerminalBackground() {
  let c = RGB(1, 2, 3)
  var canvas = HalfBlockCanvas(columns: 3, pixelRows: 2)
  canvas.setPixel(x: 1, y: 1, color: c)
  #expect(canvas.glyphs(row: 0) == [.space, Glyph("▄", foreground: c), .space])
}
