// A pixel grid of colours drawn with half blocks, for heatmaps: each character cell shows two
// pixels stacked vertically, using LOWER HALF BLOCK "▄" with the foreground set to the lower
// pixel's colour and the background to the upper pixel's. Terminal cells are about twice as tall
// as wide, so these pixels are roughly square.
//
// A canvas with an odd number of pixel rows has a last character row with only an upper pixel;
// it is drawn as UPPER HALF BLOCK "▀" in that pixel's colour, over the default background.
// A pixel without colour (nil) shows the terminal's background.
//
// The picture lives entirely in the colours, so in ColorMode.none only the block shapes remain;
// the heatmap uses a character ramp instead in that mode.

/// A grid of colour pixels, two per character cell (upper and lower), for heatmaps.
public struct HalfBlockCanvas: Sendable {
  /// Width in character cells (and pixels).
  public let columns: Int
  /// Height in pixels; the canvas is `(pixelRows + 1) / 2` characters tall.
  public let pixelRows: Int
  /// Pixel colours, row-major.
  private var pixels: [RGB?]

  /// An empty canvas `columns` wide and `pixelRows` pixels tall.
  public init(columns: Int, pixelRows: Int) {
    precondition(columns >= 0 && pixelRows >= 0, "canvas size must be non-negative")
    self.columns = columns
    self.pixelRows = pixelRows
    pixels = Array(repeating: nil, count: columns * pixelRows)
  }

  /// Height in character cells.
  public var rows: Int { (pixelRows + 1) / 2 }

  /// Colours pixel (x, y), y counting from the top; pixels outside the canvas are ignored.
  public mutating func setPixel(x: Int, y: Int, color: RGB?) {
    guard (0..<columns).contains(x), (0..<pixelRows).contains(y) else { return }
    pixels[y * columns + x] = color
  }

  /// The colour of pixel (x, y), or nil outside the canvas or when unset.
  public func pixel(x: Int, y: Int) -> RGB? {
    guard (0..<columns).contains(x), (0..<pixelRows).contains(y) else { return nil }
    return pixels[y * columns + x]
  }

  /// The canvas as text, one string per character row.
  public func lines(colorMode: ColorMode) -> [String] {
    (0..<rows).map { ANSI.render(glyphs(row: $0), mode: colorMode) }
  }

  /// One character row as glyphs: pixel rows 2·row (upper) and 2·row + 1 (lower).
  func glyphs(row: Int) -> [Glyph] {
    (0..<columns).map { x in
      switch (pixel(x: x, y: 2 * row), pixel(x: x, y: 2 * row + 1)) {
      case (nil, nil): return Glyph.space
      case (let upper?, nil): return Glyph("▀", foreground: upper)
      case (let upper, let lower?): return Glyph("▄", foreground: lower, background: upper)
      }
    }
  }
}
