// The box around a plotting area, and the labelled gutter to its left. Both charts draw into a
// Frame and then add lines above (title) and below (tick labels, axis label, legend):
//
//   gutter    body: innerWidth columns      side
//        1 ┤  ⣀⠤⠒⠉⠉⠒⠤⣀                  │      ← a tick row: label in the gutter, "┤"
//          │                            │
//          ├┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┤ ▄▄   ← a separator row (heatmap row marks)
//          └┬─────────────┬────────────┬┘      ← "┬" above x tick labels
//
// `side` holds whatever goes right of the box on each body row (a heatmap's colour bar).

/// A boxed plotting area with a labelled gutter on its left.
struct Frame {
  /// Columns left of the box, holding right-aligned labels (one space before the box included).
  var gutterWidth: Int
  /// Columns inside the box.
  var innerWidth: Int
  /// The content rows, each `innerWidth` glyphs.
  var body: [[Glyph]]
  /// Gutter labels by body row.
  var labels: [Int: String] = [:]
  /// Body rows whose left border carries a tick "┤".
  var tickRows: Set<Int> = []
  /// Body rows drawn as a dashed separator across the box instead of their content.
  var separatorRows: Set<Int> = []
  /// Inner columns marked with "┬" on the bottom border.
  var bottomTicks: Set<Int> = []
  /// Glyphs placed right of the box, by body row.
  var side: [Int: [Glyph]] = [:]

  /// The box's first column in the output (its left border).
  var boxStart: Int { gutterWidth }
  /// The first column inside the box.
  var innerStart: Int { gutterWidth + 1 }
  /// The width of the box with its borders.
  var boxWidth: Int { innerWidth + 2 }

  /// The top border, the body rows and the bottom border.
  func lines() -> [[Glyph]] {
    var lines = [border(left: "┌", fill: "─", right: "┐", ticks: [])]
    for row in body.indices { lines.append(bodyLine(row)) }
    lines.append(border(left: "└", fill: "─", right: "┘", ticks: bottomTicks))
    return lines
  }

  private func bodyLine(_ row: Int) -> [Glyph] {
    if separatorRows.contains(row) {
      return border(left: "├", fill: "┄", right: "┤", ticks: []) + (side[row] ?? [])
    }
    let label = (labels[row] ?? "").rightAligned(in: max(0, gutterWidth - 1))
    var line = Glyph.text(label + (gutterWidth > 0 ? " " : ""))
    line.append(Glyph(tickRows.contains(row) ? "┤" : "│"))
    line += body[row]
    line.append(Glyph("│"))
    return line + (side[row] ?? [])
  }

  private func border(
    left: Character, fill: Character, right: Character, ticks: Set<Int>
  )
    -> [Glyph]
  {
    var line = [Glyph].blank(gutterWidth)
    line.append(Glyph(left))
    for column in 0..<innerWidth { line.append(Glyph(ticks.contains(column) ? "┬" : fill)) }
    line.append(Glyph(right))
    return line
  }
}

// MARK: - Lines around the frame

/// The lines above a frame: the title centred over the box and the y-axis label at the left
/// edge, on one line when they fit side by side, else on two (title first).
func headerLines(title: String, axisLabel: String, frame: Frame, width: Int) -> [[Glyph]] {
  let title = title.truncated(to: frame.boxWidth)
  let label = axisLabel.truncated(to: width)
  let titleStart = centredStart(length: title.count, in: frame.boxWidth, from: frame.boxStart)
  var lines: [[Glyph]] = []
  if !title.isEmpty {
    var line = [Glyph].blank(width)
    line.write(title, at: titleStart)
    lines.append(line)
  }
  if !label.isEmpty {
    if let first = lines.first, label.count < titleStart {
      var line = first
      line.write(label, at: 0)
      lines[0] = line
    } else {
      var line = [Glyph].blank(width)
      line.write(label, at: 0)
      lines.append(line)
    }
  }
  return lines
}

/// One line of tick labels under a frame. The first label starts at its column and the last
/// ends at its column (so both stay inside the box); the others are centred on their columns.
/// The end labels are placed first; a middle label that would touch another one is left out.
func tickLabelLine(_ ticks: [(column: Int, text: String)], frame: Frame, width: Int) -> [Glyph] {
  func start(_ index: Int) -> Int {
    let tick = ticks[index]
    let column = frame.innerStart + tick.column
    if index == 0 { return column }
    if index == ticks.count - 1 { return column - tick.text.count + 1 }
    return column - tick.text.count / 2
  }
  var line = [Glyph].blank(width)
  var taken: [Range<Int>] = []  // columns used by placed labels, with one space either side
  guard !ticks.isEmpty else { return line }
  let ends = ticks.count > 1 ? [0, ticks.count - 1] : [0]
  let order = ends + ticks.indices.filter { !ends.contains($0) }
  for index in order {
    let text = ticks[index].text
    let first = max(0, min(start(index), width - text.count))
    let span = (first - 1)..<(first + text.count + 1)
    guard !taken.contains(where: { $0.overlaps(span) }) else { continue }
    line.write(text, at: first)
    taken.append(first..<(first + text.count))
  }
  return line
}

/// `text` centred under the box of a frame, as one line.
func centredLine(_ text: String, frame: Frame, width: Int) -> [Glyph] {
  let text = text.truncated(to: width)
  var line = [Glyph].blank(width)
  let start = centredStart(length: text.count, in: frame.boxWidth, from: frame.boxStart)
  line.write(text, at: min(start, width - text.count))
  return line
}
