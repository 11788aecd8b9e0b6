// Placing plain text in fixed-width lines of glyphs. Everything here counts one character as
// one column, which holds for all characters TermPlot draws (ASCII, braille, blocks, box lines).

extension Array where Element == Glyph {
  /// A line of `width` spaces.
  static func blank(_ width: Int) -> [Glyph] {
    Array(repeating: Glyph.space, count: Swift.max(0, width))
  }

  /// Writes `text` into this line starting at `column`, dropping whatever falls outside.
  mutating func write(_ text: String, at column: Int, foreground: RGB? = nil) {
    write(Glyph.text(text, foreground: foreground), at: column)
  }

  /// Writes glyphs into this line starting at `column`, dropping whatever falls outside.
  mutating func write(_ glyphs: [Glyph], at column: Int) {
    for (offset, glyph) in glyphs.enumerated() where indices.contains(column + offset) {
      self[column + offset] = glyph
    }
  }
}

extension String {
  /// The text cut to at most `width` characters, ending in "…" when something was cut.
  func truncated(to width: Int) -> String {
    guard count > width else { return self }
    guard width > 1 else { return String(prefix(Swift.max(0, width))) }
    return String(prefix(width - 1)) + "…"
  }

  /// The text right-aligned in `width` columns (truncated when longer).
  func rightAligned(in width: Int) -> String {
    let text = truncated(to: width)
    return String(repeating: " ", count: width - text.count) + text
  }

  /// The text left-aligned in `width` columns (truncated when longer).
  func leftAligned(in width: Int) -> String {
    let text = truncated(to: width)
    return text + String(repeating: " ", count: width - text.count)
  }
}

/// The column at which text of length `length` starts when centred in a span of `width`
/// columns that starts at `start`.
func centredStart(length: Int, in width: Int, from start: Int) -> Int {
  start + Swift.max(0, (width - length) / 2)
}
