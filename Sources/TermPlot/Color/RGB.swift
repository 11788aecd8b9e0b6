// A colour as three 8-bit channels. Colour maps produce RGB values; ANSI.swift turns them into
// escape sequences for the chosen ColorMode (24-bit as is, or the nearest of the 256 xterm
// colours).

/// A colour given by its red, green and blue channels, each 0–255.
public struct RGB: Hashable, Sendable {
  /// Red channel, 0–255.
  public var r: UInt8
  /// Green channel, 0–255.
  public var g: UInt8
  /// Blue channel, 0–255.
  public var b: UInt8

  /// A colour from its three channels.
  public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
    self.r = r
    self.g = g
    self.b = b
  }

  /// A colour from a hexadecimal literal such as `0x440154` (red in the high byte).
  public init(hex: UInt32) {
    self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
  }

  /// The colour a fraction `t` (0…1) of the way from `self` to `other`, channel by channel.
  func mixed(with other: RGB, _ t: Double) -> RGB {
    func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
    }
    return RGB(channel(r, other.r), channel(g, other.g), channel(b, other.b))
  }
}
