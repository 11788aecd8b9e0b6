import Testing
@testable import RNNScript
