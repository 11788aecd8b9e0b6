// CIELAB coordinates, used to pick the palette entry that looks nearest to a colour. Plain RGB
// distance is a poor judge: it maps dark navy (5, 48, 97) to teal (0, 95, 95) because the green
// channel sits halfway between two cube levels, while in Lab the nearest is steel blue
// (0, 95, 135). Lab distance (ΔE 1976) is close enough to perceived difference for this.
//
// sRGB → linear light (undo the 2.4 gamma) → XYZ (D65 white) → L*, a*, b*.

/// A colour in CIELAB: lightness `l` (0–100) and the two opponent axes `a` and `b`.
struct Lab: Equatable {
  var l: Double
  var a: Double
  var b: Double

  init(_ color: RGB) {
    let r = Lab.linear(color.r)
    let g = Lab.linear(color.g)
    let b = Lab.linear(color.b)
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    let fx = Lab.f(x)
    let fy = Lab.f(y)
    let fz = Lab.f(z)
    l = 116 * fy - 16
    a = 500 * (fx - fy)
    self.b = 200 * (fy - fz)
  }

  /// The squared distance ΔE² between two colours.
  func distanceSquared(to other: Lab) -> Double {
    let dl = l - other.l
    let da = a - other.a
    let db = b - other.b
    return dl * dl + da * da + db * db
  }

  /// An sRGB channel (0–255) as linear light (0–1).
  private static func linear(_ channel: UInt8) -> Double {
    let c = Double(channel) / 255
    return c <= 0.04045 ? c / 12.92 : power((c + 0.055) / 1.055, 2.4)
  }

  /// The CIELAB companding function: a cube root, linear near black.
  private static func f(_ t: Double) -> Double {
    t > 216.0 / 24389 ? power(t, 1.0 / 3) : (24389.0 / 27 * t + 16) / 116
  }
}
