import Testing
@testable import NumpyFormat
