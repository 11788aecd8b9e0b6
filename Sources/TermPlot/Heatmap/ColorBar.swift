// The key to a heatmap's colours, drawn right of the frame: a two-column gradient from the top of
// the range (top) to the bottom (bottom), labelled with the range's ends and middle. In plain
// mode the gradient is the character ramp itself.

/// A vertical colour bar with value labels.
struct ColorBar {
  var map: ColorMap
  var range: ClosedRange<Double>
  var colorMode: ColorMode

  /// Labels for the top, middle and bottom of the range.
  private var labels: [String] {
    [range.upperBound, (range.lowerBound + range.upperBound) / 2, range.lowerBound].map {
      formatTick($0)
    }
  }

  /// Columns taken right of the frame: a space, two bar columns, a space, the widest label.
  var width: Int { 4 + (labels.map(\.count).max() ?? 0) }

  /// The bar and its labels for a frame body of `rows` text rows, by row.
  func glyphs(rows: Int) -> [Int: [Glyph]] {
    let bar = barGlyphs(rows: rows)
    var labelled: [Int: String] = [:]
    // Top first, then bottom, then middle; a row or text already used is skipped (a one-row
    // bar gets only the top label, a constant map only one label).
    for (row, text) in zip([0, rows - 1, (rows - 1) / 2], [labels[0], labels[2], labels[1]])
    where labelled[row] == nil && !labelled.values.contains(text) {
      labelled[row] = text
    }
    var side: [Int: [Glyph]] = [:]
    for row in 0..<rows {
      let label = labelled[row].map { " " + $0 } ?? ""
      side[row] = [Glyph.space] + bar[row] + Glyph.text(label)
    }
    return side
  }

  /// The fraction of the range shown at position `i` of `n` from the top (1 at the top).
  private func fraction(_ i: Int, of n: Int) -> Double {
    n > 1 ? 1 - Double(i) / Double(n - 1) : 1
  }

  /// Two columns of bar per text row: half blocks in colour, ramp characters in plain text.
  private func barGlyphs(rows: Int) -> [[Glyph]] {
    guard colorMode != .none else {
      return (0..<rows).map {
        Array(repeating: Glyph(map.symbol(at: fraction($0, of: rows))), count: 2)
      }
    }
    var canvas = HalfBlockCanvas(columns: 2, pixelRows: 2 * rows)
    for y in 0..<(2 * rows) {
      let color = map.color(at: fraction(y, of: 2 * rows))
      canvas.setPixel(x: 0, y: y, color: color)
      canvas.setPixel(x: 1, y: y, color: color)
    }
    return (0..<rows).map { canvas.glyphs(row: $0) }
  }
}
