// How a heatmap is fitted into the space: the gutter of row labels, the frame, the colour bar,
// and the number of pixel rows each marked block of rows gets.

/// A heatmap being assembled.
struct HeatmapLayout {
  /// A run of matrix rows drawn together: from one row mark (or row 0) to the next.
  struct Block {
    var rows: Range<Int>
    var label: String
  }

  let matrix: HeatmapGrid
  let map: ColorMap
  let range: ClosedRange<Double>
  let width: Int
  let height: Int
  let colorMode: ColorMode
  let blocks: [Block]

  init(
    matrix: HeatmapGrid, map: ColorMap, range: ClosedRange<Double>, width: Int, height: Int,
    colorMode: ColorMode, marks: [RowMark]
  ) {
    self.matrix = matrix
    self.map = map
    self.range = range
    self.width = width
    self.height = height
    self.colorMode = colorMode
    blocks = HeatmapLayout.blocks(rows: matrix.rows, marks: marks)
  }

  /// Matrix rows per text row: two in colour (half blocks), one in plain text.
  var rowsPerLine: Int { colorMode == .none ? 1 : 2 }

  /// The finished heatmap.
  func render(title: String, rowLabel: String, colLabel: String) -> String {
    let frame = makeFrame()
    var out = headerLines(title: title, axisLabel: rowLabel, frame: frame, width: width)
    out += frame.lines()
    out.append(tickLabelLine(columnTicks(frame), frame: frame, width: width))
    if !colLabel.isEmpty { out.append(centredLine(colLabel, frame: frame, width: width)) }
    return out.map { ANSI.render(Array($0.prefix(width)), mode: colorMode) }
      .joined(separator: "\n")
  }

  /// The frame: row labels in the gutter, the blocks of pixels with separators between them,
  /// and the colour bar on the right.
  private func makeFrame() -> Frame {
    let bar = ColorBar(map: map, range: range, colorMode: colorMode)
    let gutter = gutterWidth()
    let available = max(1, width - gutter - 2 - bar.width)
    let cellWidth = colorMode == .none && 2 * matrix.cols <= available ? 2 : 1
    let pixelCols = max(1, min(matrix.cols, available / cellWidth))
    var frame = Frame(gutterWidth: gutter, innerWidth: pixelCols * cellWidth, body: [])
    let pixelRows = pixelRowsPerBlock()
    for (index, block) in blocks.enumerated() {
      if index > 0 {
        frame.separatorRows.insert(frame.body.count)
        frame.body.append(.blank(frame.innerWidth))
      }
      label(&frame, row: frame.body.count, mark: block.label, index: block.rows.lowerBound)
      let pixels = matrix.downsampled(
        rows: block.rows, pixelRows: pixelRows[index], pixelCols: pixelCols)
      frame.body += lines(pixels, cellWidth: cellWidth)
    }
    if frame.labels[frame.body.count - 1] == nil {
      label(&frame, row: frame.body.count - 1, mark: "", index: matrix.rows - 1)
    }
    frame.side = bar.glyphs(rows: frame.body.count)
    frame.bottomTicks = Set(columnTicks(frame).map(\.column))
    return frame
  }

  /// The first and last column indices, under the first and last columns of the frame.
  private func columnTicks(_ frame: Frame) -> [(column: Int, text: String)] {
    guard matrix.cols > 1 else { return [(0, "0")] }
    return [(0, "0"), (frame.innerWidth - 1, String(matrix.cols - 1))]
  }

  // MARK: - Rows

  /// Blocks split at each valid mark, sorted; rows before the first mark form an unlabelled block.
  static func blocks(rows: Int, marks: [RowMark]) -> [Block] {
    var labels: [Int: String] = [0: ""]
    for mark in marks where (0..<rows).contains(mark.row) { labels[mark.row] = mark.label }
    let starts = labels.keys.sorted()
    return starts.indices.map { i in
      let end = i + 1 < starts.count ? starts[i + 1] : rows
      return Block(rows: starts[i]..<end, label: labels[starts[i]]!)
    }
  }

  /// Pixel rows for each block: all its rows when everything fits in `height` text rows, else
  /// a share of the text rows proportional to its size (at least one).
  func pixelRowsPerBlock() -> [Int] {
    let lines = max(blocks.count, height - (blocks.count - 1))
    let natural = blocks.map { ($0.rows.count + rowsPerLine - 1) / rowsPerLine }
    if natural.reduce(0, +) <= lines { return blocks.map(\.rows.count) }
    return blocks.map { block in
      let share = max(1, lines * block.rows.count / matrix.rows)
      return min(block.rows.count, share * rowsPerLine)
    }
  }

  // MARK: - Drawing

  /// Text lines for a block of pixels: half blocks in colour, ramp characters in plain text.
  private func lines(_ pixels: [[Double?]], cellWidth: Int) -> [[Glyph]] {
    guard colorMode != .none else {
      return pixels.map { row in
        row.flatMap { v in
          Array(repeating: Glyph(v.map { map.symbol(at: fraction($0)) } ?? "?"), count: cellWidth)
        }
      }
    }
    var canvas = HalfBlockCanvas(columns: pixels.first?.count ?? 0, pixelRows: pixels.count)
    for (y, row) in pixels.enumerated() {
      for (x, v) in row.enumerated() {
        canvas.setPixel(x: x, y: y, color: v.map { map.color(at: fraction($0)) })
      }
    }
    return (0..<canvas.rows).map { canvas.glyphs(row: $0) }
  }

  /// The position of `value` in the colour range, 0…1 (0.5 for an empty range).
  private func fraction(_ value: Double) -> Double {
    let lo = range.lowerBound / 2
    let hi = range.upperBound / 2  // halved so that hi - lo stays finite for any finite range
    return hi > lo ? (value / 2 - lo) / (hi - lo) : 0.5
  }

  // MARK: - Gutter

  private var markWidth: Int { blocks.map(\.label.count).max() ?? 0 }
  private var indexWidth: Int { String(matrix.rows - 1).count }

  /// Mark labels (if any), a space, right-aligned row indices, a space.
  private func gutterWidth() -> Int {
    (markWidth > 0 ? markWidth + 1 : 0) + indexWidth + 1
  }

  private func label(_ frame: inout Frame, row: Int, mark: String, index: Int) {
    let markText = markWidth > 0 ? mark.leftAligned(in: markWidth) + " " : ""
    frame.labels[row] = markText + String(index).rightAligned(in: indexWidth)
    frame.tickRows.insert(row)
  }
}
