// Seeded randomness, bit-compatible with numpy's legacy global generator (np.random.seed, rand,
// randn, uniform, choice). Using numpy's exact algorithms means that with the same seed and the
// same order of draws we produce the same trials and initial weights as PsychRNN does.
//
// Algorithms (numpy's legacy `RandomState`, unchanged since numpy 1.x):
// - MT19937 seeded with init_genrand(seed);
// - uniform double = (a·2²⁶ + b) / 2⁵³ with a = next32 >> 5, b = next32 >> 6;
// - standard normal by the polar method, caching the second value of each pair;
// - randint(0, n) by masked rejection sampling on next32.

import Foundation

/// A Mersenne Twister (MT19937) generator with numpy's legacy sampling methods.
public struct NumpyRandom: RandomNumberGenerator, Sendable {
  /// The MT19937 state (words 0..<624), then its 624 outputs already tempered (624..<1248):
  /// `twist()` makes both at once.
  private var words = [UInt32](repeating: 0, count: 1248)
  private var index = 624
  /// The second value of the last polar-method pair, returned by the next `normal()`.
  private var cachedGaussian: Double? = nil
  /// The seed this generator started from.
  public let seed: UInt32

  /// A generator in the state `np.random.seed(seed)` leaves numpy's global generator in.
  public init(seed: UInt32) {
    self.seed = seed
    words[0] = seed
    for i in 1..<624 {
      words[i] = 1_812_433_253 &* (words[i - 1] ^ (words[i - 1] >> 30)) &+ UInt32(i)
    }
    index = 624
  }

  /// The next 624 states, and their tempered outputs. Written as three branch-free loops without
  /// index wrapping (state word i + 397 lies ahead of word i, then 227 behind it), which the
  /// compiler turns into vector instructions.
  private mutating func twist() {
    words.withUnsafeMutableBufferPointer { NumpyRandom.twist($0.baseAddress!) }
    index = 0
  }

  /// The twist on the state at `m` (words 0..<624), writing the tempered outputs after it.
  private static func twist(_ m: UnsafeMutablePointer<UInt32>) {
    let t = m + 624
    @inline(__always) func mix(_ current: UInt32, _ following: UInt32, _ far: UInt32) -> UInt32 {
      let y = (current & 0x8000_0000) | (following & 0x7fff_ffff)
      return far ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_b0df)
    }
    for i in 0..<227 { m[i] = mix(m[i], m[i + 1], m[i + 397]) }
    for i in 227..<623 { m[i] = mix(m[i], m[i + 1], m[i - 227]) }
    m[623] = mix(m[623], m[0], m[396])
    for i in 0..<624 {
      var y = m[i]
      y ^= y >> 11
      y ^= (y << 7) & 0x9d2c_5680
      y ^= (y << 15) & 0xefc6_0000
      y ^= y >> 18
      t[i] = y
    }
  }

  /// The next raw 32-bit output (tempered).
  @inline(__always)
  public mutating func next32() -> UInt32 {
    if index >= 624 { twist() }
    let y = words[624 + index]
    index += 1
    return y
  }

  /// RandomNumberGenerator conformance: two 32-bit outputs, high word first.
  public mutating func next() -> UInt64 {
    let hi = UInt64(next32()), lo = UInt64(next32())
    return (hi << 32) | lo
  }

  /// A uniform double on [0, 1) with 53 random bits (numpy `random_sample`).
  @inline(__always)
  public mutating func uniform() -> Double {
    NumpyRandom.unitDouble(next32(), next32())
  }

  /// numpy's double on [0, 1) from two outputs: (a·2²⁶ + b) / 2⁵³, a = first >> 5, b = second >> 6.
  @inline(__always)
  private static func unitDouble(_ first: UInt32, _ second: UInt32) -> Double {
    (Double(first >> 5) * 67_108_864.0 + Double(second >> 6)) / 9_007_199_254_740_992.0
  }

  /// One pair of the polar method from uniforms drawn by `unit`: the normal given now, and the
  /// one kept for the next draw.
  @inline(__always)
  private static func polarPair(_ unit: () -> Double) -> (now: Double, kept: Double) {
    var x1 = 0.0, x2 = 0.0, r2 = 0.0
    repeat {
      x1 = 2.0 * unit() - 1.0
      x2 = 2.0 * unit() - 1.0
      r2 = x1 * x1 + x2 * x2
    } while r2 >= 1.0 || r2 == 0.0
    let f = (-2.0 * log(r2) / r2).squareRoot()
    return (f * x2, f * x1)
  }

  /// A uniform double on [low, high) (numpy `uniform(low, high)`).
  public mutating func uniform(_ low: Double, _ high: Double) -> Double {
    low + (high - low) * uniform()
  }

  /// A standard normal (numpy legacy `randn`, polar method with one cached value).
  public mutating func normal() -> Double {
    if let g = cachedGaussian {
      cachedGaussian = nil
      return g
    }
    let pair = NumpyRandom.polarPair { uniform() }
    cachedGaussian = pair.kept
    return pair.now
  }

  /// A standard exponential (numpy legacy `standard_exponential`: −log(1 − u)).
  public mutating func exponential() -> Double {
    -log(1.0 - uniform())
  }

  /// A uniform integer in 0..<n (numpy `randint(0, n)`; `choice` of an n-element sequence).
  public mutating func integer(below n: Int) -> Int {
    precondition(n > 0, "integer(below:) needs n > 0")
    let maxValue = UInt64(n - 1)
    if maxValue == 0 { return 0 }
    precondition(maxValue <= UInt64(UInt32.max), "integer(below:) supports n ≤ 2³²")
    var mask = maxValue
    mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4
    mask |= mask >> 8; mask |= mask >> 16
    while true {
      let v = UInt64(next32()) & mask
      if v <= maxValue { return Int(v) }
    }
  }

  /// One element of `options`, uniformly (numpy `choice(options)`).
  public mutating func choice<T>(_ options: [T]) -> T {
    options[integer(below: options.count)]
  }

  /// Shuffles `items` in place as numpy's legacy `shuffle` does: for i = n−1 down to 1, swap item
  /// i with a uniform j in 0…i.
  public mutating func shuffle<T>(_ items: inout [T]) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, through: 1, by: -1) { items.swapAt(i, integer(below: i + 1)) }
  }

  /// `count` standard normals, in order.
  public mutating func normals(_ count: Int) -> [Double] {
    [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
      fill(normals: buffer)
      initialized = count
    }
  }

  /// Fills `buffer` with standard normals, in order: the same values as calling `normal()` once
  /// per element, in one loop (the draws inlined, a trial's noise drawn at once).
  public mutating func fill(normals buffer: UnsafeMutableBufferPointer<Double>) {
    var k = 0
    if k < buffer.count, let g = cachedGaussian {
      buffer[k] = g
      cachedGaussian = nil
      k += 1
    }
    guard k < buffer.count else { return }
    // The state's words through one pointer and the position in a local, for the whole fill
    // (the same draws as `uniform()`, without a bounds check and a store per word).
    var i = index
    var left: Double? = nil
    words.withUnsafeMutableBufferPointer { w in
      let m = w.baseAddress!
      @inline(__always) func word() -> UInt32 {
        if i >= 624 {
          NumpyRandom.twist(m)
          i = 0
        }
        let y = m[624 + i]
        i += 1
        return y
      }
      while k < buffer.count {
        let pair = NumpyRandom.polarPair { NumpyRandom.unitDouble(word(), word()) }
        buffer[k] = pair.now
        k += 1
        if k < buffer.count {
          buffer[k] = pair.kept
          k += 1
        } else {
          left = pair.kept
        }
      }
    }
    index = i
    cachedGaussian = left
  }

  /// Fills `buffer` with uniform doubles on [0, 1), in order (as `uniform()` once per element).
  public mutating func fill(uniforms buffer: UnsafeMutableBufferPointer<Double>) {
    for k in buffer.indices { buffer[k] = uniform() }
  }
}

/// The three independent random streams of a session. Separate streams mean that, for example,
/// switching recurrent noise on does not change which trials a task produces.
public struct RandomStreams: Sendable {
  /// Initial weights (initializers).
  public var initialization: NumpyRandom
  /// Trial generation (tasks).
  public var trials: NumpyRandom
  /// Recurrent and simulator noise.
  public var noise: NumpyRandom
  /// The seed all three were derived from.
  public let seed: UInt32

  /// Streams derived from one seed: initialization uses `seed` itself (so it draws exactly what
  /// `np.random.seed(seed)` would), trials and noise use seeds mixed from it by SplitMix64.
  public init(seed: UInt32) {
    self.seed = seed
    initialization = NumpyRandom(seed: seed)
    trials = NumpyRandom(seed: RandomStreams.derive(seed, stream: 1))
    noise = NumpyRandom(seed: RandomStreams.derive(seed, stream: 2))
  }

  /// A 32-bit seed for stream `stream`, mixed from `seed` by one SplitMix64 step.
  public static func derive(_ seed: UInt32, stream: UInt64) -> UInt32 {
    var z = UInt64(seed) &+ stream &* 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    z ^= z >> 31
    return UInt32(truncatingIfNeeded: z >> 32)
  }
}
