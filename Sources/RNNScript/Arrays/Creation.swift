// Making arrays: zeros, ones, full, eye, arange, linspace, and a 0-d array from a number. Every
// size is checked (ArrayOps.elementCount) before anything is allocated.

extension ArrayValue {
  /// A 0-d array holding one number (how a scalar takes part in broadcasting).
  public init(scalar: Double) { self.init(shape: [], values: [scalar]) }
}

extension ArrayOps {
  /// `np.zeros(shape)`.
  public static func zeros(_ shape: [Int]) throws(ArrayError) -> ArrayValue { try full(shape, 0) }

  /// `np.ones(shape)`.
  public static func ones(_ shape: [Int]) throws(ArrayError) -> ArrayValue { try full(shape, 1) }

  /// `np.full(shape, value)`.
  public static func full(_ shape: [Int], _ value: Double) throws(ArrayError) -> ArrayValue {
    let count = try elementCount(shape)
    return ArrayValue(shape: shape, values: [Double](repeating: value, count: count))
  }

  /// `np.eye(n, m, k)`: an n×m array (m defaults to n) with ones on diagonal `k` (0 the main one,
  /// positive above it, negative below).
  public static func eye(_ n: Int, _ m: Int? = nil, k: Int = 0) throws(ArrayError) -> ArrayValue {
    let cols = m ?? n
    var result = try zeros([n, cols])
    if k < cols && k > -n {
      var i = Swift.max(0, -k)
      while i < n && i + k < cols {
        result.values[i * cols + i + k] = 1
        i += 1
      }
    }
    return result
  }

  /// `np.arange(start, stop, step)`: `ceil((stop - start) / step)` values (none if that is not
  /// positive); with one argument, `arange(stop)` counts from 0. Values are computed as numpy does:
  /// `start`, `start + step`, then `start + i·δ` with δ = (start + step) − start.
  public static func arange(_ start: Double, _ stop: Double? = nil, step: Double? = nil) throws(ArrayError) -> ArrayValue {
    let (first, last) = stop.map { (start, $0) } ?? (0, start)
    let step = step ?? 1
    guard step != 0 else { throw .invalidArgument("arange: step must not be zero") }
    let length = ((last - first) / step).rounded(.up)
    guard !length.isNaN else { throw .invalidArgument("arange: cannot compute the length (an argument is nan or infinite)") }
    if length <= 0 { return ArrayValue(shape: [0], values: []) }
    guard length <= Double(maximumElements) else {
      throw .tooLarge(elements: length < 9.2e18 ? Int(length) : .max, limit: maximumElements)
    }
    let n = Int(length)
    let delta = (first + step) - first
    let values = [Double](unsafeUninitializedCapacity: n) { out, initialized in
      out[0] = first
      if n > 1 { out[1] = first + step }
      if n > 2 { for i in 2..<n { out[i] = first + Double(i) * delta } }
      initialized = n
    }
    return ArrayValue(shape: [n], values: values)
  }

  /// `np.linspace(start, stop, num, endpoint)`: `num` evenly spaced values; with `endpoint` the last
  /// is exactly `stop`. Computed as numpy: `i·step + start` with step = (stop − start) / div
  /// (div = num − 1 with endpoint, else num).
  public static func linspace(
    _ start: Double, _ stop: Double, num: Int = 50, endpoint: Bool = true
  ) throws(ArrayError)
    -> ArrayValue
  {
    guard num >= 0 else { throw .invalidArgument("linspace: the number of samples, \(num), must be non-negative") }
    let count = try elementCount([num])
    let div = endpoint ? count - 1 : count
    let delta = stop - start
    var values = [Double](repeating: 0, count: count)
    if div > 0 {
      let step = delta / Double(div)
      for i in 0..<count {
        values[i] = step == 0 ? (Double(i) / Double(div)) * delta + start : Double(i) * step + start
      }
    } else {
      for i in 0..<count { values[i] = Double(i) * delta + start }
    }
    if endpoint && count > 1 { values[count - 1] = stop }
    return ArrayValue(shape: [count], values: values)
  }
}
