// Drawing curves onto a braille canvas. A data point goes through three coordinate systems:
//   data (x, y)  →  axis fractions (0…1 each, via Axis)  →  pixels (0…2·columns-1, 0…4·rows-1)
// Pixel y grows downwards, so fraction 1 (the top of the y axis) is pixel row 0.
// Segments are clipped to the axes' box first, so a range narrower than the data never asks the
// canvas for millions of off-screen pixels.

/// Draws series onto a braille canvas for given axes.
struct LinePlotter {
  var xAxis: Axis
  var yAxis: Axis
  var canvas: BrailleCanvas

  /// A point in axis fractions.
  typealias Point = (x: Double, y: Double)

  /// Draws the segments of `series` whose midpoint is (or is not, per `dimmed`) inside a dimmed
  /// interval, and its isolated points likewise. Drawing all dimmed parts before all bright ones
  /// lets bright colours win in shared cells.
  mutating func draw(_ series: Series, dimmed: Bool, color: RGB?) {
    let points = (0..<series.count).map { fractions(series.xValue($0), series.y[$0]) }
    if series.pointsOnly {
      for (i, p) in points.enumerated() where series.isDimmed(series.xValue(i)) == dimmed {
        if let p { drawSegment(p, p, color: color) }
      }
      return
    }
    for i in points.indices {
      let x = series.xValue(i)
      if let p = points[i], i + 1 < points.count, let q = points[i + 1] {
        let mid = (x + series.xValue(i + 1)) / 2
        if series.isDimmed(mid) == dimmed { drawSegment(p, q, color: color) }
      } else if let p = points[i], isIsolated(i, in: points), series.isDimmed(x) == dimmed {
        drawSegment(p, p, color: color)
      }
    }
  }

  /// The axis fractions of a data point, or nil when it cannot be placed.
  func fractions(_ x: Double, _ y: Double) -> Point? {
    guard let fx = xAxis.fraction(of: x), let fy = yAxis.fraction(of: y) else { return nil }
    return (fx, fy)
  }

  /// The pixel at axis fractions (already clipped to 0…1).
  func pixel(_ p: Point) -> (x: Int, y: Int) {
    let x = (p.x * Double(canvas.pixelWidth - 1)).rounded()
    let y = ((1 - p.y) * Double(canvas.pixelHeight - 1)).rounded()
    return (Int(x), Int(y))
  }

  // MARK: - Segments

  private mutating func drawSegment(_ p: Point, _ q: Point, color: RGB?) {
    guard let (a, b) = clipToUnitSquare(p, q) else { return }
    canvas.drawLine(from: pixel(a), to: pixel(b), color: color)
  }

  private func isIsolated(_ i: Int, in points: [Point?]) -> Bool {
    (i == 0 || points[i - 1] == nil) && (i + 1 == points.count || points[i + 1] == nil)
  }
}

/// The part of segment p→q inside the unit square [0, 1]², or nil when none is
/// (Liang–Barsky: intersect the segment's parameter range t ∈ [0, 1] with each edge's half-plane).
func clipToUnitSquare(
  _ p: LinePlotter.Point, _ q: LinePlotter.Point
)
  -> (LinePlotter.Point, LinePlotter.Point)?
{
  let dx = q.x - p.x
  let dy = q.y - p.y
  var enter = 0.0
  var leave = 1.0
  // Each edge as (rate of approach, distance inside): the segment is inside where
  // distance - rate · t ≥ 0.
  let edges = [(-dx, p.x), (dx, 1 - p.x), (-dy, p.y), (dy, 1 - p.y)]
  for (rate, distance) in edges {
    if rate == 0 {
      if distance < 0 { return nil }
    } else if rate > 0 {
      leave = min(leave, distance / rate)
    } else {
      enter = max(enter, distance / rate)
    }
  }
  guard enter <= leave else { return nil }
  return ((p.x + enter * dx, p.y + enter * dy), (p.x + leave * dx, p.y + leave * dy))
}
