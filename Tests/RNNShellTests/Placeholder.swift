import Testing
@testable import RNNShell
