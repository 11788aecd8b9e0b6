// A pixel grid drawn with braille characters: each character cell holds 2 × 4 dots, so a canvas
// of `columns` × `rows` cells has (2·columns) × (4·rows) pixels. Pixel (0, 0) is the top-left dot.
//
// A braille character is U+2800 plus one bit per raised dot. Within a cell, dot (x, y) with
// x = 0…1 (left, right) and y = 0…3 (top to bottom) has the bit
//         x = 0   x = 1
//   y = 0  0x01    0x08
//   y = 1  0x02    0x10
//   y = 2  0x04    0x20
//   y = 3  0x40    0x80
// (the bottom row was added to the 6-dot alphabet later, hence its out-of-order bits).
// Each cell also keeps one colour: that of the last dot drawn in it. Empty cells render as a
// space, not U+2800, so that copied text stays clean.

/// A grid of braille cells, 2 × 4 pixels each, for line charts.
public struct BrailleCanvas: Sendable {
  /// Width in character cells.
  public let columns: Int
  /// Height in character cells.
  public let rows: Int
  /// The dot bits of each cell, row-major.
  private var bits: [UInt8]
  /// The colour of each cell (that of the last dot drawn in it), row-major.
  private var colors: [RGB?]

  /// An empty canvas of `columns` × `rows` character cells.
  public init(columns: Int, rows: Int) {
    precondition(columns >= 0 && rows >= 0, "canvas size must be non-negative")
    self.columns = columns
    self.rows = rows
    bits = Array(repeating: 0, count: columns * rows)
    colors = Array(repeating: nil, count: columns * rows)
  }

  /// Width in pixels (two per cell).
  public var pixelWidth: Int { columns * 2 }
  /// Height in pixels (four per cell).
  public var pixelHeight: Int { rows * 4 }

  /// The bit of dot (x, y) within a cell, x in 0…1 (left, right) and y in 0…3 (top to bottom).
  public static func dotBit(x: Int, y: Int) -> UInt8 {
    let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
    let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
    return x == 0 ? left[y] : right[y]
  }

  // MARK: - Drawing

  /// Raises the dot at pixel (x, y); pixels outside the canvas are ignored.
  public mutating func setPixel(x: Int, y: Int, color: RGB? = nil) {
    guard (0..<pixelWidth).contains(x), (0..<pixelHeight).contains(y) else { return }
    let cell = (y / 4) * columns + x / 2
    bits[cell] |= BrailleCanvas.dotBit(x: x % 2, y: y % 4)
    colors[cell] = color
  }

  /// Draws a straight line of dots between two pixels, both included (Bresenham's algorithm:
  /// step one pixel along the longer axis, and along the shorter one whenever the accumulated
  /// error passes half a pixel).
  public mutating func drawLine(
    from start: (x: Int, y: Int), to end: (x: Int, y: Int), color: RGB? = nil
  ) {
    let dx = abs(end.x - start.x)
    let dy = -abs(end.y - start.y)
    let stepX = start.x < end.x ? 1 : -1
    let stepY = start.y < end.y ? 1 : -1
    var x = start.x
    var y = start.y
    var error = dx + dy
    while true {
      setPixel(x: x, y: y, color: color)
      if x == end.x && y == end.y { return }
      let doubled = 2 * error
      if doubled >= dy {
        error += dy
        x += stepX
      }
      if doubled <= dx {
        error += dx
        y += stepY
      }
    }
  }

  // MARK: - Reading

  /// The braille character of cell (column, row), or a space when the cell has no dots.
  public func character(column: Int, row: Int) -> Character {
    let cellBits = bits[row * columns + column]
    guard cellBits != 0 else { return " " }
    return Character(Unicode.Scalar(0x2800 + UInt32(cellBits))!)
  }

  /// The colour of cell (column, row): that of the last dot drawn in it.
  public func color(column: Int, row: Int) -> RGB? {
    colors[row * columns + column]
  }

  /// Whether cell (column, row) has any dot raised.
  public func isEmpty(column: Int, row: Int) -> Bool {
    bits[row * columns + column] == 0
  }

  /// The canvas as text, one string per row of cells.
  public func lines(colorMode: ColorMode) -> [String] {
    (0..<rows).map { ANSI.render(glyphs(row: $0), mode: colorMode) }
  }

  /// One row of cells as glyphs.
  func glyphs(row: Int) -> [Glyph] {
    (0..<columns).map {
      Glyph(character(column: $0, row: row), foreground: color(column: $0, row: row))
    }
  }
}
