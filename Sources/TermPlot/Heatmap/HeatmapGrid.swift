// The matrix behind a heatmap, and how it is shrunk to the pixels available: each pixel shows
// the mean of the block of entries it covers. Pixel p of n pixels over m ≥ n entries covers
// entries ⌊p·m/n⌋ ..< ⌊(p+1)·m/n⌋, so blocks differ in size by at most one entry.

/// A row-major matrix of heatmap entries.
struct HeatmapGrid {
  let rows: Int
  let cols: Int
  let entries: [Double]

  /// The mean of the finite entries in the given rows and columns, or nil if there are none.
  func mean(rows rowRange: Range<Int>, cols colRange: Range<Int>) -> Double? {
    var sum = 0.0
    var count = 0
    for r in rowRange {
      for c in colRange where entries[r * cols + c].isFinite {
        sum += entries[r * cols + c]
        count += 1
      }
    }
    return count == 0 ? nil : sum / Double(count)
  }

  /// Means over `rowRange` shrunk to `pixelRows` rows and all columns shrunk to `pixelCols`.
  func downsampled(rows rowRange: Range<Int>, pixelRows: Int, pixelCols: Int) -> [[Double?]] {
    (0..<pixelRows).map { p in
      let rowSpan = span(p, of: pixelRows, over: rowRange)
      return (0..<pixelCols).map { q in
        mean(rows: rowSpan, cols: span(q, of: pixelCols, over: 0..<cols))
      }
    }
  }
}

/// The entries covered by pixel `p` of `pixels` spread over `range`.
func span(_ p: Int, of pixels: Int, over range: Range<Int>) -> Range<Int> {
  let count = range.count
  return (range.lowerBound + p * count / pixels)..<(range.lowerBound + (p + 1) * count / pixels)
}
