// heatmap: a matrix as coloured half-block pixels (or ramp characters) inside a frame, with row
// and column indices, optional row marks and a colour bar. A 6 × 8 signed matrix at width 44,
// without colour, marks at rows 0 ("exc") and 4 ("inh"):
//
//   to unit     W_rec
//         ┌────────────────┐
//   exc 0 ┤++++++####++====│ ## 1       gutter: mark label and first row of each block
//         │####++++++##====│ ++
//         │++++####++++====│ ''
//         │##++++++####----│    0       colour bar: top, middle and bottom of the range
//         ├┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┤ ,,         separator above each marked row
//   inh 4 ┤++####++++++----│ --
//       5 ┤++++++####++----│ == -1     last row index
//         └┬──────────────┬┘
//          0              7             first and last column index
//             from unit
//
// Row 0 is at the top, as in a printed matrix. A matrix larger than the space is shrunk by
// averaging blocks of entries (never across a row mark, so marked blocks stay exact). Colour
// mode packs two matrix rows into each text row; plain mode uses one text row per matrix row
// and, when there is room, two characters per column so cells look square. Entries that are not
// finite are left out of averages; a pixel with no finite entry is blank in colour and "?" in
// plain text. The colour bar of a plain heatmap shows the character ramp, top to bottom.

/// A labelled row of a heatmap: a separator is drawn above it and the label put beside it.
public struct RowMark: Sendable, Equatable {
  /// The matrix row where the marked block starts.
  public var row: Int
  /// The text shown beside that row, such as "exc" or "inh".
  public var label: String

  /// A mark at `row` with a label.
  public init(row: Int, label: String) {
    self.row = row
    self.label = label
  }
}

/// Draws a `rows` × `cols` matrix as a heatmap and returns it as text, `width` columns wide.
///
/// - Parameters:
///   - rows: matrix rows, drawn top to bottom.
///   - cols: matrix columns, drawn left to right.
///   - value: the entry at (row, column); called once per entry.
///   - title: centred above the map.
///   - rowLabel: what rows are, at the top left.
///   - colLabel: what columns are, centred below.
///   - map: `.sequential` for magnitudes, `.diverging` for signed values.
///   - range: the values at the ends of the colour map. By default the data's range, or for
///     `.diverging` ±(largest magnitude) so that 0 is the centre colour. Values outside are
///     clamped.
///   - width: total width of the output in columns; no line is longer.
///   - height: at most this many text rows for the map itself (separators included).
///   - colorMode: how much colour to use; `.none` draws with character ramps.
///   - rowMarks: rows that start a labelled block (e.g. excitatory and inhibitory units).
public func heatmap(
  rows: Int,
  cols: Int,
  value: (Int, Int) -> Double,
  title: String = "",
  rowLabel: String = "",
  colLabel: String = "",
  map: ColorMap = .sequential,
  range: ClosedRange<Double>? = nil,
  width: Int = 80,
  height: Int = 24,
  colorMode: ColorMode = .none,
  rowMarks: [RowMark] = []
) -> String {
  let width = max(1, width)
  let height = max(1, height)
  guard rows > 0, cols > 0 else {
    return noDataChart(title: title, width: width, height: min(height, 3))
  }
  var entries: [Double] = []
  entries.reserveCapacity(rows * cols)
  for r in 0..<rows { for c in 0..<cols { entries.append(value(r, c)) } }
  let matrix = HeatmapGrid(rows: rows, cols: cols, entries: entries)
  let layout = HeatmapLayout(
    matrix: matrix, map: map, range: range ?? defaultRange(entries, map: map),
    width: width, height: height, colorMode: colorMode, marks: rowMarks)
  return layout.render(title: title, rowLabel: rowLabel, colLabel: colLabel)
}

/// The data's range (finite values only), or ±max|v| for a diverging map; 0…0 with no data.
func defaultRange(_ values: [Double], map: ColorMap) -> ClosedRange<Double> {
  let finite = values.filter(\.isFinite)
  guard let lo = finite.min(), let hi = finite.max() else { return 0...0 }
  if map == .sequential { return lo...hi }
  let magnitude = max(abs(lo), abs(hi))
  return -magnitude...magnitude
}
