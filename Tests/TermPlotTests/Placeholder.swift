import Testing
@testable import TermPlot
