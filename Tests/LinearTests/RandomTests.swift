import Testing
@testable import Linear

// Reference values printed by numpy 2.4.6 (legacy global generator):
//   np.random.seed(1234); np.random.rand(3)  → 0.1915194503788923, 0.6221087710398319, 0.4377277390071145
//   np.random.seed(1234); np.random.randn(3) → 0.47143516373249306, -1.1909756947064645, 1.4327069684260973
//   np.random.seed(0); [np.random.choice([0.1,0.3,0.5,0.7]) for _ in range(5)] → 0.1, 0.7, 0.3, 0.1, 0.7
@Test func uniformMatchesNumpyLegacy() {
  var r = NumpyRandom(seed: 1234)
  let expected = [0.1915194503788923, 0.6221087710398319, 0.4377277390071145]
  for e in expected { #expect(r.uniform() == e) }
}

@Test func normalMatchesNumpyLegacy() {
  var r = NumpyRandom(seed: 1234)
  let expected = [0.47143516373249306, -1.1909756947064645, 1.4327069684260973]
  for e in expected { #expect(r.normal() == e) }
}

@Test func choiceMatchesNumpyLegacy() {
  var r = NumpyRandom(seed: 0)
  let options = [0.1, 0.3, 0.5, 0.7]
  let expected = [0.1, 0.7, 0.3, 0.1, 0.7]
  for e in expected { #expect(r.choice(options) == e) }
}

@Test func streamsAreIndependentAndReproducible() {
  var a = RandomStreams(seed: 7), b = RandomStreams(seed: 7)
  #expect(a.trials.uniform() == b.trials.uniform())
  var c = RandomStreams(seed: 7)
  // Drawing from noise does not move trials.
  _ = c.noise.normal()
  var d = RandomStreams(seed: 7)
  #expect(c.trials.uniform() == d.trials.uniform())
  #expect(a.initialization.uniform() != a.trials.uniform())
  var e = NumpyRandom(seed: 7)
  var f = RandomStreams(seed: 7)
  #expect(e.uniform() == f.initialization.uniform())
}
