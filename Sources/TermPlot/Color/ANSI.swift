// The only file in TermPlot that writes escape sequences (Select Graphic Rendition, "SGR"):
//   foreground  ESC[38;5;N m (256 colours)   ESC[38;2;R;G;B m (24-bit)
//   background  ESC[48;5;N m                 ESC[48;2;R;G;B m
//   reset       ESC[0m
// In ColorMode.none nothing here emits an escape, so plain output is plain all the way down.

/// Escape sequences for colour, and the conversion of styled glyphs into text.
public enum ANSI {
  /// The escape character that starts every sequence.
  static let escape = "\u{1B}"
  /// Resets all colours and attributes.
  public static let reset = "\u{1B}[0m"

  /// The sequence that sets the foreground colour, or "" in `.none` mode.
  public static func foreground(_ color: RGB, mode: ColorMode) -> String {
    sgr(38, color, mode)
  }

  /// The sequence that sets the background colour, or "" in `.none` mode.
  public static func background(_ color: RGB, mode: ColorMode) -> String {
    sgr(48, color, mode)
  }

  /// `text` in the given colours followed by a reset; `text` unchanged in `.none` mode or
  /// when no colour is given.
  public static func paint(
    _ text: String, foreground: RGB? = nil, background: RGB? = nil, mode: ColorMode
  ) -> String {
    guard mode != .none, foreground != nil || background != nil else { return text }
    return style(foreground, background, mode) + text + reset
  }

  /// The number of terminal columns `text` occupies: its characters, not counting escape
  /// sequences. Every character counts as one column (true of all characters TermPlot draws).
  public static func visibleWidth(_ text: String) -> Int {
    var width = 0
    var inEscape = false
    for scalar in text.unicodeScalars {
      if inEscape {
        if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
      } else if scalar == "\u{1B}" {
        inEscape = true
      } else if !isCombining(scalar) {
        width += 1
      }
    }
    return width
  }

  // MARK: - Rendering glyphs

  /// One line of glyphs as text: consecutive glyphs of the same colours share one escape
  /// sequence, colour is reset at the end, and trailing uncoloured spaces are dropped.
  static func render(_ line: [Glyph], mode: ColorMode) -> String {
    var glyphs = line
    while let last = glyphs.last, last.character == " ", last.background == nil || mode == .none {
      glyphs.removeLast()
    }
    var out = ""
    var current: (RGB?, RGB?) = (nil, nil)
    for glyph in glyphs {
      let wanted = mode == .none ? (nil, nil) : (glyph.foreground, glyph.background)
      if wanted != current {
        if current != (nil, nil) { out += reset }
        if wanted != (nil, nil) { out += style(wanted.0, wanted.1, mode) }
        current = wanted
      }
      out.append(glyph.character)
    }
    if current != (nil, nil) { out += reset }
    return out
  }

  // MARK: - Sequences

  private static func style(_ foreground: RGB?, _ background: RGB?, _ mode: ColorMode) -> String {
    (foreground.map { sgr(38, $0, mode) } ?? "") + (background.map { sgr(48, $0, mode) } ?? "")
  }

  /// `ESC[<layer>;5;<index>m` or `ESC[<layer>;2;<r>;<g>;<b>m`, where layer 38 is the foreground
  /// and 48 the background.
  private static func sgr(_ layer: Int, _ color: RGB, _ mode: ColorMode) -> String {
    switch mode {
    case .none: return ""
    case .ansi256: return "\(escape)[\(layer);5;\(Palette256.nearestIndex(to: color))m"
    case .trueColor: return "\(escape)[\(layer);2;\(color.r);\(color.g);\(color.b)m"
    }
  }

  private static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .nonspacingMark
      || scalar.properties.generalCategory == .enclosingMark
  }
}
