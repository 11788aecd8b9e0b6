// The xterm 256-colour palette, for terminals without 24-bit colour.
//
// Indices 0–15 are the terminal's theme colours (they differ between terminals, so we never use
// them). Indices 16–231 are a 6×6×6 cube: index = 16 + 36·r + 6·g + b, where each of r, g, b
// picks one of the channel levels 0, 95, 135, 175, 215, 255. Indices 232–255 are 24 greys,
// 8 + 10·k for k = 0…23. An RGB colour is shown as whichever of these 240 entries looks nearest
// (smallest CIELAB distance, see Lab.swift).

/// The xterm 256-colour palette: nearest-colour lookup for 256-colour terminals.
public enum Palette256 {
  /// The six channel levels of the colour cube.
  static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

  /// The palette index (16–255) whose colour looks nearest to `color`. Palette colours map to
  /// their own index: pure red (255, 0, 0) gives 196 and grey (128, 128, 128) gives 244.
  public static func nearestIndex(to color: RGB) -> Int {
    let target = Lab(color)
    var best = 16
    var bestDistance = Double.infinity
    for (offset, entry) in paletteLab.enumerated() {
      let distance = entry.distanceSquared(to: target)
      if distance < bestDistance {
        best = 16 + offset
        bestDistance = distance
      }
    }
    return best
  }

  /// The colour of palette entry `index` for indices 16–255 (the cube and the grey ramp).
  public static func color(atIndex index: Int) -> RGB {
    precondition((16...255).contains(index), "only indices 16–255 have fixed colours")
    if index >= 232 {
      let level = UInt8(8 + 10 * (index - 232))
      return RGB(level, level, level)
    }
    let cube = index - 16
    return RGB(cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
  }

  /// The Lab coordinates of entries 16–255, computed once.
  private static let paletteLab: [Lab] = (16...255).map { Lab(color(atIndex: $0)) }
}
