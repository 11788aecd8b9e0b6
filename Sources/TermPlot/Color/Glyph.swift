// The unit every chart is assembled from: one character cell with optional colours. Charts build
// each output line as [Glyph] (so widths are exact: one glyph, one column) and only at the very
// end turn it into a String with ANSI.render, which is where colour is added or left out.

/// One character cell of output: a character and optional foreground and background colours.
struct Glyph: Equatable, Sendable {
  var character: Character
  var foreground: RGB?
  var background: RGB?

  init(_ character: Character, foreground: RGB? = nil, background: RGB? = nil) {
    self.character = character
    self.foreground = foreground
    self.background = background
  }

  static let space = Glyph(" ")

  /// Plain glyphs for each character of `text`.
  static func text(_ text: String, foreground: RGB? = nil) -> [Glyph] {
    text.map { Glyph($0, foreground: foreground) }
  }
}
